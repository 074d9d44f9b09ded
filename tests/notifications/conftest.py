import socket

import pytest

from tests.notifications.smtp import SmtpServer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Run a real SMTP server in the test process and yield what it received."""
    server = SmtpServer("127.0.0.1", _free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_settings(smtp_server):
    return smtp_server.settings()
