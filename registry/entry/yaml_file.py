"""One parsed entry file: its value, its node graph and its text, for positions in errors."""

from __future__ import annotations

import yaml
from yaml.nodes import ScalarNode


def text_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of the character at `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


class YamlFile:
    """The parsed value of one file plus its node graph, for positions in later errors."""

    __slots__ = ("path", "value", "root", "text")

    def __init__(self, path: str, value, root, text: str = ""):
        self.path = path
        self.value = value
        self.root = root
        self.text = text

    def _deepest(self, location: tuple) -> tuple:
        """(the node at `location` or its nearest parent in the file, whether it was reached)."""
        node = self.root
        for part in location:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                child = next((v for k, v in node.value if k.value == part), None)
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                child = node.value[part]
            if child is None:
                return node, False
            node = child
        return node, True

    def node(self, location: tuple):
        """The node at `location`, or None when the file has no such node."""
        node, reached = self._deepest(location)
        return node if reached else None

    def character_position(self, location: tuple, offset: int) -> tuple[int, int]:
        """Line and column of the character at `offset` in the value at `location`.

        Found in the source when the character is written there as itself (not as an
        escape); otherwise the position of the value.
        """
        node = self.node(location)
        if node is None or not isinstance(node, ScalarNode):
            return self.position(location)
        character = node.value[offset]
        occurrence = node.value.count(character, 0, offset)
        raw = self.text[node.start_mark.index : node.end_mark.index]
        found = -1
        for _ in range(occurrence + 1):
            found = raw.find(character, found + 1)
            if found < 0:
                return node.start_mark.line + 1, node.start_mark.column + 1
        return text_position(self.text, node.start_mark.index + found)

    def position(self, location: tuple) -> tuple[int, int]:
        """Line and column (1-based) of the node at `location`, or of its nearest parent."""
        node, _ = self._deepest(location)
        return node.start_mark.line + 1, node.start_mark.column + 1

    def key_position(self, location: tuple, key: str) -> tuple[int, int]:
        """Line and column of the key `key` in the mapping at `location`."""
        node, _ = self._deepest(location)
        if isinstance(node, yaml.MappingNode):
            for k, _ in node.value:
                if k.value == key:
                    return k.start_mark.line + 1, k.start_mark.column + 1
        return node.start_mark.line + 1, node.start_mark.column + 1
