"""`course-engine discussions ...`: the daily digest."""

import click
from flask.cli import AppGroup

discussions_cli = AppGroup("discussions", help="Discussion forums.")


@discussions_cli.command("digest")
def digest_command() -> None:
    """Queue the daily digest emails (run once a day, then `notifications send`)."""
    from course_engine.discussions.services.subscriptions import send_digests
    from course_engine.extensions import db

    count = send_digests()
    db.session.commit()
    click.echo(f"{count} digest(s) queued")
