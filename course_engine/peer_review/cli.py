"""`course-engine peer-review ...`: the jobs that allocate reviewers and expire late reviews."""

import click
from flask.cli import AppGroup

peer_review_cli = AppGroup("peer-review", help="Allocate peer reviews and expire late ones.")


@peer_review_cli.command("allocate-due")
@click.option(
    "--seed", type=int, default=None, help="Seed the allocation (default: per deliverable)."
)
def allocate_due_command(seed: int | None) -> None:
    """Allocate every deliverable whose submission window closed and has no allocation yet."""
    from course_engine.extensions import db
    from course_engine.peer_review.allocation import allocate_due

    done = allocate_due(seed=seed)
    db.session.commit()
    for deliverable, report in done:
        click.echo(f"deliverable {deliverable.id}: {report.message()}")
    if not done:
        click.echo("Nothing to allocate.")


@peer_review_cli.command("expire")
def expire_command() -> None:
    """Expire unfinished reviews past their window; re-allocate or flag their submissions."""
    from course_engine.extensions import db
    from course_engine.peer_review.allocation import deliverables_with_peer_review
    from course_engine.peer_review.expiry import expire_overdue

    lines = []
    for deliverable in deliverables_with_peer_review():
        report = expire_overdue(deliverable)
        if report.expired:
            lines.append(f"deliverable {deliverable.id}: {report.message()}")
    db.session.commit()
    click.echo("\n".join(lines) or "No review is overdue.")
