"""Reading a pack folder safely, and collecting the problems found in it."""

import hashlib
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from course_engine.packs.yaml_source import YamlError, load_yaml

MANIFEST = "course.yaml"
MAX_FILE_BYTES = 50 * 1024 * 1024
# Question banks, surveys and manifests hold answers, weights and grading
# guidance: they are never public, even when a lesson links them.
SERVER_ONLY_SUFFIXES = (".yaml", ".yml", ".gift")


def is_server_only(path: str) -> bool:
    """Tell whether a pack file must never be served to members."""
    return path.lower().endswith(SERVER_ONLY_SUFFIXES)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Every problem found in a pack, so an author sees them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, message: str) -> None:
        self.items.append(Problem(file, line, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)


class PackSource:
    """The files of one pack, read only through paths that stay inside it."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        # What kinds derive from files while validating, kept for the import
        # that follows so that it is not computed twice.
        self.derived: dict[str, Any] = {}
        # The files lessons and activity texts link to or offer for download:
        # the only ones members may fetch. Filled while validating.
        self.public: set[str] = set()

    def publish(self, path: str) -> str | None:
        """Make a pack file public to members; return why it cannot be, or None."""
        if is_server_only(path):
            return (
                f"'{path}' holds questions, answers or course settings, "
                "which members never see; link to the activity instead"
            )
        self.public.add(path)
        return None

    def resolve(self, relative: str, base: str = "") -> str | None:
        """Return the pack-relative POSIX path for relative (seen from base), or None if unsafe."""
        if not isinstance(relative, str) or not relative or "\\" in relative or "\x00" in relative:
            return None
        if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
            return None
        parts: list[str] = list(PurePosixPath(base).parent.parts) if base else []
        for part in PurePosixPath(relative).parts:
            if part == "..":
                if not parts:
                    return None
                parts.pop()
            elif part != ".":
                parts.append(part)
        return "/".join(parts) or None

    def exists(self, path: str) -> bool:
        """Tell whether the pack holds a regular file at path (no symlinks)."""
        target = self.root / path
        return target.is_file() and not target.is_symlink() and self._inside(target)

    def _inside(self, target: Path) -> bool:
        return target.resolve().is_relative_to(self.root)

    def read_bytes(self, path: str) -> bytes:
        """Return a file's bytes."""
        return (self.root / path).read_bytes()

    def read_text(self, path: str) -> str:
        """Return a file's text, decoded as UTF-8."""
        return self.read_bytes(path).decode("utf-8")

    def load_yaml(self, path: str, problems: Problems) -> Any:
        """Load a YAML file of the pack, reporting a problem (and returning None) on error."""
        try:
            return load_yaml(self.read_text(path))
        except UnicodeDecodeError:
            problems.add(path, 1, "the file is not UTF-8 text")
        except YamlError as error:
            problems.add(path, error.line, error.message)
        return None

    def files(self) -> list[str]:
        """Return every file of the pack as a sorted list of relative paths."""
        found = []
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                found.append(path.relative_to(self.root).as_posix())
        return found

    def symlinks(self) -> list[str]:
        """Return the symbolic links in the pack (never followed)."""
        return [
            path.relative_to(self.root).as_posix()
            for path in sorted(self.root.rglob("*"))
            if path.is_symlink()
        ]

    def checksum(self) -> str:
        """Return a digest of every file's path and content."""
        digest = hashlib.sha256()
        for path in self.files():
            digest.update(path.encode() + b"\x00")
            digest.update(hashlib.sha256(self.read_bytes(path)).digest())
        return digest.hexdigest()


def content_type(path: str) -> str:
    """Return the content type to serve a pack file with."""
    guessed, _ = mimetypes.guess_type(path)
    if path.endswith((".md", ".gift", ".yaml", ".yml")):
        return "text/plain; charset=utf-8"
    return guessed or "application/octet-stream"
