"""Peer groups of a course: the roster, one-by-one assignment and CSV upload."""

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from course_engine.audit.services import record
from course_engine.auth.models import User
from course_engine.courses.models import CohortGroup, Enrolment
from course_engine.courses.services import set_group
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.inputs import NUL_IN_FILE, csv_refusals
from course_engine.roles import Role

MAX_GROUP_NAME = 80
MAX_CSV_ROWS = 5000
GROUPED_ROLES = (Role.LEARNER, Role.PEER_REVIEWER)


@dataclass
class RosterRow:
    user: User
    role: Role
    group: str


def roster(course_id: int) -> tuple[list[RosterRow], list[str]]:
    """Return the course's learners and reviewers with their groups, and the group names."""
    rows = db.session.execute(
        select(User, Enrolment.role, CohortGroup.name)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(CohortGroup, CohortGroup.id == Enrolment.group_id)
        .where(Enrolment.course_id == course_id, Enrolment.role.in_(GROUPED_ROLES))
        .order_by(User.display_name, User.id)
    )
    groups = db.session.scalars(
        select(CohortGroup.name)
        .where(CohortGroup.course_id == course_id)
        .order_by(CohortGroup.name)
    )
    return [RosterRow(user, role, name or "") for user, role, name in rows], list(groups)


def clean_group_name(name: str) -> str:
    """Return the group name tidied, or raise DomainError."""
    name = " ".join((name or "").split())
    if len(name) > MAX_GROUP_NAME:
        raise DomainError(f"A group name can be at most {MAX_GROUP_NAME} characters.")
    return name


def assign(actor_id: int, course_id: int, user_id: int, group_name: str) -> None:
    """Put an enrolled learner in a group (or none). Flush only."""
    name = clean_group_name(group_name)
    role = db.session.scalar(
        select(Enrolment.role).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    if role not in GROUPED_ROLES:
        raise NotFound("There is no such learner in this course.")
    set_group(user_id, course_id, name or None)
    record(
        actor_id, "discussions.group.assign", course_id=course_id, target=f"user:{user_id}",
        group=name,
    )  # fmt: skip


class GroupCsvInvalid(DomainError):
    """The CSV has problems; no group was changed."""

    def __init__(self, problems: list[str]):
        super().__init__(f"The file has {len(problems)} problem(s); no group was changed.")
        self.problems = problems


def import_csv(actor_id: int, course_id: int, data: bytes) -> int:
    """Set groups from `email,group` lines, all or nothing; return how many were set. Flush only."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GroupCsvInvalid(["the file is not UTF-8 text"]) from error
    if "\x00" in content:
        raise GroupCsvInvalid([NUL_IN_FILE])
    members = dict(
        db.session.execute(
            select(User.email, User.id)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == course_id, Enrolment.role.in_(GROUPED_ROLES))
        ).all()
    )
    problems: list[str] = []
    changes: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(content))
    with csv_refusals(reader, GroupCsvInvalid):
        for line, row in enumerate(reader, start=1):
            if line > MAX_CSV_ROWS:
                problems.append(f"line {line}: more than {MAX_CSV_ROWS} lines")
                break
            if not row or not "".join(row).strip():
                continue
            if line == 1 and [cell.strip().lower() for cell in row] == ["email", "group"]:
                continue
            if len(row) != 2:
                problems.append(f"line {line}: expected two columns, email and group")
                continue
            email, group = row[0].strip().lower(), row[1]
            try:
                group = clean_group_name(group)
            except DomainError as error:
                problems.append(f"line {line}: {error.message}")
                continue
            if email not in members:
                problems.append(f"line {line}: no learner with the email '{email}' in this course")
            elif email in seen:
                problems.append(f"line {line}: '{email}' is already on line {seen[email]}")
            else:
                seen[email] = line
                changes.append((members[email], group))
    if not problems and not changes:
        problems.append("the file has no lines of the form email,group")
    if problems:
        raise GroupCsvInvalid(problems)
    for user_id, group in changes:
        set_group(user_id, course_id, group or None)
    record(actor_id, "discussions.group.import", course_id=course_id, rows=len(changes))
    return len(changes)
