"""Live session rules: loading from packs, recordings, time zones, feeds and attendance."""

import csv
import io
from datetime import datetime, timedelta

from sqlalchemy import select

from course_engine.auth.models import User
from course_engine.courses.models import Enrolment, Item, ProgressStatus
from course_engine.courses.progress import set_status, withdraw_completion
from course_engine.courses.services import enrolment_role
from course_engine.database import utcnow
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.inputs import csv_refusals
from course_engine.live_sessions.models import (
    Attendance,
    CalendarFeed,
    LiveSession,
    TimeZonePreference,
)
from course_engine.live_sessions.times import is_https, zone
from course_engine.roles import Role
from course_engine.security import is_link_token, new_link_token

TRUE_WORDS = {"yes", "y", "true", "1", "attended", "present"}
FALSE_WORDS = {"no", "n", "false", "0", "absent"}


def load_session(item: Item, *, recording_url: str | None, **values) -> LiveSession:
    """Create or update the item's session; a recording added on the site stays unless the
    pack gives one."""
    session = db.session.scalar(select(LiveSession).where(LiveSession.item_id == item.id))
    if session is None:
        session = LiveSession(item_id=item.id, course_id=item.course_id)
        db.session.add(session)
    for name, value in values.items():
        setattr(session, name, value)
    if recording_url is not None:
        session.recording_url = recording_url
    db.session.flush()
    return session


def session_of(item: Item) -> LiveSession:
    """Return the item's session, or raise NotFound."""
    session = db.session.scalar(select(LiveSession).where(LiveSession.item_id == item.id))
    if session is None:
        raise NotFound("This session has not been set up.")
    return session


def set_recording(session: LiveSession, url: str) -> None:
    """Set (or clear, with "") the link to the session's recording."""
    url = url.strip()
    if url and not is_https(url):
        raise DomainError("The recording link must start with https://.")
    session.recording_url = url
    db.session.flush()


def preferred_zone(user_id: int) -> str | None:
    """Return the zone the user chose, or None."""
    return db.session.scalar(
        select(TimeZonePreference.timezone).where(TimeZonePreference.user_id == user_id)
    )


def set_preferred_zone(user_id: int, name: str) -> None:
    """Remember the user's zone; an empty name means each session's own zone."""
    preference = db.session.get(TimeZonePreference, user_id)
    if not name:
        if preference is not None:
            db.session.delete(preference)
        db.session.flush()
        return
    if zone(name) is None:
        raise DomainError(f"'{name}' is not a time zone.")
    if preference is None:
        db.session.add(TimeZonePreference(user_id=user_id, timezone=name))
    else:
        preference.timezone = name
    db.session.flush()


def feed_of(user_id: int, course_id: int) -> CalendarFeed | None:
    """Return the user's calendar link for the course, if they made one."""
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user_id, CalendarFeed.course_id == course_id
        )
    )


def new_feed_token(user_id: int, course_id: int) -> CalendarFeed:
    """Make a new random link for the user's course calendar; the old one stops working."""
    feed = feed_of(user_id, course_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id, course_id=course_id)
        db.session.add(feed)
    feed.token = new_link_token()
    feed.created_at = utcnow()
    db.session.flush()
    return feed


def revoke_feed(user_id: int, course_id: int) -> None:
    """Turn the user's calendar link off."""
    feed = feed_of(user_id, course_id)
    if feed is not None:
        db.session.delete(feed)
        db.session.flush()


def feed_by_token(token: str) -> tuple[CalendarFeed, User]:
    """Return the feed and its user for a token, or raise NotFound (also for people who left)."""
    if not is_link_token(token):
        raise NotFound("There is no such calendar.")
    row = db.session.execute(
        select(CalendarFeed, User)
        .join(User, User.id == CalendarFeed.user_id)
        .where(CalendarFeed.token == token)
    ).first()
    if row is None:
        raise NotFound("There is no such calendar.")
    feed, user = row
    if not user.active or (not user.is_admin and enrolment_role(user.id, feed.course_id) is None):
        raise NotFound("There is no such calendar.")
    return feed, user


def learners(course_id: int) -> list[User]:
    """Return the course's learners by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == course_id, Enrolment.role == Role.LEARNER)
            .order_by(User.display_name, User.id)
        )
    )


def attendance_of(session: LiveSession) -> dict[int, bool]:
    """Return {user id: attended} for everyone recorded."""
    return dict(
        db.session.execute(
            select(Attendance.user_id, Attendance.attended).where(
                Attendance.session_id == session.id
            )
        ).all()
    )


def record_attendance(
    session: LiveSession, item: Item, marks: dict[int, bool], recorded_by: int
) -> None:
    """Record who attended; attendance completes the item when it is required."""
    allowed = {user.id for user in learners(session.course_id)}
    if strangers := set(marks) - allowed:
        raise DomainError(f"{len(strangers)} of the people marked are not learners in this course.")
    existing = {
        row.user_id: row
        for row in db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    }
    now = utcnow()
    for user_id, attended in marks.items():
        row = existing.get(user_id)
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id)
            db.session.add(row)
        corrected = row.attended and not attended
        if row.attended != attended:
            row.attended, row.recorded_by, row.recorded_at = attended, recorded_by, now
        if attended and item.required and not item.archived:
            set_status(user_id, item, ProgressStatus.DONE)
        elif corrected:
            # Attendance alone completes a session: a corrected record takes it back.
            withdraw_completion(user_id, item)
    db.session.flush()


class AttendanceCsvInvalid(DomainError):
    """The attendance file has problems; nothing was recorded."""

    def __init__(self, problems: list[str]):
        super().__init__(f"The file has {len(problems)} problem(s); no attendance was recorded.")
        self.problems = problems


def parse_attendance_csv(course_id: int, data: bytes) -> dict[int, bool]:
    """Read an `email,attended` file into {user id: attended}, all or nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AttendanceCsvInvalid(["line 1: the file is not UTF-8 text"]) from None
    reader = csv.DictReader(io.StringIO(text))
    with csv_refusals(reader, AttendanceCsvInvalid):
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if "email" not in header or "attended" not in header:
            raise AttendanceCsvInvalid(["line 1: the first line must be the header email,attended"])
        reader.fieldnames = header
        by_email = {user.email: user.id for user in learners(course_id)}
        marks: dict[int, bool] = {}
        first_line: dict[str, int] = {}
        problems = []
        for row in reader:
            line = reader.line_num
            email = (row.get("email") or "").strip().lower()
            word = (row.get("attended") or "").strip().lower()
            if not email and not word:
                continue
            if email not in by_email:
                problems.append(f"line {line}: no learner with the email '{email}' in this course")
            elif email in first_line:
                problems.append(
                    f"line {line}: '{email}' is listed twice (first on line {first_line[email]})"
                )
            elif word not in TRUE_WORDS | FALSE_WORDS:
                problems.append(f"line {line}: attended must be yes or no, not '{word}'")
            else:
                marks[by_email[email]] = word in TRUE_WORDS
            first_line.setdefault(email, line)
    if problems:
        raise AttendanceCsvInvalid(problems)
    if not marks:
        raise AttendanceCsvInvalid(["the file lists no learners"])
    return marks


def ends_at(session: LiveSession) -> datetime:
    """Return when the session ends, naive UTC."""
    return session.starts_at + timedelta(minutes=session.duration_minutes)
