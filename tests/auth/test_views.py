"""Sign-in, sign-out, password change and reset through the browser's requests."""

import logging
import re

import pytest
from sqlalchemy import delete, func, select

from course_engine.auth import services
from course_engine.auth.models import PasswordReset
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail

PASSWORD = "correct horse battery"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


def test_sign_in_lands_on_the_dashboard(client, make_user):
    user = make_user(name="Ana Learner")
    response = client.post("/auth/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert "Welcome, Ana Learner" in page.text


@pytest.mark.parametrize(
    "email, password",
    [("user1@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_failed_sign_in_gives_one_generic_message(client, make_user, email, password):
    make_user(email="user1@example.org")
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 200
    assert "The email or password is not right" in response.text
    assert client.get("/").status_code == 302


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert "The email or password is not right" in response.text


def test_repeated_failures_for_one_account_are_rate_limited(client, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post(
            "/auth/login", data={"email": user.email, "password": "wrong password!"}
        )
        assert response.status_code == 200
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.text


def test_one_password_tried_on_many_accounts_is_rate_limited_per_address(client, app):
    app.config["LOGIN_ATTEMPTS_PER_ADDRESS"] = "3 per 15 minutes"
    for number in range(3):
        client.post("/auth/login", data={"email": f"a{number}@example.org", "password": "guess"})
    response = client.post("/auth/login", data={"email": "a9@example.org", "password": "guess"})
    assert response.status_code == 429


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, make_user):
    user = make_user()
    wrong = {"email": user.email, "password": "wrong password!"}
    right = {"email": user.email, "password": PASSWORD}
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(5):
        assert client.post("/auth/login", data=wrong, environ_base=attacker).status_code == 200
    assert client.post("/auth/login", data=right, environ_base=attacker).status_code == 429
    owner = {"REMOTE_ADDR": "198.51.100.20"}
    assert client.post("/auth/login", data=right, environ_base=owner).status_code == 302


def test_many_addresses_guessing_one_account_are_rate_limited(client, make_user, app):
    app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"] = "8 per 15 minutes"
    user = make_user()
    wrong = {"email": user.email, "password": "wrong password!"}
    for number in range(8):
        address = {"REMOTE_ADDR": f"203.0.113.{number // 4}"}
        assert client.post("/auth/login", data=wrong, environ_base=address).status_code == 200
    blocked = client.post("/auth/login", data=wrong, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert blocked.status_code == 429


def test_successful_sign_ins_do_not_count_against_the_limit(client, make_user):
    user = make_user()
    for _ in range(7):
        assert (
            client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
        client.post("/auth/logout")


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/courses/x/", "/courses/x/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_redirects_within_the_site(client, make_user, next_url, expected):
    user = make_user()
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_sign_out_invalidates_a_copied_session_cookie(app, make_user, login, client):
    user = make_user()
    login(user)
    copied = client.get_cookie("session").value
    client.post("/auth/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 302


def test_session_changes_at_sign_in(app, make_user, client):
    user = make_user()
    before = user.session_token
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    db.session.refresh(user)
    assert user.session_token != before


def test_remember_me_sets_a_persistent_cookie(client, make_user):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None


def test_change_password(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    login(user, "a new long password")


@pytest.mark.parametrize(
    "form, message",
    [
        (
            {
                "current_password": "wrong",
                "new_password": "a new long password",
                "confirm": "a new long password",
            },
            "This is not your current password.",
        ),
        (
            {"current_password": PASSWORD, "new_password": "short", "confirm": "short"},
            "at least 10",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "a new long password",
                "confirm": "different one!",
            },
            "The passwords differ.",
        ),
    ],
)
def test_change_password_rejects_bad_input(client, make_user, login, form, message):
    user = make_user()
    login(user)
    old_hash = user.password_hash
    response = client.post("/auth/password", data=form)
    assert response.status_code == 200
    assert message in response.text
    db.session.refresh(user)
    assert user.password_hash == old_hash


def _reset_link() -> str:
    """Return the path of the newest queued reset link, which must point at SITE_URL."""
    bodies = db.session.scalars(select(QueuedEmail.body).order_by(QueuedEmail.id.desc()))
    for body in bodies:
        found = re.search(r"http://127\.0\.0\.1:5000(/auth/reset/[\w-]+)", body)
        if found:
            return found.group(1)
    raise AssertionError("no reset link was queued")


def test_password_reset_by_emailed_single_use_link(client, make_user):
    user = make_user()
    response = client.post("/auth/reset", data={"email": user.email})
    assert "If an account uses that email" in client.get(response.headers["Location"]).text
    link = _reset_link()
    response = client.post(
        link, data={"new_password": "brand new password", "confirm": "brand new password"}
    )
    assert response.status_code == 302
    client.post("/auth/login", data={"email": user.email, "password": "brand new password"})
    assert client.get("/").status_code == 200
    client.post("/auth/logout")
    reused = client.post(
        link, data={"new_password": "another password!", "confirm": "another password!"}
    )
    assert reused.headers["Location"].endswith("/auth/reset")
    assert "expired or was already used" in client.get("/auth/reset").text


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="course_engine.mail")
    known = client.post("/auth/reset", data={"email": make_user().email})
    db.session.execute(delete(QueuedEmail))
    db.session.commit()
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert (unknown.status_code, unknown.headers["Location"]) == (
        known.status_code,
        known.headers["Location"],
    )
    assert "If an account uses that email" in client.get(unknown.headers["Location"]).text
    assert not [r for r in caplog.records if r.name == "course_engine.mail"]
    assert db.session.scalar(select(func.count()).select_from(QueuedEmail)) == 0
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 1


def test_reset_email_is_queued_not_sent_in_the_request(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="course_engine.mail")
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    assert not [r for r in caplog.records if r.name == "course_engine.mail"]
    queued = db.session.scalars(select(QueuedEmail)).one()
    assert queued.user_id == user.id and queued.subject == "Reset your password"


def _new_password(client, link: str, password: str):
    return client.post(link, data={"new_password": password, "confirm": password})


def test_using_one_reset_link_spends_the_others(client, make_user):
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    first = _reset_link()
    client.post("/auth/reset", data={"email": user.email})
    second = _reset_link()
    assert first != second
    assert _new_password(client, second, "brand new password").status_code == 302
    refused = _new_password(client, first, "attacker's password")
    assert refused.headers["Location"].endswith("/auth/reset")
    db.session.refresh(user)
    assert services.check_password(user, "brand new password")


def test_changing_the_password_spends_outstanding_reset_links(client, make_user, login):
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    link = _reset_link()
    login(user)
    client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long password",
            "confirm": "a new long password",
        },
    )
    client.post("/auth/logout")
    assert client.get(link).headers["Location"].endswith("/auth/reset")
    refused = _new_password(client, link, "attacker's password")
    assert refused.headers["Location"].endswith("/auth/reset")
    db.session.refresh(user)
    assert services.check_password(user, "a new long password")


def test_setting_a_password_in_the_service_spends_reset_links(app, make_user):
    user = make_user()
    _user, token = services.start_password_reset(user.email)
    services.set_password(user, "set by the admin")
    db.session.commit()
    assert not services.reset_is_usable(token)


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "attacker.example"},
        {"X-Forwarded-Host": "attacker.example"},
        {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"},
    ],
    ids=["host", "forwarded-host", "both"],
)
def test_reset_link_points_at_site_url_whatever_the_host_header(client, make_user, headers):
    user = make_user()
    client.post("/auth/reset", data={"email": user.email}, headers=headers)
    body = db.session.scalars(select(QueuedEmail.body)).one()
    assert "attacker" not in body
    assert "http://127.0.0.1:5000/auth/reset/" in body


def test_expired_reset_link_is_refused(client, make_user, app):
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    link = _reset_link()
    response = client.get(link)
    assert response.headers["Location"].endswith("/auth/reset")
    old_hash = user.password_hash
    client.post(link, data={"new_password": "brand new password", "confirm": "brand new password"})
    db.session.refresh(user)
    assert user.password_hash == old_hash
