"""Issued certificates."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.extensions import Model


class Certificate(Model):
    """A learner's certificate for a course; the unique constraint issues it once."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    # A random code, unrelated to any id, that the public verification page looks up.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    # What the certificate says, fixed at issue so the PDF never changes afterwards.
    holder_name: Mapped[str] = mapped_column(String(120))
    course_title: Mapped[str] = mapped_column(String(200))
    tracks: Mapped[list] = mapped_column(JSON, default=list)
    issued_at: Mapped[datetime] = mapped_column(DateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The rendered PDF in the certificates folder of the file store, once it has been drawn.
    pdf_name: Mapped[str | None] = mapped_column(String(32))

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
