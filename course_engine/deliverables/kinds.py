"""The `deliverable` item kind: work that learners hand in and facilitators grade."""

from sqlalchemy import select

from course_engine import dates
from course_engine.courses.kinds import asset_folder_url, check_markdown, pack_path
from course_engine.courses.models import Item
from course_engine.deliverables.filetypes import DEFAULT_TYPES, KNOWN
from course_engine.deliverables.models import Deliverable, SubmissionMode
from course_engine.extensions import db
from course_engine.packs.registry import ItemKind, Key
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.packs.yaml_source import LineDict
from course_engine.rendering import render_markdown

NUMBER = (int, float)
# Each key's type(s), and the values it may take (None: any of that type).
PEER_REVIEW_KEYS: dict[str, tuple[type | tuple[type, ...], set[str] | None]] = {
    "reviews_per_submission": (int, None),
    "reviewers": (str, {"peers", "designated", "both"}),
    "avoid_same_country": (bool, None),
    "anonymity": (str, {"both", "hide_reviewer", "hide_author", "none"}),
    "window_days": (int, None),
    "mode": (str, {"rubric", "comments", "both"}),
    "allow_revision": (bool, None),
    "weight_percent": (NUMBER, None),
    "avoid_same_organisation": (bool, None),
    "late_policy": (str, {"reallocate", "flag"}),
    "reviews_complete_item": (bool, None),
}
LEVEL_KEYS = {"points", "label", "descriptor"}
CRITERION_KEYS = {"id", "title", "levels"}


def _line(mapping, key=None) -> int:
    if isinstance(mapping, LineDict):
        return mapping.line_of(key) if key else mapping.line
    return 1


def _is_number(value) -> bool:
    return isinstance(value, NUMBER) and not isinstance(value, bool)


def validate_rubric(rubric: list, where: LineDict, problems: Problems) -> None:
    """Report criteria without unique ids or levels, and levels without numeric points."""
    seen = set()
    for criterion in rubric:
        if not isinstance(criterion, dict):
            problems.add(
                MANIFEST, _line(where, "rubric"), "each rubric criterion must be a mapping"
            )
            continue
        line = _line(criterion)
        for key in sorted(set(criterion) - CRITERION_KEYS):
            problems.add(MANIFEST, _line(criterion, key), f"unknown rubric key '{key}'")
        cid = criterion.get("id")
        if not isinstance(cid, str) or not cid:
            problems.add(MANIFEST, line, "a rubric criterion needs an 'id'")
        elif cid in seen:
            problems.add(MANIFEST, _line(criterion, "id"), f"duplicate rubric criterion id '{cid}'")
        seen.add(cid)
        if not isinstance(criterion.get("title"), str):
            problems.add(MANIFEST, line, f"rubric criterion '{cid}' needs a 'title'")
        levels = criterion.get("levels")
        if not isinstance(levels, list) or not levels:
            problems.add(
                MANIFEST, line, f"rubric criterion '{cid}' needs a non-empty 'levels' list"
            )
            continue
        for level in levels:
            if not isinstance(level, dict):
                problems.add(MANIFEST, line, f"each level of '{cid}' must be a mapping")
                continue
            for key in sorted(set(level) - LEVEL_KEYS):
                problems.add(MANIFEST, _line(level, key), f"unknown rubric level key '{key}'")
            if not _is_number(level.get("points")):
                problems.add(MANIFEST, _line(level), f"a level of '{cid}' needs numeric 'points'")
            if not isinstance(level.get("label"), str):
                problems.add(MANIFEST, _line(level), f"a level of '{cid}' needs a 'label'")


def validate_peer_review(settings: dict, problems: Problems) -> None:
    """Report unknown keys, wrong types and values outside each key's choices."""
    for key, value in settings.items():
        line = _line(settings, key)
        if key not in PEER_REVIEW_KEYS:
            problems.add(MANIFEST, line, f"unknown peer_review key '{key}'")
            continue
        types, choices = PEER_REVIEW_KEYS[key]
        wrong_type = isinstance(value, bool) and types is not bool or not isinstance(value, types)
        if wrong_type:
            problems.add(MANIFEST, line, f"peer_review '{key}' has the wrong type")
        elif choices and value not in choices:
            problems.add(
                MANIFEST, line, f"peer_review '{key}' must be one of {', '.join(sorted(choices))}"
            )
        elif _is_number(value) and value < 0 or key == "weight_percent" and value > 100:
            problems.add(MANIFEST, line, f"peer_review '{key}' is out of range")


class DeliverableKind(ItemKind):
    name = "deliverable"
    endpoint = "deliverables.show"
    keys = {
        "instructions": Key(str, required=True, is_path=True),
        "template": Key(str, is_path=True),
        "due_days": Key(int),
        "due": Key(dates.WHEN),
        "cutoff_days": Key(int),
        "cutoff": Key(dates.WHEN),
        "submission": Key(str),
        "file_types": Key(list),
        "max_files": Key(int),
        "max_size_mb": Key(NUMBER),
        "category": Key(str),
        "rubric": Key(list),
        "peer_review": Key(dict),
        "blind_marking": Key(bool),
    }

    def validate(self, entry: LineDict, source: PackSource, problems: Problems) -> None:
        path = pack_path(entry, "instructions", source)
        try:
            check_markdown(path, source.read_text(path), source, problems)
        except UnicodeDecodeError:
            problems.add(path, 1, "the instructions are not UTF-8 text")
        if "template" in entry and (
            refusal := source.publish(pack_path(entry, "template", source))
        ):
            problems.add(MANIFEST, entry.line_of("template"), f"template: {refusal}")
        self._validate_settings(entry, problems)
        validate_rubric(entry.get("rubric", []), entry, problems)
        validate_peer_review(entry.get("peer_review", {}), problems)

    def _validate_settings(self, entry: LineDict, problems: Problems) -> None:
        for relative, absolute in (("due_days", "due"), ("cutoff_days", "cutoff")):
            if relative in entry and absolute in entry:
                problems.add(
                    MANIFEST,
                    entry.line_of(absolute),
                    f"give '{relative}' or '{absolute}', not both",
                )
            try:
                dates.parse_end(entry.get(absolute))
            except ValueError:
                problems.add(MANIFEST, entry.line_of(absolute), f"'{absolute}' is not an ISO date")
        if entry.get("submission", "both") not in set(SubmissionMode):
            problems.add(
                MANIFEST, entry.line_of("submission"), "'submission' must be file, text or both"
            )
        for file_type in entry.get("file_types", []):
            if not isinstance(file_type, str) or file_type.lower() not in KNOWN:
                known = ", ".join(sorted(KNOWN))
                problems.add(
                    MANIFEST,
                    entry.line_of("file_types"),
                    f"unknown file type '{file_type}' ({known})",
                )
        for key in ("max_files", "max_size_mb"):
            if key in entry and not entry[key] > 0:
                problems.add(MANIFEST, entry.line_of(key), f"'{key}' must be above 0")
        if entry.get("category") == "":
            problems.add(MANIFEST, entry.line_of("category"), "'category' may not be empty")

    def load(self, item: Item, entry: dict, source: PackSource) -> None:
        deliverable = db.session.scalar(select(Deliverable).where(Deliverable.item_id == item.id))
        if deliverable is None:
            deliverable = Deliverable(item_id=item.id, course_id=item.course_id)
            db.session.add(deliverable)
        path = pack_path(entry, "instructions", source)
        course_slug = item.module.track.course.slug
        deliverable.instructions_html = str(
            render_markdown(
                source.read_text(path),
                base_url=asset_folder_url(course_slug, item.pack_key, path),
            )
        )
        template = entry.get("template")
        deliverable.template_path = source.resolve(template) if template else None
        deliverable.due_at = dates.parse_end(entry.get("due"))
        deliverable.due_days = entry.get("due_days")
        deliverable.cutoff_at = dates.parse_end(entry.get("cutoff"))
        deliverable.cutoff_days = entry.get("cutoff_days")
        deliverable.submission_mode = SubmissionMode(entry.get("submission", "both"))
        deliverable.file_types = [t.lower() for t in entry.get("file_types", DEFAULT_TYPES)]
        deliverable.max_files = entry.get("max_files", 3)
        deliverable.max_size_mb = entry.get("max_size_mb", 20)
        deliverable.category = entry.get("category", "deliverables")
        deliverable.rubric = [
            {
                "id": c["id"],
                "title": c["title"],
                "levels": [
                    {
                        "points": level["points"],
                        "label": level["label"],
                        "descriptor": str(level.get("descriptor", "")),
                    }
                    for level in c["levels"]
                ],
            }
            for c in entry.get("rubric", [])
        ]
        deliverable.peer_review = dict(entry["peer_review"]) if "peer_review" in entry else None
        deliverable.blind_marking = entry.get("blind_marking", False)
        db.session.flush()
