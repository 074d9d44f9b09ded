"""Running gunicorn and wrk for a benchmark, and reading what they report."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.accounts import USER_AGENT

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 4
LUA = """
cookies = {%s}
counter = 0
request = function()
  counter = counter + 1
  local cookie = cookies[(counter %% #cookies) + 1]
  return wrk.format("GET", "%s", {["Cookie"] = "session=" .. cookie, ["User-Agent"] = "%s"})
end
"""


def ensure_wrk() -> str:
    """Return the wrk program, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_path: str, env: dict, workers: int = WORKERS):
    """Serve app_path with gunicorn on a free loopback port; yield (base URL, master pid)."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_path,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(
                    base + "/auth/login" if "wsgi" in app_path else base, timeout=1
                )
                break
            except OSError:
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_peak_rss_mb(master_pid: int) -> float:
    """Return the largest peak resident memory of the master's worker processes, in MB."""
    return worker_rss_mb(master_pid, peak=True)


def worker_rss_mb(master_pid: int, *, peak: bool = False) -> float:
    """Return the largest resident (or peak resident) memory of the master's workers, in MB."""
    field = "VmHWM" if peak else "VmRSS"
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            found = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
            if found:
                peaks.append(int(found.group(1)) / 1024)
    return max(peaks, default=0.0)


def _millis(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    url: str, path: str, cookies: list[str], *, seconds: int = 20, connections: int = 32
) -> dict:
    """Load path with wrk and return requests/s, p50 and p99 in ms, and failed responses."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (", ".join(f'"{c}"' for c in cookies) or '""', path, USER_AGENT))
    try:
        output = subprocess.run(
            [
                ensure_wrk(),
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _millis(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _millis(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "failed": int(failed.group(1)) if failed else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }
