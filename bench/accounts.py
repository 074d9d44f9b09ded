"""Seeding helpers shared by the benchmarks: an app to seed with, bulk accounts, sessions."""

import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import insert, select, text

from course_engine import create_app
from course_engine.auth.models import User
from course_engine.auth.services import password_hasher
from course_engine.courses.models import Enrolment
from course_engine.extensions import db

PASSWORD = "benchmark password"
# Sessions remember the browser that signed in; the load generator presents the same one.
USER_AGENT = "course-engine-bench"
COUNTRIES = ("Barbados", "Belize", "Jamaica", "Guyana", "Saint Lucia")


def seeding_app(instance: Path, env: dict) -> Flask:
    """Return an app over the benchmark's database that seeds quickly (cheap hashes, no CSRF)."""
    return create_app(
        {
            "INSTANCE_PATH": instance,
            "ENV_VARS": env,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_CHEAP": True,
        }
    )


def add_people(course_id: int, emails: list[str], role: str = "learner") -> list[int]:
    """Create accounts enrolled in the course with a role; return their ids, in order."""
    password_hash = password_hasher().hash(PASSWORD)
    db.session.execute(
        insert(User),
        [
            {
                "email": email,
                "display_name": email.split("@")[0],
                "password_hash": password_hash,
                "session_token": secrets.token_urlsafe(32),
                "country": COUNTRIES[number % len(COUNTRIES)],
            }
            for number, email in enumerate(emails)
        ],
    )
    ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    db.session.execute(
        insert(Enrolment),
        [{"user_id": ids[email], "course_id": course_id, "role": role} for email in emails],
    )
    return [ids[email] for email in emails]


def analyze() -> None:
    """Gather planner statistics, as a database in use has them."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def session_cookies(app: Flask, emails: list[str]) -> list[str]:
    """Sign each account in and open one page; return their session cookies.

    Called outside any app context, so that each request gets its own, as when served.
    """
    cookies = []
    for email in emails:
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, (email, response.status_code)
        # A first page puts the form token in the session, as a browser's first visit does;
        # load generators replay one cookie, so it must already hold it.
        client.get("/")
        cookies.append(client.get_cookie("session").value)
    with app.app_context():
        db.engine.dispose()
    return cookies
