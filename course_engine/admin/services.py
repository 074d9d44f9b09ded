"""Site administration rules: bulk user import."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from course_engine.auth import services as auth
from course_engine.auth.models import User
from course_engine.courses.models import Course
from course_engine.courses.services import enrol
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.permissions import Role

CSV_COLUMNS = ["email", "name", "country", "organisation", "job_title", "course", "role"]
MAX_CSV_ROWS = 5000


class CsvInvalid(DomainError):
    """A CSV file has bad rows; nothing was imported."""

    def __init__(self, problems: list[str]):
        super().__init__(f"The file has {len(problems)} problem(s); nothing was imported.")
        self.problems = problems


@dataclass
class UserRow:
    line: int
    email: str
    name: str
    country: str
    organisation: str
    job_title: str
    course: Course | None
    role: Role | None


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def parse_users_csv(text: str) -> list[UserRow]:
    """Check every row of a users CSV, raising CsvInvalid with each bad line."""
    reader = csv.DictReader(io.StringIO(text))
    header = [_column(name) for name in reader.fieldnames or []]
    missing = [name for name in ("email", "name") if name not in header]
    if missing:
        raise CsvInvalid(
            [f"line 1: missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}"]
        )
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        raise CsvInvalid([f"line 1: unknown column(s) {', '.join(unknown)}"])
    reader.fieldnames = header
    courses = {course.slug: course for course in db.session.scalars(select(Course))}
    rows, problems, seen = [], [], {}
    for record in reader:
        line = reader.line_num
        if len(rows) >= MAX_CSV_ROWS:
            problems.append(f"line {line}: more than {MAX_CSV_ROWS} rows")
            break
        if None in record or any(value is None for value in record.values()):
            problems.append(f"line {line}: expected {len(header)} columns")
            continue
        values = {key: (value or "").strip() for key, value in record.items()}
        try:
            email = validate_email(values["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError as error:
            problems.append(f"line {line}: invalid email '{values['email']}': {error}")
            continue
        if email in seen:
            problems.append(f"line {line}: duplicate email {email} (first on line {seen[email]})")
            continue
        seen[email] = line
        if not values["name"]:
            problems.append(f"line {line}: the name is empty")
        course = None
        if values.get("course"):
            course = courses.get(values["course"])
            if course is None:
                problems.append(f"line {line}: unknown course '{values['course']}'")
        role = None
        if values.get("role") or course is not None:
            try:
                role = Role(values.get("role") or Role.LEARNER)
            except ValueError:
                roles = ", ".join(Role)
                problems.append(f"line {line}: unknown role '{values['role']}' ({roles})")
        rows.append(
            UserRow(
                line,
                email,
                values["name"],
                values.get("country", ""),
                values.get("organisation", ""),
                values.get("job_title", ""),
                course,
                role,
            )
        )
    if problems:
        raise CsvInvalid(problems)
    return rows


def import_users(text: str) -> tuple[list[User], list[User]]:
    """Create the CSV's new users and enrol every row; return (created, existing). Flush only."""
    created, existing = [], []
    for row in parse_users_csv(text):
        user = auth.get_by_email(row.email)
        if user is None:
            user = auth.create_user(
                row.email,
                row.name,
                country=row.country,
                organisation=row.organisation,
                job_title=row.job_title,
            )
            created.append(user)
        else:
            existing.append(user)
        if row.course is not None:
            enrol(user.id, row.course.id, row.role)
    return created, existing
