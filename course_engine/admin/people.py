"""Course people rules: enrolment, roles, cohort groups and self-enrolment keys.

Being enrolled or given another role ends that person's sessions, so the new
rights come with a new session. Removal does not: every request reads the
enrolment again, and a facilitator must not be able to sign anyone out of
the rest of the site. An admin's sessions are never ended from a course.

A facilitator enrols directly only people already in one of the courses they
run, never an admin; any other email becomes a request in the audit log for
an admin, answered in the same words whether or not the account exists, so
the form does not tell which emails have accounts.
"""

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from course_engine.admin.models import EnrolmentKey
from course_engine.audit.services import record
from course_engine.auth import services as auth
from course_engine.auth.models import User
from course_engine.courses.models import CohortGroup, Course, Enrolment
from course_engine.courses.services import enrol, enrolment_role, set_group
from course_engine.database import utcnow
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.live_sessions.services import revoke_feed
from course_engine.roles import STAFF, Role

MIN_KEY_LENGTH = 6
ENROL_REQUESTED = (
    "Your request to enrol {email} as {role} went to an admin. If this person has no account "
    "yet, an admin invites them; an admin confirms existing accounts."
)
JOIN_REFUSED = (
    "That course code and enrolment key do not match an open course. Check both and try again."
)


@dataclass
class Person:
    user: User
    role: Role
    group: str | None


def people(course_id: int) -> list[Person]:
    """Return the course's enrolled people with role and group, in one query."""
    rows = db.session.execute(
        select(User, Enrolment.role, CohortGroup.name)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(CohortGroup, CohortGroup.id == Enrolment.group_id)
        .where(Enrolment.course_id == course_id)
        .order_by(User.display_name, User.id)
    )
    return [Person(user, role, group) for user, role, group in rows]


def group_names(course_id: int) -> list[str]:
    """Return the names of the course's cohort groups."""
    return list(
        db.session.scalars(
            select(CohortGroup.name)
            .where(CohortGroup.course_id == course_id)
            .order_by(CohortGroup.name)
        )
    )


def enrolled_user(course_id: int, user_id: int) -> User:
    """Return a user enrolled in the course, or raise NotFound (never another course's)."""
    user = db.session.scalar(
        select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course_id, User.id == user_id)
    )
    if user is None:
        raise NotFound("This person is not enrolled in this course.")
    return user


def _not_self(actor: User, user: User) -> None:
    if actor.id == user.id:
        raise DomainError(
            "You cannot change your own enrolment; ask another facilitator or an admin."
        )


@dataclass(frozen=True)
class EnrolOutcome:
    email: str
    enrolled: bool


def _known_to(actor: User, email: str) -> bool:
    """Tell whether a non-admin account with this email is in a course the actor runs."""
    runs = select(Enrolment.course_id).where(
        Enrolment.user_id == actor.id, Enrolment.role.in_(STAFF)
    )
    found = db.session.scalar(
        select(Enrolment.id)
        .join(User, User.id == Enrolment.user_id)
        .where(User.email == email, User.is_admin.is_(False), Enrolment.course_id.in_(runs))
        .limit(1)
    )
    return found is not None


def enrol_by_email(actor: User, course: Course, email: str, role: Role) -> EnrolOutcome:
    """Enrol someone by email, or ask an admin to when the actor may not. Flush only."""
    email = auth.normalise_email(email)
    # The same query runs whatever the email, so the answer's timing says nothing either.
    if not _known_to(actor, email) and not actor.is_admin:
        record(actor.id, "enrolment.request", course_id=course.id, email=email, role=role)
        return EnrolOutcome(email, enrolled=False)
    user = auth.get_by_email(email)
    if user is None:
        raise DomainError(f"No account uses the email {email}.")
    _not_self(actor, user)
    if enrolment_role(user.id, course.id) is not None:
        raise DomainError(f"{user.email} is already enrolled in this course.")
    enrol(user.id, course.id, role)
    _renew_sessions(user)
    record(actor.id, "enrolment.add", course_id=course.id, target=f"user:{user.id}", role=role)
    return EnrolOutcome(user.email, enrolled=True)


def _renew_sessions(user: User) -> None:
    # An admin's rights do not depend on a course role, and no course's
    # staff may sign an admin out.
    if not user.is_admin:
        auth.end_sessions(user)


def change_role(actor: User, course: Course, user: User, role: Role) -> None:
    """Give an enrolled person another role, ending their sessions. Flush only."""
    _not_self(actor, user)
    previous = enrolment_role(user.id, course.id)
    if previous == role:
        return
    enrol(user.id, course.id, role)
    _renew_sessions(user)
    record(
        actor.id,
        "enrolment.role",
        course_id=course.id,
        target=f"user:{user.id}",
        role=role,
        previous=previous,
    )


def unenrol(actor: User, course: Course, user: User) -> None:
    """Remove a person from the course and its calendar link; their work and sessions stay.

    Flush only.
    """
    _not_self(actor, user)
    db.session.execute(
        delete(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id)
    )
    # Else the old link would work again if the person were enrolled anew.
    revoke_feed(user.id, course.id)
    record(actor.id, "enrolment.remove", course_id=course.id, target=f"user:{user.id}")
    db.session.flush()


def change_group(actor: User, course: Course, user: User, group_name: str) -> None:
    """Put an enrolled person in a cohort group (or none when blank). Flush only."""
    group = set_group(user.id, course.id, group_name.strip() or None)
    record(
        actor.id,
        "enrolment.group",
        course_id=course.id,
        target=f"user:{user.id}",
        group=group.name if group else None,
    )


def _key_hash(key: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, key.strip().encode(), hashlib.sha256).hexdigest()


def has_key(course_id: int) -> bool:
    """Tell whether the course accepts self-enrolment with a key."""
    return (
        db.session.scalar(select(EnrolmentKey.id).where(EnrolmentKey.course_id == course_id))
        is not None
    )


def set_key(actor: User, course: Course, key: str) -> None:
    """Open the course to self-enrolment with this key, replacing any other. Flush only."""
    if len(key.strip()) < MIN_KEY_LENGTH:
        raise DomainError(f"The enrolment key must have at least {MIN_KEY_LENGTH} characters.")
    entry = db.session.scalar(select(EnrolmentKey).where(EnrolmentKey.course_id == course.id))
    if entry is None:
        entry = EnrolmentKey(course_id=course.id)
        db.session.add(entry)
    entry.key_hash = _key_hash(key)
    entry.set_by_id = actor.id
    entry.set_at = utcnow()
    record(actor.id, "enrolment.key_set", course_id=course.id, target=f"course:{course.id}")
    db.session.flush()


def clear_key(actor: User, course: Course) -> None:
    """Close the course to self-enrolment. Flush only."""
    db.session.execute(delete(EnrolmentKey).where(EnrolmentKey.course_id == course.id))
    record(actor.id, "enrolment.key_clear", course_id=course.id, target=f"course:{course.id}")
    db.session.flush()


def join_with_key(user: User, course_slug: str, key: str) -> Course:
    """Enrol the user as a learner when the key matches the course's. Flush only."""
    found = db.session.execute(
        select(Course, EnrolmentKey.key_hash)
        .join(EnrolmentKey, EnrolmentKey.course_id == Course.id)
        .where(Course.slug == course_slug.strip())
    ).first()
    # Compare even when the course is missing, so the answer takes as long either way.
    expected = found.key_hash if found else _key_hash(" no course ")
    if not hmac.compare_digest(expected, _key_hash(key)) or found is None:
        raise DomainError(JOIN_REFUSED)
    course = found.Course
    if enrolment_role(user.id, course.id) is not None:
        raise DomainError("You are already enrolled in this course.")
    enrol(user.id, course.id, Role.LEARNER)
    auth.end_sessions(user)
    record(user.id, "enrolment.self_join", course_id=course.id, target=f"user:{user.id}")
    return course
