"""Prometheus metrics behind a token."""

import pytest

from course_engine.extensions import db
from course_engine.health.metrics import token_matches
from course_engine.notifications import services as notifications

TOKEN = "scrape-token-of-this-site"


@pytest.fixture
def app_settings():
    return {"METRICS_TOKEN": TOKEN}


def _scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def test_requests_are_counted_and_timed_per_route(client):
    client.get("/healthz")
    client.get("/healthz")
    text = _scrape(client).text
    counted = [
        line
        for line in text.splitlines()
        if line.startswith("course_engine_requests_total{")
        and 'endpoint="health.healthz"' in line
        and 'status="200"' in line
    ]
    assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 2
    assert 'course_engine_request_seconds_bucket{endpoint="health.healthz"' in text


def test_the_email_queue_depth_is_reported(client, make_user):
    user = make_user()
    notifications.notify(user.id, "Hello", "Body", dedupe_key="metrics:1")
    db.session.commit()
    text = _scrape(client).text
    assert 'course_engine_email_queue{status="queued"} 1.0' in text


@pytest.mark.parametrize("token", ["", "wrong", TOKEN + "x"])
def test_without_the_token_there_is_nothing(client, token):
    assert _scrape(client, token).status_code == 404


def test_a_site_without_a_token_has_no_metrics(app, client):
    app.config["METRICS_TOKEN"] = None
    assert _scrape(client).status_code == 404


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),
        (f"Basic {TOKEN}", False),
        (TOKEN, False),
        (None, False),
    ],
)
def test_token_matches(header, matches):
    assert token_matches(TOKEN, header) is matches
