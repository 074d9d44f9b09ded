"""The `course-engine` command: Flask's CLI over create_app, plus the demo set-up."""

import secrets
from datetime import date
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from course_engine import create_app

COURSES_FOLDER = Path(__file__).resolve().parent.parent / "courses"

DEMO_ACCOUNTS = [
    # email, name, country, course role (None: site admin)
    ("admin@example.org", "Demo Admin", "Barbados", None),
    ("facilitator@example.org", "Demo Facilitator", "Barbados", "facilitator"),
    ("reviewer@example.org", "Demo Peer Reviewer", "Saint Lucia", "peer_reviewer"),
    ("learner1@example.org", "Demo Learner One", "Jamaica", "learner"),
    ("learner2@example.org", "Demo Learner Two", "Belize", "learner"),
    ("learner3@example.org", "Demo Learner Three", "Guyana", "learner"),
]


def main() -> None:
    """Run the course-engine command line."""
    cli = FlaskGroup(create_app=lambda: create_app(), help="Course engine administration.")
    cli.add_command(demo_command)
    cli.main(prog_name="course-engine")


def _pack_folders() -> list[Path]:
    """Return the packs under courses/, those that create a course before those that extend one."""
    from course_engine.packs.yaml_source import load_yaml

    folders = sorted(path.parent for path in COURSES_FOLDER.glob("*/course.yaml"))
    return sorted(
        folders,
        key=lambda folder: "extends" in (load_yaml((folder / "course.yaml").read_text()) or {}),
    )


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Migrate, import every pack under courses/, and (re)create demo accounts."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from course_engine.auth import services as auth
    from course_engine.courses.models import Course, Pack
    from course_engine.courses.services import enrol
    from course_engine.extensions import db
    from course_engine.packs import services as packs
    from course_engine.packs.importer import PackInvalid
    from course_engine.roles import Role

    upgrade(revision="heads")
    for folder in _pack_folders():
        try:
            reports = packs.import_folder(folder)
        except PackInvalid as error:
            for problem in error.problems:
                click.echo(f"{folder.name}/{problem}", err=True)
            raise click.ClickException(f"{folder.name}: {error.message}") from None
        for report in reports:
            click.echo(report.lines()[-1])
        db.session.commit()
    base_courses = db.session.scalars(
        select(Course).join(Pack, Pack.course_id == Course.id).where(Pack.key == Course.slug)
    ).all()
    for course in base_courses:
        # The demo cohort starts today, so dates relative to the start are near.
        course.starts_on = course.starts_on or date.today()
    click.echo("\nDemo accounts (passwords are new at every run; keep them now):")
    for email, name, country, role in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        user = auth.get_by_email(email) or auth.create_user(email, name, country=country)
        auth.set_password(user, password)
        user.is_admin = role is None
        if role:
            for course in base_courses:
                enrol(user.id, course.id, Role(role))
        click.echo(f"  {role or 'admin':<14} {email:<26} {password}")
    db.session.commit()
