"""Starting threads, replying, editing and withdrawing posts, with attachments."""

from dataclasses import dataclass
from datetime import timedelta

import filetype
from flask import current_app
from sqlalchemy import func, select, update

from course_engine.courses.models import Item, ProgressStatus
from course_engine.courses.progress import set_status
from course_engine.database import utcnow
from course_engine.discussions import storage
from course_engine.discussions.jobs import fan_out_post
from course_engine.discussions.models import Attachment, Forum, ForumKind, GroupMode, Post, Thread
from course_engine.discussions.services import subscriptions
from course_engine.discussions.services.access import ForumReader, can_reply, can_start_thread
from course_engine.discussions.services.reading import first_post_id
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.jobs import enqueue_after_commit
from course_engine.rendering import render_markdown

MAX_TITLE = 200
DEFAULT_MAX_BODY = 20_000
DEFAULT_MAX_ATTACHMENT = 5 * 1024 * 1024
DEFAULT_EDIT_MINUTES = 30
ATTACHMENT_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


@dataclass(frozen=True)
class Upload:
    """A file sent with a post: its bytes and the name the sender gave it."""

    filename: str
    data: bytes


def max_body() -> int:
    return current_app.config.get("DISCUSSION_MAX_POST_CHARS", DEFAULT_MAX_BODY)


def edit_minutes() -> int:
    return current_app.config.get("DISCUSSION_EDIT_MINUTES", DEFAULT_EDIT_MINUTES)


def clean_body(body: str) -> str:
    """Return the post text, or raise DomainError when it is empty or too long."""
    body = (body or "").strip()
    if not body:
        raise DomainError("Write something before posting.")
    if len(body) > max_body():
        raise DomainError(f"A post can be at most {max_body():,} characters long.")
    return body


def clean_title(title: str) -> str:
    """Return the thread title, or raise DomainError when it is empty or too long."""
    title = " ".join((title or "").split())
    if not title:
        raise DomainError("Give the thread a title.")
    if len(title) > MAX_TITLE:
        raise DomainError(f"A title can be at most {MAX_TITLE} characters long.")
    return title


def check_upload(upload: Upload) -> str:
    """Return the upload's content type sniffed from its bytes, or raise DomainError."""
    limit = current_app.config.get("DISCUSSION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_ATTACHMENT)
    if not upload.data:
        raise DomainError("The attached file is empty.")
    if len(upload.data) > limit:
        size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
        raise DomainError(f"An attachment can be at most {size}.")
    kind = filetype.guess(upload.data)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise DomainError("Attach an image (PNG, JPEG, GIF, WebP) or a PDF file.")
    return kind.mime


def _display_name(filename: str, content_type: str) -> str:
    name = "".join(
        ch for ch in (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if ch.isprintable()
    )
    name = name.strip(". ")[:150]
    return name or ("attachment.pdf" if content_type == "application/pdf" else "image")


def _attach(post: Post, upload: Upload | None, content_type: str | None) -> None:
    """Store the upload, of the content type check_upload found, as the post's attachment."""
    if upload is None or content_type is None:
        return
    stored = storage.save(upload.data)
    db.session.add(
        Attachment(
            post_id=post.id,
            stored_name=stored,
            original_name=_display_name(upload.filename, content_type),
            content_type=content_type,
            size=len(upload.data),
        )
    )


def _render(body: str) -> str:
    return str(render_markdown(body))


def _after_post(viewer: ForumReader, forum: Forum, thread: Thread, post: Post) -> None:
    subscriptions.subscribe_thread(viewer.user_id, thread.id, True)
    subscriptions.mark_read(viewer.user_id, thread.id, post.id)
    enqueue_after_commit(fan_out_post, post.id)
    _check_completion(viewer, forum)


def _check_completion(viewer: ForumReader, forum: Forum) -> None:
    if forum.kind != ForumKind.ITEM or forum.completion_posts <= 0 or forum.item_id is None:
        return
    count = db.session.execute(
        select(func.count(Post.id))
        .join(Thread, Thread.id == Post.thread_id)
        .where(Thread.forum_id == forum.id, Post.author_id == viewer.user_id, ~Post.withdrawn)
    ).scalar_one()
    item = db.session.get(Item, forum.item_id)
    if count >= forum.completion_posts and item is not None and not item.archived:
        set_status(viewer.user_id, item, ProgressStatus.DONE)


def start_thread(
    viewer: ForumReader, forum: Forum, title: str, body: str, upload: Upload | None = None
) -> Thread:
    """Start a thread with its first post. Flush only."""
    if not can_start_thread(viewer, forum):
        raise NotFound("You cannot start a thread in this forum.")
    title, body = clean_title(title), clean_body(body)
    content_type = check_upload(upload) if upload else None
    now = utcnow()
    separate = forum.groups == GroupMode.SEPARATE
    thread = Thread(
        forum_id=forum.id,
        course_id=forum.course_id,
        group_id=viewer.group_id if separate and not viewer.staff else None,
        all_groups=viewer.staff,
        author_id=viewer.user_id,
        title=title,
        post_count=1,
        created_at=now,
        last_post_at=now,
    )
    db.session.add(thread)
    db.session.flush()
    post = Post(
        thread_id=thread.id,
        course_id=forum.course_id,
        author_id=viewer.user_id,
        body=body,
        body_html=_render(body),
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    thread.last_post_id = post.id
    _attach(post, upload, content_type)
    db.session.flush()
    _after_post(viewer, forum, thread, post)
    return thread


def reply(
    viewer: ForumReader,
    forum: Forum,
    thread: Thread,
    body: str,
    parent_id: int | None = None,
    upload: Upload | None = None,
) -> Post:
    """Add a reply to the thread, under the post it answers. Flush only."""
    if not can_reply(viewer, forum, thread):
        raise NotFound("You cannot reply in this thread.")
    if thread.locked and not viewer.staff:
        raise DomainError("This thread is locked: it takes no new replies.")
    parent = None
    if parent_id is not None:
        parent = db.session.get(Post, parent_id)
        if parent is None or parent.thread_id != thread.id:
            raise NotFound("There is no such post in this thread.")
        if parent.hidden or parent.withdrawn:
            raise DomainError("You cannot reply to a post that is hidden or withdrawn.")
    body = clean_body(body)
    content_type = check_upload(upload) if upload else None
    # Replies to the opening post are top-level; deeper ones sort under their top-level reply.
    root_id = None
    if parent is not None and parent.id != first_post_id(thread.id):
        root_id = parent.root_id or parent.id
    now = utcnow()
    post = Post(
        thread_id=thread.id,
        course_id=thread.course_id,
        author_id=viewer.user_id,
        parent_id=parent.id if parent else None,
        root_id=root_id,
        body=body,
        body_html=_render(body),
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    _attach(post, upload, content_type)
    db.session.flush()
    _after_post(viewer, forum, thread, post)
    # One UPDATE, so replies posted at once all count; sent last, because it locks the
    # thread's row until the commit, and every reply to the thread waits for that lock.
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(
            post_count=Thread.post_count + 1,
            last_post_at=now,
            last_post_id=func.max(Thread.last_post_id, post.id)
            if db.engine.dialect.name == "sqlite"
            else func.greatest(Thread.last_post_id, post.id),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(thread)
    return post


def _own_post(viewer: ForumReader, post: Post) -> None:
    if post.author_id != viewer.user_id:
        raise NotFound("There is no such post of yours.")
    if post.withdrawn:
        raise DomainError("This post was withdrawn.")
    if post.hidden:
        raise DomainError("A facilitator hid this post; it cannot be changed.")


def can_still_edit(post: Post) -> bool:
    """Tell whether the post is still inside its edit window."""
    return utcnow() - post.created_at <= timedelta(minutes=edit_minutes())


def edit_post(viewer: ForumReader, post: Post, body: str) -> Post:
    """Change the text of one's own post within the edit window. Flush only."""
    _own_post(viewer, post)
    if not can_still_edit(post):
        raise DomainError(
            f"Posts can be edited only within {edit_minutes()} minutes of posting; "
            "this one can no longer be changed."
        )
    post.body = clean_body(body)
    post.body_html = _render(post.body)
    post.edited_at = utcnow()
    db.session.flush()
    return post


def withdraw_post(viewer: ForumReader, post: Post) -> Post:
    """Withdraw one's own post: its text is no longer shown. Flush only."""
    _own_post(viewer, post)
    post.withdrawn = True
    db.session.flush()
    return post
