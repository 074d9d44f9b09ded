"""Two app hosts behind HAProxy share one PostgreSQL, one Redis and one S3 store.

Each host is a gunicorn process of its own; the balancer runs the very file that
docs/deployment.md gives (docs/deployment/haproxy.cfg). Runs in the suite's
PostgreSQL pass, where every part is real.
"""

import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from course_engine.discussions.models import Post
from course_engine.extensions import db
from tests.conftest import ROOT, TEST_DATABASE_URL
from tests.discussions import factories as discussions
from tests.notifications.smtp import SmtpServer
from tests.support.local_redis import REDIS_URL, needs_redis

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

pytestmark = [
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="several hosts share PostgreSQL"),
    pytest.mark.skipif(
        not Path(HAPROXY).exists(), reason="HAProxy is not installed (apt-get install haproxy)"
    ),
    needs_redis,
]
PASSWORD = "correct horse battery"
WRONG_SIGN_INS_PER_ADDRESS = 4
THREAD_PATH = "/courses/example-course/discussions/threads/{id}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class Browser:
    """A person's browser: cookies, CSRF tokens from forms, no redirects followed."""

    class _NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirects
        )

    def request(self, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def csrf(self, url) -> str:
        status, body, _ = self.request(url)
        assert status == 200, (url, status)
        return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)[1].decode()

    def post(self, url, fields: dict, files: dict | None = None):
        if not files:
            data = urllib.parse.urlencode(fields).encode()
            return self.request(url, data, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            url, data, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def sign_in(self, site, email, password=PASSWORD):
        token = self.csrf(f"{site}/auth/login")
        fields = {"csrf_token": token, "email": email, "password": password}
        return self.post(f"{site}/auth/login", fields)


@pytest.fixture
def deployment(world, s3_server, s3_credentials, tmp_path):
    """Start two gunicorn hosts, an email worker and HAProxy; yield their addresses."""
    smtp = SmtpServer("127.0.0.1", _free_port())
    smtp.start()
    ports = {"app1": _free_port(), "app2": _free_port(), "balancer": _free_port()}
    site = f"http://127.0.0.1:{ports['balancer']}"
    run_id = secrets.token_hex(4)
    env = {
        **os.environ,
        "DATABASE_URL": TEST_DATABASE_URL,
        "SECRET_KEY": f"shared-secret-{run_id}",
        "STORAGE_URL": s3_server.storage_url(),
        "REDIS_URL": f"{REDIS_URL}/0",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"two-hosts-{run_id}",
        "NOTIFICATIONS_QUEUE": f"two-hosts-{run_id}",
        "JOBS_QUEUE": f"two-hosts-jobs-{run_id}",
        "LOGIN_ATTEMPTS_PER_ADDRESS": f"{WRONG_SIGN_INS_PER_ADDRESS} per 15 minutes",
        "PROXY_COUNT": "1",
        "SITE_URL": site,
        "MAIL_SERVER": smtp.host,
        "MAIL_PORT": str(smtp.port),
    }
    processes = []
    bin_folder = Path(sys.executable).parent
    try:
        for name in ("app1", "app2"):
            host_env = {**env, "COURSE_ENGINE_INSTANCE": str(tmp_path / name)}
            command = [str(bin_folder / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{ports[name]}"]
            processes.append(subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=host_env))
        # The script imports the package as installed; PYTHONPATH makes it this checkout's.
        worker_env = {
            **env,
            "COURSE_ENGINE_INSTANCE": str(tmp_path / "worker"),
            "PYTHONPATH": str(ROOT),
        }
        processes.append(
            subprocess.Popen(
                [str(bin_folder / "course-engine"), "worker"],
                cwd=ROOT,
                env=worker_env,
            )
        )
        balancer_env = {
            **os.environ,
            "BALANCER_BIND": f"127.0.0.1:{ports['balancer']}",
            "APP1": f"127.0.0.1:{ports['app1']}",
            "APP2": f"127.0.0.1:{ports['app2']}",
        }
        config = ROOT / "docs" / "deployment" / "haproxy.cfg"
        processes.append(subprocess.Popen([HAPROXY, "-db", "-f", str(config)], env=balancer_env))
        for name, process in zip(("app1", "app2"), processes, strict=False):
            _wait_for(f"http://127.0.0.1:{ports[name]}/readyz", process)
        _wait_for(f"{site}/healthz", processes[-1])
        hosts = {name: f"http://127.0.0.1:{ports[name]}" for name in ("app1", "app2")}
        yield {"site": site, **hosts, "smtp": smtp, "processes": processes}
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()


def _posts_in(thread_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id))


def test_two_hosts_behind_a_balancer_serve_one_site(deployment, world):
    site, app1, app2 = deployment["site"], deployment["app1"], deployment["app2"]
    learner = Browser()
    status, _, headers = learner.sign_in(site, world["learner"].email)
    assert status == 302, "signing in through the balancer"

    # The session signed by one host is good on the other: upload through one, download via both.
    deliverable = "/courses/example-course/deliverables/service-sketch"
    token = learner.csrf(f"{app1}{deliverable}")
    fields = {"csrf_token": token, "text": "My sketch", "save": "Save draft"}
    status, _, _ = learner.post(
        f"{app1}{deliverable}", fields, {"files": ("plan.txt", b"road map")}
    )
    assert status == 302
    _, page, _ = learner.request(f"{app2}{deliverable}")
    file_path = re.search(
        rb'href="(/courses/example-course/deliverables/service-sketch/files/\d+)"', page
    )[1]
    for host in (app1, app2):
        status, body, _ = learner.request(f"{host}{file_path.decode()}")
        assert (status, body) == (200, b"road map")

    # A reply queues an email that the worker (not the web host) sends.
    thread = discussions.thread(world["facilitator"], title="Welcome", body="Say hello")
    thread_url = site + THREAD_PATH.format(id=thread.id)
    token = learner.csrf(thread_url)
    status, _, _ = learner.post(f"{thread_url}/reply", {"csrf_token": token, "body": "Hello all"})
    assert status == 302
    deadline = time.monotonic() + 30
    while not deployment["smtp"].to(world["facilitator"].email) and time.monotonic() < deadline:
        time.sleep(0.3)
    [email] = deployment["smtp"].to(world["facilitator"].email)
    assert site in email.get_content()

    # Wrong passwords count against one limit on both hosts, held in Redis.
    probe = Browser()
    for attempt in range(WRONG_SIGN_INS_PER_ADDRESS):
        host = (app1, app2)[attempt % 2]
        status, _, _ = probe.sign_in(host, world["other_learner"].email, "wrong password")
        assert status == 200, f"attempt {attempt + 1} is still answered"
    status, _, _ = probe.sign_in(app1, world["other_learner"].email, "wrong password")
    assert status == 429

    # One host dies in the middle of a stream of posts: every accepted post is kept.
    before = _posts_in(thread.id)
    accepted = 0
    for number in range(40):
        if number == 10:
            deployment["processes"][0].send_signal(signal.SIGKILL)
        token = learner.csrf(thread_url)
        status, _, _ = learner.post(
            f"{thread_url}/reply", {"csrf_token": token, "body": f"Post {number}"}
        )
        accepted += status == 302
    assert _posts_in(thread.id) - before == accepted
    assert accepted >= 35, f"only {accepted} of 40 posts were accepted with one host down"
