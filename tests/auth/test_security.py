"""CSRF, security headers, cookies and error pages."""

import pytest

from course_engine import create_app


def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "The form expired or was not sent from this site" in response.text


def test_post_with_another_sessions_csrf_token_is_refused(app, client, make_user):
    other = app.test_client()
    page = other.get("/auth/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    user = make_user()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 400


def test_every_response_carries_the_security_headers(client):
    response = client.get("/auth/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_url_gets_the_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Content-Security-Policy" in response.headers


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    client.get("/auth/login")
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    from course_engine.config import ConfigError

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {"COURSE_ENGINE_ENV": "production"}})


def test_production_refuses_debug(tmp_path):
    from course_engine.config import ConfigError

    env = {"COURSE_ENGINE_ENV": "production", "SECRET_KEY": "x" * 40, "FLASK_DEBUG": "1"}
    with pytest.raises(ConfigError, match="debug"):
        create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": env})


def test_production_cookies_are_secure(tmp_path):
    env = {"COURSE_ENGINE_ENV": "production", "SECRET_KEY": "x" * 40}
    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": env})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_secret_key_is_generated_once_per_install(tmp_path):
    first = create_app({"INSTANCE_PATH": tmp_path / "a", "ENV_VARS": {}}).config["SECRET_KEY"]
    again = create_app({"INSTANCE_PATH": tmp_path / "a", "ENV_VARS": {}}).config["SECRET_KEY"]
    other = create_app({"INSTANCE_PATH": tmp_path / "b", "ENV_VARS": {}}).config["SECRET_KEY"]
    assert first == again != other
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_switches_to_postgresql_with_psycopg(tmp_path):
    env = {"DATABASE_URL": "postgresql://u@127.0.0.1/db"}
    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": env})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/db"


def test_forwarded_for_is_ignored_without_a_configured_proxy(app, client):
    from flask import request

    seen = []
    app.before_request(lambda: seen.append(request.remote_addr))
    client.get(
        "/auth/login",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert seen == ["127.0.0.1"]


def test_processes_starting_at_once_share_one_generated_secret_key(tmp_path):
    import threading

    from course_engine.config import _instance_secret_key

    keys, barrier = [], threading.Barrier(8)

    def start():
        barrier.wait()
        keys.append(_instance_secret_key(tmp_path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]
