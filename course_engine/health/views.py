"""Probes (/healthz, /readyz: open to anyone, no sign-in or rate limit) and /metrics."""

from flask import Blueprint, Response, abort, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST

from course_engine.health import metrics as metrics_module
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


@bp.get("/metrics")
def metrics():
    """Serve Prometheus metrics to a scraper holding METRICS_TOKEN; 404 for anyone else."""
    if not metrics_module.token_matches(
        current_app.config.get("METRICS_TOKEN"), request.headers.get("Authorization")
    ):
        abort(404)
    return Response(metrics_module.exposition(), content_type=CONTENT_TYPE_LATEST)
