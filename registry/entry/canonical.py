"""The canonical YAML writer behind `commons fmt` and every tool that rewrites entries.

Keys follow the schema's order, lists of short words stay on one line, long
text uses block scalars, and nothing is quoted that the loader reads as a
string anyway. Writing the same data twice gives the same bytes, so automated
rewrites (signal refreshes, imports) produce minimal diffs.
"""

from __future__ import annotations

import re

import yaml

from registry.entry.schema import field_order

FIELD_ORDER = field_order()
FLOW_LIST_WIDTH = 60
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class _Dumper(yaml.SafeDumper):
    """A dumper with no implicit resolvers (all scalars are strings) and indented lists."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


# No implicit typing on output either: a string that looks like a number is
# still written plainly, because the loader reads every scalar as a string.
_Dumper.yaml_implicit_resolvers = {}
# ...except the empty value, which the loader reads as "not given": write it as `key:`.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


class _FlowList(list):
    """A list written on one line: `[en, fr]`."""


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_none(dumper, _value):
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


def _represent_flow_list(dumper, value):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_list(dumper, value):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(type(None), _represent_none)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, yaml.representer.SafeRepresenter.represent_dict)


def ordered(value, order: dict | None = FIELD_ORDER):
    """Reorder mappings by the schema (unknown keys last, alphabetically); keep list order.

    Keys left empty (`key:` or `key: []`) are dropped: for the loader they mean
    "not given" already, and a canonical file should not carry template leftovers.
    """
    if isinstance(value, dict):
        value = {key: item for key, item in value.items() if item is not None and item != []}
        known = [key for key in (order or {}) if key in value]
        unknown = sorted(key for key in value if key not in (order or {}))
        return {key: ordered(value[key], (order or {}).get(key)) for key in known + unknown}
    if isinstance(value, list):
        items = [ordered(item, order) for item in value]
        if (
            all(isinstance(item, str) and WORD.fullmatch(item) for item in items)
            and sum(len(i) + 2 for i in items) <= FLOW_LIST_WIDTH
        ):
            return _FlowList(items)
        return items
    return value


def dumps(value: dict, order: dict = FIELD_ORDER) -> str:
    """Canonical text of an entry's raw (string-valued) data (or another model's, by `order`)."""
    return yaml.dump(
        ordered(value, order),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10**9,
        indent=2,
        default_flow_style=False,
    )
