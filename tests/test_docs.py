"""Generated documents are current, and every command has help and is documented."""

from __future__ import annotations

import pytest

from registry.commands.cli import cli
from registry.site.reference_docs import CLI_PATH, ROOT, documents

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path", sorted(documents(), key=str), ids=lambda p: str(p.relative_to(ROOT))
)
def test_generated_document_is_current(path):
    expected = documents()[path]
    assert path.exists() and path.read_text(encoding="utf-8") == expected, (
        f"{path.relative_to(ROOT)} is stale: run `python scripts/generate_docs.py`"
    )


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_with_an_example(name):
    command = cli.commands[name]
    assert command.help, f"commons {name} is missing its help"
    assert "Example:" in command.help, f"commons {name} help has no Example: block"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name):
    assert f"## commons {name}" in CLI_PATH.read_text(encoding="utf-8")
    assert f"commons {name}" in README, f"commons {name} is not mentioned in README.md"


VERBS = [
    (name, verb)
    for name, command in sorted(cli.commands.items())
    for verb in sorted(getattr(command, "commands", {}))
]


@pytest.mark.parametrize("name,verb", VERBS, ids=[f"{n}-{v}" for n, v in VERBS])
def test_every_verb_of_a_group_has_help_with_an_example_and_is_documented(name, verb):
    command = cli.commands[name].commands[verb]
    assert command.help and "Example:" in command.help, f"commons {name} {verb}"
    assert f"### commons {name} {verb}" in CLI_PATH.read_text(encoding="utf-8")
