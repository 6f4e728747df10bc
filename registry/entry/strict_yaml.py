"""Strict YAML: a safe subset read with libyaml's C parser.

Every scalar comes back as a string (YAML 1.1 would turn `NO` into False and
`1.10` into 1.1); typing is the schema's job. Anything that could hide data,
run code or blow up memory is refused with its position: duplicate keys,
anchors and aliases, tags, several documents, tab indentation, control and
bidi characters, oversized files and deep nesting.
"""

from __future__ import annotations

import re
import unicodedata

import yaml
from yaml.cyaml import CParser
from yaml.nodes import ScalarNode

from registry.entry.errors import EntryError
from registry.entry.yaml_file import YamlFile, text_position

MAX_BYTES = 64 * 1024
MAX_DEPTH = 10
FLOW_SCAN_THRESHOLD = 200

# Cc (except tab, newline, carriage return), every Cf character (they reorder or
# hide text: bidi controls, zero-width characters, a BOM after the start, Unicode
# tag characters), and the line and paragraph separators U+2028 and U+2029, which
# YAML reads as line breaks inside what looks like one line (threat T25).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Unicode category Cf (Python 3.11: Unicode 14.0), checked against unicodedata by the tests.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_SEPARATORS = "\u2028\u2029"
FORBIDDEN_CHARACTER = re.compile(f"[{_CONTROL}{FORMAT_CHARACTERS}{_SEPARATORS}]")
TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
# Where an anchor (&a), alias (*a) or tag (!x) could start a node. Markdown such
# as **bold** does not match; a false match only costs a slower, exact scan.
NODE_PROPERTY = re.compile(r"(?:^|[ \t\[{,])(?:[&*](?=[^\s*])|!)", re.MULTILINE)


class _StringComposer(CParser):
    """libyaml's composer with no resolvers: plain scalars stay strings.

    Tags are never read (a tag is refused by the event scan), so the resolver
    hooks the composer calls for every node do nothing: PyYAML's own resolver
    costs a Python call chain per node.
    """

    def resolve(self, kind, value, implicit):
        return None

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    named = f"{code} {name}" if name else code
    if unicodedata.category(char) == "Cc":
        return f"control character {code} is not allowed; delete it"
    if char in _SEPARATORS:
        return (
            f"line separator {named} is not allowed (YAML reads it as a line break); use a "
            "plain line break in a description, or delete it"
        )
    if "\U000e0000" <= char <= "\U000e007f":
        return (
            f"Unicode tag character {named} is not allowed (it is invisible and can carry "
            "hidden text); delete it"
        )
    return (
        f"bidi/zero-width character {named} is not allowed (invisible characters can hide or "
        "reorder text); delete it"
    )


def _decode(path: str, data: bytes, max_bytes: int) -> str:
    """The file as text: within the size limit, UTF-8 (a BOM is dropped)."""
    if len(data) > max_bytes:
        raise _errors(
            EntryError(
                path,
                1,
                1,
                f"file exceeds {max_bytes // 1024} KiB ({len(data):,} bytes); "
                "shorten the description or link to a longer text",
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = text_position(data[: error.start].decode("utf-8", "replace"), error.start)
        message = f"file is not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8"
        raise _errors(EntryError(path, line, col, message)) from None


def _character_problems(path: str, text: str) -> list[EntryError]:
    """Every forbidden character and every tab used for indentation."""
    problems = [
        EntryError(path, *text_position(text, m.start()), _describe(m.group()))
        for m in FORBIDDEN_CHARACTER.finditer(text)
    ]
    if "\t" in text:
        problems += [
            EntryError(
                path,
                *text_position(text, m.end() - 1),
                "tab character used for indentation; indent with spaces",
            )
            for m in TAB_INDENT.finditer(text)
        ]
    return problems


def _compose(path: str, text: str) -> yaml.Node | None:
    """The YAML node tree, after an event scan of files that could crash or abuse the composer."""
    # libyaml's composer recurses in C and crashes on very deep flow nesting,
    # so suspicious files are first checked on the (iterative) event stream.
    # (The `in` tests skip the regular expression, which tries every position, for most files.)
    properties = ("&" in text or "*" in text or "!" in text) and NODE_PROPERTY.search(text)
    if properties or text.count("[") + text.count("{") > FLOW_SCAN_THRESHOLD:
        problems = _scan_events(path, text)
        if problems:
            raise _errors(*problems)
    try:
        return yaml.compose(text, Loader=_StringComposer)
    except RecursionError:
        raise _errors(
            EntryError(path, 1, 1, f"nesting too deep (more than {MAX_DEPTH} levels)")
        ) from None
    except yaml.MarkedYAMLError as error:
        raise _errors(_syntax_error(path, error)) from None
    except yaml.YAMLError as error:
        raise _errors(EntryError(path, 1, 1, f"not valid YAML: {error}")) from None


def read(path: str, data: bytes, max_bytes: int = MAX_BYTES) -> YamlFile:
    """Parse one entry file, or raise a list of EntryError describing every problem found.

    `max_bytes` is raised only for project files that are long by nature (evaluation sets).
    """
    text = _decode(path, data, max_bytes)
    problems = _character_problems(path, text)
    if problems:
        raise _errors(*problems)
    root = _compose(path, text)
    value = _to_python(path, root, 1, problems, "\\" in text, set()) if root is not None else None
    if problems:
        raise _errors(*problems)
    if not isinstance(root, yaml.MappingNode):
        line, col = (
            (root.start_mark.line + 1, root.start_mark.column + 1) if root is not None else (1, 1)
        )
        raise _errors(
            EntryError(
                path,
                line,
                col,
                "expected a mapping of keys to values at the top level (start with `id: ...`)",
            )
        )
    return YamlFile(path, value, root, text)


def _errors(*errors: EntryError) -> YamlErrors:
    return YamlErrors(list(errors))


class YamlErrors(Exception):
    """Problems found while reading one file."""

    def __init__(self, errors: list[EntryError]):
        super().__init__(errors)
        self.errors = errors


def _syntax_error(path: str, error: yaml.MarkedYAMLError) -> EntryError:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "syntax error"
    if "expected a single document" in str(error.context or ""):
        return EntryError(
            path,
            line,
            col,
            "one document per file: remove the `---` separator and the second document",
        )
    if "found character '\\t'" in problem:
        return EntryError(path, line, col, "tab character; indent with spaces")
    context = f" {error.context}" if error.context else ""
    return EntryError(path, line, col, f"not valid YAML: {problem}{context}")


def _node_properties(path: str, event, line: int, col: int, problems: list, reuse: list) -> None:
    """An anchor (`&a`) or a tag (`!!python/...`) on a node: neither is allowed."""
    if event.anchor is not None:
        message = f"anchors/aliases not allowed (`&{event.anchor}`); write the value out in full"
        reuse.append(EntryError(path, line, col, message))
    if event.tag is not None:
        tag = event.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(
            EntryError(path, line, col, f"tags are not allowed (`{tag}`); write a plain value")
        )


def _scan_events(path: str, text: str) -> list[EntryError]:
    """Find anchors, aliases, tags and extra documents from the event stream (linear, no
    expansion)."""
    problems: list[EntryError] = []
    reuse: list[EntryError] = []
    documents = depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        EntryError(
                            path, line, col, f"nesting too deep (more than {MAX_DEPTH} levels)"
                        )
                    )
                    break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    message = (
                        "one document per file: remove the `---` separator and the second document"
                    )
                    problems.append(EntryError(path, line, col, message))
            elif isinstance(event, yaml.AliasEvent):
                message = (
                    f"anchors/aliases not allowed (`*{event.anchor}`, including `<<` merge "
                    "keys); write the value out in full"
                )
                reuse.append(EntryError(path, line, col, message))
            elif isinstance(
                event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
            ):
                _node_properties(path, event, line, col, problems, reuse)
    except RecursionError:
        problems.append(EntryError(path, 1, 1, f"nesting too deep (more than {MAX_DEPTH} levels)"))
    except yaml.MarkedYAMLError as error:
        if not problems and not reuse:
            problems.append(_syntax_error(path, error))
    if reuse:
        # One anchor bomb can hold thousands of aliases: name the first, count the rest.
        first = reuse[0]
        more = f" ({len(reuse) - 1} more anchors/aliases in this file)" if len(reuse) > 1 else ""
        problems.append(EntryError(first.path, first.line, first.col, first.message + more))
    return problems


def _scalar(path: str, node, problems: list[EntryError], check_escapes: bool):
    if not node.style and node.value == "":
        return None
    # Only a double-quoted scalar has escapes: any other's characters are the file's own, which
    # _character_problems checked.
    if check_escapes and node.style == '"':
        found = FORBIDDEN_CHARACTER.search(node.value)
        if found:
            problems.append(_at(path, node, _describe(found.group())))
    return node.value


def _at(path: str, node, message: str) -> EntryError:
    """A problem at the start of a YAML node."""
    return EntryError(path, node.start_mark.line + 1, node.start_mark.column + 1, message)


def _to_python(
    path: str, node, depth: int, problems: list[EntryError], check_escapes: bool, seen: set
):
    """Turn the node graph into dicts, lists and strings, checking keys and depth on the way.

    A collection node met twice is an alias the pre-scan missed: refuse it
    rather than expand it. Scalar children within the depth limit are read by
    _scalar directly, skipping this function's checks: most nodes are scalars.
    """
    if depth > MAX_DEPTH:
        problems.append(_at(path, node, f"nesting too deep (more than {MAX_DEPTH} levels)"))
        return None
    if type(node) is ScalarNode:
        return _scalar(path, node, problems, check_escapes)
    if id(node) in seen:
        problems.append(_at(path, node, "anchors/aliases not allowed; write the value out in full"))
        return None
    seen.add(id(node))
    inline = depth < MAX_DEPTH  # children, at depth + 1, are within the limit
    if isinstance(node, yaml.SequenceNode):
        return [
            _scalar(path, item, problems, check_escapes)
            if inline and type(item) is ScalarNode
            else _to_python(path, item, depth + 1, problems, check_escapes, seen)
            for item in node.value
        ]
    result: dict = {}
    for key_node, value_node in node.value:
        if type(key_node) is not ScalarNode:
            problems.append(_at(path, key_node, "keys must be plain text"))
            continue
        key = key_node.value
        if key in result:
            first = next(k for k, _ in node.value if type(k) is ScalarNode and k.value == key)
            problems.append(
                _at(
                    path,
                    key_node,
                    f"duplicate key '{key}' (first at line {first.start_mark.line + 1}); keep "
                    "one of them",
                )
            )
            continue
        if inline and type(value_node) is ScalarNode:
            result[key] = _scalar(path, value_node, problems, check_escapes)
        else:
            result[key] = _to_python(path, value_node, depth + 1, problems, check_escapes, seen)
    return result
