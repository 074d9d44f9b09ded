"""Domain errors and the site's error pages."""

from collections.abc import Mapping

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, SecurityError


class DomainError(Exception):
    """A rule of the domain was broken; the message is safe to show the user."""

    status_code = 400

    def __init__(self, message: str, fields: Mapping[str, str] | None = None):
        """`fields` maps the names of the form fields at fault to what to say next to each."""
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})


class NotFound(DomainError):
    """The object does not exist, or the user may not know it exists."""

    status_code = 404


class Conflict(DomainError):
    """The object changed state since the user last saw it."""

    status_code = 409


ERROR_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    429: "Too many requests",
    500: "Something went wrong",
}

ERROR_MESSAGES = {
    404: "There is nothing here, or you do not have access to it.",
    413: "The upload is larger than this site accepts.",
    429: "Too many attempts. Please wait a few minutes and try again.",
    500: "The error has been logged. Please try again later.",
}


def _render(status: int, message: str | None = None):
    title = ERROR_TITLES.get(status, "Error")
    text = message or ERROR_MESSAGES.get(status, title)
    return render_template("errors/error.html", status=status, title=title, message=text), status


def _http_error(error: HTTPException):
    if isinstance(error, SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page template.
        return "This site does not answer to that host name.", 400, {"Content-Type": "text/plain"}
    status = error.code or 500
    message = ERROR_MESSAGES.get(status) or error.description
    if status == 413:
        message = f"The upload is larger than this site accepts ({_upload_limit_mb()} MB at most)."
    if status == 400 and "CSRF" in (error.description or ""):
        message = "The form expired or was not sent from this site. Please reload and try again."
    return _render(status, message)


def _upload_limit_mb() -> int:
    from flask import current_app

    return current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)


def _domain_error(error: DomainError):
    return _render(error.status_code, error.message)


def _server_error(_error):
    from course_engine.extensions import db

    db.session.rollback()
    return _render(500)


def register(app: Flask) -> None:
    """Render every error in the site's style."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(500, _server_error)
