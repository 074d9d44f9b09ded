"""Sign-in, sign-out, password change and reset through the browser's requests."""

import logging
import re

import pytest
from sqlalchemy import func, select

from course_engine.auth.models import PasswordReset
from course_engine.extensions import db

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


def _reset_link(caplog) -> str:
    for record in caplog.records:
        found = re.search(r"http://localhost(/auth/reset/[\w-]+)", record.getMessage())
        if found:
            return found.group(1)
    raise AssertionError("no reset link was emailed")


def test_password_reset_by_emailed_single_use_link(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="course_engine.mail")
    user = make_user()
    response = client.post("/auth/reset", data={"email": user.email})
    assert "If an account uses that email" in client.get(response.headers["Location"]).text
    link = _reset_link(caplog)
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


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, caplog):
    caplog.set_level(logging.INFO, logger="course_engine.mail")
    response = client.post(
        "/auth/reset", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert "If an account uses that email" in response.text
    assert not [r for r in caplog.records if r.name == "course_engine.mail"]
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 0


def test_expired_reset_link_is_refused(client, make_user, caplog, app):
    caplog.set_level(logging.INFO, logger="course_engine.mail")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    link = _reset_link(caplog)
    response = client.get(link)
    assert response.headers["Location"].endswith("/auth/reset")
    old_hash = user.password_hash
    client.post(link, data={"new_password": "brand new password", "confirm": "brand new password"})
    db.session.refresh(user)
    assert user.password_hash == old_hash
