"""`course-engine quiz ...`: tools for question authors."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from course_engine.quizzes.gift import parse_gift
from course_engine.quizzes.questions import questions_to_json

quiz_cli = AppGroup("quiz", help="Check question files.")


@quiz_cli.command("gift-check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def gift_check_command(path: Path) -> None:
    """Print a GIFT file's questions as JSON, or each error with its line and exit 1."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        click.echo(f"{path}:1: the file is not UTF-8 text", err=True)
        sys.exit(1)
    questions, errors = parse_gift(text, str(path))
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(errors)} error(s) found", err=True)
        sys.exit(1)
    click.echo(json.dumps(questions_to_json(questions), indent=2, ensure_ascii=False))
