"""Courses, their tracks, modules and items, enrolments and progress."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course_engine.database import value_enum
from course_engine.extensions import Model
from course_engine.roles import Role


class Course(Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    # Which tracks must be complete for the course to be complete.
    completion: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())

    tracks: Mapped[list["Track"]] = relationship(
        back_populates="course", order_by="Track.position", cascade="all, delete-orphan"
    )


class Track(Model):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The pack that declared the track: only that pack may archive it.
    pack_key: Mapped[str] = mapped_column(String(80))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    course: Mapped[Course] = relationship(back_populates="tracks")
    modules: Mapped[list["Module"]] = relationship(
        back_populates="track", order_by="Module.position", cascade="all, delete-orphan"
    )


class Module(Model):
    __tablename__ = "modules"
    # The position index lets a lesson find its neighbours without reading the whole track.
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        Index("ix_modules_track_id_position", "track_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    track: Mapped[Track] = relationship(back_populates="modules")
    items: Mapped[list["Item"]] = relationship(
        back_populates="module", order_by="Item.position", cascade="all, delete-orphan"
    )


class Item(Model):
    """One step of a module; its kind names the domain that owns its activity."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        Index("ix_items_module_id_position", "module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Markdown source and its sanitised rendering, for kinds with a body of text.
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    reading_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # The item's entry in the pack manifest, kept for export and for kinds
    # whose domain stores its settings here.
    spec: Mapped[dict] = mapped_column(JSON, default=dict)
    # The pack that declared the item, for resolving its relative paths.
    pack_key: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # The items before and after this one in its track as learners read it,
    # archived ones left out. Stored by each import, which alone orders and
    # archives items, so the busiest page reads them with the item itself.
    # Plain ids: items are never deleted but with their whole course.
    previous_item_id: Mapped[int | None] = mapped_column(Integer)
    next_item_id: Mapped[int | None] = mapped_column(Integer)

    module: Mapped[Module] = relationship(back_populates="items")


class CohortGroup(Model):
    """A small peer group within a course's cohort."""

    __tablename__ = "cohort_groups"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))


class Enrolment(Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(value_enum(Role, "course_role"))
    last_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort_groups.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())


class ProgressStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ItemProgress(Model):
    __tablename__ = "item_progress"
    __table_args__ = (UniqueConstraint("user_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    status: Mapped[ProgressStatus] = mapped_column(value_enum(ProgressStatus, "progress_status"))
    updated_at: Mapped[datetime] = mapped_column(DateTime())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime())


class PackAsset(Model):
    """A file from a course pack, kept in the database so that an import is one transaction.

    Every file is kept (an export rebuilds the pack from them), but members
    may fetch only the public ones: what lessons and activity texts link to.
    """

    __tablename__ = "pack_assets"
    __table_args__ = (UniqueConstraint("course_id", "pack_key", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    pack_key: Mapped[str] = mapped_column(String(80))
    path: Mapped[str] = mapped_column(String(400))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Pack(Model):
    """A pack imported into a course: the course's own, or one that extends it."""

    __tablename__ = "packs"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    manifest: Mapped[dict] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime())
