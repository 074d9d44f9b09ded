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
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    # Bootstrap's select arrows and checkbox ticks are data: images; scripts stay 'self' only.
    assert directives["img-src"] == "'self' data:"
    assert directives["script-src"] == "'self'"
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


def _production_app(tmp_path, **env):
    settings = {"COURSE_ENGINE_ENV": "production", "SECRET_KEY": "x" * 40, **env}
    return create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": settings})


def test_production_refuses_a_host_other_than_site_urls(tmp_path):
    app = _production_app(tmp_path, SITE_URL="https://courses.example.org")
    client = app.test_client()
    refused = client.get("/auth/login", headers={"Host": "attacker.example"})
    assert refused.status_code == 400
    assert "does not answer to that host name" in refused.text
    assert client.get("/auth/login", headers={"Host": "courses.example.org"}).status_code == 200


def test_production_accepts_the_extra_trusted_hosts(tmp_path):
    app = _production_app(
        tmp_path,
        SITE_URL="https://courses.example.org",
        TRUSTED_HOSTS="lms.example.org, .example.net",
    )
    client = app.test_client()
    for host in ("lms.example.org", "www.example.net", "courses.example.org:443"):
        assert client.get("/auth/login", headers={"Host": host}).status_code == 200
    assert client.get("/auth/login", headers={"Host": "example.org"}).status_code == 400


def test_forwarded_host_is_ignored_without_a_configured_proxy(app, client):
    from flask import request

    seen = []
    app.before_request(lambda: seen.append(request.host))
    client.get("/auth/login", headers={"X-Forwarded-Host": "attacker.example"})
    assert seen == ["localhost"]


def test_production_sends_strict_transport_security(tmp_path):
    response = (
        _production_app(tmp_path)
        .test_client()
        .get("/auth/login", headers={"Host": "127.0.0.1:5000"})
    )
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_sends_no_strict_transport_security(client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers


def test_a_responses_own_security_header_wins(app, client):
    app.add_url_rule(
        "/own-policy",
        "own_policy",
        lambda: ("", 200, {"Referrer-Policy": "no-referrer", "X-Frame-Options": "SAMEORIGIN"}),
    )
    response = client.get("/own-policy")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_embedded_database_file_is_readable_by_its_owner_only(tmp_path):
    from sqlalchemy import text

    from course_engine.extensions import db

    app = create_app({"INSTANCE_PATH": tmp_path / "instance", "ENV_VARS": {}})
    with app.app_context():
        db.session.execute(text("CREATE TABLE probe (id INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    files = list((tmp_path / "instance").glob("course_engine.db*"))
    assert files
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, path
