"""The liveness and readiness probes."""

from course_engine.health import services
from tests.support.local_redis import REDIS_URL, needs_redis


def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_reports_every_part(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {
        "database": "ok",
        "redis": "not configured",
        "storage": "ok",
    }


def test_readyz_is_503_when_storage_cannot_be_written(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["storage"] == "failing"


def test_readyz_is_503_when_redis_does_not_answer(app, client):
    # Port 9 (discard) on loopback has no Redis: the connection is refused at once.
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == "failing"


@needs_redis
def test_readyz_checks_the_redis_that_is_configured(app):
    app.config["RATELIMIT_STORAGE_URI"] = REDIS_URL
    with app.app_context():
        assert services.readiness()["redis"] == "ok"
