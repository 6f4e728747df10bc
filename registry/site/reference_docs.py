"""Generated reference documents, committed and tested to be current.

The JSON Schema (for editors), the field reference (for contributors) and the
CLI reference (for everyone) are all derived from code, so they cannot drift:
`python scripts/generate_docs.py` rewrites them and a test fails when a
committed copy differs.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from registry.entry.schema import SCHEMA_VERSION, Entry

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "registry" / "entry" / "entry.schema.json"
FIELDS_PATH = ROOT / "site" / "docs" / "fields.md"
CLI_PATH = ROOT / "site" / "docs" / "cli.md"
LICENCE_IDS_PATH = ROOT / "site" / "docs" / "licence-ids.md"


def json_schema() -> dict:
    """The JSON Schema committed as registry/entry/entry.schema.json for editors."""
    schema = Entry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = (
        "https://github.com/commons-registry/commons-registry/blob/main/registry/entry/entry.schema.json"
    )
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def fields_text() -> str:
    """Markdown table per object of the schema: key, type, required, meaning."""
    schema = json_schema()
    definitions = schema.get("$defs", {})
    lines = [
        "# Entry fields",
        "",
        "Generated from the schema (`registry/entry/schema.py`); do not edit by hand.",
        "Every entry is one YAML file `entries/<id>.yaml`. Unknown keys are errors.",
        "",
    ]
    lines += _object_table("Entry", schema, definitions)
    for name in sorted(definitions):
        if definitions[name].get("type") == "object":
            lines += _object_table(name, definitions[name], definitions)
    return "\n".join(lines).rstrip() + "\n"


def _object_table(title: str, schema: dict, definitions: dict) -> list[str]:
    required = set(schema.get("required", []))
    lines = [
        f"## {title}",
        "",
        _escape(schema.get("description", "")),
        "",
        "| key | type | required | meaning |",
        "|---|---|---|---|",
    ]
    for key, prop in schema.get("properties", {}).items():
        lines.append(
            f"| `{key}` | {_type(prop, definitions)} | {'yes' if key in required else 'no'} | "
            f"{_escape(prop.get('description', ''))} |"
        )
    return lines + [""]


def _type(prop: dict, definitions: dict) -> str:
    if "$ref" in prop:
        return f"[{prop['$ref'].rsplit('/', 1)[-1]}](#{prop['$ref'].rsplit('/', 1)[-1].lower()})"
    if "enum" in prop:
        return "one of: " + ", ".join(f"`{value}`" for value in prop["enum"])
    if "anyOf" in prop:
        return " or ".join(
            _type(option, definitions) for option in prop["anyOf"] if option.get("type") != "null"
        )
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}), definitions)}"
    kind = prop.get("type", "any")
    if prop.get("format") in ("uri", "date"):
        return f"{kind} ({prop['format']})"
    if "pattern" in prop:
        return f"{kind} matching `{prop['pattern']}`"
    return kind


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def cli_text(group: click.Group | None = None) -> str:
    """Every command's --help, in command-name order."""
    if group is None:
        from registry.commands.cli import cli as group
    lines = [
        "# Command-line reference",
        "",
        "Generated from `commons --help`; do not edit by hand.",
        "",
    ]
    context = click.Context(group, info_name="commons", terminal_width=88, max_content_width=88)
    lines += ["```", group.get_help(context), "```", ""]
    for name in sorted(group.commands):
        command = group.commands[name]
        sub = click.Context(
            command, info_name=name, parent=context, terminal_width=88, max_content_width=88
        )
        lines += [f"## commons {name}", "", "```", command.get_help(sub), "```", ""]
        for verb in sorted(getattr(command, "commands", {})):  # a group's own commands
            inner = command.commands[verb]
            leaf = click.Context(
                inner, info_name=verb, parent=sub, terminal_width=88, max_content_width=88
            )
            lines += [f"### commons {name} {verb}", "", "```", inner.get_help(leaf), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def licence_ids_text() -> str:
    """The licence ids an entry's `licenses[].expression` may use, from the project's licence data
    (classifier/data/license-refs.yaml and spdx-licenses.json), so the list cannot drift."""
    from classifier.knowledge import spdx
    from registry.entry.licenses import license_refs

    data = spdx()
    lines = [
        "# Allowed licence ids",
        "",
        "Generated from the project's licence data (`classifier/data/license-refs.yaml` and "
        "`classifier/data/spdx-licenses.json`) by `python scripts/generate_docs.py`; do not edit "
        "by hand.",
        "",
        "An entry's `licenses[].expression` is an [SPDX expression](https://spdx.org/licenses/) "
        "built from the ids below, joined with `AND`, `OR` and `WITH` (`CC-BY-SA-4.0 AND "
        "CC-BY-SA-3.0`). `commons validate` rejects any other id, at its line and column.",
        "",
        "## Rights SPDX cannot name: `LicenseRef-` ids",
        "",
        "Only these `LicenseRef-` ids are accepted. Propose a new one by adding it to "
        "`classifier/data/license-refs.yaml` in the same pull request, with a name, a "
        "description and a source.",
        "",
        "| Id | Name | Meaning |",
        "|---|---|---|",
    ]
    for ref_id, ref in license_refs().items():
        meaning = _escape(ref.get("description", ""))
        if ref.get("url"):
            meaning += f" [Source]({ref['url']})"
        lines.append(f"| `{ref_id}` | {_escape(ref.get('name', ''))} | {meaning} |")
    lines += _spdx_section(data)
    return "\n".join(lines) + "\n"


def _spdx_section(data: dict) -> list[str]:
    """The SPDX ids `commons validate` accepts, those it does not know yet, the deprecated ones."""
    lines: list[str] = []
    current = sorted(key for key, item in data["licenses"].items() if not item["deprecated"])
    accepted = [key for key in current if _accepted(key)]
    newer = [key for key in current if key not in accepted]
    deprecated = sorted(key for key, item in data["licenses"].items() if item["deprecated"])
    lines += [
        "",
        f"## SPDX licence ids (SPDX licence list {data['license_list_version']})",
        "",
        f"The {len(accepted)} ids of the SPDX licence list that `commons validate` accepts, by "
        "name on [spdx.org/licenses](https://spdx.org/licenses/). The common open-data ones are "
        "`CC0-1.0`, `CC-BY-4.0`, `CC-BY-SA-4.0`, `ODC-By-1.0`, `ODbL-1.0`, `PDDL-1.0`, "
        "`OGL-UK-3.0` and `etalab-2.0`.",
        "",
        ", ".join(f"`{key}`" for key in accepted),
    ]
    if newer:
        lines += [
            "",
            f"Not accepted yet: {len(newer)} ids added to the SPDX list after the one the "
            "validator (license-expression) carries: " + ", ".join(f"`{k}`" for k in newer) + ".",
        ]
    refused = [key for key in deprecated if not _accepted(key)]
    lines += [
        "",
        "Deprecated SPDX ids: write the current one instead (`GPL-2.0-only` for `GPL-2.0`, "
        "`GPL-2.0-only WITH GCC-exception-2.0` for `GPL-2.0-with-GCC-exception`). "
        f"`commons validate` refuses {len(refused)} of the {len(deprecated)}: "
        + ", ".join(f"`{k}`" for k in refused)
        + ".",
    ]
    return lines


def _accepted(licence_id: str) -> bool:
    from registry.entry.licenses import check_license_expression

    try:
        check_license_expression(licence_id)
    except ValueError:
        return False
    return True


def documents() -> dict[Path, str]:
    """Each generated document and its current content."""
    return {
        SCHEMA_PATH: schema_text(),
        FIELDS_PATH: fields_text(),
        CLI_PATH: cli_text(),
        LICENCE_IDS_PATH: licence_ids_text(),
    }
