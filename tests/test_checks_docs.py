"""The rule reference in docs/rules/ is generated from the rules and must be up to date."""

from __future__ import annotations

from pathlib import Path

from defenceline.checks import RULES
from defenceline.checks.ruledocs import main, rule_pages

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_committed_rule_docs_match_the_rule_code() -> None:
    stale = [
        name
        for name, content in rule_pages().items()
        if not (DOCS / name).exists() or (DOCS / name).read_text(encoding="utf-8") != content
    ]
    assert stale == [], (
        f"regenerate with `python -m defenceline.checks.ruledocs docs/rules`: {stale}"
    )
    documented = {p.stem for p in DOCS.glob("*.md")} - {"README"}
    assert documented == set(RULES)


def test_generator_writes_and_then_reports_nothing_stale(tmp_path: Path) -> None:
    assert main([str(tmp_path), "--check"]) == 1
    assert main([str(tmp_path)]) == 0
    assert main([str(tmp_path), "--check"]) == 0
    (tmp_path / "old-rule.md").write_text("gone")
    assert main([str(tmp_path), "--check"]) == 1
    page = (tmp_path / "price-visible.md").read_text(encoding="utf-8")
    assert "## Why it matters" in page and "## Fails" in page and "## Passes" in page
