"""`course-engine notifications ...`: deliver queued emails."""

import time

import click
from flask.cli import AppGroup

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
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for email and background jobs: `course-engine worker` by another name."""
    from course_engine.jobs import work

    work(burst)
