"""/healthz and /readyz: open to anyone, no sign-in, no rate limit, no session."""

from flask import Blueprint, jsonify

from course_engine.health import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer while the process serves requests."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Answer 200 when the database, Redis (if used) and file storage are reachable, else 503."""
    checks = services.readiness()
    ready = all(outcome != "failing" for outcome in checks.values())
    return jsonify(status="ok" if ready else "failing", checks=checks), 200 if ready else 503
