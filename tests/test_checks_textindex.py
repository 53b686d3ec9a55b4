"""The word index finds exactly the blocks a full scan finds, for every lexicon pattern."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from defenceline.checks import lexicon
from defenceline.checks.page import Page
from defenceline.checks.textindex import WordIndex, pattern_triggers

CORPUS = Path(__file__).resolve().parent / "checks_corpus"
PATTERNS = {
    **{name: value for name, value in vars(lexicon).items() if isinstance(value, re.Pattern)},
    **{f"SPEC_KEYS[{key}]": value for key, value in lexicon.SPEC_KEYS.items()},
    **{f"STOCK_PHRASES[{i}]": value for i, (value, _) in enumerate(lexicon.STOCK_PHRASES)},
}


def _pages() -> list[Page]:
    files = sorted(CORPUS.glob("*.html")) + sorted((CORPUS / "heldout").glob("*.html"))
    return [Page(path.read_bytes().decode("utf-8", "replace"), path.name) for path in files]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_indexed_search_equals_a_full_scan(name: str) -> None:
    pattern = PATTERNS[name]
    for page in _pages():
        full = [block.start for block in page.blocks if pattern.search(block.text)]
        indexed = [block.start for block in page.blocks_matching(pattern)]
        assert indexed == full, (name, page.target)


def test_the_scanning_patterns_have_trigger_words() -> None:
    scanned = [
        "DELIVERY_KEYWORD", "SHIPPING_KEYWORD", "RETURNS_KEYWORD", "LOW_STOCK", "HIGH_DEMAND",
        "SOCIAL_PROOF", "COUNTDOWN_TEXT", "FEE_WORDS", "SHIPPING_ROW",
    ]  # fmt: skip
    assert [name for name in scanned if pattern_triggers(PATTERNS[name]) is None] == []
    for key, value in lexicon.SPEC_KEYS.items():
        assert pattern_triggers(value) is not None, key


def test_triggers_are_word_stems_and_cover_accented_spellings() -> None:
    triggers = pattern_triggers(re.compile(r"\bd[ée]p[êe]chez-vous\b|\bnur noch (\d+)\b", re.I))
    assert triggers == {"dépêchez", "depêchez", "dépechez", "depechez", "noch"} or (
        triggers is not None and "noch" in triggers and "depechez" in triggers
    )
    assert pattern_triggers(re.compile(r"\b(?:verzend|bezorg)kosten\b")) == {"verzend", "bezorg"}
    assert pattern_triggers(re.compile(r"\d+:\d+")) is None


def test_word_index_finds_texts_by_prefix() -> None:
    index = WordIndex(["Verzendkosten € 4,95", "Gratis bezorgd", "Nothing here"])
    assert index.texts_with_prefix(["verzend"]) == {0}
    assert index.texts_with_prefix(["bezorg", "grat"]) == {1}
    assert index.texts_with_prefix(["zzz"]) == set()
