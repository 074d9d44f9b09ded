"""Seeding a benchmark database: packs (timed), a synthetic course and 2,000 learners."""

import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench.results_file import figure
from bench.synthetic import write_pack
from course_engine import create_app
from course_engine.auth.models import User
from course_engine.auth.services import password_hasher
from course_engine.courses.models import Course, Enrolment, Item, ItemProgress, ProgressStatus
from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.packs.services import import_folder

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = 2000
SIGNED_IN = 64
PASSWORD = "benchmark password"


@dataclass
class Seeded:
    figures: list[dict] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)


def _timed_import(folder: Path) -> float:
    started = time.perf_counter()
    import_folder(folder)
    db.session.commit()
    return time.perf_counter() - started


def _learners(course: Course) -> list[str]:
    """Create the cohort with some progress each, returning the emails."""
    password_hash = password_hasher().hash(PASSWORD)
    emails = [f"learner{number}@bench.example" for number in range(LEARNERS)]
    db.session.execute(
        insert(User),
        [
            {
                "email": email,
                "display_name": email.split("@")[0],
                "password_hash": password_hash,
                "session_token": secrets.token_urlsafe(32),
                "country": "Barbados",
                "organisation": "",
                "job_title": "",
                "language": "en",
                "is_admin": False,
                "active": True,
            }
            for email in emails
        ],
    )
    user_ids = db.session.scalars(select(User.id).where(User.email.like("%@bench.example"))).all()
    db.session.execute(
        insert(Enrolment),
        [{"user_id": uid, "course_id": course.id, "role": "learner"} for uid in user_ids],
    )
    first_items = db.session.scalars(
        select(Item.id).where(Item.course_id == course.id).order_by(Item.id).limit(10)
    ).all()
    now = utcnow()
    db.session.execute(
        insert(ItemProgress),
        [
            {
                "user_id": uid,
                "item_id": iid,
                "course_id": course.id,
                "status": ProgressStatus.DONE,
                "updated_at": now,
                "completed_at": now,
            }
            for uid in user_ids
            for iid in first_items
        ],
    )
    db.session.commit()
    return emails


def _cookies(app, emails: list[str]) -> list[str]:
    cookies = []
    for email in emails[:SIGNED_IN]:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        cookies.append(client.get_cookie("session").value)
    return cookies


def seed(instance: Path, env: dict) -> Seeded:
    """Migrate and fill the database named by env; return the import figures and session cookies."""
    database = "postgresql" if "DATABASE_URL" in env else "sqlite"
    app = create_app(
        {
            "INSTANCE_PATH": instance,
            "ENV_VARS": env,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    result = Seeded()
    with app.app_context(), tempfile.TemporaryDirectory() as packs:
        upgrade(revision="heads")
        caricad = _timed_import(ROOT / "courses" / "caricad_innovation")
        caricad += _timed_import(ROOT / "courses" / "caricad_leadership")
        big = write_pack(Path(packs) / "big", course_id="thousand", modules=40, lessons=25)
        first = _timed_import(big)
        again = _timed_import(big)
        result.figures += [
            figure("CARICAD packs import", database, caricad, "s", "-", None),
            figure("1,000-lesson pack import", database, first, "s", "< 10", first < 10),
            figure("1,000-lesson pack unchanged re-import", database, again, "s", "< 3", again < 3),
        ]
        _timed_import(
            write_pack(Path(packs) / "synthetic", course_id="synthetic", modules=20, lessons=25)
        )
        course = db.session.scalar(select(Course).where(Course.slug == "synthetic"))
        emails = _learners(course)
    # Outside the app context: each request then gets its own, as when served.
    result.cookies = _cookies(app, emails)
    with app.app_context():
        db.engine.dispose()
    return result
