"""100 learners reply to one thread for 20 s against gunicorn on PostgreSQL: none may be lost."""

import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from bench.accounts import add_people, analyze, seeding_app, session_cookies
from bench.results_file import figure
from bench.server import gunicorn
from course_engine import create_app
from course_engine.courses.services import get_course
from course_engine.discussions.models import Forum, ForumKind, Post
from course_engine.discussions.services import forums, posting
from course_engine.discussions.services.access import viewer_for
from course_engine.extensions import db
from course_engine.packs.services import import_folder

ROOT = Path(__file__).resolve().parent.parent
POSTERS = 100
SECONDS = 20
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _seed(instance: Path, env: dict) -> tuple[list[str], int]:
    """Fill the database; return the posters' session cookies and the thread's id."""
    app = seeding_app(instance, env)
    with app.app_context():
        upgrade(revision="heads")
        import_folder(ROOT / "docs" / "example-pack")
        course = get_course("example-course")
        emails = [f"poster{number}@bench.example" for number in range(POSTERS)]
        ids = add_people(course.id, emails)
        forums.ensure_course_forums(course.id)
        forum = db.session.scalar(
            select(Forum).where(Forum.course_id == course.id, Forum.kind == ForumKind.ITEM)
        )
        viewer = viewer_for(ids[0], course.id, staff=False)
        thread_id = posting.start_thread(viewer, forum, "Load test", "Replies follow.", None).id
        db.session.commit()
        analyze()
    return session_cookies(app, emails), thread_id


def _poster(base: str, thread_url: str, cookie: str, deadline: float, results: list, lock):
    opener = urllib.request.build_opener(_NoRedirect)
    headers = {"Cookie": f"session={cookie}"}
    with urllib.request.urlopen(
        urllib.request.Request(base + thread_url, headers=headers), timeout=60
    ) as page:
        token = TOKEN.search(page.read().decode()).group(1)
        session = page.headers.get("Set-Cookie")
        if session:
            headers["Cookie"] = session.split(";")[0]
    number = 0
    while time.perf_counter() < deadline:
        number += 1
        body = urllib.parse.urlencode(
            {"csrf_token": token, "body": f"Reply {number} from the load test."}
        )
        request = urllib.request.Request(
            base + thread_url + "/reply", data=body.encode(), headers=headers
        )
        started = time.perf_counter()
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        with lock:
            results.append(((time.perf_counter() - started) * 1000, status == 302))


def run(env: dict, instance: Path) -> list[dict]:
    """Run the posting benchmark; return its figures."""
    cookies, thread_id = _seed(instance, env)
    thread_url = f"/courses/example-course/discussions/threads/{thread_id}"
    results: list = []
    lock = threading.Lock()
    with gunicorn("wsgi:app", env) as (base, _master):
        deadline = time.perf_counter() + SECONDS
        with ThreadPoolExecutor(POSTERS) as pool:
            for cookie in cookies:
                pool.submit(_poster, base, thread_url, cookie, deadline, results, lock)
    app = create_app({"INSTANCE_PATH": instance, "ENV_VARS": env})
    with app.app_context():
        stored = (
            db.session.scalar(
                select(func.count()).select_from(Post).where(Post.thread_id == thread_id)
            )
            - 1
        )
        db.engine.dispose()
    succeeded = sum(ok for _latency, ok in results)
    latencies = sorted(latency for latency, _ok in results) or [0.0]
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    return [
        figure(
            "discussion: posts per second, 100 posters",
            "postgresql",
            succeeded / SECONDS,
            "posts/s",
            "-",
            None,
        ),
        figure(
            "discussion: post p50 latency",
            "postgresql",
            statistics.median(latencies),
            "ms",
            "-",
            None,
        ),
        figure("discussion: post p99 latency", "postgresql", p99, "ms", "-", None),
        figure(
            "discussion: posts stored minus successful responses",
            "postgresql",
            stored - succeeded,
            "posts",
            "0",
            stored == succeeded,
        ),
        figure(
            "discussion: failed posts",
            "postgresql",
            len(results) - succeeded,
            "requests",
            "-",
            None,
        ),
    ]
