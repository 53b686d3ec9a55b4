"""Find the few blocks a pattern can match in, without running it over the whole page.

The lexicon's patterns are long, case-insensitive alternations; Python's `re` tries every
alternative at every character, so scanning a page's full text with twenty of them costs more
than parsing the page. But each alternative starts (after a word boundary) with a literal word
or word stem — "verzend", "livraison", "nur noch". `pattern_triggers` extracts those stems from
the compiled pattern itself (so the lexicon stays the single source), and `WordIndex` maps every
word of a page to the blocks it occurs in. A pattern then runs only on blocks that contain one
of its trigger stems; a pattern whose stems cannot be derived runs on every block, so results
are always the same as a full scan.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Iterable
from itertools import product
from typing import Any

# The regex parser behind `re` (public as sre_parse before 3.11, deprecated since).
sre_parse: Any = importlib.import_module("re._parser")
sre_constants: Any = importlib.import_module("re._constants")

__all__ = ["WordIndex", "pattern_has_anchors", "pattern_triggers"]

_WORD = re.compile(r"\w+")
_MIN_STEM = 3
_MAX_EXPANSIONS = 16
_cache: dict[tuple[str, int], frozenset[str] | None] = {}
_anchor_cache: dict[tuple[str, int], bool] = {}

_LITERAL = sre_constants.LITERAL
_IN = sre_constants.IN
_AT = sre_constants.AT
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_MAX_REPEAT = sre_constants.MAX_REPEAT
_MIN_REPEAT = sre_constants.MIN_REPEAT
_CATEGORY = sre_constants.CATEGORY
_WORD_START_AT = {sre_constants.AT_BOUNDARY, sre_constants.AT_BEGINNING}


def _char_options(op: Any, av: Any) -> set[str] | None:
    if op is _LITERAL:
        return {chr(av).lower()}
    if op is _IN:
        options: set[str] = set()
        for inner_op, inner_av in av:
            if inner_op is not _LITERAL:
                return None
            options.add(chr(inner_av).lower())
        return options if 0 < len(options) <= 4 else None
    return None


class _Sequence:
    """Walks one sequence of regex items, collecting literal stems that start a word."""

    def __init__(self) -> None:
        self.best: frozenset[str] | None = None
        self.run: list[set[str]] = []
        self.run_starts_word = False
        self.word_start = True

    def offer(self, stems: frozenset[str] | None) -> None:
        if stems is None:
            return
        if self.best is None or min(map(len, stems)) > min(map(len, self.best)):
            self.best = stems

    def flush(self) -> None:
        if self.run and self.run_starts_word and len(self.run) >= _MIN_STEM:
            combos = 1
            for options in self.run:
                combos *= len(options)
            if combos <= _MAX_EXPANSIONS:
                self.offer(frozenset("".join(chars) for chars in product(*self.run)))
        self.run = []

    def feed(self, items: Iterable[tuple[Any, Any]]) -> None:
        for op, av in items:
            options = _char_options(op, av)
            if options is not None:
                if any(not c.isalnum() and c != "_" for c in options):
                    self.flush()  # a space or apostrophe: the next character starts a word
                    self.word_start = True
                    continue
                if not self.run:
                    self.run_starts_word = self.word_start
                self.run.append(options)
                self.word_start = False
                continue
            self.flush()
            if op is _AT:
                self.word_start = av in _WORD_START_AT or self.word_start
            elif op is _SUBPATTERN:
                content = av[-1]
                if len(content) == 1 and content[0][0] is _BRANCH:
                    self.offer(_branch_triggers(content[0][1][1], self.word_start))
                    self.word_start = False
                else:
                    self.feed(content)
            elif op is _BRANCH:
                self.offer(_branch_triggers(av[1], self.word_start))
                self.word_start = False
            elif op in (_MAX_REPEAT, _MIN_REPEAT):
                low, _high, inner = av
                inner_items = list(inner)
                if low >= 1:
                    self.word_start = _is_space(inner_items)
                else:
                    # Skipped, we are where we were; taken, we are after its last character.
                    self.word_start = self.word_start and _ends_with_separator(inner_items)
            else:
                self.word_start = False
        self.flush()


def _is_space(items: list[tuple[Any, Any]]) -> bool:
    space = sre_constants.CATEGORY_SPACE
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is _CATEGORY:
        return bool(av is space)
    if op is _IN:
        return all(inner_op is _CATEGORY and inner_av is space for inner_op, inner_av in av)
    options = _char_options(op, av)
    return options is not None and all(c.isspace() for c in options)


def _ends_with_separator(items: list[tuple[Any, Any]]) -> bool:
    """Whether a group's content ends with a non-word character (so a word starts after it)."""
    if not items:
        return False
    op, av = items[-1]
    if op is _SUBPATTERN:
        content = list(av[-1])
        if len(content) == 1 and content[0][0] is _BRANCH:
            return all(_ends_with_separator(list(b)) for b in content[0][1][1])
        return _ends_with_separator(content)
    if op is _BRANCH:
        return all(_ends_with_separator(list(b)) for b in av[1])
    options = _char_options(op, av)
    return options is not None and all(not c.isalnum() and c != "_" for c in options)


def _branch_triggers(branches: list[Any], word_start: bool) -> frozenset[str] | None:
    """Stems covering every branch, or None when one branch has none."""
    stems: set[str] = set()
    for branch in branches:
        sequence = _Sequence()
        sequence.word_start = word_start
        sequence.feed(branch)
        if sequence.best is None:
            return None
        stems.update(sequence.best)
    return frozenset(stems)


def pattern_triggers(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case word stems one of which every match of `pattern` starts a word with."""
    key = (pattern.pattern, pattern.flags)
    if key in _cache:
        return _cache[key]
    try:
        parsed = sre_parse.parse(pattern.pattern)
    except Exception:  # an exotic pattern: no triggers, scan everything
        _cache[key] = None
        return None
    items = list(parsed)
    result: frozenset[str] | None
    if len(items) == 1 and items[0][0] is _BRANCH:
        result = _branch_triggers(items[0][1][1], True)
    else:
        sequence = _Sequence()
        sequence.feed(items)
        result = sequence.best
    _cache[key] = result
    return result


_ANCHORS = {
    sre_constants.AT_BEGINNING,
    sre_constants.AT_BEGINNING_STRING,
    sre_constants.AT_END,
    sre_constants.AT_END_STRING,
}


def _anchored(items: Iterable[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op is _AT and av in _ANCHORS:
            return True
        if op is _SUBPATTERN and _anchored(av[-1]):
            return True
        if op is _BRANCH and any(_anchored(branch) for branch in av[1]):
            return True
        if op in (_MAX_REPEAT, _MIN_REPEAT) and _anchored(av[2]):
            return True
    return False


def pattern_has_anchors(pattern: re.Pattern[str]) -> bool:
    """Whether `pattern` uses ^ or $ (so it must run on each block, not on the joined text)."""
    key = (pattern.pattern, pattern.flags)
    cached = _anchor_cache.get(key)
    if cached is None:
        try:
            cached = _anchored(sre_parse.parse(pattern.pattern, pattern.flags))
        except Exception:  # an exotic pattern: assume the worst
            cached = True
        _anchor_cache[key] = cached
    return cached


class WordIndex:
    """Every lower-case word of a list of texts, with the indexes of the texts it occurs in."""

    def __init__(self, texts: list[str]) -> None:
        where: dict[str, list[int]] = {}
        findall = _WORD.findall
        for index, text in enumerate(texts):
            for word in set(findall(text.lower())):  # each word once per text
                found = where.get(word)
                if found is None:
                    where[word] = [index]
                else:
                    found.append(index)
        self._where = where
        self._words = sorted(where)

    def texts_with_prefix(self, stems: Iterable[str]) -> set[int]:
        """Indexes of the texts containing a word that starts with one of `stems`."""
        found: set[int] = set()
        words = self._words
        where = self._where
        for stem in stems:
            position = bisect.bisect_left(words, stem)
            while position < len(words) and words[position].startswith(stem):
                found.update(where[words[position]])
                position += 1
        return found
