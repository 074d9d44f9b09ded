"""Safe YAML loading that remembers where each key was written."""

from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node

MAX_YAML_BYTES = 1024 * 1024


class YamlError(ValueError):
    """A YAML text could not be loaded; line is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser when PyYAML was built with it: the same safe constructors, faster.
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """A safe loader that refuses aliases and duplicate keys and records lines."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # An alias is the same node met twice; refusing it stops alias bombs.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise YamlError(node.start_mark.line + 1, "aliases (*name) are not allowed")
        return super().construct_object(node, deep)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise YamlError(key_node.start_mark.line + 1, "mapping keys must be plain values")
            if key in mapping:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)


def load_yaml(text: str) -> Any:
    """Load YAML safely: no tags beyond the safe ones, no aliases, no duplicate keys."""
    if len(text.encode()) > MAX_YAML_BYTES:
        raise YamlError(1, f"the file is larger than {MAX_YAML_BYTES // 1024} KiB")
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, error.problem or str(error)) from None
    except yaml.YAMLError as error:
        raise YamlError(1, str(error)) from None
