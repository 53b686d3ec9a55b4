"""Counting words the same way in every script, so "50 words or fewer" means one thing.

A word is a stretch of text between Unicode white space (or a dash standing for a pause: en
dash, em dash, horizontal bar, ellipsis) that holds at least one letter or digit as Unicode
defines them. What follows from that:

- Hebrew niqqud and cantillation marks, geresh and gershayim (צה״ל) and Arabic harakat are part
  of their word: they are combining marks or punctuation *inside* a stretch, never a separator.
  (Python's ``re`` ``\\w+`` would split "שָׁלוֹם" into pieces at every vowel point.)
- Joined forms count once, as a word processor counts them: ``e-mail``, ``don't``, ``16:00``,
  ``€4,95``, ``בית־ספר`` (with a maqaf), ``fiets/wandel``.
- A dash, bullet or emoji standing alone is not a word.
- Scripts written without spaces between words — Chinese and Japanese — count every word
  segment that Unicode's word-boundary rules (UAX #29, from the `regex` module) find: each
  ideograph, each kana run. This matches what word processors report for East Asian text.
  Thai, Lao, Khmer and Burmese need a dictionary to find word boundaries; a run of them counts
  as one word per space-separated stretch.
"""

from __future__ import annotations

import regex

__all__ = ["count_words", "split_words"]

WORD_LIMIT = 50
"""The template's limit for each statement."""

# White space per Unicode (NBSP, thin space, ideographic space…), zero-width space (a word
# separator in scripts without spaces), and dashes or an ellipsis used as a pause.
_SEPARATOR = regex.compile(r"[\s\u200b\u2013\u2014\u2015\u2026]+")
_WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")
_EACH_SEGMENT_COUNTS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}]")
_WORD_BOUNDARY = regex.compile(r"\b", flags=regex.WORD | regex.V1)


def split_words(text: str) -> list[str]:
    """The words of `text` in order, by the rules in this module's docstring."""
    words: list[str] = []
    for stretch in _SEPARATOR.split(text):
        if not _WORD_CHARACTER.search(stretch):
            continue
        if not _EACH_SEGMENT_COUNTS.search(stretch):
            words.append(stretch)
            continue
        # East Asian text: every ideographic/kana segment is a word; other letters and digits
        # between them, with the punctuation that joins them, form one word per run.
        run = ""
        for segment in _WORD_BOUNDARY.split(stretch):
            if not segment:
                continue
            if _EACH_SEGMENT_COUNTS.search(segment):
                if _WORD_CHARACTER.search(run):
                    words.append(run)
                run = ""
                words.append(segment)
            else:
                run += segment
        if _WORD_CHARACTER.search(run):
            words.append(run)
    return words


def count_words(text: str) -> int:
    """How many words `text` has; see the module docstring for what a word is."""
    return len(split_words(text))
