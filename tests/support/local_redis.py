"""The Redis server that this machine and CI run on loopback, for tests that need one."""

import socket
import uuid

import pytest

REDIS_URL = "redis://127.0.0.1:6379"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def job_queues(app):
    """Point the app at Redis database 7 with job and email queues of its own; empty them after."""
    from redis import Redis

    suffix = uuid.uuid4().hex
    names = {"JOBS_QUEUE": f"test-jobs-{suffix}", "NOTIFICATIONS_QUEUE": f"test-email-{suffix}"}
    app.config.update(REDIS_URL=f"{REDIS_URL}/7", **names)
    yield names
    connection = Redis.from_url(app.config["REDIS_URL"])
    for name in names.values():
        for key in connection.scan_iter(f"rq:*{name}*"):
            connection.delete(key)
    # Job hashes are named by job id only: remove those the queues above carried.
    for key in connection.scan_iter("rq:job:*"):
        if connection.hget(key, "origin") in {name.encode() for name in names.values()}:
            connection.delete(key)
    connection.close()
