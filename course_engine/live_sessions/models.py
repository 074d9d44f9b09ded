"""Live webinar sessions, attendance, viewers' time zones and private calendar feeds."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.extensions import Model


class LiveSession(Model):
    """The webinar of one live_session item."""

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime())  # naive UTC
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # The IANA zone the session is planned in, shown to those who chose none.
    timezone: Mapped[str] = mapped_column(String(64))
    join_url: Mapped[str] = mapped_column(String(500), default="")
    # Added by a facilitator after the session; a pack may also set it.
    recording_url: Mapped[str] = mapped_column(String(500), default="")
    description_html: Mapped[str] = mapped_column(Text, default="")


class TimeZonePreference(Model):
    """The zone a user wants times shown in."""

    __tablename__ = "time_zone_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str] = mapped_column(String(64))


class CalendarFeed(Model):
    """A user's private iCalendar link for one course: a random token, revocable."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())


class Attendance(Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime())
