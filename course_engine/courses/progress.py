"""Learner progress: statuses per item, the place to resume from, and completion."""

from sqlalchemy import and_, select, update

from course_engine.courses.models import Enrolment, Item, ItemProgress, ProgressStatus
from course_engine.courses.outline import ItemVisit
from course_engine.database import utcnow
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.packs import registry


def statuses(user_id: int, course_id: int) -> dict[int, ProgressStatus]:
    """Return the user's progress status per item of the course."""
    rows = db.session.execute(
        select(ItemProgress.item_id, ItemProgress.status).where(
            ItemProgress.user_id == user_id, ItemProgress.course_id == course_id
        )
    )
    return dict(rows.all())


def item_status(user_id: int, item_id: int) -> ProgressStatus | None:
    """Return the user's status on one item."""
    return db.session.scalar(
        select(ItemProgress.status).where(
            ItemProgress.user_id == user_id, ItemProgress.item_id == item_id
        )
    )


def record_visit(user_id: int, item: Item | ItemVisit) -> None:
    """Remember the item as the place to resume from."""
    db.session.execute(
        update(Enrolment)
        .where(
            Enrolment.user_id == user_id,
            Enrolment.course_id == item.course_id,
            and_(Enrolment.last_item_id.is_distinct_from(item.id)),
        )
        .values(last_item_id=item.id)
        .execution_options(synchronize_session=False)
    )


def set_status(user_id: int, item: Item, status: ProgressStatus) -> ItemProgress:
    """Record progress on an item; done is never taken back by in-progress."""
    if item.archived:
        raise DomainError("This item is archived.")
    progress = db.session.scalar(
        select(ItemProgress).where(ItemProgress.user_id == user_id, ItemProgress.item_id == item.id)
    )
    now = utcnow()
    if progress is None:
        progress = ItemProgress(
            user_id=user_id,
            item_id=item.id,
            course_id=item.course_id,
            status=status,
            updated_at=now,
        )
        db.session.add(progress)
    elif progress.status == ProgressStatus.DONE and status == ProgressStatus.IN_PROGRESS:
        return progress
    progress.status = status
    progress.updated_at = now
    if status == ProgressStatus.DONE and progress.completed_at is None:
        progress.completed_at = now
    db.session.flush()
    return progress


def withdraw_completion(user_id: int, item: Item) -> None:
    """Take back an item's completion when what earned it was recorded in error."""
    db.session.execute(
        update(ItemProgress)
        .where(
            ItemProgress.user_id == user_id,
            ItemProgress.item_id == item.id,
            ItemProgress.status == ProgressStatus.DONE,
        )
        .values(status=ProgressStatus.IN_PROGRESS, completed_at=None, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def can_mark_done(kind_name: str) -> bool:
    """Tell whether a person may mark items of this kind done by hand."""
    kind = registry.get(kind_name)
    return kind is not None and kind.completed_by_hand


def mark_done_by_hand(user_id: int, item: Item) -> ItemProgress:
    """Record that the user finished an item of a kind completed by hand (a lesson read).

    Refuses every other kind: only its own domain completes it.
    """
    if not can_mark_done(item.kind):
        raise DomainError(
            "This activity is completed by doing it, not by marking it done. Nothing was changed."
        )
    return set_status(user_id, item, ProgressStatus.DONE)
