"""Facilitators' moderation: pin, lock, hide, move, delete; reports from anyone. All audited."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from course_engine.audit.services import record
from course_engine.auth.models import User
from course_engine.database import rows_changed, utcnow
from course_engine.discussions.models import Attachment, Forum, Post, PostReport, Thread
from course_engine.discussions.services.access import ForumReader
from course_engine.errors import Conflict, DomainError, NotFound
from course_engine.extensions import db

THREAD_ACTIONS = ("pin", "unpin", "lock", "unlock", "move", "delete")
POST_ACTIONS = ("hide", "restore")
MAX_REASON = 500


def _require_staff(viewer: ForumReader) -> None:
    if not viewer.staff:
        raise NotFound("There is nothing here, or you do not have access to it.")


def moderate_thread(
    viewer: ForumReader, thread: Thread, action: str, target_forum_id: int | None = None
) -> list[str]:
    """Apply a moderation action to a thread; return stored files to remove after commit."""
    _require_staff(viewer)
    if action not in THREAD_ACTIONS:
        raise DomainError("Unknown moderation action.")
    details: dict[str, str | int] = {"title": thread.title}
    files: list[str] = []
    if action in ("pin", "unpin"):
        thread.pinned = action == "pin"
    elif action in ("lock", "unlock"):
        thread.locked = action == "lock"
    elif action == "move":
        target = db.session.get(Forum, target_forum_id) if target_forum_id else None
        if target is None or target.course_id != thread.course_id or target.archived:
            raise DomainError("Choose a forum of this course to move the thread to.")
        details.update(from_forum=thread.forum_id, to_forum=target.id)
        thread.forum_id = target.id
    else:
        files = list(
            db.session.scalars(
                select(Attachment.stored_name)
                .join(Post, Post.id == Attachment.post_id)
                .where(Post.thread_id == thread.id)
            )
        )
        details["posts"] = thread.post_count
        db.session.delete(thread)
    record(
        viewer.user_id,
        f"discussions.thread.{action}",
        course_id=viewer.course_id,
        target=f"thread:{thread.id}",
        **details,
    )
    db.session.flush()
    return files


def moderate_post(viewer: ForumReader, post: Post, action: str) -> Post:
    """Hide a post from learners, or restore it, as one conditional update. Flush only."""
    _require_staff(viewer)
    if action not in POST_ACTIONS:
        raise DomainError("Unknown moderation action.")
    hide = action == "hide"
    changed = rows_changed(
        update(Post)
        .where(Post.id == post.id, Post.hidden.is_(not hide))
        .values(hidden=hide)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        raise Conflict("The post is already hidden." if hide else "The post is not hidden.")
    db.session.refresh(post)
    record(
        viewer.user_id,
        f"discussions.post.{action}",
        course_id=viewer.course_id,
        target=f"post:{post.id}",
        thread=post.thread_id,
    )
    return post


def report_post(viewer: ForumReader, post: Post, reason: str) -> PostReport:
    """Report a post to the facilitators, once per person. Flush only."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("Say briefly what is wrong with the post.")
    if len(reason) > MAX_REASON:
        raise DomainError(f"Keep the reason under {MAX_REASON} characters.")
    existing = db.session.scalar(
        select(PostReport).where(
            PostReport.post_id == post.id, PostReport.reporter_id == viewer.user_id
        )
    )
    if existing is not None:
        raise Conflict("You have already reported this post; the facilitators will look at it.")
    report = PostReport(
        post_id=post.id,
        course_id=viewer.course_id,
        reporter_id=viewer.user_id,
        reason=reason,
        created_at=utcnow(),
    )
    db.session.add(report)
    db.session.flush()
    record(
        viewer.user_id,
        "discussions.post.report",
        course_id=viewer.course_id,
        target=f"post:{post.id}",
        report=report.id,
    )
    return report


@dataclass
class ReportRow:
    report: PostReport
    post: Post
    thread_title: str
    reporter: str
    created_at: datetime


def open_reports(viewer: ForumReader) -> list[ReportRow]:
    """Return the course's unresolved reports, oldest first."""
    _require_staff(viewer)
    rows = db.session.execute(
        select(PostReport, Post, Thread.title, User.display_name)
        .join(Post, Post.id == PostReport.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(User, User.id == PostReport.reporter_id)
        .where(PostReport.course_id == viewer.course_id, PostReport.resolved_at.is_(None))
        .order_by(PostReport.id)
    )
    return [ReportRow(r, post, title, name, r.created_at) for r, post, title, name in rows]


def resolve_report(viewer: ForumReader, report_id: int) -> PostReport:
    """Mark a report as dealt with. Flush only."""
    _require_staff(viewer)
    report = db.session.get(PostReport, report_id)
    if report is None or report.course_id != viewer.course_id:
        raise NotFound("There is no such report in this course.")
    resolved = rows_changed(
        update(PostReport)
        .where(PostReport.id == report.id, PostReport.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by=viewer.user_id)
        .execution_options(synchronize_session=False)
    )
    if not resolved:
        raise Conflict("Someone already resolved this report.")
    db.session.refresh(report)
    record(
        viewer.user_id,
        "discussions.report.resolve",
        course_id=viewer.course_id,
        target=f"post:{report.post_id}",
        report=report.id,
    )
    return report
