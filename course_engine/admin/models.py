"""Self-enrolment keys: one per course, stored only as a keyed hash."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.extensions import Model


class EnrolmentKey(Model):
    __tablename__ = "enrolment_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), unique=True
    )
    # HMAC-SHA256 of the key under the app's secret key: a leaked table reveals no key.
    key_hash: Mapped[str] = mapped_column(String(64))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(DateTime())
