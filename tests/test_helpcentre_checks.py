"""The help centre's promise check: a FAQ page whose written values contradict store.toml gets a
warning naming the policy field and what it holds — in `defenceline helpcentre check` and in
the MkDocs build — read by the same promise reader as the manifesto."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from defenceline import load_policy
from defenceline.cli import main
from defenceline.helpcentre import build_site, check_site, create_help_centre

ROOT = Path(__file__).resolve().parent.parent
DEMO_POLICY = ROOT / "examples" / "demo-shop" / "store.toml"
RULE = "promise-contradicts-policy"


def scaffold(target: Path, language: str = "nl") -> Path:
    create_help_centre(target, load_policy(DEMO_POLICY), DEMO_POLICY, language=language)
    return target


def add_to_page(site: Path, page: str, markdown: str) -> int:
    """Append `markdown` to a page; returns the line the addition starts on."""
    path = site / "docs" / page
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + markdown, encoding="utf-8")
    return text.count("\n") + 1


def contradictions(site: Path) -> list[str]:
    return [f.format() for f in check_site(site).findings if f.rule == RULE]


@pytest.mark.parametrize("language", ["nl", "en", "he"])
def test_scaffolded_help_centre_states_no_value_the_policy_contradicts(
    tmp_path: Path, language: str
) -> None:
    assert check_site(scaffold(tmp_path / "src", language)).findings == []


def test_faq_shipping_price_that_differs_is_a_warning_naming_the_field_and_its_value(
    tmp_path: Path,
) -> None:
    site = scaffold(tmp_path / "src")
    line = add_to_page(site, "faq/verzending.md", "Verzending kost € 5,95.\n")
    [finding] = [f for f in check_site(site).findings if f.rule == RULE]
    assert finding.severity == "warning"
    assert finding.file is not None and finding.file.endswith("docs/faq/verzending.md")
    assert finding.line == line
    assert finding.policy_field == "shipping.zones.rate"
    assert "'€ 5,95' is none of the policy's shipping rates" in finding.message
    assert "€\xa04,95" in finding.message and "(store.toml: shipping.zones.rate)" in finding.message
    assert finding.evidence == "Verzending kost € 5,95."


def test_each_value_is_filed_under_its_own_clause(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    add_to_page(
        site, "faq/retourneren.md", "Verzending kost € 5,95 en retourneren kan binnen 14 dagen.\n"
    )
    found = [(f.policy_field, f.message.split(" ", 2)[0]) for f in check_site(site).findings]
    assert found == [("shipping.zones.rate", "'€"), ("returns.window_days", "'14")]


def test_matching_values_keep_the_advice_to_use_the_variable(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    add_to_page(site, "faq/verzending.md", "Verzending kost € 4,95 en retourneren 30 dagen.\n")
    rules = [(f.rule, f.message) for f in check_site(site).findings]
    assert [rule for rule, _ in rules] == ["hard-coded-fact", "hard-coded-fact"]
    advice = " ".join(message for _, message in rules)
    assert "{{ shipping.rate }}" in advice and "{{ returns.window }}" in advice


def test_values_in_lists_tables_and_headings_are_read_line_by_line(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    start = add_to_page(
        site,
        "faq/verzending.md",
        "## Retourneren binnen 14 dagen\n\n"
        "- Gratis verzending vanaf € 40\n"
        "- Bezorgd binnen **5 werkdagen**\n\n"
        "| Bestel vóór | 18:00 |\n"
        "|---|---|\n",
    )
    found = [(f.line, f.policy_field) for f in check_site(site).findings if f.rule == RULE]
    assert found == [
        (start, "returns.window_days"),
        (start + 2, "shipping.zones.free_shipping_from"),
        (start + 3, "shipping.zones.transit_days"),
        (start + 5, "warehouse.cutoff"),
    ]


def test_values_in_macros_code_and_comments_are_not_prose(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    add_to_page(
        site,
        "faq/verzending.md",
        "Verzending kost {{ shipping.rate }}.\n\n`verzending € 9,99`\n\n"
        "<!-- verzending € 9,99 -->\n\n```\nverzending € 9,99\n```\n",
    )
    assert contradictions(site) == []


def test_a_page_can_turn_the_check_off(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    add_to_page(site, "faq/verzending.md", "Verzending kost € 5,95.\n")
    assert len(contradictions(site)) == 1
    path = site / "docs" / "faq" / "verzending.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("faq: shipping\n", f"faq: shipping\nignore_checks: [{RULE}]\n"))
    assert contradictions(site) == []


def test_english_page_is_read_in_english(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src", "en")
    add_to_page(site, "faq/returns.md", "You can send it back within 14 days.\n")
    [message] = contradictions(site)
    assert "'14 days' differs from the policy's return window of 30 days" in message


def test_check_command_prints_the_warning_and_fails(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    line = add_to_page(site, "faq/verzending.md", "Verzending kost € 5,95.\n")
    result = CliRunner().invoke(main, ["helpcentre", "check", str(site)])
    assert result.exit_code == 1
    assert f"warning: {site}/docs/faq/verzending.md:{line}: '€ 5,95'" in result.output
    assert f"[{RULE}]" in result.output
    assert "Traceback" not in result.output


def test_contradiction_fails_a_strict_mkdocs_build(tmp_path: Path) -> None:
    site = scaffold(tmp_path / "src")
    add_to_page(site, "faq/retourneren.md", "Je kunt retourneren binnen 14 dagen.\n")
    strict = build_site(site, tmp_path / "site")
    assert not strict.ok
    assert any(RULE in line and "returns.window_days" in line for line in strict.messages)
    assert not (tmp_path / "site").exists()
