"""The governed rule files: complete, cited, validated, and covering every allowlisted
LicenseRef."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from classifier import knowledge, load_rules
from classifier.expressions import LicenceContext, licence_outcome, matching_rule
from classifier.rules_data import RULES_DIR, RulesError, parse_rules


def rule_texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in RULES_DIR.glob("*.yaml")}


def test_every_rule_has_a_reason_and_a_citation():
    rules = load_rules()
    assert len(rules.rules) > 40
    for rule in rules.rules:
        assert rule.reason.strip(), rule.id
        assert rule.citation.strip(), rule.id


def test_version_has_a_changelog_line_with_a_reason():
    rules = load_rules()
    line = next(c for c in rules.changelog if str(c["version"]) == rules.version)
    assert line["reason"].strip()


def test_templates_are_data():
    assert [t["id"] for t in load_rules().templates] == [
        "Training-Commercial-Standard",
        "Retrieval-Attribution",
        "Research-Open",
        "Eval-Public",
    ]


@pytest.mark.parametrize("ref", knowledge.license_ref_ids())
def test_every_allowlisted_licence_ref_is_covered_by_a_rule(ref):
    rules = load_rules()
    for ctx in (LicenceContext(modality="text"), LicenceContext(modality="code", scope="code")):
        assert matching_rule(rules, ref, ctx) is not None, (
            f"{ref}: add a rule for it in classifier/rules/licences.yaml"
        )


def test_the_refs_test_reads_the_current_file():
    data = yaml.safe_load((Path(knowledge.DATA) / "license-refs.yaml").read_text(encoding="utf-8"))
    assert {ref["id"] for ref in data["refs"]} == set(knowledge.license_ref_ids())


def test_unknown_refs_fall_to_undetermined_never_not_commons():
    outcome = licence_outcome(load_rules(), "LicenseRef-Not-In-The-Allowlist", LicenceContext())
    assert outcome.category == "undetermined"
    assert outcome.reasons[0].rule == "no-match"


def test_every_cc_id_in_spdx_is_matched_by_a_cc_rule():
    rules = load_rules()
    cc_ids = [i for i in knowledge.spdx()["licenses"] if i.startswith("CC-BY")]
    assert len(cc_ids) > 50
    for licence_id in cc_ids:
        rule = matching_rule(rules, licence_id, LicenceContext())
        assert rule is not None and rule.id.startswith("lic.cc-"), licence_id


def break_rule(texts: dict, old: str, new: str) -> dict:
    assert old in texts["licences.yaml"]
    return {**texts, "licences.yaml": texts["licences.yaml"].replace(old, new, 1)}


def test_malformed_rules_fail_with_every_problem_named():
    texts = break_rule(
        rule_texts(),
        "then: {category: commons-by-default, family: cc-by,",
        "then: {category: commons, family: cc-by,",
    )
    texts = {
        **texts,
        "licences.yaml": texts["licences.yaml"].replace(
            '    citation: "arxiv.org/licenses/nonexclusive-distrib/1.0/license.html"\n', "", 1
        ),
    }
    texts = {
        **texts,
        "licences.yaml": texts["licences.yaml"].replace(
            "id_regex: 'CC-BY-ND-", "id_regex: '(CC-BY-ND-", 1
        ),
    }
    with pytest.raises(RulesError) as error:
        parse_rules(texts)
    message = str(error.value)
    assert "licences.yaml: rule lic.cc-by: then.category must be one of" in message
    assert "licences.yaml: rule lic.arxiv-nonexclusive: missing 'citation'" in message
    assert "licences.yaml: rule lic.cc-nd: id_regex does not compile" in message


def test_yaml_syntax_errors_name_line_and_column():
    texts = {**rule_texts(), "templates.yaml": "templates:\n  - id: [unclosed\n"}
    with pytest.raises(RulesError, match=r"templates.yaml:\d+:\d+: not valid YAML"):
        parse_rules(texts)


def test_unknown_keys_and_placeholders_are_rejected():
    texts = break_rule(
        rule_texts(),
        '    reason: "{license} conforms to the Open Definition: any use, with attribution"',
        '    reason: "{licence} conforms"\n    severity: high',
    )
    with pytest.raises(RulesError) as error:
        parse_rules(texts)
    assert "unknown placeholders ['licence']" in str(error.value)
    assert "unknown keys ['severity']" in str(error.value)


def test_a_version_bump_needs_a_changelog_line():
    texts = rule_texts()
    texts["ruleset.yaml"] = re.sub(
        r'version: "[^"]+"\nchangelog',
        'version: "2099.1"\nchangelog',
        texts["ruleset.yaml"],
        count=1,
    )
    with pytest.raises(RulesError, match="no changelog line for version 2099.1"):
        parse_rules(texts)


def test_loading_another_folder_does_not_replace_the_default_rules(tmp_path):
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    text = (folder / "ruleset.yaml").read_text(encoding="utf-8")
    text = re.sub(
        r'version: "[^"]+"\nchangelog:\n',
        'version: "2099.1"\nchangelog:\n  - {version: "2099.1", change: test, reason: test}\n',
        text,
        count=1,
    )
    (folder / "ruleset.yaml").write_text(text, encoding="utf-8")
    default = load_rules().version
    assert load_rules(folder).version == "2099.1"
    assert load_rules().version == default


def test_every_reason_in_every_entry_names_a_rule_in_the_rule_set():
    from classifier_fixtures import classify_licences

    from classifier import classify
    from registry.entry.loader import load

    ids = {rule.id for rule in load_rules().rules}
    results = [
        classify_licences(e)
        for e in (
            "CC-BY-4.0 OR CC-BY-NC-4.0",
            "CC0-1.0 AND CC-BY-4.0",
            "GPL-2.0-only WITH Linux-syscall-note",
            "Beerware",
        )
    ]
    results.append(classify_licences({"expression": "CC0-1.0", "scope": "metadata"}))
    results.append(classify_licences({"expression": "CC0-1.0", "scope": "some-items"}))
    results.append(
        classify_licences(
            {"expression": "CC0-1.0", "scope": "all"},
            {"expression": "CC-BY-NC-4.0", "scope": "some-items"},
        )
    )
    results.append(
        classify_licences(
            "LicenseRef-Public-Domain-Expired", jurisdictions=["AU"], first_published="1900"
        )
    )
    entries = Path(__file__).resolve().parent.parent / "entries"
    if entries.is_dir():
        results += [classify(item.entry) for item in load([entries])]
    fired = {reason.rule for result in results for reason in result.reasons}
    assert {
        "combine.or",
        "combine.and",
        "combine.with",
        "no-match",
        "scope.metadata-only",
        "scope.some-items-only",
        "scope.some-items",
        "pd.no-term-rule",
    } <= fired
    assert fired <= ids, sorted(fired - ids)
