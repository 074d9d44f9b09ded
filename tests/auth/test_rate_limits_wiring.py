"""The limiter is wired the way the factory says: limits on routes, no app-wide hook."""

from course_engine.extensions import limiter


def test_no_app_wide_limit_check_runs_before_every_request(app):
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])


def test_a_route_limit_still_refuses_past_its_count(client):
    # The certificate verification page allows 60 requests a minute per address.
    statuses = [client.get("/certificates/verify").status_code for _ in range(61)]
    assert statuses[:60].count(429) == 0
    assert statuses[60] == 429
