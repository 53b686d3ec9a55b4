"""The rule core (`defenceline.rules`): one rule shape, one finding shape and one reference
generator for every part, and the reference in docs/rules/ current for every registered part."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path

import pytest

from defenceline.rules import (
    Finding,
    Rule,
    RuleFileError,
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
    from defenceline.checks.registry import RuleInfo

    described = {
        "severity": "warning",
        "summary": "The price is shown.",
        "why": "Shoppers need the price.",
        "failing": "<h1>Fietstas</h1>",
        "passing": "<h1>Fietstas</h1><p>€ 49,95</p>",
    }
    with pytest.raises(ValueError, match="expected kebab-case"):
        RuleInfo(id="Price_Shown", page_types=("product",), **described)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"page_types \('homepage',\); expected some of product"):
        RuleInfo(id="price-shown", page_types=("homepage",), **described)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="page_types \\(\\); expected some of"):
        RuleInfo(id="price-shown", **described)  # type: ignore[arg-type]


# --- rules as data: one loader for every part's rules.toml ---------------------------------------

RULES_TOML = """\
[set]
name = "example"
title = "Example rules"
tool = "`defenceline example`"
intro = \"""
These rules are \\
examples.\\
\"""

[rules.returns-window-mismatch]
severity = "warning"
summary = "A return period differs from the policy."
why = "A promise the shop does not keep becomes a complaint."
failing = \"""
<h1>Retour</h1>\\
<p>Send it back within 14 days.</p>\\
\"""
passing = \"""
line one
  line two, indented
\"""

[rules.cutoff-mismatch]
severity = "error"
summary = "An order-by time differs from the policy's cut-off."
why = "A shopper who believed it misses the dispatch."
fix = "Write the policy's cut-off."
notes = ["**Needs:** a policy"]
failing = "Order before 17:00."
passing = "Order before 16:00."
"""


@pytest.fixture
def rules_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable package `examplerules` that a test writes its rules.toml into."""
    package = tmp_path / "examplerules"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "examplerules", raising=False)  # each test's own package
    return package / "rules.toml"


def test_a_rules_file_loads_as_a_rule_set_in_file_order(rules_package: Path) -> None:
    rules_package.write_text(RULES_TOML, encoding="utf-8")
    rule_set = RuleSet.from_toml("examplerules", "rules.toml", Rule)
    assert rule_set.ids == ("returns-window-mismatch", "cutoff-mismatch")
    assert rule_set.intro == "These rules are examples."
    window, cutoff = rule_set
    # A backslash at a line's end joins the lines with nothing between; other lines keep theirs.
    assert window.failing == "<h1>Retour</h1><p>Send it back within 14 days.</p>"
    assert window.passing == "line one\n  line two, indented\n"
    assert window.help == "docs/rules/example/returns-window-mismatch.md"
    assert (cutoff.severity, cutoff.fix, cutoff.notes) == (
        "error",
        "Write the policy's cut-off.",
        ("**Needs:** a policy",),
    )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('fix = "Write', 'fixx = "Write',
         "rules.cutoff-mismatch.fixx: unknown key; expected one of example_syntax, failing"),
        ('why = "A shopper who believed it misses the dispatch."\n', "",
         "rules.cutoff-mismatch.why: missing"),
        ('severity = "error"', 'severity = "fatal"',
         "rules.cutoff-mismatch.severity: Input should be 'error', 'warning' or 'info', "
         "got 'fatal'"),
        ('failing = "Order before 17:00."', "failing = 1700",
         "rules.cutoff-mismatch.failing: Input should be a valid string, got 1700"),
        ('notes = ["**Needs:** a policy"]', 'notes = "**Needs:** a policy"',
         "rules.cutoff-mismatch.notes: Input should be a valid array"),
        ("[rules.cutoff-mismatch]", "[rules.Cutoff_Mismatch]",
         "rules.Cutoff_Mismatch: rule id 'Cutoff_Mismatch': expected kebab-case"),
        ('passing = "Order before 16:00."', 'passing = " "',
         "rules.cutoff-mismatch: rule 'cutoff-mismatch': passing is empty"),
        ('title = "Example rules"', "title = 3", "set.title: expected a string, got 3"),
        ('tool = "`defenceline example`"\n', "", "set.tool: missing"),
        ("[set]", "[sett]", "sett: unknown key; expected one of rules, set"),
        # a TOML date is no text
        ('fix = "Write the policy\'s cut-off."', "fix = 2026-11-28",
         "rules.cutoff-mismatch: a date or time where text was expected"),
    ],
)  # fmt: skip
def test_a_badly_written_rules_file_is_refused_naming_the_file_the_rule_and_what_was_expected(
    rules_package: Path, old: str, new: str, problem: str
) -> None:
    assert old in RULES_TOML
    rules_package.write_text(RULES_TOML.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        RuleSet.from_toml("examplerules", "rules.toml", Rule)
    message = str(raised.value)
    assert message.startswith(str(rules_package))
    assert problem in message


def test_every_problem_of_a_rules_file_is_reported_at_once(rules_package: Path) -> None:
    text = RULES_TOML.replace('severity = "warning"', 'severity = "fatal"').replace(
        'fix = "Write', 'fixx = "Write'
    )
    rules_package.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        RuleSet.from_toml("examplerules", "rules.toml", Rule)
    assert "rules.returns-window-mismatch.severity" in str(raised.value)
    assert "rules.cutoff-mismatch.fixx: unknown key" in str(raised.value)


def test_a_rules_file_that_is_not_toml_is_refused_with_its_line(rules_package: Path) -> None:
    text = RULES_TOML.replace('severity = "error"', "severity = error")
    rules_package.write_text(text, encoding="utf-8")
    line = text.split("\n").index("severity = error") + 1
    with pytest.raises(
        RuleFileError, match=rf"rules.toml:{line}: .*\(column \d+\); expected valid TOML"
    ):
        RuleSet.from_toml("examplerules", "rules.toml", Rule)


def test_a_part_s_own_rule_keys_are_loaded_and_typed(rules_package: Path) -> None:
    from defenceline.manifesto.rules import Rule as ManifestoRule

    text = RULES_TOML + 'example_part = "ambition"\npolicy_patch = ["cost = \\"free\\"", "x"]\n'
    rules_package.write_text(text, encoding="utf-8")
    cutoff = RuleSet.from_toml("examplerules", "rules.toml", ManifestoRule)["cutoff-mismatch"]
    assert cutoff.example_part == "ambition"
    assert cutoff.policy_patch == ('cost = "free"', "x")
    rules_package.write_text(text.replace(', "x"]', "]"), encoding="utf-8")
    with pytest.raises(
        RuleFileError, match=r"rules.cutoff-mismatch.policy_patch.1: Field required"
    ):
        RuleSet.from_toml("examplerules", "rules.toml", ManifestoRule)


def test_a_checker_rule_check_without_metadata_is_refused() -> None:
    from collections.abc import Iterator

    from defenceline.checks.registry import RULES, Context, Hit, register

    def price_shown(ctx: Context) -> Iterator[Hit]:
        yield Hit("no price")

    with pytest.raises(ValueError, match=r"price_shown: rules.toml has no \[rules.price-shown\]"):
        register("price-shown")(price_shown)
    assert "price-shown" not in RULES
    with pytest.raises(ValueError, match="'breadcrumbs' is registered twice"):
        register("breadcrumbs")(price_shown)
    assert RULES["breadcrumbs"].check is not price_shown


def test_checker_metadata_without_a_check_is_refused() -> None:
    from defenceline.checks.registry import RULE_INFO, RuleInfo, registered_info

    orphan = RuleInfo(
        id="price-shown",
        severity="warning",
        summary="The price is shown.",
        why="Shoppers need the price.",
        failing="<h1>Fietstas</h1>",
        passing="<h1>Fietstas</h1><p>€ 49,95</p>",
        page_types=("product",),
    )
    with pytest.raises(ValueError, match="describes price-shown but no check registers it"):
        registered_info(replace(RULE_INFO, rules=(*RULE_INFO, orphan)))
    assert registered_info().ids == RULE_INFO.ids


def test_a_checker_rule_carries_its_metadata_from_rules_toml() -> None:
    from defenceline.checks.registry import RULE_INFO, RULES

    assert list(RULES) == list(RULE_INFO.ids)
    for rule_id, rule in RULES.items():
        info = RULE_INFO[rule_id]
        assert {f.name: getattr(rule, f.name) for f in fields(info)} == asdict(info)
        assert rule.check.__module__.startswith("defenceline.checks.")


@pytest.mark.parametrize("value", ['"yes"', "1", "0"])
def test_a_rules_file_says_booleans_as_true_or_false(rules_package: Path, value: str) -> None:
    from defenceline.manifesto.rules import Rule as ManifestoRule

    rules_package.write_text(RULES_TOML + f"needs_policy = {value}\n", encoding="utf-8")
    with pytest.raises(
        RuleFileError,
        match=r"rules.cutoff-mismatch.needs_policy: Input should be a valid boolean",
    ):
        RuleSet.from_toml("examplerules", "rules.toml", ManifestoRule)
    rules_package.write_text(RULES_TOML + "needs_policy = true\n", encoding="utf-8")
    assert RuleSet.from_toml("examplerules", "rules.toml", ManifestoRule)[
        "cutoff-mismatch"
    ].needs_policy
