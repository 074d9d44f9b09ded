"""300 signed-in learners start and submit a 10-question quiz against gunicorn on PostgreSQL."""

import re
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import Cookie, CookieJar
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from bench.accounts import USER_AGENT, add_people, analyze, seeding_app, session_cookies
from bench.results_file import figure
from bench.server import gunicorn
from bench.synthetic import write_quiz_pack
from course_engine import create_app
from course_engine.courses.models import Course
from course_engine.extensions import db
from course_engine.packs.services import import_folder
from course_engine.quizzes.models import Attempt

LEARNERS = 300
CONCURRENCY = 30
QUIZ = "/courses/quizbench/quizzes/check"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHOICE = re.compile(r'name="(q\d+)" id="[^"]+" value="(\d+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _seed(instance: Path, env: dict) -> list[str]:
    app = seeding_app(instance, env)
    with app.app_context(), tempfile.TemporaryDirectory() as packs:
        upgrade(revision="heads")
        import_folder(write_quiz_pack(Path(packs) / "quiz"))
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "quizbench"))
        emails = [f"quiz{number}@bench.example" for number in range(LEARNERS)]
        add_people(course_id, emails)
        db.session.commit()
        analyze()
    return session_cookies(app, emails)


def _jar(cookie: str) -> CookieJar:
    jar = CookieJar()
    jar.set_cookie(
        Cookie(
            0,
            "session",
            cookie,
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )
    )
    return jar


def _take_quiz(base: str, cookie: str) -> tuple[float, bool]:
    """Start, answer and submit as one learner; return the submit latency in ms and success."""
    jar = _jar(cookie)
    browse = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browse.addheaders = [("User-Agent", USER_AGENT)]
    intro = browse.open(base + QUIZ + "/", timeout=30).read().decode()
    token = TOKEN.search(intro).group(1)
    page = browse.open(
        base + QUIZ + "/start", urllib.parse.urlencode({"csrf_token": token}).encode(), timeout=30
    )
    page_url, html = page.geturl(), page.read().decode()
    answers = dict(CHOICE.findall(html))
    form = {"csrf_token": token, "action": "finish", **answers}
    confirm = browse.open(page_url, urllib.parse.urlencode(form).encode(), timeout=30).geturl()
    submit = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    submit.addheaders = browse.addheaders
    started = time.perf_counter()
    try:
        response = submit.open(
            confirm, urllib.parse.urlencode({"csrf_token": token}).encode(), timeout=30
        )
        status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status == 302


def run(env: dict, instance: Path) -> list[dict]:
    """Run the quiz benchmark on the database named by env; return its figures."""
    cookies = _seed(instance, env)
    with gunicorn("wsgi:app", env) as (base, _master):
        started = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(lambda cookie: _take_quiz(base, cookie), cookies))
        elapsed = time.perf_counter() - started
    app = create_app({"INSTANCE_PATH": instance, "ENV_VARS": env})
    with app.app_context():
        recorded = db.session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.state == "graded")
        )
        db.engine.dispose()
    latencies = sorted(latency for latency, _ok in results)
    submitted = sum(ok for _latency, ok in results)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return [
        figure(
            "quiz: learners who started and submitted",
            "postgresql",
            LEARNERS,
            "learners",
            "-",
            None,
        ),
        figure(
            "quiz: time for all to start and submit", "postgresql", elapsed, "s", "about 10", None
        ),
        figure(
            "quiz: attempts recorded minus submitted",
            "postgresql",
            recorded - submitted,
            "attempts",
            "0",
            recorded == submitted == LEARNERS,
        ),
        figure(
            "quiz: submit p50 latency", "postgresql", statistics.median(latencies), "ms", "-", None
        ),
        figure("quiz: submit p99 latency", "postgresql", p99, "ms", "< 300", p99 < 300),
        figure(
            "quiz: failed submits",
            "postgresql",
            LEARNERS - submitted,
            "requests",
            "0",
            submitted == LEARNERS,
        ),
    ]
