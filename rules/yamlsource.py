"""Reading YAML while remembering the line of every key, so problems can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file and the 1-based line of each key or list item in it."""

    file: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int:
        """Line of ``location``, or of its nearest enclosing key when it has none of its own."""
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return 1


class YamlSyntaxError(Exception):
    """A file that is not valid YAML, with the line where parsing stopped."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message


def _record_lines(node: yaml.Node, location: Location, lines: dict[Location, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*location, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1
            _record_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*location, index)
            lines[child] = item.start_mark.line + 1
            _record_lines(item, child, lines)


def _plain(value: Any) -> Any:
    """Dates become ISO strings so that JSON Schema sees what the author wrote."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def read_yaml(path: Path, display_name: str | None = None) -> YamlDocument:
    """Parse ``path`` (safe loader) and map every key to its line."""
    name = display_name or str(path)
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or str(error)
        raise YamlSyntaxError(name, line, f"not valid YAML: {problem}") from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(name, 1, f"not valid YAML: {error}") from error
    lines: dict[Location, int] = {(): 1}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDocument(name, _plain(data), lines)
