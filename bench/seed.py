"""Seeding a benchmark database: packs (timed), a synthetic course and 2,000 learners."""

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench.accounts import add_people, analyze, seeding_app, session_cookies
from bench.results_file import figure
from bench.synthetic import write_pack
from course_engine.courses.models import Course, Item, ItemProgress, ProgressStatus
from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.packs.services import import_folder

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = 2000
SIGNED_IN = 64


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
    emails = [f"learner{number}@bench.example" for number in range(LEARNERS)]
    user_ids = add_people(course.id, emails)
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
    analyze()
    return emails


def seed(instance: Path, env: dict) -> Seeded:
    """Migrate and fill the database named by env; return the import figures and session cookies."""
    database = "postgresql" if "DATABASE_URL" in env else "sqlite"
    app = seeding_app(instance, env)
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
    result.cookies = session_cookies(app, emails[:SIGNED_IN])
    return result
