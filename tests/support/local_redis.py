"""The Redis server that this machine and CI run on loopback, for tests that need one."""

import socket

import pytest

REDIS_URL = "redis://127.0.0.1:6379"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
