"""Safe extraction of course-pack zip archives."""

from __future__ import annotations

import lzma
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["UnsafeArchive", "extract_zip", "extracted", "pack_root"]

MAX_ENTRIES = 2000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100.0
# Tiny files compress "too well" without being a bomb, so the ratio check skips them.
RATIO_THRESHOLD_BYTES = 1024
CHUNK_BYTES = 64 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MANIFEST = "course.yaml"

_DRIVE = re.compile(r"^[A-Za-z]:")
# Bidirectional controls make a name display differently from what it is.
_BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Folders that archiving tools add next to the real content.
_IGNORED_TOP_LEVEL = {"__MACOSX"}
# What reading a corrupt or unsupported entry raises (bz2 raises OSError on bad data).
_READ_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError,
    RuntimeError,
)  # fmt: skip


class UnsafeArchive(ValueError):
    """An archive refused as a whole, with a one-line reason naming the entry."""


def _check_name(name: str) -> list[str]:
    """Return the path components of an entry name, or raise if the name is unsafe."""
    if not name:
        raise UnsafeArchive("entry with an empty name")
    if any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in name):
        raise UnsafeArchive(f"entry {name!r} has a control character in its name")
    if name.startswith("/"):
        raise UnsafeArchive(f"entry {name!r} has an absolute path")
    if _DRIVE.match(name):
        raise UnsafeArchive(f"entry {name!r} has a drive letter")
    if "\\" in name:
        raise UnsafeArchive(f"entry {name!r} contains a backslash")
    parts = name.removesuffix("/").split("/")
    if ".." in parts:
        raise UnsafeArchive(f"entry {name!r} points outside the archive (..)")
    if any(part in ("", ".") for part in parts):
        raise UnsafeArchive(f"entry {name!r} has an empty or '.' path component")
    return parts


def _check_entry(info: zipfile.ZipInfo, max_ratio: float) -> list[str]:
    """Return the path components of one entry, or raise if the entry is unsafe."""
    # orig_filename keeps what zipfile's ZipInfo.filename silently cuts at a NUL.
    name = info.orig_filename
    parts = _check_name(name)
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise UnsafeArchive(f"entry {name!r} is a symbolic link")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchive(f"entry {name!r} is not a regular file or folder")
    if info.flag_bits & 0x1:
        raise UnsafeArchive(f"entry {name!r} is encrypted")
    if not info.is_dir() and name.lower().endswith(".zip"):
        raise UnsafeArchive(f"entry {name!r} is a nested zip archive")
    if info.file_size > RATIO_THRESHOLD_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > max_ratio:
            raise UnsafeArchive(f"entry {name!r} has a compression ratio of {ratio:.0f}")
    return parts


def _inspect(
    archive: zipfile.ZipFile, max_entries: int, max_total_bytes: int, max_ratio: float
) -> list[tuple[zipfile.ZipInfo, list[str]]]:
    """Return every entry with its path components, or raise on the first unsafe one."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise UnsafeArchive(f"archive has {len(infos)} entries, more than {max_entries}")
    entries = [(info, _check_entry(info, max_ratio)) for info in infos]
    declared = sum(info.file_size for info in infos)
    if declared > max_total_bytes:
        raise UnsafeArchive(f"archive expands to {declared} bytes, more than {max_total_bytes}")
    _check_collisions(entries)
    for info, _ in entries:
        if not info.is_dir():
            _check_not_zip(archive, info)
    return entries


def _check_collisions(entries: list[tuple[zipfile.ZipInfo, list[str]]]) -> None:
    """Raise when two entries land on one path, or a file sits where a folder must be."""
    # Case-folded, because a pack unpacked on macOS or Windows must mean the same thing.
    seen: dict[tuple[str, ...], str] = {}
    files: dict[tuple[str, ...], str] = {}
    folders: dict[tuple[str, ...], str] = {}
    for info, parts in entries:
        key = tuple(part.casefold() for part in parts)
        if key in seen:
            raise UnsafeArchive(f"entry {info.orig_filename!r} duplicates {seen[key]!r}")
        seen[key] = info.orig_filename
        (folders if info.is_dir() else files)[key] = info.orig_filename
        for depth in range(1, len(key)):
            folders.setdefault(key[:depth], info.orig_filename)
    for key, name in files.items():
        if key in folders:
            raise UnsafeArchive(f"entry {name!r} is a file where {folders[key]!r} needs a folder")


def _check_not_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Raise when an entry's first bytes are a zip signature, or it cannot be read."""
    try:
        with archive.open(info) as stream:
            head = stream.read(4)
    except _READ_ERRORS as exc:
        raise UnsafeArchive(f"entry {info.orig_filename!r} cannot be read: {exc}") from exc
    if head in ZIP_MAGIC:
        raise UnsafeArchive(f"entry {info.orig_filename!r} is a nested zip archive")


def _make_folder(root: Path, parts: list[str], created: list[Path]) -> Path:
    """Create the folders of `parts` under `root` one by one, refusing any link on the way."""
    folder = root
    for part in parts:
        folder = folder / part
        try:
            folder.mkdir()
            created.append(folder)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                where = folder.relative_to(root).as_posix()
                raise UnsafeArchive(
                    f"{where!r} exists in the destination and is not a folder"
                ) from None
    if not folder.resolve().is_relative_to(root):
        raise UnsafeArchive(f"folder {'/'.join(parts)!r} resolves outside the destination")
    return folder


def _copy_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int, created: list[Path]
) -> int:
    """Stream one entry into a new file at `target`; return the bytes written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, 0o644)
    created.append(target)
    limit = min(info.file_size, budget)
    written = 0
    with os.fdopen(descriptor, "wb") as sink, archive.open(info) as source:
        while chunk := source.read(CHUNK_BYTES):
            written += len(chunk)
            # Declared sizes can lie: count what really comes out.
            if written > limit:
                raise UnsafeArchive(f"entry {info.orig_filename!r} is larger than declared")
            sink.write(chunk)
    return written


def _write(
    archive: zipfile.ZipFile,
    entries: list[tuple[zipfile.ZipInfo, list[str]]],
    root: Path,
    max_total_bytes: int,
) -> list[Path]:
    """Write the inspected entries under `root`; on any failure remove what was written."""
    created: list[Path] = []
    files: list[Path] = []
    remaining = max_total_bytes
    try:
        for info, parts in entries:
            if info.is_dir():
                _make_folder(root, parts, created)
                continue
            folder = _make_folder(root, parts[:-1], created)
            target = folder / parts[-1]
            if not target.resolve().is_relative_to(root):
                raise UnsafeArchive(
                    f"entry {info.orig_filename!r} resolves outside the destination"
                )
            remaining -= _copy_entry(archive, info, target, remaining, created)
            files.append(target)
    except _READ_ERRORS as exc:
        _remove(created)
        raise UnsafeArchive(f"archive could not be extracted: {exc}") from exc
    except BaseException:
        _remove(created)
        raise
    return files


def _remove(created: list[Path]) -> None:
    """Remove the files and folders this extraction created, newest first."""
    # Best effort: the error that stopped the extraction matters more than a leftover.
    for path in reversed(created):
        with suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()


def extract_zip(
    source: str | Path | BinaryIO,
    destination: Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> list[Path]:
    """Extract a zip into `destination` after checking every entry; return the files written.

    The whole archive is refused with UnsafeArchive before anything is written when any entry
    is unsafe; if extraction fails midway, whatever it wrote is removed again.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise UnsafeArchive("not a zip file") from exc
    with archive:
        entries = _inspect(archive, max_entries, max_total_bytes, max_ratio)
        destination = Path(destination)
        destination.mkdir(parents=True, exist_ok=True)
        return _write(archive, entries, destination.resolve(), max_total_bytes)


def pack_root(extracted_dir: Path) -> Path:
    """Return the folder holding course.yaml: the folder itself or its single subfolder."""
    if (extracted_dir / MANIFEST).is_file():
        return extracted_dir
    children = [
        child
        for child in extracted_dir.iterdir()
        if child.name not in _IGNORED_TOP_LEVEL and not child.name.startswith(".")
    ]
    if len(children) == 1 and children[0].is_dir() and (children[0] / MANIFEST).is_file():
        return children[0]
    raise UnsafeArchive(f"no {MANIFEST} at the top of the archive")


@contextmanager
def extracted(source: str | Path | BinaryIO, **limits: Any) -> Iterator[Path]:
    """Extract a pack into a temporary folder, yield its root, and always remove the folder."""
    folder = Path(tempfile.mkdtemp(prefix="course-pack-"))
    try:
        extract_zip(source, folder, **limits)
        yield pack_root(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
