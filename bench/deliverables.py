"""A 200 MB upload's memory cost, and the gradebook of 2,000 learners by 30 items, on PostgreSQL."""

import http.client
import re
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench.accounts import add_people, analyze, seeding_app, session_cookies
from bench.results_file import figure
from bench.server import gunicorn, worker_rss_mb
from bench.synthetic import write_graded_pack
from course_engine.courses.models import Course, Item
from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from course_engine.packs.services import import_folder

LEARNERS = 2000
UPLOAD_MB = 200
COURSE = "/courses/gradebench"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _seed(instance: Path, env: dict) -> tuple[str, str]:
    """Fill the database; return session cookies of a facilitator and of a learner."""
    app = seeding_app(instance, env)
    with app.app_context(), tempfile.TemporaryDirectory() as packs:
        upgrade(revision="heads")
        import_folder(write_graded_pack(Path(packs) / "graded"))
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "gradebench"))
        add_people(course_id, ["facilitator@bench.example"], role="facilitator")
        emails = [f"grade{number}@bench.example" for number in range(LEARNERS)]
        learner_ids = add_people(course_id, emails)
        items = db.session.scalars(select(Item.id).where(Item.course_id == course_id)).all()
        now = utcnow()
        for start in range(0, len(learner_ids), 200):
            db.session.execute(
                insert(Grade),
                [
                    {
                        "user_id": uid,
                        "item_id": iid,
                        "course_id": course_id,
                        "score": (uid * iid) % 11,
                        "max_score": 10,
                        "category": "deliverables",
                        "released": True,
                        "updated_at": now,
                    }
                    for uid in learner_ids[start : start + 200]
                    for iid in items
                ],
            )
        db.session.commit()
        analyze()
    return tuple(session_cookies(app, ["facilitator@bench.example", emails[1]]))


def _timed_get(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": f"session={cookie}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        while response.read(1 << 16):
            pass
    return time.perf_counter() - started


def _upload(base: str, cookie: str, size: int) -> int:
    """Stream a multipart upload of a size-byte PDF without holding it; return the status."""
    page_url = f"{base}{COURSE}/deliverables/d1"
    request = urllib.request.Request(page_url, headers={"Cookie": f"session={cookie}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        token = TOKEN.search(response.read().decode()).group(1)
        cookie = (
            response.headers.get("Set-Cookie", f"session={cookie}").split(";")[0].split("=", 1)[1]
        )
    boundary = "benchmarkboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="submit"\r\n\r\nSubmit\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    first = b"%PDF-1.4\n"
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    connection.putrequest("POST", urlsplit(page_url).path)
    connection.putheader("Cookie", f"session={cookie}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    connection.send(head + first)
    chunk = b"\0" * (1 << 20)
    remaining = size - len(first)
    while remaining > 0:
        connection.send(chunk[: min(len(chunk), remaining)])
        remaining -= len(chunk)
    connection.send(tail)
    status = connection.getresponse().status
    connection.close()
    return status


def run(env: dict, instance: Path) -> list[dict]:
    """Run the upload and gradebook benchmarks; return their figures."""
    facilitator, learner = _seed(instance, env)
    with gunicorn("wsgi:app", env, workers=1) as (base, master):
        _timed_get(f"{base}/auth/login", facilitator)
        before = worker_rss_mb(master)
        status = _upload(base, learner, UPLOAD_MB * 1024 * 1024)
        growth = worker_rss_mb(master, peak=True) - before
        first_page = statistics.median(
            _timed_get(f"{base}{COURSE}/gradebook", facilitator) for _ in range(3)
        )
        export = statistics.median(
            _timed_get(f"{base}{COURSE}/gradebook.csv", facilitator) for _ in range(3)
        )
    return [
        figure(
            "200 MB upload: worker RSS growth",
            "postgresql",
            growth,
            "MB",
            "< 30",
            growth < 30 and status == 302,
        ),
        figure(
            "gradebook first page, 2,000 learners x 30 items",
            "postgresql",
            first_page,
            "s",
            "< 2",
            first_page < 2,
        ),
        figure(
            "gradebook full CSV export, 2,000 learners x 30 items",
            "postgresql",
            export,
            "s",
            "< 2",
            export < 2,
        ),
    ]
