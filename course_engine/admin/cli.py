"""`course-engine users ...`: create accounts and import them from CSV."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from course_engine.admin.services import CsvInvalid, import_users
from course_engine.auth import services as auth
from course_engine.errors import DomainError
from course_engine.extensions import db

users_cli = AppGroup("users", help="Create and import user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--admin", is_flag=True, help="Make the user a site admin.")
@click.password_option()
def create_command(email: str, name: str, admin: bool, password: str) -> None:
    """Create one account."""
    try:
        user = auth.create_user(email, name, password, is_admin=admin)
    except DomainError as error:
        db.session.rollback()
        click.echo(error.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created {user.email}{' (admin)' if admin else ''}.")


@users_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(csv_file: Path) -> None:
    """Import accounts and enrolments from a CSV file, all or nothing."""
    try:
        created, existing = import_users(csv_file.read_text(encoding="utf-8-sig"))
    except CsvInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"{csv_file.name}: {problem}", err=True)
        click.echo(error.message, err=True)
        sys.exit(1)
    except UnicodeDecodeError:
        click.echo(f"{csv_file.name}: the file is not UTF-8 text; nothing was imported.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created {len(created)} account(s); enrolled {len(existing)} existing account(s).")
    if created:
        click.echo("New accounts have no password yet: each sets one with 'Forgot your password'.")
