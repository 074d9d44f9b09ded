"""`course-engine pack ...`: validate, import and export course packs."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import inspect

from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.packs import services
from course_engine.packs.importer import PackInvalid

pack_cli = AppGroup("pack", help="Validate, import and export course packs.")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _require_migrated_database() -> None:
    # Validation reads the courses a pack may extend: on a database nobody has
    # migrated yet that would be a traceback instead of a next step.
    if not inspect(db.engine).has_table("courses"):
        _fail("The database has no tables yet: run `course-engine db upgrade` first.")


@pack_cli.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
def validate_command(path: Path) -> None:
    """Check a pack folder or zip and print every problem as file:line: message."""
    _require_migrated_database()
    try:
        with services.opened(path) as root:
            problems = services.validate_folder(root)
    except DomainError as error:
        _fail(error.message)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        _fail(f"{len(problems.items)} problem(s) found")
    click.echo("The pack is valid.")


@pack_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
def import_command(path: Path, dry_run: bool) -> None:
    """Import a pack folder or zip in one transaction."""
    _require_migrated_database()
    try:
        with services.opened(path) as root:
            reports = services.import_folder(root)
    except PackInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        _fail(error.message)
    except DomainError as error:
        db.session.rollback()
        _fail(error.message)
    for report in reports:
        for line in report.lines():
            click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was changed.")
    else:
        db.session.commit()


@pack_cli.command("export")
@click.argument("course_id")
@click.argument("out", type=click.Path(path_type=Path))
def export_command(course_id: str, out: Path) -> None:
    """Write a course back out as a pack zip."""
    try:
        data = services.export_course(course_id)
    except DomainError as error:
        _fail(error.message)
    out.write_bytes(data)
    click.echo(f"Exported {course_id} to {out}")
