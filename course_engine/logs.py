"""Logging of the engine's own messages: on standard error, as text or as JSON lines."""

import json
import logging
import secrets
import sys

from flask import Flask, g, has_request_context, request

LOGGER_NAME = "course_engine"
TEXT_FORMAT = "[%(asctime)s] %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Accepted from a proxy's X-Request-ID so one id follows a request across hosts.
_REQUEST_ID_MAX = 64


def request_id() -> str:
    """Return the current request's id (the proxy's X-Request-ID, or a new one), or '-'."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        valid = 0 < len(given) <= _REQUEST_ID_MAX and given.isascii() and given.isprintable()
        g.request_id = given if valid else secrets.token_hex(8)
    return g.request_id


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _StandardErrorHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is now, so a replaced stream (a test's) is followed."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(app: Flask) -> None:
    """Send the engine's messages from INFO up to standard error, once per process."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    handler = next((h for h in logger.handlers if isinstance(h, _StandardErrorHandler)), None)
    if handler is None:
        for other in list(logger.handlers):
            logger.removeHandler(other)
        handler = _StandardErrorHandler()
        handler.addFilter(_RequestIdFilter())
        logger.addHandler(handler)
    json_lines = app.config.get("LOG_FORMAT") == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
