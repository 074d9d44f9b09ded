"""What the readiness probe checks: each shared part the app cannot serve without."""

from collections.abc import Callable

from flask import current_app
from sqlalchemy import text

from course_engine.extensions import db
from course_engine.extras import extra_missing
from course_engine.storage import get_storage

# A probe must answer before the balancer gives up on it.
REDIS_TIMEOUT_SECONDS = 1.0


def _database() -> bool:
    db.session.execute(text("SELECT 1"))
    return True


def _redis_urls() -> list[str]:
    urls = [current_app.config.get("REDIS_URL"), current_app.config.get("RATELIMIT_STORAGE_URI")]
    return sorted({url for url in urls if url and url.startswith(("redis://", "rediss://"))})


def _redis() -> bool:
    try:
        import redis
    except ImportError as error:
        raise extra_missing("redis", error) from error
    for url in _redis_urls():
        client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    return True


def _storage() -> bool:
    return get_storage().is_ready()


CHECKS: dict[str, Callable[[], bool]] = {
    "database": _database,
    "redis": _redis,
    "storage": _storage,
}


def readiness() -> dict[str, str]:
    """Run every check and return each one's outcome: "ok", "failing" or "not configured"."""
    outcome = {}
    for name, check in CHECKS.items():
        if name == "redis" and not _redis_urls():
            outcome[name] = "not configured"
            continue
        try:
            outcome[name] = "ok" if check() else "failing"
        except Exception:  # any failure of a part means not ready, whatever it raised
            current_app.logger.exception("readiness check %s failed", name)
            outcome[name] = "failing"
    return outcome
