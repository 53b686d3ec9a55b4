"""How the dark-pattern rules find their phrases: cheaply, and not in ordinary shop text.

Each category keeps its own vocabulary (Dutch, English, German, French, Italian, Spanish and
Hebrew; for the main categories also Russian, Polish, Swedish, Greek and Japanese) as a
`Phrases`: one compiled, case-insensitive alternation plus the word stems one of
which every match starts with. The stems come from the pattern itself (`textindex`), so a rule
runs its regular expression only on the few blocks of text that hold one of them — a phrase
list that yields no stems is refused when the module loads, so no rule can silently fall back
to scanning the whole page.

Hebrew is written right to left, has no case and attaches prefixes to words ("ו" and, "ה" the,
"ב" in, "ל" to, "מ" from, "ש" that): "והמבצע" is "and the sale". `he()` spells a Hebrew word
with those prefixes as literal alternatives, so `\\b` still marks the start of the whole word
and the word index still finds it by its first letters.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import Tag

from defenceline.checks.page import Block, Page, class_text
from defenceline.checks.textindex import pattern_triggers

__all__ = [
    "Phrases",
    "el",
    "he",
    "in_navigation",
    "is_a_name",
    "page_scripts",
    "phrases",
    "random_near",
    "random_windows",
]

_FLAGS = re.IGNORECASE | re.UNICODE
# Hebrew prefixes and their common pairs: and, the, in, to, from, that, as.
_HE_PREFIXES = ("", "ו", "ה", "ב", "ל", "מ", "ש", "כ", "וה", "שה", "וב", "ול", "ומ", "בה", "לה")


_GREEK_ACCENTS = {"ά": "α", "έ": "ε", "ή": "η", "ί": "ι", "ό": "ο", "ύ": "υ", "ώ": "ω"}


def el(text: str) -> str:
    """Greek text with or without its accents: capitals drop them ("ΜΟΝΟ ΣΗΜΕΡΑ" is "μόνο
    σήμερα"), which ignoring case alone does not undo."""
    return "".join(
        f"[{_GREEK_ACCENTS[char]}{char}]" if char in _GREEK_ACCENTS else char for char in text
    )


def he(*words: str) -> str:
    """A regex alternative for Hebrew words with or without an attached prefix."""
    return "(?:" + "|".join(prefix + word for word in words for prefix in _HE_PREFIXES) + ")"


# Scripts other than Latin whose stems are looked up only on pages that use the script: a
# Dutch page needs none of the Hebrew words with their prefixes, nor the Greek or Russian.
_SCRIPTS = {
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "cjk": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"),
}
# One scan for any of them first: most pages use none, and one character class is four times
# cheaper than four.
_ANY_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u3040-\u30ff\u4e00-\u9fff]")
_page_scripts: weakref.WeakKeyDictionary[Page, frozenset[str]] = weakref.WeakKeyDictionary()


def page_scripts(page: Page) -> frozenset[str]:
    """The non-Latin scripts the page's visible text uses (computed once per page)."""
    found = _page_scripts.get(page)
    if found is None:
        text = page.text
        if _ANY_SCRIPT.search(text) is None:
            found = frozenset()
        else:
            found = frozenset(name for name, letters in _SCRIPTS.items() if letters.search(text))
        _page_scripts[page] = found
    return found


def _script_of(stem: str) -> str:
    for name, letters in _SCRIPTS.items():
        if letters.match(stem):
            return name
    return "latin"


@dataclass(frozen=True, slots=True)
class Phrases:
    """A compiled phrase list and the word stems that every match starts with.

    Japanese (and Chinese) write without spaces, so a phrase there has no word of its own to
    index: `unspaced` holds those phrases and `needles` the short strings one of which each
    contains ("残り", "限定"); blocks holding a needle are found with plain substring search.
    """

    pattern: re.Pattern[str]
    triggers: frozenset[str]
    unspaced: re.Pattern[str] | None = None
    needles: tuple[str, ...] = ()
    gate: re.Pattern[str] | None = None
    by_script: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        groups: dict[str, set[str]] = {}
        for stem in self.triggers:
            groups.setdefault(_script_of(stem), set()).add(stem)
        self.by_script.update({name: frozenset(stems) for name, stems in groups.items()})

    def triggers_for(self, page: Page) -> frozenset[str]:
        """The stems worth looking up on this page: Latin ones, and those of the other
        scripts the page uses."""
        scripts = page_scripts(page)
        stems = self.by_script.get("latin", frozenset())
        for name in scripts:
            extra = self.by_script.get(name)
            if extra:
                stems = stems | extra
        return stems

    def search(self, text: str) -> re.Match[str] | None:
        found = self.pattern.search(text)
        if found is None and self.unspaced is not None:
            found = self.unspaced.search(text)
        return found

    def matches(self, page: Page, max_length: int = 300) -> Iterator[tuple[re.Match[str], Block]]:
        """Every match in a block of at most `max_length` characters: the spaced languages'
        in page order, then the unspaced ones'."""
        stems = self.triggers_for(page)
        if stems:
            blocks = page.blocks
            gate = self.gate
            for index in sorted(page.word_index.texts_with_prefix(stems)):
                block = blocks[index]
                text = block.text
                if len(text) > max_length or (gate is not None and gate.search(text) is None):
                    continue
                for match in self.pattern.finditer(text):
                    yield match, block
        if self.unspaced is None or "cjk" not in page_scripts(page):
            return
        text = page.text
        seen: set[int] = set()
        for needle in self.needles:
            position = text.find(needle)
            while position >= 0 and len(seen) < 50:
                holder = page.block_at(position)
                if holder is None:
                    break
                if holder.start not in seen and len(holder.text) <= max_length:
                    seen.add(holder.start)
                    for found in self.unspaced.finditer(holder.text):
                        yield found, holder
                position = text.find(needle, max(holder.end, position + 1))


def _top_level_branches(alternative: str) -> list[str]:
    """The `|`-separated branches of a regex outside any group (to name the culprit)."""
    branches, depth, start, escaped = [], 0, 0, False
    for index, char in enumerate(alternative):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(alternative[start:index])
            start = index + 1
    branches.append(alternative[start:])
    return branches


def phrases(
    *alternatives: str,
    unspaced: tuple[str, ...] = (),
    needles: tuple[str, ...] = (),
    gate: str | None = None,
) -> Phrases:
    """Compile alternatives into one `Phrases`, refusing a list without trigger stems (and
    unspaced phrases without needles, or a needle that none of them contains)."""
    pattern = re.compile("|".join(f"(?:{a})" for a in alternatives), _FLAGS)
    triggers = pattern_triggers(pattern)
    if not triggers:
        for alternative in alternatives:
            for branch in _top_level_branches(alternative):
                if not pattern_triggers(re.compile(branch, _FLAGS)):
                    raise ValueError(f"phrase without a trigger word: {branch!r}")
        raise ValueError(f"phrase list without trigger words: {pattern.pattern[:80]!r}")
    # A gate is a cheap test every match passes ("a digit"), run before the long alternation.
    compiled_gate = re.compile(gate) if gate else None
    if not unspaced:
        return Phrases(pattern, triggers, gate=compiled_gate)
    if not needles:
        raise ValueError("unspaced phrases need needles to be found by")
    for alternative in unspaced:
        if not any(needle in alternative for needle in needles):
            raise ValueError(f"unspaced phrase without a needle: {alternative!r}")
    joined = re.compile("|".join(f"(?:{a})" for a in unspaced), _FLAGS)
    return Phrases(pattern, triggers, joined, needles, compiled_gate)


_RANDOM = re.compile(r"Math\.random\s*\(")


@functools.lru_cache(maxsize=256)
def _random_calls(code: str) -> tuple[tuple[int, int], ...]:
    """Where a script calls Math.random(): looked up once per script, whichever rule asks
    (a string keeps its hash, so the cache costs no second pass over a large script)."""
    return tuple(match.span() for match in _RANDOM.finditer(code))


def random_windows(code: str, words: re.Pattern[str], window: int = 250) -> list[str]:
    """The stretches of a script around a Math.random() call that mention one of `words`:
    where a page proves that a stock level, a count or a name is invented. Phrases are then
    looked for in these stretches only, not in a whole framework bundle."""
    found: list[str] = []
    for start, end in _random_calls(code):
        around = code[max(0, start - window) : end + window]
        if words.search(around):
            found.append(around)
            if len(found) >= 20:
                break
    return found


def random_near(code: str, words: re.Pattern[str], window: int = 250) -> bool:
    """Whether a script calls Math.random() within `window` characters of one of `words`."""
    return bool(random_windows(code, words, window))


_NAVIGATION_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|megamenu|submenu|breadcrumbs?|filters?|"
    r"facets?|sidebar-?menu)(?:$|[\s_-])",
    re.IGNORECASE,
)
_NAME_TAGS = frozenset(["a", "h1", "h2", "h3", "h4", "h5", "h6", "option", "th", "title", "dt"])


def in_navigation(tag: Tag) -> bool:
    """Whether `tag` sits in navigation: a nav element, a menu, breadcrumbs, filters."""
    node: Any = tag
    for _ in range(8):
        if not isinstance(node, Tag) or node.name in ("body", "html", "main", "[document]"):
            return False
        if node.name == "nav" or node.get("role") in ("navigation", "menubar", "menu"):
            return True
        # (Tailwind's variant classes, "md:top-nav", style a breakpoint; they name nothing)
        classes = " ".join(part for part in class_text(node).split() if ":" not in part)
        label = classes + " " + str(node.get("id") or "")
        if label.strip() and _NAVIGATION_CLASS.search(label):
            return True
        node = node.parent
    return False


def is_a_name(page: Page, match: re.Match[str], block: Block) -> bool:
    """Whether the matched phrase names something rather than says something to the shopper.

    "Last Chance" as an outlet category, "Limited Edition" as a product line, a heading or a
    link that is little more than the phrase itself: a name in navigation, a heading or a
    link, not a message. A message says more ("Last chance: 20% off until midnight!").
    """
    element = page.element_at(block.start + match.start())
    if in_navigation(element):
        return True
    rest = (block.text[: match.start()] + block.text[match.end() :]).strip(" !.:-–|·")
    if len(rest) > 25 or "!" in block.text:
        return False
    node: Any = element
    for _ in range(3):
        if not isinstance(node, Tag):
            return False
        if node.name in _NAME_TAGS:
            return True
        node = node.parent
    return False
