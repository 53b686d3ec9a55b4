"""The rule core (`defenceline.rules`): one rule shape, one finding shape and one reference
generator for every part, and the reference in docs/rules/ current for every registered part."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from defenceline.rules import (
    Finding,
    Rule,
    RuleSet,
    main,
    reference_pages,
    registered_rule_sets,
    stale_pages,
    write_reference,
)

ROOT = Path(__file__).resolve().parent.parent


def a_rule(**changes: str) -> Rule:
    fields = {
        "id": "returns-window-mismatch",
        "severity": "warning",
        "summary": "A return period differs from the policy.",
        "why": "A promise the shop does not keep becomes a complaint.",
        "failing": "Send it back within 14 days.",
        "passing": "Send it back within 30 days.",
    }
    fields.update(changes)
    return Rule(**fields)  # type: ignore[arg-type]


def a_set(*rules: Rule) -> RuleSet[Rule]:
    return RuleSet(
        name="example",
        title="Example rules",
        tool="`defenceline example`",
        intro="These rules are examples.",
        rules=rules or (a_rule(),),
    )


def test_every_part_registers_its_rules() -> None:
    sets = registered_rule_sets()
    assert {"checks", "manifesto", "helpcentre"} <= set(sets)
    for rule_set in sets.values():
        assert len(rule_set) > 0
        assert all(rule.help == f"{rule_set.docs}/{rule.id}.md" for rule in rule_set)


@pytest.mark.parametrize("name", sorted(registered_rule_sets()))
def test_reference_in_docs_rules_is_generated_from_the_rules(name: str) -> None:
    rule_set = registered_rule_sets()[name]
    stale = stale_pages(rule_set, ROOT / rule_set.docs)
    assert stale == [], "run: python -m defenceline.rules docs/rules"


def test_rule_ids_across_parts_never_collide() -> None:
    ids = [rule.id for rule_set in registered_rule_sets().values() for rule in rule_set]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Missing_Part"}, "expected kebab-case"),
        ({"severity": "fatal"}, "expected one of error, warning, info"),
        ({"why": "  "}, "why is empty"),
        ({"passing": ""}, "passing is empty"),
    ],
)
def test_a_badly_written_rule_is_refused_naming_what_is_wrong(
    changes: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        a_rule(**changes)


def test_a_rule_set_refuses_the_same_id_twice() -> None:
    with pytest.raises(ValueError, match="'returns-window-mismatch' appears twice"):
        a_set(a_rule(), a_rule())


def test_info_is_a_severity() -> None:
    rule_set = a_set(a_rule(severity="info"))
    assert rule_set.finding("returns-window-mismatch", "advice").severity == "info"


def test_a_finding_takes_its_severity_and_help_link_from_its_rule() -> None:
    rule_set = a_set(a_rule(), a_rule(id="cutoff-mismatch", severity="error"))
    finding = rule_set.finding(
        "cutoff-mismatch",
        "'17:00' is not the policy's cut-off",
        file="faq/shipping.md",
        line=4,
        evidence="Order before 17:00.",
        policy_field="warehouse.cutoff",
    )
    assert finding.severity == "error"
    assert finding.help == "docs/rules/example/cutoff-mismatch.md"
    assert finding.format() == (
        "faq/shipping.md:4: error: '17:00' is not the policy's cut-off [cutoff-mismatch]"
        "\n    > Order before 17:00."
    )
    assert finding.to_dict()["policy_field"] == "warehouse.cutoff"
    with pytest.raises(KeyError, match="no rule 'missing' in the example rules"):
        rule_set.finding("missing", "?")


def test_findings_are_plain_values() -> None:
    one = Finding("too-long", "error", "53 words", file="m.md", line=3)
    assert one == Finding("too-long", "error", "53 words", file="m.md", line=3)
    assert one.where() == "m.md:3" and one.where("other.md") == "other.md:3"


def test_reference_page_shows_why_and_both_examples() -> None:
    pages = reference_pages(a_set(a_rule(fix="Write the policy's window.")))
    page = pages["returns-window-mismatch.md"]
    assert page.startswith("# `returns-window-mismatch`\n\nA return period differs")
    assert "- **Default severity:** warning" in page
    assert "## Why it matters\n\nA promise the shop does not keep" in page
    assert "## How to fix\n\nWrite the policy's window." in page
    assert "## Fails\n\n```text\nSend it back within 14 days.\n```" in page
    assert "## Passes\n\n```text\nSend it back within 30 days.\n```" in page
    assert (
        "| [`returns-window-mismatch`](returns-window-mismatch.md) | warning |"
        in (pages["README.md"])
    )


def test_writing_the_reference_updates_changed_pages_and_removes_old_ones(tmp_path: Path) -> None:
    rule_set = a_set()
    (tmp_path / "retired-rule.md").write_text("# gone\n", encoding="utf-8")
    assert sorted(write_reference(rule_set, tmp_path)) == [
        "README.md",
        "retired-rule.md",
        "returns-window-mismatch.md",
    ]
    assert not (tmp_path / "retired-rule.md").exists()
    assert stale_pages(rule_set, tmp_path) == []
    (tmp_path / "README.md").write_text("edited by hand\n", encoding="utf-8")
    assert stale_pages(rule_set, tmp_path) == ["README.md"]


def test_generator_check_fails_on_a_stale_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path)]) == 0
    assert main([str(tmp_path), "--check"]) == 0
    page = tmp_path / "manifesto" / "too-long.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    capsys.readouterr()
    assert main([str(tmp_path), "--check"]) == 1
    assert f"{page}: out of date" in capsys.readouterr().err


def test_generator_runs_as_a_module(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "defenceline.rules", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "manifesto" / "README.md").is_file()
    assert (tmp_path / "helpcentre" / "hard-coded-fact.md").is_file()


def test_every_part_reports_the_cores_finding() -> None:
    from defenceline.checks import Finding as CheckerFinding
    from defenceline.checks import check_html
    from defenceline.helpcentre import Finding as HelpCentreFinding
    from defenceline.manifesto import Finding as ManifestoFinding

    assert all(
        issubclass(part, Finding) for part in (CheckerFinding, HelpCentreFinding, ManifestoFinding)
    )
    page = "<html lang='nl'><body><h1>Fietstas</h1><button>In winkelwagen</button></body></html>"
    report = check_html(page, "p.html", page_type="product")
    finding = next(f for f in report.findings if f.rule == "price-visible")
    assert isinstance(finding, Finding)
    assert finding.to_dict() == {
        "rule": "price-visible",
        "severity": finding.severity,
        "message": finding.message,
        "selector": finding.selector,
        "snippet": finding.evidence,
        "help": "docs/rules/price-visible.md",
    }


def test_a_badly_described_checker_rule_is_refused_by_the_core() -> None:
    from defenceline.checks.registry import RULES, Rule, register

    class Misnamed(Rule):
        id = "Price_Shown"
        severity = "warning"
        page_types = ("product",)
        summary = "The price is shown."
        why = "Shoppers need the price."
        failing = "<h1>Fietstas</h1>"
        passing = "<h1>Fietstas</h1><p>€ 49,95</p>"

    class Unplaced(Misnamed):
        id = "price-shown"
        page_types = ("homepage",)

    with pytest.raises(ValueError, match="expected kebab-case"):
        register(Misnamed)
    with pytest.raises(ValueError, match="page_types"):
        register(Unplaced)
    assert "price-shown" not in RULES
