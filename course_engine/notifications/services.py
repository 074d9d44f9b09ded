"""Queueing notification emails and sending them, outside the web request.

Any domain calls `notify()` (or `notify_many()`) inside its transaction.
The row is the source of truth: once the transaction commits, the email is
handed to an RQ job when REDIS_URL is set; otherwise, and whenever Redis is
unreachable, `course-engine notifications send` drains the queued rows.
Sending claims a row with a conditional UPDATE, so a job that runs twice,
or a job racing the drain command, sends the email once. A row left
"sending" by a sender that stopped (a crash, a killed worker) is never sent
again, since the mail server may already have taken it: once SENDING_TIMEOUT
has passed, the drain marks it failed and reports it as not sent.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from course_engine.auth.models import User
from course_engine.database import dialect_insert, rows_changed, utcnow
from course_engine.extensions import db
from course_engine.extras import extra_missing
from course_engine.mail import send_email
from course_engine.notifications.models import EmailStatus, QueuedEmail

log = logging.getLogger("course_engine.notifications")

MAX_ATTEMPTS = 3
# Far longer than one SMTP exchange (course_engine.mail gives up after 10 s).
SENDING_TIMEOUT = timedelta(minutes=15)
DEFAULT_QUEUE = "course-engine-email"
_PENDING = "notifications_pending_ids"


@dataclass(frozen=True)
class Notification:
    """One email to queue for one user."""

    user_id: int
    subject: str
    body: str
    dedupe_key: str


def notify(user_id: int, subject: str, body: str, *, dedupe_key: str) -> int | None:
    """Queue one email to the user; return its id, or None if the dedupe key was queued before."""
    ids = notify_many([Notification(user_id, subject, body, dedupe_key)])
    return ids[0] if ids else None


def notify_many(notifications: Iterable[Notification]) -> list[int]:
    """Queue several emails in one statement; return the ids of those newly queued. Flush only."""
    now = utcnow()
    rows = [
        {
            "user_id": n.user_id,
            "subject": n.subject[:300],
            "body": n.body,
            "dedupe_key": n.dedupe_key,
            "status": EmailStatus.QUEUED,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
        }
        for n in notifications
    ]
    if not rows:
        return []
    statement = (
        dialect_insert(QueuedEmail)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(QueuedEmail.id)
    )
    # Rows as parameters rather than in .values(): the statement then compiles once and
    # is cached, where a VALUES list compiles anew for every number of recipients.
    ids = list(db.session.scalars(statement, rows))
    db.session.info.setdefault(_PENDING, []).extend(ids)
    return ids


def _enqueue_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if ids:
        enqueue(ids)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def listen_to_commits() -> None:
    """Hand queued emails to RQ once their transaction commits; safe to call for every app."""
    # The listeners sit on the Session class, shared by every app of the process.
    if not event.contains(Session, "after_commit", _enqueue_after_commit):
        event.listen(Session, "after_commit", _enqueue_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)


def queue_name() -> str:
    """Return the RQ queue that carries this site's emails."""
    return current_app.config.get("NOTIFICATIONS_QUEUE") or DEFAULT_QUEUE


def rq_queue():
    """Return the RQ queue when REDIS_URL is set, else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    try:
        from redis import Redis
        from rq import Queue
    except ImportError as error:
        raise extra_missing("redis", error) from error

    return Queue(queue_name(), connection=Redis.from_url(url))


def enqueue(email_ids: list[int]) -> None:
    """Hand committed emails to RQ; without Redis they wait for the drain command."""
    try:
        queue = rq_queue()
        if queue is None:
            return
        for email_id in email_ids:
            queue.enqueue("course_engine.notifications.jobs.send_job", email_id)
    except Exception:  # the rows stay queued; `notifications send` delivers them
        log.exception(
            "Could not enqueue %d email(s); they stay in the database queue", len(email_ids)
        )


def _claim(email_id: int) -> bool:
    """Take the email for sending, unless someone else already did."""
    claimed = rows_changed(
        update(QueuedEmail)
        .where(QueuedEmail.id == email_id, QueuedEmail.status == EmailStatus.QUEUED)
        .values(status=EmailStatus.SENDING, attempts=QueuedEmail.attempts + 1, claimed_at=utcnow())
    )
    db.session.commit()
    return claimed == 1


def send_queued(email_id: int) -> bool:
    """Send one queued email; return whether it went out. Commits its own state changes."""
    if not _claim(email_id):
        return False
    email = db.session.get_one(QueuedEmail, email_id)
    address = db.session.execute(select(User.email).where(User.id == email.user_id)).scalar_one()
    try:
        send_email(address, email.subject, email.body)
    except Exception as error:  # a failed send is recorded and retried later
        email.status = EmailStatus.FAILED if email.attempts >= MAX_ATTEMPTS else EmailStatus.QUEUED
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()
        log.warning("Email %s not sent: %s", email_id, email.last_error)
        return False
    email.status = EmailStatus.SENT
    email.sent_at = utcnow()
    email.last_error = ""
    db.session.commit()
    return True


def send_pending(limit: int | None = None) -> tuple[int, int]:
    """Try each queued email once, oldest first; return (sent, not sent).

    Emails whose sender stopped while sending them count as not sent: they
    are marked failed, not tried again (no email is ever sent twice).
    """
    stopped = rows_changed(
        update(QueuedEmail)
        .where(
            QueuedEmail.status == EmailStatus.SENDING,
            QueuedEmail.claimed_at < utcnow() - SENDING_TIMEOUT,
        )
        .values(
            status=EmailStatus.FAILED,
            last_error="The sender stopped while sending it; it may have gone out, "
            "so it is not sent again.",
        )
    )
    query = (
        select(QueuedEmail.id)
        .where(QueuedEmail.status == EmailStatus.QUEUED)
        .order_by(QueuedEmail.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(query))
    db.session.commit()
    sent = sum(send_queued(email_id) for email_id in ids)
    return sent, len(ids) - sent + stopped
