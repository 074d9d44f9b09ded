"""Prometheus metrics: request counts and latencies per route, and the email queue's depth.

Only wired when METRICS_TOKEN is set, so a site that does not scrape pays nothing
per request. Under gunicorn set PROMETHEUS_MULTIPROC_DIR to an empty folder so the
figures of every worker are added up (prometheus_client's multiprocess mode).
"""

import hmac
import os
import time

from flask import Flask, g, request
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail

REQUESTS = Counter(
    "course_engine_requests_total", "Requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "course_engine_request_seconds",
    "Time to answer a request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _record(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        endpoint = request.endpoint or "unmatched"
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def register(app: Flask) -> None:
    """Count and time every request, when the site is scraped at all."""
    if app.config.get("METRICS_TOKEN"):
        app.before_request(_start_timer)
        app.after_request(_record)


def token_matches(configured: str | None, authorization: str | None) -> bool:
    """Tell whether an Authorization header carries the configured bearer token."""
    if not configured or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), configured)


class _EmailQueueCollector:
    """Read the email queue's depth from the database at scrape time."""

    def collect(self):
        depth = GaugeMetricFamily(
            "course_engine_email_queue", "Emails in the queue, by status", labels=["status"]
        )
        counts = db.session.execute(
            select(QueuedEmail.status, func.count()).group_by(QueuedEmail.status)
        ).all()
        for status, count in counts:
            if status.value != "sent":
                depth.add_metric([status.value], count)
        yield depth


def exposition() -> bytes:
    """Return every metric in Prometheus's text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    queue = CollectorRegistry()
    queue.register(_EmailQueueCollector())
    return generate_latest(requests) + generate_latest(queue)
