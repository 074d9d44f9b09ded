"""A real server in a thread and a real Chromium driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from course_engine import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once per run; skip (or fail in CI) where it is missing."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but /usr/bin/chromium is not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(app, tmp_path):
    """Serve a second app over the test's database on a free port; return its base URL."""
    served = create_app(
        {
            "INSTANCE_PATH": tmp_path / "served",
            "ENV_VARS": {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]},
            "SECRET_KEY": "browser-test",
            "PASSWORD_HASH_CHEAP": True,
            **{key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT") if app.config.get(key)},
        }
    )
    http = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()
    with served.app_context():
        from course_engine.extensions import db

        db.engine.dispose()


@pytest.fixture
def page(browser):
    """Return a fresh page in its own browser context (no shared cookies)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, server: str, email: str, password: str = "correct horse battery") -> None:
    """Sign in through the form."""
    page.goto(f"{server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    """Sign out with the header's button."""
    page.get_by_role("button", name="Sign out").click()
