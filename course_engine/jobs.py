"""Work done off the request path: on RQ workers when REDIS_URL is set, else in-process.

A service calls `enqueue_after_commit(func, *args)` inside its transaction.
Nothing happens unless that transaction commits; then the job goes to RQ,
retried with backoff if it fails, or, without Redis (or with Redis
unreachable), runs at once in the same app context, after the commit, as
the rest of the request's work did before. A job loads what it needs by id,
commits its own work, and is written so that running it twice does no
more than running it once: a retried job may have died half-way.
"""

import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from course_engine.extensions import db
from course_engine.extras import ExtraMissing, extra_missing
from course_engine.notifications.jobs import worker_app

if TYPE_CHECKING:
    from rq import Queue

log = logging.getLogger("course_engine.jobs")

DEFAULT_QUEUE = "course-engine"
RETRY_INTERVALS = [10, 60, 300]
# Short enough that a request with Redis down falls back to in-process work quickly.
REDIS_CONNECT_SECONDS = 2.0
_PENDING = "jobs_pending"
_COMMITTED = "jobs_committed"

Job = Callable[..., object]


def _path(func: Job) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def enqueue_after_commit(func: Job, *args: object) -> None:
    """Run `func(*args)` as a job once the current transaction commits.

    `func` must be a module-level function (the worker imports it by name)
    and `args` plain values such as ids, since the job runs in another process.
    """
    if getattr(sys.modules.get(func.__module__), func.__name__, None) is not func:
        raise ValueError(f"{_path(func)} is not a module-level function")
    # Begun here when none is, so that a rollback before any SQL still drops the job.
    session = db.session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_PENDING, []).append((func, args))


def queue_name() -> str:
    """Return the RQ queue that carries this site's jobs."""
    return current_app.config.get("JOBS_QUEUE") or DEFAULT_QUEUE


def rq_queue() -> "Queue | None":
    """Return the jobs queue when REDIS_URL is set, else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    try:
        from redis import Redis
        from rq import Queue
    except ImportError as error:
        raise extra_missing("redis", error) from error

    connection = Redis.from_url(url, socket_connect_timeout=REDIS_CONNECT_SECONDS)
    return Queue(queue_name(), connection=connection)


def run_job(func: Job, *args: object) -> object:
    """Run one job and commit its work, in the worker's app (or the current one)."""
    if has_app_context():
        return _run_and_commit(func, args)
    with worker_app().app_context():
        return _run_and_commit(func, args)


def _run_and_commit(func: Job, args: Sequence[object]) -> object:
    try:
        result = func(*args)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def _send_to_rq(queue: "Queue", func: Job, args: Sequence[object]) -> None:
    from rq import Retry

    queue.enqueue_call(
        func=run_job,
        args=(func, *args),
        description=f"{_path(func)}{tuple(args)!r}",
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
    )


def _dispatch(func: Job, args: Sequence[object]) -> None:
    try:
        queue = rq_queue()
        if queue is not None:
            _send_to_rq(queue, func, args)
            return
    except Exception as error:  # the work is still done, in this process
        log.warning("Could not enqueue %s (%s); running it in-process", _path(func), error)
    try:
        _run_and_commit(func, args)
    except Exception:  # the request's own work is committed; the job's failure is logged
        log.exception("Job %s%r failed", _path(func), tuple(args))


def _remember_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


def _dispatch_committed(session: Session, transaction: SessionTransaction) -> None:
    # Only once the outermost transaction has ended may the session send SQL again,
    # which the in-process jobs need; after_commit itself is too early for that.
    if transaction.parent is not None:
        return
    session.info.pop(_PENDING, None)  # left by a transaction that did not commit
    committed: list[tuple[Job, Sequence[Any]]] = session.info.pop(_COMMITTED, [])
    for func, args in committed:
        _dispatch(func, args)


def listen_to_commits() -> None:
    """Start the jobs of each committed transaction; safe to call for every app."""
    # The listeners sit on the Session class, shared by every app of the process.
    if not event.contains(Session, "after_commit", _remember_committed):
        event.listen(Session, "after_commit", _remember_committed)
        event.listen(Session, "after_transaction_end", _dispatch_committed)


def work(burst: bool = False) -> None:
    """Run an RQ worker on the jobs queue and the email queue, until stopped."""
    from course_engine.notifications import services as notifications

    try:
        jobs = rq_queue()
    except ExtraMissing as error:
        raise click.ClickException(str(error)) from error
    if jobs is None:
        raise click.ClickException(
            "REDIS_URL is not set: jobs run in the web process and "
            "`course-engine notifications send` delivers email."
        )
    from rq import Queue, Worker

    emails = Queue(notifications.queue_name(), connection=jobs.connection)
    # The scheduler puts failed jobs back on their queue once their retry interval is over.
    Worker([jobs, emails], connection=jobs.connection).work(burst=burst, with_scheduler=True)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for background jobs and email (needs REDIS_URL)."""
    work(burst)
