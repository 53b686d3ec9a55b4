"""The dark-pattern rules on the hand-labelled text snippets of tests/checks_corpus/dark_text.

Each batch was labelled before the checker first ran on it; its first-sight and after-fix
figures are in docs/checks/dark-patterns.md. The floors below are the figures measured on the
rules as committed, so a change that makes the rules worse on any batch fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from defenceline.checks.dark_patterns.corpus import CATEGORIES, load_cases, score_cases
from defenceline.checks.engine import check_html

CORPUS = Path(__file__).resolve().parent / "checks_corpus" / "dark_text"
FOUR = ("urgency", "scarcity", "social proof", "misdirection")

# batch -> (precision, recall) floors on the four text-detectable categories, then on all.
FLOORS: dict[str, tuple[tuple[float, float] | None, tuple[float, float]]] = {
    "batch1": ((1.0, 1.0), (1.0, 1.0)),
    "batch2": ((1.0, 1.0), (1.0, 1.0)),
    "batch3": ((1.0, 1.0), (1.0, 1.0)),
    # One false positive stays: a pre-ticked "uncheck if you do not want our newsletter" box
    # is also reported as pre-selected, which the label (a trick question only) did not expect.
    "batch4": ((0.98, 1.0), (0.98, 1.0)),
    "batch5": ((1.0, 1.0), (1.0, 1.0)),
    "batch6": ((1.0, 1.0), (1.0, 1.0)),
    "batch7": ((1.0, 1.0), (1.0, 1.0)),
    "batch8": ((1.0, 1.0), (1.0, 1.0)),
    "batch9": ((1.0, 1.0), (1.0, 1.0)),
    "batch10": ((1.0, 1.0), (1.0, 1.0)),
    "batch11": (None, (1.0, 1.0)),
    # A blind second author; see docs/checks/dark-patterns.md for what stays missed and why.
    "batch12": ((1.0, 0.98), (1.0, 0.99)),
}
# Batches that test the other categories (forced action and sneaking) and none of the four.
FOCUSED = {"batch11": ("sneaking", "forced action")}


@pytest.mark.parametrize("batch", sorted(FLOORS))
def test_dark_pattern_rules_keep_their_measured_precision_and_recall(batch: str) -> None:
    score = score_cases(load_cases(CORPUS / batch))
    four, everything = score.total(FOUR), score.total()
    four_floor, (all_p, all_r) = FLOORS[batch]
    assert score.cases >= 60
    if four_floor is not None:
        assert four.precision is not None and four.recall is not None
        assert four.precision >= four_floor[0] and four.recall >= four_floor[1], score.mistakes
    assert everything.precision is not None and everything.recall is not None
    assert everything.precision >= all_p and everything.recall >= all_r, score.mistakes


def test_the_corpus_covers_seven_languages_and_every_batch_the_four_categories() -> None:
    languages: set[str] = set()
    for batch in sorted(path for path in CORPUS.iterdir() if path.is_dir()):
        cases = load_cases(batch)
        languages |= {case.lang for case in cases}
        labelled = {rule for case in cases for rule in case.expected}
        covered = FOCUSED.get(batch.name, FOUR)
        assert all(labelled & set(CATEGORIES[name]) for name in covered), batch.name
        negatives = sum(not case.expected for case in cases)
        assert 0.4 <= negatives / len(cases) <= 0.6, batch.name
        assert len({case.ident for case in cases}) == len(cases), "case ids are unique"
    assert languages >= {"nl", "en", "de", "fr", "it", "es", "he"}


def test_a_malformed_case_header_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "nl.html").write_text("<!-- case: nl-1 -->\n<p>Nog maar 2</p>\n", "utf-8")
    with pytest.raises(ValueError, match=r"nl\.html.*expect"):
        load_cases(tmp_path)
    (tmp_path / "nl.html").write_text("<!-- case: nl-1 | expect: dark-nonsense -->\n<p/>", "utf-8")
    with pytest.raises(ValueError, match="unknown rule id"):
        load_cases(tmp_path)


def _dark_rules(body: str) -> set[str]:
    report = check_html(f'<html lang="en"><body><h1>Linen shirt</h1>{body}</body></html>')
    return {f.rule for f in report.findings if f.rule.startswith("dark-") and f.severity != "info"}


def test_a_countdown_laid_out_one_element_per_number_and_unit_is_a_countdown() -> None:
    # Countdown apps put the phrase, each number and each unit label in elements of their own.
    clock = "".join(
        f'<div class="unit"><div>{n}</div><div>{unit}</div></div>'
        for n, unit in (("07", "Hours"), ("22", "Minutes"), ("51", "Seconds"))
    )
    found = _dark_rules(f'<div class="timer"><p>Hurry! Sale ends in</p>{clock}</div>')
    assert "dark-countdown-timer" in found
    assert "dark-limited-time" not in found  # the countdown is the more specific finding


def test_a_sale_end_stated_as_a_date_after_its_heading_is_not_a_countdown() -> None:
    found = _dark_rules("<h2>Our winter sale ends in</h2><p>two weeks, on Sunday 6 December</p>")
    assert "dark-countdown-timer" not in found
