"""Site administration rules: accounts, bulk import and the audit log."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from course_engine.audit import services as audit
from course_engine.audit.models import AuditEntry
from course_engine.auth import services as auth
from course_engine.auth.models import User
from course_engine.courses.models import Course
from course_engine.courses.services import enrol
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.inputs import NUL_IN_FILE, csv_refusals
from course_engine.pagination import Pagination, paginate
from course_engine.roles import Role

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
    if "\x00" in text:
        raise CsvInvalid([NUL_IN_FILE])
    reader = csv.DictReader(io.StringIO(text))
    with csv_refusals(reader, CsvInvalid):
        return _checked_rows(reader)


def _checked_rows(reader: csv.DictReader) -> list[UserRow]:
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
    rows: list[UserRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
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
        if row.course is not None and row.role is not None:
            enrol(user.id, row.course.id, row.role)
    return created, existing


def search_users(query: str, page: int, per_page: int = 50) -> Pagination:
    """Return a page of users whose email or name contains the query, by name."""
    statement = select(User).order_by(User.display_name, User.id)
    if query:
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(
            func.lower(User.email).like(pattern) | func.lower(User.display_name).like(pattern)
        )
    return paginate(statement, page, per_page, scalars=True)


def get_user(user_id: int) -> User:
    """Return the user with this id, or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
    return user


def create_account(actor_id: int, email: str, name: str, **profile) -> User:
    """Create an account without a password and record it. Flush only."""
    user = auth.create_user(email, name, **profile)
    audit.record(actor_id, "user.create", target=f"user:{user.id}", email=user.email)
    if user.is_admin:
        audit.record(actor_id, "user.admin_granted", target=f"user:{user.id}")
    return user


def import_accounts(actor_id: int, text: str) -> tuple[list[User], list[User]]:
    """Import a users CSV like `course-engine users import`, and record it. Flush only."""
    created, existing = import_users(text)
    audit.record(
        actor_id,
        "user.import",
        created=[user.email for user in created],
        enrolled_existing=[user.email for user in existing],
    )
    return created, existing


PROFILE_FIELDS = ("display_name", "country", "organisation", "job_title", "language")


def update_profile(actor: User, user: User, *, is_admin: bool, **profile) -> list[str]:
    """Change a user's profile and admin flag; return the changed fields. Flush only."""
    if user.id == actor.id and not is_admin:
        raise DomainError("You cannot remove your own admin rights.")
    changed = []
    for name in PROFILE_FIELDS:
        value = profile[name].strip()
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if user.is_admin != is_admin:
        user.is_admin = is_admin
        changed.append("is_admin")
        # A change of rights starts a new session, as every role change does.
        auth.end_sessions(user)
    if changed:
        audit.record(actor.id, "user.update", target=f"user:{user.id}", fields=changed)
    db.session.flush()
    return changed


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (ending every session) or reactivate an account. Flush only."""
    if user.id == actor.id:
        raise DomainError("You cannot deactivate your own account.")
    if user.active == active:
        return
    user.active = active
    if not active:
        auth.end_sessions(user)
    audit.record(
        actor.id, "user.reactivate" if active else "user.deactivate", target=f"user:{user.id}"
    )
    db.session.flush()


def audit_page(action: str, page: int, per_page: int = 50) -> Pagination:
    """Return a page of (entry, actor email, course slug), newest first, in two queries."""
    where = [AuditEntry.action == action] if action else []
    statement = (
        select(AuditEntry, User.email, Course.slug)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .outerjoin(Course, Course.id == AuditEntry.course_id)
        .where(*where)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    return paginate(statement, page, per_page)


def audit_actions() -> list[str]:
    """Return the actions that appear in the audit log, for the filter."""
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )
