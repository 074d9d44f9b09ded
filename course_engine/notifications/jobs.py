"""The RQ job that sends one queued email."""

from flask import Flask, has_app_context

_app: Flask | None = None


def worker_app() -> Flask:
    """Return the app a worker process runs its jobs in, made from the environment once."""
    global _app
    if _app is None:
        from course_engine import create_app

        _app = create_app()
    return _app


def send_job(email_id: int) -> bool:
    """Send the queued email with this id, in the worker's app (or the current one)."""
    from course_engine.notifications.services import send_queued

    if has_app_context():
        return send_queued(email_id)
    with worker_app().app_context():
        return send_queued(email_id)
