"""Word counting for the 50-word limit: the same rules in Dutch, English, Hebrew and beyond."""

from __future__ import annotations

import pytest

from defenceline.manifesto import count_words
from defenceline.manifesto.words import split_words


def test_dutch_sentence_counts_words_between_spaces() -> None:
    text = "Bij Trapkracht geloven we dat elke rit veilig en droog moet kunnen."
    assert count_words(text) == 12


def test_english_contractions_and_hyphenated_words_count_once() -> None:
    text = "We don't sell e-bikes, and that's why we're different."
    assert split_words(text) == [
        "We", "don't", "sell", "e-bikes,", "and", "that's", "why", "we're", "different.",
    ]  # fmt: skip


def test_hebrew_vowel_points_do_not_split_words() -> None:
    # With niqqud every vowel is a combining mark; a \w+ count would split the words apart.
    assert count_words("שָׁלוֹם עֲלֵיכֶם") == 2
    assert count_words("שלום עליכם") == 2


def test_hebrew_acronyms_prefixes_and_maqaf_count_as_one_word() -> None:
    text = 'צה״ל, מ"מ, והחנות שלנו בית־ספר לרוכבים'
    assert split_words(text) == ["צה״ל,", 'מ"מ,', "והחנות", "שלנו", "בית־ספר", "לרוכבים"]


def test_hebrew_statement_counts_like_its_translation() -> None:
    hebrew = "אנחנו עונים לכל מייל תוך 24 שעות ומחזירים כסף תוך 30 יום"
    assert count_words(hebrew) == 12


def test_numbers_times_and_amounts_are_words_but_lone_punctuation_is_not() -> None:
    assert split_words("Vóór 16:00 besteld – €4,95 … 🚲 !") == ["Vóór", "16:00", "besteld", "€4,95"]


def test_dashes_used_as_pauses_separate_words() -> None:
    assert count_words("fietsen—snel en droog–altijd") == 5


def test_no_break_and_thin_spaces_separate_words() -> None:
    assert count_words("€\u00a050\u202fper maand") == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日本語の文章です", 8),  # every ideograph and kana segment counts
        ("自転車 shop", 4),
        ("", 0),
        ("   \n\t ", 0),
    ],
)
def test_scripts_without_spaces_count_each_word_segment(text: str, expected: int) -> None:
    assert count_words(text) == expected
