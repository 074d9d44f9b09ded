"""Forums, threads, posts and what each reader keeps about them."""

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from course_engine.database import value_enum
from course_engine.extensions import Model


class ForumKind(enum.StrEnum):
    ITEM = "item"
    GENERAL = "general"
    ANNOUNCEMENTS = "announcements"


class GroupMode(enum.StrEnum):
    NONE = "none"
    SEPARATE = "separate"


class DigestMode(enum.StrEnum):
    PER_POST = "per_post"
    DAILY = "daily"


class Forum(Model):
    """A course's place for threads: one per discussion item, plus general and announcements."""

    __tablename__ = "forums"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    # "general", "announcements" or "item-<item id>": one forum per role in a course.
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[ForumKind] = mapped_column(value_enum(ForumKind, "forum_kind"))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    groups: Mapped[GroupMode] = mapped_column(value_enum(GroupMode, "forum_groups"))
    completion_posts: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Thread(Model):
    __tablename__ = "threads"
    __table_args__ = (Index("ix_threads_forum_activity", "forum_id", "pinned", "last_post_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    # The peer group that sees the thread in a separate-groups forum; staff
    # threads are for every group.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort_groups.id", ondelete="SET NULL")
    )
    all_groups: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_id: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    last_post_at: Mapped[datetime] = mapped_column(DateTime())


class Post(Model):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_thread_order", "thread_id", "root_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    # The top-level reply this post belongs to (None: it is one), so a page
    # lists each reply followed by the replies to it.
    root_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    edited_at: Mapped[datetime | None] = mapped_column(DateTime())


class Attachment(Model):
    __tablename__ = "post_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)


class PostReport(Model):
    __tablename__ = "post_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReadState(Model):
    """How far a user has read a thread."""

    __tablename__ = "thread_reads"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)


class ForumSubscription(Model):
    """A user's choice about a forum's email; announcements count as subscribed by default."""

    __tablename__ = "forum_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "forum_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    subscribed: Mapped[bool] = mapped_column(Boolean)


class ThreadSubscription(Model):
    __tablename__ = "thread_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    subscribed: Mapped[bool] = mapped_column(Boolean)


class DiscussionSettings(Model):
    """A user's email preference for discussions."""

    __tablename__ = "discussion_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[DigestMode] = mapped_column(
        value_enum(DigestMode, "digest_mode"), default=DigestMode.PER_POST
    )


class LinkTarget(enum.StrEnum):
    THREAD = "thread"
    FORUM = "forum"


class UnsubscribeLink(Model):
    """The random token of a user's unsubscribe link for a thread's or a forum's email.

    One per user and thread (or forum), carried by every email about it, so
    the table grows with subscriptions, not with email sent. Deleting a user's
    links cancels those already sent; the next emails carry new ones.
    """

    __tablename__ = "unsubscribe_links"
    __table_args__ = (UniqueConstraint("user_id", "target", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target: Mapped[LinkTarget] = mapped_column(value_enum(LinkTarget, "unsubscribe_target"))
    # The thread's or the forum's id, as target says.
    target_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now())


class DigestEntry(Model):
    """A post waiting for a user's next daily digest."""

    __tablename__ = "digest_entries"
    __table_args__ = (UniqueConstraint("user_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
