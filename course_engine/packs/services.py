"""Pack operations: validate, import (with dry run) and export, from a folder or a zip."""

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import select

from course_engine.courses.models import Course, Item, Module, Pack, PackAsset, Track
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.packs.archive import UnsafeArchive, extracted
from course_engine.packs.importer import ImportReport, PackInvalid, import_pack, validate_pack
from course_engine.packs.manifest import read_manifest
from course_engine.packs.source import MANIFEST, PackSource, Problems

EXTENSIONS_FOLDER = "extensions"


class PackRefused(DomainError):
    """The archive itself was refused before its content was read."""


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """Yield the folder of a pack given as a folder or a zip (extracted to a temporary folder)."""
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise PackRefused(f"{path}: no such file or folder")
    try:
        with extracted(path, max_total_bytes=current_app.config["PACK_MAX_BYTES"]) as root:
            yield root
    except UnsafeArchive as error:
        raise PackRefused(f"{path.name}: {error}") from None


def _pack_folders(root: Path) -> list[Path]:
    """Return the pack and any extension packs bundled with it, base first."""
    bundled = root / EXTENSIONS_FOLDER
    extensions = []
    if bundled.is_dir() and not bundled.is_symlink():
        extensions = sorted(p for p in bundled.iterdir() if (p / MANIFEST).is_file())
    return [root, *extensions]


def validate_folder(root: Path) -> Problems:
    """Return every problem of a pack folder (format only for bundled extensions)."""
    problems = Problems()
    for folder in _pack_folders(root):
        prefix = "" if folder == root else f"{folder.relative_to(root).as_posix()}/"
        if folder == root:
            found = validate_pack(folder)[1]
        else:
            found = read_manifest(PackSource(folder))[1]
        for problem in found:
            problems.add(prefix + problem.file, problem.line, problem.message)
    return problems


def import_folder(root: Path) -> list[ImportReport]:
    """Import a pack folder and its bundled extensions; flush only, the caller commits."""
    reports = []
    for folder in _pack_folders(root):
        try:
            reports.append(import_pack(folder))
        except PackInvalid as error:
            if folder != root:
                prefix = f"{folder.relative_to(root).as_posix()}/"
                problems = Problems()
                for problem in error.problems:
                    problems.add(prefix + problem.file, problem.line, problem.message)
                raise PackInvalid(problems) from None
            raise
    return reports


def export_course(course_slug: str) -> bytes:
    """Return the course as a pack zip: its own pack at the top, extensions in a folder."""
    course = db.session.scalar(select(Course).where(Course.slug == course_slug))
    if course is None:
        raise NotFound(f"There is no course '{course_slug}'.")
    packs = db.session.scalars(
        select(Pack).where(Pack.course_id == course.id).order_by(Pack.id)
    ).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for pack in packs:
            prefix = "" if pack.key == course.slug else f"{EXTENSIONS_FOLDER}/{pack.key}/"
            manifest = _current_manifest(course, pack)
            archive.writestr(
                prefix + MANIFEST, yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
            )
            assets = db.session.scalars(
                select(PackAsset).where(
                    PackAsset.course_id == course.id, PackAsset.pack_key == pack.key
                )
            )
            for asset in assets:
                if asset.path != MANIFEST:
                    archive.writestr(prefix + asset.path, asset.content)
    return buffer.getvalue()


def _current_manifest(course: Course, pack: Pack) -> dict[str, Any]:
    """Rebuild a pack's manifest from what the course holds now (archived content left out)."""
    manifest = {key: value for key, value in pack.manifest.items() if key != "tracks"}
    rows = db.session.execute(
        select(Track, Module, Item)
        .join(Module, Module.track_id == Track.id)
        .join(Item, Item.module_id == Module.id)
        .where(Track.course_id == course.id, Track.pack_key == pack.key)
        .where(~Track.archived, ~Module.archived, ~Item.archived)
        .order_by(Track.position, Module.position, Item.position)
    )
    tracks: dict[int, dict[str, Any]] = {}
    modules: dict[int, dict[str, Any]] = {}
    for track, module, item in rows:
        if track.id not in tracks:
            tracks[track.id] = _entry(track, "modules")
        if module.id not in modules:
            modules[module.id] = _entry(module, "items")
            tracks[track.id]["modules"].append(modules[module.id])
        modules[module.id]["items"].append(item.spec)
    manifest["tracks"] = list(tracks.values())
    return manifest


def _entry(node: Track | Module, children: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": node.slug, "title": node.title}
    if node.summary:
        entry["summary"] = node.summary
    entry[children] = []
    return entry
