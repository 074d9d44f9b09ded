"""Course rules: enrolment, the outline, lessons and learner progress."""

from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import aliased, contains_eager

from course_engine.courses.models import (
    CohortGroup,
    Course,
    Enrolment,
    Item,
    ItemProgress,
    Module,
    ProgressStatus,
    Track,
)
from course_engine.database import utcnow
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.packs import registry
from course_engine.roles import Role

# Checked on almost every page; built once.
_ENROLMENT_ROLE = select(Enrolment.role).where(
    Enrolment.user_id == bindparam("user_id"), Enrolment.course_id == bindparam("course_id")
)


def enrolment_role(user_id: int, course_id: int) -> Role | None:
    """Return the user's enrolment role in the course."""
    return db.session.scalar(_ENROLMENT_ROLE, {"user_id": user_id, "course_id": course_id})


def get_course(slug: str) -> Course:
    """Return the course with this id, or raise NotFound."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound("There is no such course.")
    return course


def enrol(user_id: int, course_id: int, role: Role) -> Enrolment:
    """Enrol the user in the course with the role, or change the role they have."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    if enrolment is None:
        enrolment = Enrolment(user_id=user_id, course_id=course_id, role=role)
        db.session.add(enrolment)
    else:
        enrolment.role = role
    db.session.flush()
    return enrolment


def set_group(user_id: int, course_id: int, group_name: str | None) -> CohortGroup | None:
    """Put an enrolled user in the course's group of that name (created if new), or in none."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    if enrolment is None:
        raise NotFound("The user is not enrolled in this course.")
    group = None
    if group_name:
        group = db.session.scalar(
            select(CohortGroup).where(
                CohortGroup.course_id == course_id, CohortGroup.name == group_name
            )
        )
        if group is None:
            group = CohortGroup(course_id=course_id, name=group_name)
            db.session.add(group)
            db.session.flush()
    enrolment.group_id = group.id if group else None
    db.session.flush()
    return group


@dataclass
class CourseCard:
    course: Course
    role: Role
    total: int = 0
    done: int = 0
    resume_slug: str | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def dashboard_cards(user_id: int) -> list[CourseCard]:
    """Return the user's courses with their progress, in a fixed number of queries."""
    rows = db.session.execute(
        select(Course, Enrolment.role, Item.slug)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .outerjoin(Item, Item.id == Enrolment.last_item_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Course.title)
    ).all()
    cards = {course.id: CourseCard(course, role, resume_slug=slug) for course, role, slug in rows}
    if not cards:
        return []
    totals = db.session.execute(
        select(Item.course_id, func.count())
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(
            Item.course_id.in_(cards),
            Item.required,
            ~Item.archived,
            ~Module.archived,
            ~Track.archived,
        )
        .group_by(Item.course_id)
    ).all()
    for course_id, total in totals:
        cards[course_id].total = total
    done = db.session.execute(
        select(ItemProgress.course_id, func.count())
        .join(Item, Item.id == ItemProgress.item_id)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(
            ItemProgress.user_id == user_id,
            ItemProgress.status == ProgressStatus.DONE,
            Item.required,
            ~Item.archived,
            ~Module.archived,
            ~Track.archived,
        )
        .group_by(ItemProgress.course_id)
    ).all()
    for course_id, count in done:
        cards[course_id].done = count
    return list(cards.values())


@dataclass
class ModuleOutline:
    module: Module
    items: list[Item] = field(default_factory=list)

    def progress(self, statuses: dict[int, ProgressStatus]) -> tuple[int, int]:
        required = [item for item in self.items if item.required and not item.archived]
        done = sum(statuses.get(item.id) == ProgressStatus.DONE for item in required)
        return done, len(required)


@dataclass
class TrackOutline:
    track: Track
    modules: list[ModuleOutline] = field(default_factory=list)


def outline(course: Course, include_archived: bool) -> list[TrackOutline]:
    """Return the course's tracks, modules and items in order, in one query."""
    query = (
        select(Item, Module, Track)
        .join(Module, Module.id == Item.module_id)
        .join(Track, Track.id == Module.track_id)
        .where(Item.course_id == course.id)
        .order_by(Track.position, Module.position, Item.position)
    )
    if not include_archived:
        query = query.where(~Item.archived, ~Module.archived, ~Track.archived)
    tracks: dict[int, TrackOutline] = {}
    modules: dict[int, ModuleOutline] = {}
    for item, module, track in db.session.execute(query):
        track_outline = tracks.setdefault(track.id, TrackOutline(track))
        if module.id not in modules:
            modules[module.id] = ModuleOutline(module)
            track_outline.modules.append(modules[module.id])
        modules[module.id].items.append(item)
    return list(tracks.values())


def statuses(user_id: int, course_id: int) -> dict[int, ProgressStatus]:
    """Return the user's progress status per item of the course."""
    rows = db.session.execute(
        select(ItemProgress.item_id, ItemProgress.status).where(
            ItemProgress.user_id == user_id, ItemProgress.course_id == course_id
        )
    )
    return dict(rows.all())


def item_lookup(*columns, with_enrolment: bool = False):
    """Start a statement for the item named by the bind parameters course_slug and item_slug.

    The item is joined to its module, track and course and, with_enrolment, to
    the enrolment of the bind parameter user_id. Activity pages build their
    first statement from this once, at import, and run it with parameters.
    """
    query = select(*columns).join(Item.module).join(Module.track).join(Track.course)
    if with_enrolment:
        query = query.outerjoin(
            Enrolment,
            and_(Enrolment.course_id == Item.course_id, Enrolment.user_id == bindparam("user_id")),
        )
    return query.where(Course.slug == bindparam("course_slug"), Item.slug == bindparam("item_slug"))


# Fills item.module.track.course from the joins of item_lookup, without more queries.
ITEM_PLACE_LOADED = (
    contains_eager(Item.module).contains_eager(Module.track).contains_eager(Track.course)
)
_FIND_ITEM = item_lookup(Item).options(ITEM_PLACE_LOADED)


def find_item(course_slug: str, item_slug: str) -> Item:
    """Return an item with its module, track and course loaded, or raise NotFound."""
    item = db.session.scalar(_FIND_ITEM, {"course_slug": course_slug, "item_slug": item_slug})
    if item is None:
        raise NotFound("There is no such item in this course.")
    return item


class ItemVisit(NamedTuple):
    """An item as one user opens it: their role in its course, where they were, their status.

    Plain columns rather than mapped objects: the lesson page is the busiest
    page, and building four objects per view costs more than its query.
    """

    id: int
    slug: str
    kind: str
    title: str
    summary: str
    body_html: str
    reading_minutes: int
    position: int
    archived: bool
    # Archived itself, or through its module or track.
    hidden: bool
    course_id: int
    course_slug: str
    course_title: str
    module_title: str
    module_position: int
    track_id: int
    role: Role | None
    last_item_id: int | None
    status: ProgressStatus | None
    # The neighbours in the learners' reading order (slug and title), or None.
    previous_slug: str | None
    previous_title: str | None
    next_slug: str | None
    next_title: str | None

    @property
    def previous(self) -> tuple[str, str] | None:
        return (self.previous_slug, self.previous_title) if self.previous_slug else None

    @property
    def following(self) -> tuple[str, str] | None:
        return (self.next_slug, self.next_title) if self.next_slug else None


_PREVIOUS_ITEM = aliased(Item)
_NEXT_ITEM = aliased(Item)
# The lesson page's statements are built once: building them costs more than running them.
_VISIT_ITEM = (
    item_lookup(
        Item.id,
        Item.slug,
        Item.kind,
        Item.title,
        Item.summary,
        Item.body_html,
        Item.reading_minutes,
        Item.position,
        Item.archived,
        or_(Item.archived, Module.archived, Track.archived),
        Item.course_id,
        Course.slug,
        Course.title,
        Module.title,
        Module.position,
        Module.track_id,
        Enrolment.role,
        Enrolment.last_item_id,
        ItemProgress.status,
        _PREVIOUS_ITEM.slug,
        _PREVIOUS_ITEM.title,
        _NEXT_ITEM.slug,
        _NEXT_ITEM.title,
        with_enrolment=True,
    )
    .outerjoin(
        ItemProgress,
        and_(ItemProgress.item_id == Item.id, ItemProgress.user_id == bindparam("user_id")),
    )
    .outerjoin(_PREVIOUS_ITEM, _PREVIOUS_ITEM.id == Item.previous_item_id)
    .outerjoin(_NEXT_ITEM, _NEXT_ITEM.id == Item.next_item_id)
)


def visit_item(course_slug: str, item_slug: str, user_id: int) -> ItemVisit:
    """Return the item with the user's enrolment and progress, in one query, or raise NotFound."""
    # Plain columns need none of the ORM's work on a result: run on the session's connection.
    row = (
        db.session.connection()
        .execute(
            _VISIT_ITEM, {"course_slug": course_slug, "item_slug": item_slug, "user_id": user_id}
        )
        .first()
    )
    if row is None:
        raise NotFound("There is no such item in this course.")
    return ItemVisit._make(row)


def is_hidden(item: Item) -> bool:
    """Tell whether the item is archived, itself or through its module or track."""
    return item.archived or item.module.archived or item.module.track.archived


def _neighbours_statement():
    """Build the query for the nearest item, archived or not, on each side of a place in a track.

    For staff, who see archived items too; learners' neighbours are stored
    with each item (see store_reading_order). One query whatever the length of
    the track: the plain bound on the module's position lets the database walk
    the position index from here and stop at the first match, instead of
    sorting the whole track.
    """
    module_position = bindparam("module_position", type_=Integer)
    here = tuple_(module_position, bindparam("item_position", type_=Integer))
    place = tuple_(Module.position, Item.position)

    def nearest(before: bool):
        query = (
            select(Item.slug, Item.title, literal(before).label("before"))
            .join(Module, Module.id == Item.module_id)
            .where(Module.track_id == bindparam("track_id"))
        )
        if before:
            query = query.where(Module.position <= module_position, place < here).order_by(
                Module.position.desc(), Item.position.desc()
            )
        else:
            query = query.where(Module.position >= module_position, place > here).order_by(
                Module.position, Item.position
            )
        return select(query.limit(1).subquery())

    return union_all(nearest(True), nearest(False))


_NEIGHBOURS = _neighbours_statement()


def neighbours(track_id: int, module_position: int, position: int):
    """Return (slug, title) of the items, archived or not, before and after a place, or None."""
    rows = db.session.execute(
        _NEIGHBOURS,
        {"track_id": track_id, "module_position": module_position, "item_position": position},
    )
    found = {row.before: (row.slug, row.title) for row in rows}
    return found.get(True), found.get(False)


def store_reading_order(course_id: int) -> None:
    """Store each item's neighbours in the order learners read its track.

    Items in track order (modules, then items, by position), leaving out
    archived items and modules; an archived item keeps no neighbours. Only
    rows whose neighbours moved are written, so an import that changes
    nothing writes nothing.
    """
    rows = db.session.execute(
        select(Item, Module.track_id, or_(Item.archived, Module.archived).label("hidden"))
        .join(Module, Module.id == Item.module_id)
        .where(Item.course_id == course_id)
        .order_by(Module.track_id, Module.position, Item.position)
    ).all()
    for _track, track_rows in groupby(rows, key=lambda row: row.track_id):
        track_rows = list(track_rows)
        shown = [row.Item.id for row in track_rows if not row.hidden]
        links = {
            item_id: (before, after)
            for before, item_id, after in zip(
                [None, *shown[:-1]], shown, [*shown[1:], None], strict=True
            )
        }
        for row in track_rows:
            item = row.Item
            previous_id, next_id = links.get(item.id, (None, None))
            if (item.previous_item_id, item.next_item_id) != (previous_id, next_id):
                item.previous_item_id, item.next_item_id = previous_id, next_id


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
