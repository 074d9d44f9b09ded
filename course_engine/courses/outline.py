"""The course outline: finding items, their place in a track and the learners' reading order."""

from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple

from sqlalchemy import Integer, and_, bindparam, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import aliased, contains_eager

from course_engine.courses.models import (
    Course,
    Enrolment,
    Item,
    ItemProgress,
    Module,
    ProgressStatus,
    Track,
)
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.roles import Role


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
        # Slug and title come from one joined row: both or neither.
        if self.previous_slug and self.previous_title is not None:
            return self.previous_slug, self.previous_title
        return None

    @property
    def following(self) -> tuple[str, str] | None:
        if self.next_slug and self.next_title is not None:
            return self.next_slug, self.next_title
        return None


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
    for _track, rows_of_track in groupby(rows, key=lambda row: row.track_id):
        track_rows = list(rows_of_track)
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
