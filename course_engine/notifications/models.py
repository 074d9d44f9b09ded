"""The queue of outgoing notification emails."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.database import value_enum
from course_engine.extensions import Model


class EmailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class QueuedEmail(Model):
    """One email to one user; its dedupe key makes a second queueing a no-op."""

    __tablename__ = "queued_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(
        value_enum(EmailStatus, "email_status"),
        default=EmailStatus.QUEUED,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime())
    # When a sender took it: a row still "sending" long after was left by a sender that stopped.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime())
