"""Signing in and out in a real browser."""

import pytest

from tests.browser.conftest import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_sign_in_see_the_dashboard_and_sign_out(page, server, make_user):
    user = make_user(name="Keisha Browne")
    sign_in(page, server, user.email)
    assert page.get_by_role("heading", name="Welcome, Keisha Browne").is_visible()
    sign_out(page)
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto(f"{server}/")
    assert page.get_by_role("heading", name="Sign in").is_visible()


def test_failed_sign_in_shows_a_generic_message(page, server, make_user):
    user = make_user()
    sign_in(page, server, user.email, "not the password")
    assert (
        page.get_by_role("alert").filter(has_text="The email or password is not right").is_visible()
    )
    assert page.url.endswith("/auth/login")
