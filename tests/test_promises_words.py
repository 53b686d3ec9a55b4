"""The promise reader's words are data (``defenceline/promise_words.toml``): every pattern in
the shipped file compiles, a language added to the file alone is read, and a broken file is
refused naming the file, the language and the key."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from defenceline.inputfiles import InputFileError
from defenceline.promises import (
    LANGUAGES,
    Vocabulary,
    VocabularyFileError,
    read_vocabularies,
    vocabulary,
)

SHIPPED = resources.files("defenceline") / "promise_words.toml"

# The ten topic keys every language lists (an empty list where it has none).
TOPICS = ("returns", "refund", "shipping", "free", "not_free", "dispatch", "same_day",
          "delivery", "reply", "contact")  # fmt: skip


def table(code: str, **changes: str) -> str:
    """A language table with every topic key (one word each), `changes` replacing values."""
    values = {key: f'["{key}"]' for key in TOPICS} | changes
    return f"[{code}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items() if v)


def problems(text: str, *, check_patterns: bool = False) -> list[str]:
    with pytest.raises(VocabularyFileError) as caught:
        read_vocabularies(text, "words.toml", check_patterns=check_patterns)
    return [p.format(caught.value.file) for p in caught.value.problems]


def test_every_pattern_in_the_shipped_file_compiles() -> None:
    checked = read_vocabularies(SHIPPED.read_text("utf-8"), str(SHIPPED), check_patterns=True)
    assert checked == LANGUAGES
    assert list(LANGUAGES) == ["nl", "en", "de", "fr", "it", "es", "he"]


def test_the_shipped_words_are_those_the_reader_uses() -> None:
    dutch = vocabulary("nl_BE")
    assert dutch is LANGUAGES["nl"]
    assert "retour" in dutch.returns
    assert dutch.range_words == ("-", "–", "tot", "à", "a")
    # A key a language leaves out keeps its default: Dutch has no clock words after a number.
    assert dutch.clock_after == ()
    assert LANGUAGES["he"].prefix == "[ובהלמשכ]{0,3}"
    assert LANGUAGES["en"].included[0] == r"incl\.?"  # a literal string keeps its backslash


def test_a_language_added_to_the_file_alone_is_read_with_its_defaults() -> None:
    text = table("pt", returns='["devolu", "troca"]', clause_words='["e", "mas"]')
    (pt,) = read_vocabularies(text, "words.toml").values()
    words: dict[str, Any] = {key: (key,) for key in TOPICS}
    words |= {"returns": ("devolu", "troca"), "clause_words": ("e", "mas")}
    assert pt == Vocabulary(**words)
    assert pt.range_words == ("-", "–")


def test_a_missing_topic_key_names_the_file_language_and_key() -> None:
    assert problems(table("fr", refund="")) == [
        "words.toml: fr.refund: missing; expected its refund words ([] where it has none)"
    ]


def test_an_unknown_key_is_named_with_the_keys_expected() -> None:
    (found,) = problems(table("de", retuns='["rückgabe"]'))
    assert found.startswith("words.toml: de.retuns: unknown key; expected one of returns, ")
    assert "remaining_after" in found


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("returns", '"retour"', "expected a list of words, each a non-empty text, got 'retour'"),
        ("free", '["gratis", 3]', "expected a list of words, each a non-empty text"),
        ("shipping", '[""]', "expected a list of words, each a non-empty text"),
        ("prefix", '["ו"]', "expected text, got ['ו']"),
    ],
)
def test_a_value_of_the_wrong_kind_is_named(key: str, value: str, expected: str) -> None:
    (found,) = problems(table("nl", **{key: value}))
    assert found.startswith(f"words.toml: nl.{key}: {expected}")


def test_every_problem_is_listed_and_none_of_the_file_is_used() -> None:
    text = table("nl", reply="") + table("en", totals="'total'") + '[xx-1]\nreturns = ["a"]\n'
    assert problems(text) == [
        "words.toml: nl.reply: missing; expected its reply words ([] where it has none)",
        "words.toml: en.totals: expected a list of words, each a non-empty text, got 'total'",
        "words.toml: xx-1: expected a table named by a language's ISO 639 code (two or three "
        "letters), such as [nl]",
    ]


def test_a_broken_pattern_is_named_when_patterns_are_checked() -> None:
    text = table("en", shipping="['ship(?:ping', \"postage\"]")
    assert read_vocabularies(text, "words.toml")["en"].shipping[1] == "postage"
    (found,) = problems(text, check_patterns=True)
    assert found.startswith("words.toml: en.shipping: 'ship(?:ping' is not a pattern the regex")
    # Plain words are matched as written: an unbalanced bracket there is no problem.
    plain = table("en", clause_words='["and (", "but"]')
    assert read_vocabularies(plain, "words.toml", check_patterns=True)["en"].clause_words[0]


def test_a_toml_syntax_error_names_the_file_and_line() -> None:
    with pytest.raises(InputFileError) as caught:
        read_vocabularies('[nl]\nreturns = ["retour" "terug"]\n', "words.toml")
    assert isinstance(caught.value, VocabularyFileError)
    assert caught.value.format().startswith(
        "words.toml: 1 problem in the promise reader's words\n  words.toml:2: "
    )


def test_an_empty_file_is_refused() -> None:
    assert problems("# nothing yet\n") == [
        "words.toml: expected a table of words per language, such as [nl]"
    ]
