"""Applying a validated pack to the database, in the caller's transaction.

Content is matched by id: what is new is added, what changed is updated,
and what left the pack is archived (never deleted), so learner data stays.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from course_engine.courses.models import Course, Item, Module, Pack, Track
from course_engine.courses.outline import store_reading_order
from course_engine.database import utcnow
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.packs import registry
from course_engine.packs.assets import store_assets
from course_engine.packs.manifest import ItemPlan, PackPlan, pack_identity, read_manifest
from course_engine.packs.source import MANIFEST, PackSource, Problems


class PackInvalid(DomainError):
    """The pack has problems; nothing was imported."""

    def __init__(self, problems: Problems):
        super().__init__(f"The pack has {len(problems.items)} problem(s); nothing was imported.")
        self.problems = problems


@dataclass
class ImportReport:
    course_slug: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    unchanged: bool = False

    def lines(self) -> list[str]:
        if self.unchanged:
            return [f"{self.course_slug}: unchanged"]
        return (
            [f"added {slug}" for slug in self.added]
            + [f"changed {slug}" for slug in self.changed]
            + [f"archived {slug}" for slug in self.archived]
            + [
                f"{self.course_slug}: {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.archived)} archived"
            ]
        )


def _iso(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def plain(value: Any) -> Any:
    """Return value as plain JSON data: no line-aware mappings, dates as ISO strings."""
    return json.loads(json.dumps(value, default=_iso))


def _check_against_database(plan: PackPlan, problems: Problems) -> Course | None:
    course = db.session.scalar(select(Course).where(Course.slug == plan.course_slug))
    line = plan.manifest.line_of("extends")
    if plan.extends and course is None:
        problems.add(
            MANIFEST, line, f"extends the course '{plan.course_slug}', which does not exist"
        )
        return None
    if course is None:
        return None
    existing = {
        slug: (kind, pack_key)
        for slug, kind, pack_key in db.session.execute(
            select(Item.slug, Item.kind, Item.pack_key).where(Item.course_id == course.id)
        )
    }
    for item in plan.items():
        known = existing.get(item.slug)
        if known is None:
            continue
        kind, pack_key = known
        if pack_key != plan.key:
            problems.add(
                MANIFEST,
                item.entry.line_of("id"),
                f"item id '{item.slug}' is already used by another pack of this course",
            )
        elif kind != item.kind.name:
            problems.add(
                MANIFEST,
                item.entry.line_of("kind"),
                f"item '{item.slug}' was a {kind}; an id cannot change kind",
            )
    track_owners = dict(
        db.session.execute(
            select(Track.slug, Track.pack_key).where(Track.course_id == course.id)
        ).all()
    )
    for track in plan.tracks:
        owner = track_owners.get(track.entry["id"])
        if owner is not None and owner != plan.key:
            problems.add(
                MANIFEST,
                track.entry.line_of("id"),
                f"track id '{track.entry['id']}' belongs to another pack of this course",
            )
    return course


def validate_pack(root: Path) -> tuple[PackPlan | None, Problems]:
    """Validate a pack folder against its format and the database."""
    plan, problems = read_manifest(PackSource(root))
    if plan is not None:
        _check_against_database(plan, problems)
    return (None if problems else plan), problems


def _item_hash(plan: PackPlan, entry: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(plain(entry), sort_keys=True).encode())
    kind = registry.registered(entry["kind"])
    for key in kind.path_keys():
        path = plan.source.resolve(entry[key]) if key in entry else None
        if path:
            digest.update(hashlib.sha256(plan.source.read_bytes(path)).digest())
    return digest.hexdigest()


def _upsert_course(plan: PackPlan) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == plan.course_slug))
    if course is None:
        course = Course(slug=plan.course_slug)
        db.session.add(course)
    if not plan.extends:
        manifest = plan.manifest
        course.title = manifest["title"]
        course.summary = manifest.get("summary", "")
        course.language = manifest.get("language", "en")
        course.completion = plain(manifest.get("completion", {}))
    db.session.flush()
    return course


def _set(obj: object, **values: Any) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _apply_structure(plan: PackPlan, course: Course, report: ImportReport) -> None:
    tracks = {
        t.slug: t for t in db.session.scalars(select(Track).where(Track.course_id == course.id))
    }
    modules = {
        m.slug: m for m in db.session.scalars(select(Module).where(Module.course_id == course.id))
    }
    items = {i.slug: i for i in db.session.scalars(select(Item).where(Item.course_id == course.id))}
    first_position = (
        0
        if not plan.extends
        else 1000 * (1 + len({t.pack_key for t in tracks.values()} - {plan.key}))
    )
    kept_tracks: set[str] = set()
    kept_modules: set[str] = set()
    kept_items: set[str] = set()
    to_load: list[tuple[Item, ItemPlan]] = []
    for track_position, track_plan in enumerate(plan.tracks, start=first_position):
        entry = track_plan.entry
        track = tracks.get(entry["id"])
        if track is None:
            track = Track(course_id=course.id, slug=entry["id"], pack_key=plan.key)
            db.session.add(track)
            tracks[track.slug] = track
        _set(
            track,
            title=entry["title"],
            summary=entry.get("summary", ""),
            position=track_position,
            archived=False,
        )
        db.session.flush()
        kept_tracks.add(track.slug)
        for module_position, module_plan in enumerate(track_plan.modules):
            entry = module_plan.entry
            module = modules.get(entry["id"])
            if module is None:
                module = Module(course_id=course.id, slug=entry["id"])
                db.session.add(module)
                modules[module.slug] = module
            _set(
                module,
                track_id=track.id,
                title=entry["title"],
                summary=entry.get("summary", ""),
                position=module_position,
                archived=False,
            )
            db.session.flush()
            kept_modules.add(module.slug)
            for item_position, item_plan in enumerate(module_plan.items):
                item = _apply_item(plan, course, module, item_position, item_plan, items, report)
                if item is not None:
                    to_load.append((item, item_plan))
                kept_items.add(item_plan.slug)
    # One flush gives every new item its id before the kinds load their activities.
    db.session.flush()
    for item, item_plan in to_load:
        item_plan.kind.load(item, item_plan.entry, plan.source)

    for track in tracks.values():
        if track.pack_key == plan.key and track.slug not in kept_tracks and not track.archived:
            track.archived = True
    for item in items.values():
        if item.pack_key == plan.key and item.slug not in kept_items and not item.archived:
            item.archived = True
            registry.registered(item.kind).archive(item)
            report.archived.append(item.slug)
    owned_tracks = {t.id for t in tracks.values() if t.pack_key == plan.key}
    for module in modules.values():
        if module.track_id in owned_tracks and module.slug not in kept_modules:
            module.archived = True
    _place_archived_last(modules.values(), parent="track_id")
    _place_archived_last(items.values(), parent="module_id")


def _place_archived_last(rows: Iterable[Module] | Iterable[Item], parent: str) -> None:
    """Give archived modules or items the places after the live ones, in their old order.

    Staff still see archived rows, in order of position: an archived row must
    not keep the place the pack now gives to a live one.
    """
    live = Counter(getattr(row, parent) for row in rows if not row.archived)
    archived = sorted(
        (row for row in rows if row.archived),
        key=lambda row: (getattr(row, parent), row.position, row.id),
    )
    for parent_id, siblings in groupby(archived, key=attrgetter(parent)):
        for offset, row in enumerate(siblings):
            _set(row, position=live[parent_id] + offset)


def _apply_item(
    plan: PackPlan,
    course: Course,
    module: Module,
    position: int,
    item_plan: ItemPlan,
    items: dict[str, Item],
    report: ImportReport,
) -> Item | None:
    """Add or update an item's row; return it when its activity must be (re)loaded."""
    entry = item_plan.entry
    content_hash = _item_hash(plan, entry)
    item = items.get(item_plan.slug)
    if item is None:
        item = Item(
            course_id=course.id, slug=item_plan.slug, kind=item_plan.kind.name, pack_key=plan.key
        )
        db.session.add(item)
        items[item.slug] = item
        report.added.append(item.slug)
    elif item.content_hash != content_hash or item.archived:
        report.changed.append(item.slug)
    moved = _set(item, module_id=module.id, position=position)
    if item.content_hash == content_hash and not item.archived:
        if moved:
            report.changed.append(item.slug)
        return None
    item.title = entry["title"]
    item.summary = entry.get("summary", "")
    item.required = entry.get("required", True)
    item.archived = False
    item.spec = plain(entry)
    item.content_hash = content_hash
    return item


def _stored_checksum(course_slug: str, key: str) -> str | None:
    return db.session.scalar(
        select(Pack.checksum)
        .join(Course, Course.id == Pack.course_id)
        .where(Course.slug == course_slug, Pack.key == key)
    )


def import_pack(root: Path) -> ImportReport:
    """Validate and apply a pack folder; flush only, the caller commits or rolls back."""
    source = PackSource(root)
    checksum = source.checksum()
    identity = pack_identity(source)
    # A pack whose every byte matches what was imported was valid then and changes nothing now.
    if identity is not None and _stored_checksum(*identity) == checksum:
        return ImportReport(identity[0], unchanged=True)
    plan, problems = validate_pack(root)
    if plan is None:
        raise PackInvalid(problems)
    course = _upsert_course(plan)
    report = ImportReport(plan.course_slug)
    pack = db.session.scalar(select(Pack).where(Pack.course_id == course.id, Pack.key == plan.key))
    if pack is None:
        pack = Pack(course_id=course.id, key=plan.key)
        db.session.add(pack)
    pack.manifest = plain(plan.manifest)
    pack.checksum = checksum
    pack.imported_at = utcnow()
    _apply_structure(plan, course, report)
    store_reading_order(course.id)
    store_assets(plan, course)
    db.session.flush()
    return report
