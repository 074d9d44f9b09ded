"""Reading and validating a pack's manifest into a plan the importer can apply."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from course_engine.packs import registry
from course_engine.packs.registry import COMMON_KEYS, ItemKind
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.packs.yaml_source import LineDict

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
COURSE_KEYS = {
    "id": str,
    "title": str,
    "summary": str,
    "language": str,
    "completion": dict,
    "tracks": list,
    "extends": str,
}
EXTENSION_KEYS = {"extends", "tracks"}
TRACK_KEYS = {"id": str, "title": str, "summary": str, "modules": list}
MODULE_KEYS = {"id": str, "title": str, "summary": str, "items": list}
COMPLETION_KEYS = {"tracks": list}


@dataclass
class ItemPlan:
    entry: LineDict
    kind: ItemKind

    @property
    def slug(self) -> str:
        return str(self.entry["id"])


@dataclass
class ModulePlan:
    entry: LineDict
    items: list[ItemPlan] = field(default_factory=list)


@dataclass
class TrackPlan:
    entry: LineDict
    modules: list[ModulePlan] = field(default_factory=list)


@dataclass
class PackPlan:
    """A validated pack: what the importer writes."""

    source: PackSource
    manifest: LineDict
    tracks: list[TrackPlan]

    @property
    def course_slug(self) -> str:
        return str(self.manifest.get("extends") or self.manifest["id"])

    @property
    def extends(self) -> bool:
        return "extends" in self.manifest

    @property
    def key(self) -> str:
        """Name the pack within its course: the course id, or an extension's first track."""
        return _key(self.manifest)

    def items(self) -> list[ItemPlan]:
        return [item for track in self.tracks for module in track.modules for item in module.items]


def _key(manifest: dict[str, Any]) -> str:
    return str(manifest["tracks"][0]["id"] if "extends" in manifest else manifest["id"])


def pack_identity(source: PackSource) -> tuple[str, str] | None:
    """Return (course id, pack key) from a pack's manifest, or None if it cannot tell."""
    manifest = source.load_yaml(MANIFEST, Problems()) if source.exists(MANIFEST) else None
    if not isinstance(manifest, dict):
        return None
    try:
        return str(manifest.get("extends") or manifest["id"]), _key(manifest)
    except (KeyError, IndexError, TypeError):
        return None


def _check_keys(
    mapping: LineDict,
    allowed: Mapping[str, type | tuple[type, ...]],
    required: set[str],
    what: str,
    problems: Problems,
) -> None:
    for key in mapping:
        if key not in allowed:
            problems.add(MANIFEST, mapping.line_of(key), f"unknown key '{key}' in {what}")
        elif not isinstance(mapping[key], allowed[key]) or (
            allowed[key] is not bool and isinstance(mapping[key], bool)
        ):
            expected = allowed[key]
            names = (
                " or ".join(t.__name__ for t in expected)
                if isinstance(expected, tuple)
                else expected.__name__
            )
            problems.add(MANIFEST, mapping.line_of(key), f"'{key}' in {what} must be a {names}")
    for key in sorted(required - set(mapping)):
        problems.add(MANIFEST, mapping.line, f"{what} is missing '{key}'")


def _check_slug(mapping: LineDict, what: str, seen: set[str], problems: Problems) -> bool:
    slug = mapping.get("id")
    if not isinstance(slug, str):
        return False
    if not SLUG.match(slug):
        problems.add(
            MANIFEST, mapping.line_of("id"), f"{what} id '{slug}' must be a slug (a-z, 0-9, -)"
        )
        return False
    if slug in seen:
        problems.add(MANIFEST, mapping.line_of("id"), f"duplicate {what} id '{slug}'")
        return False
    seen.add(slug)
    return True


def _mappings(
    values: object, what: str, parent: LineDict, key: str, problems: Problems
) -> list[LineDict]:
    if not isinstance(values, list) or not values:
        problems.add(MANIFEST, parent.line_of(key), f"'{key}' must be a non-empty list of {what}s")
        return []
    good = []
    for value in values:
        if isinstance(value, LineDict):
            good.append(value)
        else:
            problems.add(MANIFEST, parent.line_of(key), f"each entry of '{key}' must be a mapping")
    return good


def _check_item(entry: LineDict, source: PackSource, problems: Problems) -> ItemKind | None:
    kind_name = entry.get("kind")
    kind = registry.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        known = ", ".join(registry.names())
        problems.add(
            MANIFEST, entry.line_of("kind"), f"unknown item kind '{kind_name}' (known: {known})"
        )
        return None
    allowed = {**COMMON_KEYS, **{name: key.types for name, key in kind.keys.items()}}
    required = {"id", "kind", "title"} | {name for name, key in kind.keys.items() if key.required}
    before = len(problems.items)
    _check_keys(entry, allowed, required, f"{kind.name} item '{entry.get('id')}'", problems)
    for name in kind.path_keys():
        if isinstance(entry.get(name), str):
            path = source.resolve(entry[name])
            if path is None:
                problems.add(
                    MANIFEST, entry.line_of(name), f"'{entry[name]}' is not a path inside the pack"
                )
            elif not source.exists(path):
                problems.add(MANIFEST, entry.line_of(name), f"missing file '{entry[name]}'")
    if len(problems.items) == before:
        kind.validate(entry, source, problems)
    return kind


def read_manifest(source: PackSource) -> tuple[PackPlan | None, Problems]:
    """Validate the pack's manifest and files, returning the plan and every problem found."""
    problems = Problems()
    for link in source.symlinks():
        problems.add(link, 1, "symbolic links are not allowed in a pack")
    if not source.exists(MANIFEST):
        problems.add(MANIFEST, 1, "missing manifest: a pack needs a course.yaml at its top")
        return None, problems
    manifest = source.load_yaml(MANIFEST, problems)
    if manifest is None:
        return None, problems
    if not isinstance(manifest, LineDict):
        problems.add(MANIFEST, 1, "the manifest must be a mapping")
        return None, problems

    if "extends" in manifest:
        extra = sorted(set(manifest) - EXTENSION_KEYS)
        for key in extra:
            problems.add(
                MANIFEST,
                manifest.line_of(key),
                f"a pack that extends a course takes only 'extends' and 'tracks', not '{key}'",
            )
        _check_keys(manifest, COURSE_KEYS, {"tracks"}, "the manifest", problems)
    else:
        _check_keys(manifest, COURSE_KEYS, {"id", "title", "tracks"}, "the manifest", problems)
        _check_slug(manifest, "course", set(), problems)
    if isinstance(manifest.get("completion"), LineDict):
        _check_keys(manifest["completion"], COMPLETION_KEYS, set(), "completion", problems)

    seen_tracks: set[str] = set()
    seen_modules: set[str] = set()
    seen_items: set[str] = set()
    tracks = []
    for track_entry in _mappings(manifest.get("tracks"), "track", manifest, "tracks", problems):
        _check_keys(track_entry, TRACK_KEYS, {"id", "title", "modules"}, "a track", problems)
        _check_slug(track_entry, "track", seen_tracks, problems)
        track = TrackPlan(track_entry)
        tracks.append(track)
        for module_entry in _mappings(
            track_entry.get("modules"), "module", track_entry, "modules", problems
        ):
            _check_keys(module_entry, MODULE_KEYS, {"id", "title", "items"}, "a module", problems)
            _check_slug(module_entry, "module", seen_modules, problems)
            module = ModulePlan(module_entry)
            track.modules.append(module)
            for item_entry in _mappings(
                module_entry.get("items"), "item", module_entry, "items", problems
            ):
                _check_slug(item_entry, "item", seen_items, problems)
                kind = _check_item(item_entry, source, problems)
                if kind is not None:
                    module.items.append(ItemPlan(item_entry, kind))

    completion_tracks = (manifest.get("completion") or {}).get("tracks") or []
    for slug in completion_tracks:
        if slug not in seen_tracks:
            problems.add(
                MANIFEST,
                manifest["completion"].line_of("tracks"),
                f"completion names the unknown track '{slug}'",
            )
    if problems:
        return None, problems
    return PackPlan(source, manifest, tracks), problems
