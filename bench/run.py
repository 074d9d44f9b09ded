"""`make bench`: the lesson page under load and pack imports, on SQLite and PostgreSQL.

Seeds a synthetic course (20 modules of 25 lessons) and 2,000 enrolled
learners, serves the app with gunicorn, loads a lesson page as signed-in
learners with wrk, measures a bare Flask page the same way just before (the
ceiling), and times pack imports. Figures go to bench/results/latest.json and .md.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import deliverables, discussions, quizzes, reports, results_file, seed
from bench.results_file import figure
from bench.server import gunicorn, run_wrk, worker_peak_rss_mb

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_DB = "course_engine_bench"
LESSON_PATH = "/courses/synthetic/items/m10-l12"
SECRET_KEY = "benchmark-secret-key"


def _postgres_url(name: str = POSTGRES_BENCH_DB) -> str | None:
    """Return a fresh benchmark database on the local PostgreSQL, or None if there is none."""
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    try:
        subprocess.run(
            [*command, f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True
        )
        subprocess.run([*command, f"CREATE DATABASE {name}"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def postgres_benchmark(name: str, benchmark) -> list[dict]:
    """Run benchmark(env, instance) on a fresh PostgreSQL database; [] without PostgreSQL."""
    url = _postgres_url(name)
    if url is None:
        print(
            "PostgreSQL is not reachable on 127.0.0.1:5432: skipping its figures", file=sys.stderr
        )
        return []
    try:
        with tempfile.TemporaryDirectory(prefix="course-engine-bench-") as instance:
            env = {
                "COURSE_ENGINE_INSTANCE": instance,
                "SECRET_KEY": SECRET_KEY,
                "DATABASE_URL": url,
            }
            return benchmark(env, Path(instance))
    finally:
        _drop_database(name)


def _drop_database(name: str) -> None:
    """Remove a benchmark database so runs leave nothing behind, even with connections open."""
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*command, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


def lesson_page(database: str, env: dict, cookies: list[str], ceiling_rps: float) -> list[dict]:
    """Load the lesson page with wrk and return its figures."""
    with gunicorn("wsgi:app", env) as (base, master):
        run_wrk(base, LESSON_PATH, cookies, seconds=3)  # warm up every worker
        load = run_wrk(base, LESSON_PATH, cookies)
        rss = worker_peak_rss_mb(master)
    ratio = load["rps"] / ceiling_rps if ceiling_rps else 0
    return [
        figure(
            "lesson page throughput",
            database,
            load["rps"],
            "requests/s",
            ">= half the ceiling",
            ratio >= 0.5,
        ),
        figure("lesson page p50 latency", database, load["p50"], "ms", "-", None),
        figure("lesson page p99 latency", database, load["p99"], "ms", "-", None),
        figure("lesson page / ceiling", database, ratio, "ratio", ">= 0.5", ratio >= 0.5),
        figure(
            "lesson page failed responses",
            database,
            load["failed"] + load["socket_errors"],
            "responses",
            "0",
            load["failed"] + load["socket_errors"] == 0,
        ),
        figure("peak RSS per worker", database, rss, "MB", "-", None),
    ]


def ceiling(database: str) -> list[dict]:
    """Measure the bare Flask page under the same gunicorn settings, beside a lesson run.

    The page itself always reads SQLite; database names the lesson run it is
    measured next to, because the machine's speed drifts within minutes.
    """
    with gunicorn("bench.ceiling:app", {}) as (base, _master):
        run_wrk(base, "/", [], seconds=3)
        load = run_wrk(base, "/", [])
    return [
        figure(
            "ceiling: bare Flask page throughput", database, load["rps"], "requests/s", "-", None
        ),
        figure("ceiling: bare Flask page p99 latency", database, load["p99"], "ms", "-", None),
    ]


def lesson_benchmark(database: str):
    """Return a benchmark that seeds the database, measures the ceiling, then the lesson page."""

    def run(env: dict, instance: Path) -> list[dict]:
        started = time.perf_counter()
        seeded = seed.seed(instance, env)
        print(f"{database}: seeded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        beside = ceiling(database)
        ceiling_rps = beside[0]["value"]
        return beside + seeded.figures + lesson_page(database, env, seeded.cookies, ceiling_rps)

    return run


def main() -> None:
    """Run every benchmark and save the figures."""
    with tempfile.TemporaryDirectory(prefix="course-engine-bench-") as instance:
        env = {"COURSE_ENGINE_INSTANCE": instance, "SECRET_KEY": SECRET_KEY}
        figures = lesson_benchmark("sqlite")(env, Path(instance))
    figures += postgres_benchmark(POSTGRES_BENCH_DB, lesson_benchmark("postgresql"))
    figures += postgres_benchmark("course_engine_bench_quiz", quizzes.run)
    figures += postgres_benchmark("course_engine_bench_grades", deliverables.run)
    figures += postgres_benchmark("course_engine_bench_posts", discussions.run)
    figures += postgres_benchmark("course_engine_bench_reports", reports.run)
    path = results_file.save(figures)
    print(Path(path.with_suffix(".md")).read_text())


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    main()
