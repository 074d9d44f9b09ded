"""The facilitator dashboard for a cohort of 2,000 learners, on PostgreSQL."""

import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from flask_migrate import upgrade

from bench.accounts import add_people, analyze, seeding_app, session_cookies
from bench.results_file import figure
from bench.server import gunicorn
from course_engine.courses.services import get_course
from course_engine.extensions import db
from course_engine.packs.services import import_folder
from tests.conftest import EXAMPLE_PACK
from tests.reports.factories import build_cohort, write_big_pack

LEARNERS = 2000
DASHBOARD = "/courses/big-course/reports"


def _seed(instance: Path, env: dict) -> str:
    """Build the course and cohort; return a facilitator's session cookie."""
    app = seeding_app(instance, env)
    with app.app_context(), tempfile.TemporaryDirectory() as packs:
        upgrade(revision="heads")
        import_folder(write_big_pack(Path(packs) / "big", EXAMPLE_PACK, extra_modules=10))
        build_cohort("big-course", LEARNERS)
        add_people(get_course("big-course").id, ["lead@bench.example"], role="facilitator")
        db.session.commit()
        analyze()
    return session_cookies(app, ["lead@bench.example"])[0]


def _timed_get(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": f"session={cookie}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def run(env: dict, instance: Path) -> list[dict]:
    """Time the dashboard page (median of five after a warm-up); return its figure."""
    cookie = _seed(instance, env)
    with gunicorn("wsgi:app", env, workers=1) as (base, _master):
        _timed_get(base + DASHBOARD, cookie)
        seconds = statistics.median(_timed_get(base + DASHBOARD, cookie) for _ in range(5))
    return [
        figure(
            "facilitator dashboard, 2,000 learners", "postgresql", seconds, "s", "< 1", seconds < 1
        )
    ]
