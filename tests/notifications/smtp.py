"""A real SMTP server in the test process (aiosmtpd), keeping every message it receives."""

from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Listen on a loopback port; `messages` holds the parsed emails received."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._inbox = _Inbox()
        self._controller = Controller(self._inbox, hostname=host, port=port)

    @property
    def messages(self):
        return self._inbox.messages

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def to(self, address: str):
        """Return the messages sent to an address."""
        return [m for m in self.messages if m["To"] == address]

    def settings(self) -> dict:
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port}
