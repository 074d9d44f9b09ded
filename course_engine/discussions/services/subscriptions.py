"""Subscriptions, read state, email preferences, notification fan-out and digests."""

from itertools import groupby
from typing import NamedTuple

from sqlalchemy import delete, select

from course_engine.auth.models import User
from course_engine.courses.models import Course, Enrolment
from course_engine.database import dialect_insert
from course_engine.discussions.models import (
    DigestEntry,
    DigestMode,
    DiscussionSettings,
    Forum,
    ForumKind,
    ForumSubscription,
    GroupMode,
    LinkTarget,
    Post,
    ReadState,
    Thread,
    ThreadSubscription,
    UnsubscribeLink,
)
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.notifications.services import Notification, notify_many
from course_engine.roles import Role
from course_engine.security import is_link_token, new_link_token
from course_engine.urls import absolute_url


def _upsert(model, keys: dict, values: dict) -> None:
    statement = dialect_insert(model).values(**keys, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))


def subscribe_thread(user_id: int, thread_id: int, subscribed: bool) -> None:
    """Subscribe the user to a thread's email, or unsubscribe them. Flush only."""
    _upsert(
        ThreadSubscription, {"user_id": user_id, "thread_id": thread_id}, {"subscribed": subscribed}
    )


def subscribe_forum(user_id: int, forum_id: int, subscribed: bool) -> None:
    """Subscribe the user to a forum's email, or unsubscribe them. Flush only."""
    _upsert(
        ForumSubscription, {"user_id": user_id, "forum_id": forum_id}, {"subscribed": subscribed}
    )


def forum_subscribed(user_id: int, forum: Forum) -> bool:
    """Tell whether the user gets the forum's email (announcements: unless they opted out)."""
    choice = db.session.scalar(
        select(ForumSubscription.subscribed).where(
            ForumSubscription.user_id == user_id, ForumSubscription.forum_id == forum.id
        )
    )
    return choice if choice is not None else forum.kind == ForumKind.ANNOUNCEMENTS


def thread_subscribed(user_id: int, thread_id: int) -> bool:
    """Tell whether the user follows the thread."""
    return bool(
        db.session.scalar(
            select(ThreadSubscription.subscribed).where(
                ThreadSubscription.user_id == user_id, ThreadSubscription.thread_id == thread_id
            )
        )
    )


def mark_read(user_id: int, thread_id: int, upto_post_id: int) -> None:
    """Record that the user has read the thread up to a post. Flush only."""
    _upsert(
        ReadState,
        {"user_id": user_id, "thread_id": thread_id},
        {"last_read_post_id": upto_post_id},
    )


def digest_mode(user_id: int) -> DigestMode:
    """Return how the user gets discussion email."""
    mode = db.session.scalar(
        select(DiscussionSettings.digest).where(DiscussionSettings.user_id == user_id)
    )
    return mode or DigestMode.PER_POST


def set_digest_mode(user_id: int, mode: DigestMode) -> None:
    """Choose per-post email or a daily digest. Flush only."""
    _upsert(DiscussionSettings, {"user_id": user_id}, {"digest": DigestMode(mode)})


def revoke_unsubscribe_links(user_id: int) -> None:
    """Make the unsubscribe links of emails already sent to the user stop working. Flush only."""
    db.session.execute(delete(UnsubscribeLink).where(UnsubscribeLink.user_id == user_id))


# Unsubscribe links ---------------------------------------------------------------------------


def unsubscribe_tokens(user_ids: list[int], target: LinkTarget, target_id: int) -> dict[int, str]:
    """Return each user's unsubscribe token for a thread or forum, making the missing ones.

    A token is random and names nothing by itself: only its row says whose
    email and which thread or forum it stops. Flush only.
    """
    if not user_ids:
        return {}
    found = select(UnsubscribeLink.user_id, UnsubscribeLink.token).where(
        UnsubscribeLink.user_id.in_(user_ids),
        UnsubscribeLink.target == target,
        UnsubscribeLink.target_id == target_id,
    )
    tokens = dict(db.session.execute(found).all())
    missing = [user_id for user_id in user_ids if user_id not in tokens]
    if missing:
        # Another request may make the same link at the same moment: its token wins.
        db.session.execute(
            dialect_insert(UnsubscribeLink).on_conflict_do_nothing(
                index_elements=["user_id", "target", "target_id"]
            ),
            [
                {
                    "token": new_link_token(),
                    "user_id": user_id,
                    "target": target,
                    "target_id": target_id,
                }
                for user_id in missing
            ],
        )
        tokens = dict(db.session.execute(found).all())
    return tokens


def unsubscribe_token(
    user_id: int, *, thread_id: int | None = None, forum_id: int | None = None
) -> str:
    """Return the token of the user's unsubscribe link for a thread or a forum. Flush only."""
    if thread_id is not None and forum_id is None:
        return unsubscribe_tokens([user_id], LinkTarget.THREAD, thread_id)[user_id]
    if forum_id is not None and thread_id is None:
        return unsubscribe_tokens([user_id], LinkTarget.FORUM, forum_id)[user_id]
    raise ValueError("give a thread or a forum")


class LinkSubject(NamedTuple):
    """What an unsubscribe link stops: a user's email about a thread or a forum."""

    user_id: int
    target: Thread | Forum

    @property
    def what(self) -> str:
        if isinstance(self.target, Thread):
            return f"the thread “{self.target.title}”"
        return f"the forum “{self.target.title}”"


def read_unsubscribe_token(token: str) -> LinkSubject:
    """Return what an unsubscribe token stops, or raise DomainError or NotFound."""
    link = None
    if is_link_token(token):
        link = db.session.scalar(select(UnsubscribeLink).where(UnsubscribeLink.token == token))
    if link is None:
        raise DomainError(
            "This unsubscribe link is not valid: it may have been cut, changed or cancelled. "
            "Sign in to change your subscriptions."
        )
    if link.target == LinkTarget.THREAD:
        thread = db.session.get(Thread, link.target_id)
        if thread is None:
            raise NotFound("That thread no longer exists.")
        return LinkSubject(link.user_id, thread)
    forum = db.session.get(Forum, link.target_id)
    if forum is None:
        raise NotFound("That forum no longer exists.")
    return LinkSubject(link.user_id, forum)


def unsubscribe_with_token(token: str) -> str:
    """Unsubscribe as the token's link says; return what from. Flush only."""
    link = read_unsubscribe_token(token)
    if isinstance(link.target, Thread):
        subscribe_thread(link.user_id, link.target.id, False)
    else:
        subscribe_forum(link.user_id, link.target.id, False)
    return link.what


# Fan-out ---------------------------------------------------------------------------------------


def recipients(forum: Forum, thread: Thread, author_id: int | None) -> list[int]:
    """Return who gets email about a new post in the thread: subscribers who may read it."""
    thread_choices = dict(
        db.session.execute(
            select(ThreadSubscription.user_id, ThreadSubscription.subscribed).where(
                ThreadSubscription.thread_id == thread.id
            )
        ).all()
    )
    forum_choices = dict(
        db.session.execute(
            select(ForumSubscription.user_id, ForumSubscription.subscribed).where(
                ForumSubscription.forum_id == forum.id
            )
        ).all()
    )
    members = {
        user_id: (role, group_id, is_admin)
        for user_id, role, group_id, is_admin in db.session.execute(
            select(Enrolment.user_id, Enrolment.role, Enrolment.group_id, User.is_admin)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.course_id == forum.course_id, User.active)
        )
    }
    everyone = forum.kind == ForumKind.ANNOUNCEMENTS
    chosen = []
    for user_id, (role, group_id, is_admin) in members.items():
        if user_id == author_id or thread_choices.get(user_id) is False:
            continue
        wants = thread_choices.get(user_id) or forum_choices.get(user_id, everyone)
        if not wants:
            continue
        staff = is_admin or role == Role.FACILITATOR
        if (
            forum.groups == GroupMode.SEPARATE
            and not staff
            and not thread.all_groups
            and group_id != thread.group_id
        ):
            continue
        chosen.append(user_id)
    return sorted(chosen)


def _readers_since(thread_id: int, post_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(ReadState.user_id).where(
                ReadState.thread_id == thread_id, ReadState.last_read_post_id >= post_id
            )
        )
    )


def fan_out(forum: Forum, thread: Thread, post: Post) -> None:
    """Queue email about a new post, or keep it for daily digests. Flush only."""
    users = recipients(forum, thread, post.author_id)
    if users:
        # Fan-out may run a while after posting: who has read the post since needs no email.
        users = sorted(set(users) - _readers_since(thread.id, post.id))
    if not users:
        return
    daily = set(
        db.session.scalars(
            select(DiscussionSettings.user_id).where(
                DiscussionSettings.user_id.in_(users),
                DiscussionSettings.digest == DigestMode.DAILY,
            )
        )
    )
    course = db.session.get_one(Course, forum.course_id)
    author = db.session.get(User, post.author_id) if post.author_id else None
    subject = f"[{course.title}] {thread.title}"
    link = absolute_url(
        "discussions.thread",
        course_slug=course.slug,
        thread_id=thread.id,
        _anchor=f"post-{post.id}",
    )
    emailed = [user_id for user_id in users if user_id not in daily]
    # Announcements are stopped forum by forum; other email thread by thread.
    if forum.kind == ForumKind.ANNOUNCEMENTS:
        tokens = unsubscribe_tokens(emailed, LinkTarget.FORUM, forum.id)
    else:
        tokens = unsubscribe_tokens(emailed, LinkTarget.THREAD, thread.id)
    messages = []
    for user_id in emailed:
        unsubscribe = absolute_url("discussions.unsubscribe", token=tokens[user_id])
        body = (
            f"{author.display_name if author else 'Someone'} wrote in “{thread.title}” "
            f"({forum.title}):\n\n{post.body}\n\nRead and reply: {link}\n\n"
            f"Stop these emails: {unsubscribe}\n"
        )
        messages.append(
            Notification(user_id, subject, body, f"discussions:post:{post.id}:user:{user_id}")
        )
    notify_many(messages)
    if daily:
        db.session.execute(
            dialect_insert(DigestEntry).on_conflict_do_nothing(
                index_elements=["user_id", "post_id"]
            ),
            [{"user_id": user_id, "post_id": post.id} for user_id in sorted(daily)],
        )


def send_digests() -> int:
    """Queue one digest email per user with waiting posts; return how many. Flush only."""
    rows = db.session.execute(
        select(DigestEntry.id, DigestEntry.user_id, Post, Thread.title, Course.title, Course.slug)
        .join(Post, Post.id == DigestEntry.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Course, Course.id == Thread.course_id)
        .order_by(DigestEntry.user_id, Post.id)
    ).all()
    messages: list[Notification] = []
    done: list[int] = []
    for user_id, user_rows in groupby(rows, key=lambda row: row[1]):
        entries = list(user_rows)
        done.extend(entry[0] for entry in entries)
        parts = [
            f"{course_title}: “{thread_title}”\n\n{post.body}\n\n"
            + absolute_url(
                "discussions.thread",
                course_slug=slug,
                thread_id=post.thread_id,
                _anchor=f"post-{post.id}",
            )
            for _, _, post, thread_title, course_title, slug in entries
            if not (post.hidden or post.withdrawn)
        ]
        if parts:
            settings = absolute_url("discussions.settings")
            body = "\n\n---\n\n".join(parts) + f"\n\nChange how you get these emails: {settings}\n"
            key = f"discussions:digest:{user_id}:{max(entry[0] for entry in entries)}"
            messages.append(
                Notification(user_id, f"Discussion digest: {len(parts)} new post(s)", body, key)
            )
    notify_many(messages)
    if done:
        db.session.execute(delete(DigestEntry).where(DigestEntry.id.in_(done)))
    return len(messages)
