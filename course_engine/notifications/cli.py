"""`course-engine notifications ...`: deliver queued emails."""

import time

import click
from flask.cli import AppGroup

from course_engine.extras import ExtraMissing

notifications_cli = AppGroup("notifications", help="Deliver notification emails.")


@notifications_cli.command("send")
@click.option("--limit", type=int, default=None, help="Send at most this many emails.")
@click.option(
    "--watch",
    type=float,
    default=None,
    help="Keep draining, pausing this many seconds between runs.",
)
def send_command(limit: int | None, watch: float | None) -> None:
    """Send the emails waiting in the database queue."""
    from course_engine.notifications.services import send_pending

    while True:
        sent, failed = send_pending(limit)
        if sent or failed or watch is None:
            click.echo(f"{sent} sent, {failed} not sent")
        if watch is None:
            break
        time.sleep(watch)
    if failed and watch is None:
        raise SystemExit(1)


@notifications_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the email queue (needs REDIS_URL)."""
    from course_engine.notifications.services import rq_queue

    try:
        queue = rq_queue()
    except ExtraMissing as error:
        raise click.ClickException(str(error)) from error
    if queue is None:
        raise click.ClickException("REDIS_URL is not set; use `notifications send` instead.")
    from rq import Worker

    Worker([queue], connection=queue.connection).work(burst=burst)
