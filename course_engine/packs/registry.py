"""The registry of item kinds: each domain registers the kinds it owns.

`packs` walks a manifest and hands every item to the kind named by its
`kind` key. A kind declares the keys it accepts, which of them are paths
inside the pack, and how it validates, imports and shows its items.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from course_engine.courses.models import Item
    from course_engine.packs.source import PackSource, Problems
    from course_engine.packs.yaml_source import LineDict

COMMON_KEYS = {"id": str, "kind": str, "title": str, "summary": str, "required": bool}


@dataclass(frozen=True)
class Key:
    """One key a kind accepts: its type(s), and whether it must be given."""

    types: type | tuple[type, ...]
    required: bool = False
    is_path: bool = False


class ItemKind:
    """How items of one kind are validated, imported and shown."""

    name: ClassVar[str]
    keys: ClassVar[dict[str, Key]] = {}
    # The view that shows an item of this kind, called with course_slug and
    # item_slug; None means the lesson page shows the item's text.
    endpoint: ClassVar[str | None] = None
    # Whether a person may mark an item of this kind done by hand. Every other
    # kind is completed only by its own domain, on its own condition (a passed
    # quiz, a released grade, ...): a button must not stand in for the work.
    completed_by_hand: ClassVar[bool] = False

    def validate(self, entry: "LineDict", source: "PackSource", problems: "Problems") -> None:
        """Check what the generic key checks cannot (file contents, rules between keys)."""

    def load(self, item: "Item", entry: dict[str, Any], source: "PackSource") -> None:
        """Create or update the item's activity from its validated entry."""

    def archive(self, item: "Item") -> None:
        """React to the item leaving the pack; its learner data must stay."""

    def path_keys(self) -> list[str]:
        """Return the keys whose values are paths inside the pack."""
        return [name for name, key in self.keys.items() if key.is_path]


_KINDS: dict[str, ItemKind] = {}


def register(kind: ItemKind) -> ItemKind:
    """Register a kind under its name."""
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> ItemKind | None:
    """Return the kind with this name, or None."""
    return _KINDS.get(name)


def registered(name: str) -> ItemKind:
    """Return the kind of an item already validated, whose kind is registered."""
    return _KINDS[name]


def names() -> list[str]:
    """Return the names of all registered kinds."""
    return sorted(_KINDS)
