"""Promises in prose: reading what a text promises and comparing it with the store policy.

A manifesto, an FAQ page, a product page: each is written by hand, and each makes promises —
"verzending kost € 4,95", "30 dagen retourneren", "voor 16:00 besteld, morgen in huis". The
policy (`store.toml`) is the same promise in numbers. This is the one reader every part uses:
the manifesto linter, the help centre's checks (``defenceline helpcentre check`` and the MkDocs
plugin) — so a number in a sentence means the same thing wherever it is written.

The reader finds every amount, day count (weeks as days), number of hours and clock time in a
sentence, and ties each one to the topic named in *its own clause* (returns, shipping, dispatch,
delivery, replies): a topic word across a comma or a conjunction ("en", "and", "und", "et")
counts as much further away, so "Verzending kost € 5,95 en retourneren kan binnen 30 dagen"
files € 5,95 under shipping and 30 days under returns. Where a value differs from the policy,
or a promise cannot be backed (free returns that cost money, free shipping without its
threshold, same-day dispatch without the cut-off or with handling days), it reports a
`Contradiction` naming the policy field and what the policy holds.

Units and currency words come from Babel (CLDR); spelled-out numbers are turned into digits by
text2num for the languages it knows. What no library holds is which words signal a *topic*;
those are data, in ``promise_words.toml`` beside this module: one table per language (Dutch,
English, German, French, Italian, Spanish, Hebrew; any other language is read with all of them
at once), read into a `Vocabulary` and checked when the module is loaded, so a translator adds
a language without touching Python. Most entries are regular-expression fragments matched
case-insensitively at the start of a word, so a stem such as ``retour`` also finds
"retourneren" and "retourlabel". Hebrew attaches prepositions and the article to the next word
(והחזרה, "and the return"), so its entries may be preceded by up to three of those letters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Literal

import regex
from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol
from babel.units import format_unit
from text_to_num import alpha2digit  # type: ignore[import-untyped]

from defenceline.inputfiles import InputFileError, Problem, key_problems, parse_toml
from defenceline.money import format_money
from defenceline.policy import WEEKDAYS, Policy

__all__ = [
    "EVERY_LANGUAGE",
    "LANGUAGES",
    "VALUE_KINDS",
    "Contradiction",
    "ContradictionKind",
    "Quantity",
    "Vocabulary",
    "VocabularyFileError",
    "find_quantities",
    "read_passage",
    "read_vocabularies",
    "split_sentences",
    "to_digits",
    "topic_words",
    "vocabulary",
]

Kind = Literal["days", "hours", "clock", "amount"]
Topic = Literal[
    "returns",
    "shipping",
    "dispatch",
    "same_day",
    "delivery",
    "reply",
    "contact",
    "refund",
    "free",
    "totals",
]

EVERY_LANGUAGE = "mul"
"""Read a text in every language with a vocabulary at once (ISO 639's code for "multiple
languages"): for a text whose language is unknown or mixed."""

# Languages text2num can read numbers in (ISO 639-1).
_TEXT2NUM_LANGUAGES = frozenset({"nl", "en", "de", "fr", "es", "pt", "it", "da"})


# --- topic words -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """One language's words, as its table in ``promise_words.toml`` lists them (the file says
    what each field holds). The ten topic fields come first; the others may be left out."""

    returns: tuple[str, ...]
    refund: tuple[str, ...]
    shipping: tuple[str, ...]
    free: tuple[str, ...]
    not_free: tuple[str, ...]
    dispatch: tuple[str, ...]
    same_day: tuple[str, ...]
    delivery: tuple[str, ...]
    reply: tuple[str, ...]
    contact: tuple[str, ...]
    clock_before: tuple[str, ...] = ()
    clock_after: tuple[str, ...] = ()
    range_words: tuple[str, ...] = ("-", "–")
    prefix: str = ""
    extra_day_words: tuple[str, ...] = ()
    clause_words: tuple[str, ...] = ()
    clause_prefix: str = ""
    totals: tuple[str, ...] = ()
    included: tuple[str, ...] = ()
    threshold_before: tuple[str, ...] = ()
    threshold_after: tuple[str, ...] = ()
    remaining_before: tuple[str, ...] = ()
    remaining_after: tuple[str, ...] = ()

    def pattern(self, words: tuple[str, ...]) -> regex.Pattern[str]:
        return _compile(words, self.prefix)


@cache
def _compile(words: tuple[str, ...], prefix: str) -> regex.Pattern[str]:
    if not words:
        return regex.compile(r"(?!)")
    body = "|".join(sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){prefix}(?:{body})", regex.IGNORECASE)


# The fields that hold one piece of text (letters in front of a word), not a list.
_TEXT_FIELDS = frozenset({"prefix", "clause_prefix"})
# The fields whose entries are plain words, matched as written; every other entry is a pattern.
_PLAIN_FIELDS = frozenset(
    {
        "clock_before",
        "clock_after",
        "range_words",
        "extra_day_words",
        "clause_words",
        "clause_prefix",
    }
)
_LANGUAGE_CODE = regex.compile(r"[a-z]{2,3}")


class VocabularyFileError(InputFileError):
    """A file of the promise reader's words (``promise_words.toml``) that cannot be used."""

    def heading(self) -> str:
        return f"{self.file}: {self.count()} in the promise reader's words"


def read_vocabularies(
    text: str, file: str, *, check_patterns: bool = False
) -> dict[str, Vocabulary]:
    """The vocabularies in `text` (a file like ``promise_words.toml``, named `file` in errors)
    by language code, in the file's order.

    Raises `VocabularyFileError` listing every problem with its language and key: a table not
    named by a language code, a topic key missing, an unknown key, a value that is not a list
    of text (or text, for `prefix` and `clause_prefix`); with `check_patterns`, also a pattern
    the regex module cannot compile. The module's own file is loaded without that check (it
    would compile some six hundred patterns at every import) and the tests make it.
    """
    data = parse_toml(text, file, VocabularyFileError)
    known = {f.name: f for f in dataclasses.fields(Vocabulary)}
    required = [name for name, f in known.items() if f.default is dataclasses.MISSING]
    problems: list[Problem] = []
    languages: dict[str, Vocabulary] = {}
    for code, table in data.items():
        if not _LANGUAGE_CODE.fullmatch(code) or code == EVERY_LANGUAGE:
            expected = (
                "expected a table named by a language's ISO 639 code (two or three letters), "
                "such as [nl]"
            )
            problems.append(Problem(expected, path=code))
            continue
        if not isinstance(table, dict):
            problems.append(Problem("expected a table of the language's words", path=code))
            continue
        found = key_problems(
            table, known, required, code, "missing; expected its {key} words ([] where it has none)"
        )
        for key, value in table.items():
            problem = _value_problem(key, value, check_patterns) if key in known else None
            if problem is not None:
                found.append(Problem(problem, path=f"{code}.{key}"))
        if not found:
            words: dict[str, Any] = {
                k: v if k in _TEXT_FIELDS else tuple(v) for k, v in table.items()
            }
            languages[code] = Vocabulary(**words)
        problems += found
    if not data:
        problems.append(Problem("expected a table of words per language, such as [nl]"))
    if problems:
        raise VocabularyFileError(file, problems)
    return languages


def _value_problem(key: str, value: Any, check_patterns: bool) -> str | None:
    """What is wrong with the value of one known key of a language's table, or None."""
    if key in _TEXT_FIELDS:
        if not isinstance(value, str):
            return f"expected text, got {value!r}"
        entries = [value] if value else []
    elif isinstance(value, list) and all(isinstance(w, str) and w for w in value):
        entries = value
    else:
        return f"expected a list of words, each a non-empty text, got {value!r}"
    if check_patterns and key not in _PLAIN_FIELDS:
        for entry in entries:
            try:
                regex.compile(entry, regex.IGNORECASE)
            except regex.error as exc:
                return f"{entry!r} is not a pattern the regex module reads: {exc}"
    return None


def _shipped_vocabularies() -> dict[str, Vocabulary]:
    source = resources.files("defenceline") / "promise_words.toml"
    return read_vocabularies(source.read_text(encoding="utf-8"), str(source))


LANGUAGES: dict[str, Vocabulary] = _shipped_vocabularies()


def _union() -> Vocabulary:
    """Every language's words in each field; the letters Hebrew attaches in front of a word
    (no other language attaches any)."""
    he = LANGUAGES["he"]
    words = {
        field.name: tuple(
            dict.fromkeys(w for vocab in LANGUAGES.values() for w in getattr(vocab, field.name))
        )
        for field in dataclasses.fields(Vocabulary)
        if field.name not in _TEXT_FIELDS
    }
    return Vocabulary(**words, prefix=he.prefix, clause_prefix=he.clause_prefix)


def vocabulary(language: str) -> Vocabulary:
    """The vocabulary for a Babel locale ("nl_BE" uses "nl"); every language's words at once
    for a language without its own vocabulary."""
    base = language.split("_")[0]
    found = LANGUAGES.get(base)
    return found if found is not None else _UNION


_UNION = _union()


@dataclass(frozen=True)
class Quantity:
    """A number with its meaning: days (weeks converted), hours, a clock time or an amount."""

    kind: Kind
    values: tuple[Decimal, ...]  # one value, or two for a range ("2 to 3 days")
    text: str
    start: int
    end: int
    clock: dt.time | None = None


@dataclass(frozen=True)
class _Sentence:
    text: str  # with spelled-out numbers turned into digits
    original: str


# --- finding numbers ---------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?"
_INT = r"\d{1,4}"
_DIGIT = regex.compile(r"\d")


def to_digits(text: str, language: str) -> str:
    """`text` with spelled-out numbers as digits ("dertig dagen" -> "30 dagen") where text2num
    knows the language; otherwise `text` unchanged."""
    base = language.split("_")[0]
    if base not in _TEXT2NUM_LANGUAGES:
        return text
    converted: str = alpha2digit(text, base, threshold=0)
    return converted


def _languages(language: str) -> tuple[str, ...]:
    """The Babel locales whose words `language` reads: itself, or for `EVERY_LANGUAGE` each
    language with a vocabulary."""
    return tuple(LANGUAGES) if language == EVERY_LANGUAGE else (language,)


@cache
def _money_words(currency: str, language: str) -> tuple[str, ...]:
    """The currency's code, symbol and names (one, many) in `language`, from CLDR via Babel."""
    words = [currency]
    for locale in _languages(language):
        words.append(get_currency_symbol(currency, locale))
        words += [get_currency_name(currency, count=n, locale=locale) for n in (1, 2)]
    return tuple(dict.fromkeys(words))


@cache
def _unit_words(language: str) -> dict[str, tuple[tuple[str, ...], dict[str, int]]]:
    """Per unit ("days", "weeks", "hours"): the words that follow a number, and words that
    carry their own number (Hebrew יומיים = 2 days), from CLDR via Babel."""
    if language == EVERY_LANGUAGE:
        every = [_unit_words(locale) for locale in LANGUAGES]
        return {
            kind: (
                tuple(dict.fromkeys(w for found in every for w in found[kind][0])),
                {w: n for found in every for w, n in found[kind][1].items()},
            )
            for kind in every[0]
        }
    units = {"days": "duration-day", "weeks": "duration-week", "hours": "duration-hour"}
    found: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {}
    for kind, unit in units.items():
        words: set[str] = set()
        fixed: dict[str, int] = {}
        for n in (1, 2, 3, 5, 11, 21, 100):
            for length in ("long", "short", "narrow"):
                try:
                    formatted = format_unit(n, unit, length=length, locale=language)
                except ValueError:  # UnknownUnitError: CLDR gaps differ per locale
                    continue
                if "duration" in formatted:  # Babel's fallback when CLDR has no pattern
                    continue
                if str(n) in formatted:
                    word = formatted.replace(str(n), "").strip()
                    if word and regex.search(r"\p{L}", word):
                        words.add(word)
                else:
                    fixed[formatted.strip()] = n
        found[kind] = (tuple(sorted(words, key=len, reverse=True)), fixed)
    return found


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _patterns(language: str, currency: str) -> dict[str, regex.Pattern[str]]:
    vocab = vocabulary(language)
    units = _unit_words(language)
    day_words = [*units["days"][0], *vocab.extra_day_words]
    ranges = _alternation(vocab.range_words)
    qualifier = r"(?:[\p{L}-]+\s+)?"  # "2 business days", "3 ימי עסקים"

    def duration(words: Iterable[str]) -> regex.Pattern[str]:
        # A word of three letters or more may end a compound ("werkdagen", "Werktage"); a
        # shorter one ("d", "u") must stand alone, or "bedenktijd" would read as days. A
        # hyphen may join the number to its unit ("a 30-day window").
        # The compound is read as a whole word whose ending is then checked: trying every
        # split of it against the unit words is some fifty times slower under IGNORECASE.
        # Abbreviations with a dot ("Std.") end no compound and are matched as written.
        words = list(words)
        letters = [w for w in words if len(w) >= 3 and regex.fullmatch(r"\p{L}+", w)]
        long = _alternation(letters)
        compound = rf"[\p{{L}}]+(?<=(?:{long})n?)" if long else "(?!)"
        other = _alternation(w for w in words if len(w) >= 3 and w not in letters) or "(?!)"
        short = _alternation(w for w in words if len(w) < 3) or "(?!)"
        return regex.compile(
            rf"(?<![\d.,])(?P<n>{_INT})(?:\s*(?:{ranges})\s*(?P<m>{_INT}))?(?:\s*|-){qualifier}"
            rf"(?:{compound}|(?:{other})|(?:{short}))(?![\p{{L}}])",
            regex.IGNORECASE,
        )

    def fixed(words: dict[str, int]) -> regex.Pattern[str]:
        alternation = _alternation(words) or "(?!)"
        return regex.compile(rf"(?<![\p{{L}}]){vocab.prefix}(?P<w>{alternation})(?![\p{{L}}])")

    money = _alternation(_money_words(currency, language))
    decimals = get_currency_precision(currency)
    amount = rf"(?P<n>{_NUM})(?:[.,][-–])?"
    after_words = _alternation(vocab.clock_after)
    before_words = _alternation(vocab.clock_before)
    hour_words = _alternation(units["hours"][0])
    return {
        "days": duration(day_words),
        "weeks": duration(units["weeks"][0]),
        "hours": duration(units["hours"][0]),
        "days_fixed": fixed(units["days"][1]),
        "weeks_fixed": fixed(units["weeks"][1]),
        "hours_fixed": fixed(units["hours"][1]),
        "amount": regex.compile(
            rf"(?:(?<![\p{{L}}])(?:{money})\s?{amount}|{amount}\s?(?:{money})(?![\p{{L}}]))",
            regex.IGNORECASE,
        ),
        "decimals": regex.compile(rf"[.,](\d{{1,{max(decimals, 1)}}})$"),
        # The leading (?=\d) is no change in meaning: it lets the regex module skip straight
        # to the digits instead of trying the hour alternation at every letter (some seven
        # times faster on a page of prose).
        "clock": regex.compile(
            r"(?=\d)(?<![\d.,:])(?P<h>[01]?\d|2[0-3])[:.hu](?P<m>[0-5]\d)(?![\d])"
            rf"(?:\s*(?P<suffix>{after_words or '(?!)'}))?",
            regex.IGNORECASE,
        ),
        "clock_after": regex.compile(
            rf"(?=\d)(?<![\d.,:])(?P<h>[01]?\d|2[0-3])\s*(?P<suffix>{after_words or '(?!)'})"
            r"(?![\p{L}])",
            regex.IGNORECASE,
        ),
        "clock_before": regex.compile(
            rf"(?<![\p{{L}}])(?:{before_words or '(?!)'})\s+(?P<h>[01]?\d|2[0-3])\s*"
            rf"(?:{hour_words or '(?!)'})(?![\p{{L}}])",
            regex.IGNORECASE,
        ),
    }


def _amount(text: str, decimals: regex.Pattern[str]) -> Decimal:
    """A written amount as a Decimal: a final separator with at most the currency's number of
    decimals is the decimal point ("4,95", "4.95"); other separators group thousands."""
    text = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    match = decimals.search(text)
    if match:
        whole = regex.sub(r"[.,]", "", text[: match.start()])
        return Decimal(f"{whole}.{match.group(1)}")
    return Decimal(regex.sub(r"[.,]", "", text))


def _clock(hour: str, minute: str | None, suffix: str | None) -> dt.time | None:
    h = int(hour)
    mark = (suffix or "").lower().replace(".", "")
    if mark in {"am", "pm"}:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if mark == "pm" else 0)
    return dt.time(h, int(minute or 0))


def find_quantities(text: str, language: str, currency: str) -> list[Quantity]:
    """Every amount, clock time, number of days (weeks as days) and hours in `text`, in order.

    Amounts are found first and clock times next, so "€16.00" is never read as a time and
    "voor 16 uur" (before four o'clock) never as a duration.
    """
    p = _patterns(language, currency)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    # Amounts, clock times and counts are written with digits: a text without one (most
    # paragraphs of a help page) is spared those scans; only number-carrying words remain.
    if _DIGIT.search(text):
        for m in p["amount"].finditer(text):
            number = m.group("n")
            add(
                Quantity(
                    "amount", (_amount(number, p["decimals"]),), m.group(0), m.start(), m.end()
                )
            )
        for key in ("clock", "clock_after", "clock_before"):
            for m in p[key].finditer(text):
                if not free(m.start(), m.end()):
                    continue
                groups = m.groupdict()
                suffix = groups.get("suffix")
                clock = _clock(m.group("h"), groups.get("m"), suffix)
                if clock is None:
                    continue
                value = Decimal(clock.hour * 60 + clock.minute)
                add(Quantity("clock", (value,), m.group(0), m.start(), m.end(), clock))
        for key, kind, factor in (
            ("weeks", "days", 7),
            ("days", "days", 1),
            ("hours", "hours", 1),
        ):
            for m in p[key].finditer(text):
                if not free(m.start(), m.end()):
                    continue
                values = tuple(Decimal(int(g) * factor) for g in (m.group("n"), m.group("m")) if g)
                add(Quantity(kind, values, m.group(0), m.start(), m.end()))  # type: ignore[arg-type]
    units = _unit_words(language)
    for key, unit, kind, factor in (
        ("weeks_fixed", "weeks", "days", 7),
        ("days_fixed", "days", "days", 1),
        ("hours_fixed", "hours", "hours", 1),
    ):
        if not units[unit][1]:
            continue  # most languages have no such words: spare the scan
        for m in p[key].finditer(text):
            if free(m.start(), m.end()):
                n = units[unit][1][m.group("w")]
                q = Quantity(kind, (Decimal(n * factor),), m.group(0), m.start(), m.end())  # type: ignore[arg-type]
                add(q)
    return sorted(found, key=lambda q: q.start)


@cache
def _gates(
    vocab: Vocabulary, language: str, currency: str
) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """Two quick tests that spare most sentences the full reading (a help centre has thousands
    of them): one without a topic word promises nothing the policy holds, and one without a
    digit, a unit (days, weeks, hours) or the currency states no quantity, spelled out or not."""
    units: list[str] = list(vocab.extra_day_words)
    for words, fixed in _unit_words(language).values():
        units += [*words, *fixed]
    money = _money_words(currency, language)
    # a long unit word may end a compound ("werkdagen"); short ones and money stand alone
    long = _alternation(w for w in units if len(w) >= 3) or "(?!)"
    alone = _alternation([*(w for w in units if len(w) < 3), *money])
    numeric = regex.compile(
        rf"\d|(?:{long})(?![\p{{L}}])|(?<![\p{{L}}])(?:{alone})(?![\p{{L}}])", regex.IGNORECASE
    )
    return _topic_words(vocab), numeric


def _topic_words(vocab: Vocabulary) -> regex.Pattern[str]:
    topics = (
        *vocab.returns, *vocab.shipping, *vocab.dispatch, *vocab.same_day, *vocab.delivery,
        *vocab.reply, *vocab.refund, *vocab.free,
    )  # fmt: skip
    return vocab.pattern(topics)


def topic_words(language: str) -> regex.Pattern[str]:
    """A pattern for every word a promise the policy holds is about (returns, shipping,
    dispatch, delivery, replies, refunds, "free"): text without one promises nothing
    `read_passage` compares, so a long page can be searched for them once."""
    return _topic_words(vocabulary(language))


# --- topics ------------------------------------------------------------------------------------


def _topic_spans(text: str, vocab: Vocabulary) -> dict[Topic, list[tuple[int, int]]]:
    spans: dict[Topic, list[tuple[int, int]]] = {}
    blocked = [m.span() for m in vocab.pattern(vocab.not_free).finditer(text)]
    topics: tuple[Topic, ...] = (
        "returns", "shipping", "dispatch", "same_day", "delivery", "reply", "contact", "refund",
        "free", "totals",
    )  # fmt: skip
    for topic in topics:
        words: tuple[str, ...] = getattr(vocab, topic)
        found = [m.span() for m in vocab.pattern(words).finditer(text)]
        if topic == "free":
            found = [s for s in found if not any(b[0] <= s[0] < b[1] for b in blocked)]
        spans[topic] = found
    return spans


# A topic word in another clause of the sentence counts as this much further away, so in "24
# uur antwoord, en 30 dagen om te retourneren" the 30 days belong to the returns, and in
# "Verzending kost € 5,95 en retourneren kan binnen 30 dagen" the € 5,95 to the shipping.
_CLAUSE_PENALTY = 100


@cache
def _clause_break(vocab: Vocabulary) -> regex.Pattern[str]:
    """Punctuation between clauses, or a conjunction that starts a new one."""
    words = _alternation(vocab.clause_words)
    conjunction = rf"|(?<![\p{{L}}]){words}(?![\p{{L}}])" if words else ""
    return regex.compile(rf"[,;:()\u2013\u2014]{conjunction}", regex.IGNORECASE)


def _distance(
    a: tuple[int, int],
    b: tuple[int, int],
    text: str = "",
    vocab: Vocabulary | None = None,
) -> int:
    if a[1] <= b[0]:
        gap = (a[1], b[0])
    elif b[1] <= a[0]:
        gap = (b[1], a[0])
    else:
        return 0
    penalty = 0
    if text and vocab is not None:
        prefix = vocab.clause_prefix
        if _clause_break(vocab).search(text, *gap) or (prefix and text.startswith(prefix, gap[1])):
            penalty = _CLAUSE_PENALTY
    return gap[1] - gap[0] + penalty


def _nearest(
    span: tuple[int, int],
    spans: dict[Topic, list[tuple[int, int]]],
    topics: tuple[Topic, ...],
    within: int | None = None,
    text: str = "",
    vocab: Vocabulary | None = None,
) -> Topic | None:
    """The topic whose word is nearest to `span`, preferring words in the same clause."""
    best: tuple[int, int, Topic] | None = None
    for order, topic in enumerate(topics):
        for other in spans.get(topic, []):
            d = _distance(span, other, text if within is None else "", vocab)
            if within is not None and d > within:
                continue
            if best is None or (d, order) < best[:2]:
                best = (d, order, topic)
    return best[2] if best else None


# --- amounts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Edges:
    """The vocabulary's words that stand right before or after an amount, or before a shipping
    word, compiled to match there."""

    threshold_before: regex.Pattern[str]
    threshold_after: regex.Pattern[str]
    remaining_before: regex.Pattern[str]
    remaining_after: regex.Pattern[str]
    included: regex.Pattern[str]


@cache
def _edges(vocab: Vocabulary) -> _Edges:
    def ending(words: tuple[str, ...], tail: str = "") -> regex.Pattern[str]:
        body = "|".join(sorted(words, key=len, reverse=True)) or "(?!)"
        return regex.compile(
            rf"(?<![\p{{L}}]){vocab.prefix}(?:{body}){tail}[\s:]*$", regex.IGNORECASE
        )

    def starting(words: tuple[str, ...]) -> regex.Pattern[str]:
        body = "|".join(sorted(words, key=len, reverse=True)) or "(?!)"
        return regex.compile(rf"[\s:]*(?:{body})(?![\p{{L}}])", regex.IGNORECASE)

    article = r"(?:\s+(?:de|het|der|den|die|the|la|le|les|el|il|gli|los|las))?"
    return _Edges(
        ending(vocab.threshold_before),
        starting(vocab.threshold_after),
        ending(vocab.remaining_before),
        starting(vocab.remaining_after),
        ending(vocab.included, article),
    )


def _free_shipping_amounts(
    text: str,
    spans: dict[Topic, list[tuple[int, int]]],
    amounts: list[Quantity],
    vocab: Vocabulary,
) -> tuple[list[Quantity], list[Quantity]]:
    """The free-shipping thresholds among a sentence's `amounts`, and the amounts a shopper
    still has to spend to reach one ("Gratis verzending vanaf € 50,00: nog € 37,05").

    A threshold stands near a "free" word, in its clause when after it, and is marked as one
    ("gratis vanaf € 50", "€ 50 en meer gratis verzonden"); "Fietstas € 49,95 · Gratis
    verzending" names a price, not a threshold.
    """
    free = spans.get("free", [])
    if not free:
        return [], []
    edges = _edges(vocab)
    breaks = _clause_break(vocab)

    def marked(q: Quantity) -> bool:
        return bool(
            edges.threshold_before.search(text[max(0, q.start - 40) : q.start])
            or edges.threshold_after.match(text, q.end)
        )

    thresholds: list[Quantity] = []
    for span in free:
        after = [
            q
            for q in amounts
            if 0 <= q.start - span[1] <= 60
            and not breaks.search(text, span[1], q.start)  # "gratis retour, € 4,95"
            and marked(q)
        ]
        before = [q for q in amounts if 0 <= span[0] - q.end <= 60 and marked(q)]
        if after:  # "gratis vanaf €50", "free shipping on orders over €50"
            thresholds.append(after[0])
        elif before:  # "€50 and up ships free"
            thresholds.append(before[-1])
    remaining = [
        q
        for q in amounts
        if q not in thresholds
        and (
            edges.remaining_before.search(text[max(0, q.start - 40) : q.start])
            or edges.remaining_after.match(text, q.end)
        )
    ]
    return thresholds, remaining


# A topic word after an amount names it only when it follows closely ("€ 4,95 verzendkosten");
# further on, it starts something else ("Fietstas € 49,95 · Gratis verzending").
_AFTER_REACH = 15


def _amount_topic(
    span: tuple[int, int], spans: dict[Topic, list[tuple[int, int]]], text: str, vocab: Vocabulary
) -> Topic | None:
    """Whether the amount at `span` is the cost of returns or of shipping: the nearer topic
    word (preferring its own clause), unless a word for a total, the VAT, a discount or a price
    stands nearer ("Verzending € 4,95 · Totaal € 17,90"), or the shipping word is part of
    another amount ("€ 49,95 excl. verzendkosten")."""
    edges = _edges(vocab)
    free = vocab.pattern(vocab.free)
    breaks = _clause_break(vocab)
    named = [*spans.get("returns", []), *spans.get("shipping", [])]
    best: tuple[int, int, Topic] | None = None
    topics: tuple[Topic, ...] = ("returns", "shipping", "totals")
    for order, topic in enumerate(topics):
        for other in spans.get(topic, []):
            if topic == "shipping" and edges.included.search(
                text[max(0, other[0] - 25) : other[0]]
            ):
                continue
            if topic == "totals" and any(
                not text[e : other[0]].strip() for _, e in named if e <= other[0]
            ):
                continue  # "shipping price €4.95": part of the topic's name
            if other[0] >= span[1]:
                gap = text[span[1] : other[0]]
                if len(gap) > _AFTER_REACH or free.search(gap) or breaks.search(gap):
                    continue
            d = _distance(span, other, text, vocab)
            if best is None or (d, order) < best[:2]:
                best = (d, order, topic)
    return best[2] if best is not None and best[2] != "totals" else None


# --- comparing with the policy -----------------------------------------------------------------


def _days(n: Decimal) -> str:
    return f"{n} day{'s' * (n != 1)}"


def _list(values: Iterable[str]) -> str:
    items = list(dict.fromkeys(values))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _weekday_ranges(days: list[str]) -> str:
    """'Monday–Thursday' for consecutive weekdays, else a list."""
    index = sorted(WEEKDAYS.index(d) for d in days)
    runs: list[list[int]] = []
    for i in index:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for run in runs:
        first, last = WEEKDAYS[run[0]].capitalize(), WEEKDAYS[run[-1]].capitalize()
        parts.append(first if len(run) == 1 else f"{first}–{last}")
    return ", ".join(parts)


ContradictionKind = Literal[
    "returns-window-mismatch",
    "returns-cost-mismatch",
    "free-returns-unbacked",
    "cutoff-mismatch",
    "same-day-unbacked",
    "shipping-cost-mismatch",
    "free-shipping-threshold-mismatch",
    "free-shipping-unconditional",
    "delivery-days-mismatch",
    "response-time-mismatch",
]
# The kinds about a value written in the text (the others are promises without a number).
VALUE_KINDS: frozenset[str] = frozenset(
    {
        "returns-window-mismatch",
        "returns-cost-mismatch",
        "cutoff-mismatch",
        "shipping-cost-mismatch",
        "free-shipping-threshold-mismatch",
        "delivery-days-mismatch",
        "response-time-mismatch",
    }
)


@dataclass(frozen=True)
class Contradiction:
    """A promise in prose that the store policy contradicts, or cannot back.

    `kind` names what disagrees (``returns-window-mismatch``, ``shipping-cost-mismatch``, ...:
    the manifesto linter uses it as its rule id); `message` says what the text states and what
    the policy holds; `policy_field` names the store.toml field; `sentence` is the index of the
    sentence in the passage and `evidence` quotes it (shortened to 160 characters); `value` is
    the value as written, or None for a promise without a number ("free returns");
    `incomplete` marks a value the policy does hold that leaves part of the promise out
    ("vóór 16:00" when Fridays close at 15:00).
    """

    kind: ContradictionKind
    message: str
    policy_field: str
    sentence: int
    evidence: str
    value: str | None = None
    incomplete: bool = False


class _Reader:
    """Reads one passage (a manifesto statement, a help-page paragraph) against the policy."""

    def __init__(self, policy: Policy, language: str) -> None:
        self.policy = policy
        self.language = language
        self.vocab = vocabulary(language)
        self.currency = policy.shop.currency
        self.found: list[Contradiction] = []
        self.sentences: list[_Sentence] = []

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.currency, self.language)

    def add(
        self,
        kind: ContradictionKind,
        message: str,
        index: int,
        policy_field: str,
        q: Quantity | None = None,
        *,
        incomplete: bool = False,
    ) -> None:
        original = self.sentences[index].original
        evidence = original if len(original) <= 160 else original[:157] + "…"
        value = q.text if q is not None else None
        found = Contradiction(kind, message, policy_field, index, evidence, value, incomplete)
        self.found.append(found)

    # the facts in the policy ------------------------------------------------------------------

    def cutoff_text(self) -> str:
        by_time: dict[dt.time, list[str]] = {}
        for day, time in self.policy.warehouse.cutoff.items():
            by_time.setdefault(time, []).append(day)
        ordered = sorted(by_time.items(), key=lambda item: WEEKDAYS.index(item[1][0]))
        return " and ".join(f"{t:%H:%M} on {_weekday_ranges(days)}" for t, days in ordered)

    def transit_days(self) -> set[Decimal]:
        handling = self.policy.warehouse.handling_days
        valid: set[Decimal] = set()
        for zone in self.policy.shipping.zones:
            for transit in (zone.transit_days, *(e.transit_days for e in zone.express)):
                for n in (transit.min, transit.max):
                    valid.update({Decimal(n), Decimal(n + handling)})
        return valid

    def transit_text(self) -> str:
        out = []
        for zone in self.policy.shipping.zones:
            t = zone.transit_days
            days = f"{t.min}" if t.min == t.max else f"{t.min}–{t.max}"
            out.append(f"{days} working day{'s' * (t.max != 1)} to {zone.name}")
        handling = self.policy.warehouse.handling_days
        text = ", ".join(out)
        if handling:
            text += f", after {handling} handling day{'s' * (handling != 1)}"
        return text

    def shipping_amounts(self) -> set[Decimal]:
        amounts: set[Decimal] = set()
        for zone in self.policy.shipping.zones:
            if zone.rate is not None:
                amounts.add(zone.rate)
            amounts.update(t.rate for t in zone.tiers)
            amounts.update(e.rate for e in zone.express)
        return amounts

    def thresholds(self) -> dict[Decimal, list[str]]:
        found: dict[Decimal, list[str]] = {}
        for zone in self.policy.shipping.zones:
            if zone.free_shipping_from is not None:
                found.setdefault(zone.free_shipping_from, []).append(zone.name)
        return found

    def threshold_text(self) -> str:
        found = self.thresholds()
        if not found:
            return "the policy has no free-shipping threshold"
        parts = [f"{self.money(a)} ({', '.join(z)})" for a, z in sorted(found.items())]
        return "free shipping starts at " + " and ".join(parts)

    def always_free(self) -> bool:
        """True when no zone ever charges for standard shipping."""
        for zone in self.policy.shipping.zones:
            if zone.free_shipping_from not in (None, Decimal(0)):
                return False
            rates = [zone.rate] if zone.rate is not None else [t.rate for t in zone.tiers]
            if any(r and r > 0 for r in rates) and zone.free_shipping_from is None:
                return False
        return True

    def response_hours(self) -> set[int]:
        return {c.response_hours for c in self.policy.contact if c.response_hours is not None}

    # the checks -------------------------------------------------------------------------------

    def read(self, sentences: Sequence[str]) -> list[Contradiction]:
        # whitespace folded: the evidence quotes the sentence as a reader sees it
        folded = [" ".join(s.split()) for s in sentences]
        topical, numeric = _gates(self.vocab, self.language, self.currency)
        # without a quantity, only "free" and "same day" promise anything
        promise = self.vocab.pattern((*self.vocab.free, *self.vocab.same_day))
        whole = " ".join(folded)
        if not numeric.search(whole) and not promise.search(whole):
            return self.found  # most passages of a knowledge base: nothing to compare
        relevant = [bool(topical.search(s)) for s in folded]
        # a same-day promise looks for a cut-off in every sentence of the passage
        same_day = self.vocab.pattern(self.vocab.same_day)
        every = any(
            same_day.search(s) for s, wanted in zip(folded, relevant, strict=True) if wanted
        )
        quantities: list[list[Quantity]] = []
        self.sentences = []
        for text, wanted in zip(folded, relevant, strict=True):
            if (wanted or every) and numeric.search(text):
                digits = to_digits(text, self.language)
                quantities.append(find_quantities(digits, self.language, self.currency))
            else:
                digits = text
                quantities.append([])
            self.sentences.append(_Sentence(digits, text))
        has_clock = any(q.kind == "clock" for qs in quantities for q in qs)
        for index, found in enumerate(quantities):
            if relevant[index] and (found or promise.search(folded[index])):
                self.sentence(index, found, has_clock)
        return self.found

    def sentence(self, index: int, quantities: list[Quantity], passage_has_clock: bool) -> None:
        text = self.sentences[index].text
        spans = _topic_spans(text, self.vocab)
        amounts = [q for q in quantities if q.kind == "amount"]
        thresholds, remaining = _free_shipping_amounts(text, spans, amounts, self.vocab)
        clocks: list[Quantity] = []
        # an amount still to spend ("nog € 37,05 tot gratis verzending") is the condition
        shipping_amount = bool(remaining)
        for q in quantities:
            span = (q.start, q.end)
            if q.kind == "days":
                # a refund's time is not a promise the policy holds: a topic, but no check
                topics: tuple[Topic, ...] = ("returns", "delivery", "reply", "refund")
                topic = _nearest(span, spans, topics, text=text, vocab=self.vocab)
                if topic == "returns":
                    self.returns_window(q, index)
                elif topic == "delivery":
                    self.delivery_days(q, index)
                elif topic == "reply":
                    hours = tuple(v * 24 for v in q.values)
                    self.response(q, hours, index)
            elif q.kind == "hours":
                if _nearest(span, spans, ("reply",), text=text, vocab=self.vocab) == "reply":
                    self.response(q, q.values, index)
            elif q.kind == "clock":
                topic = _nearest(
                    span,
                    spans,
                    ("dispatch", "same_day", "reply", "contact"),
                    text=text,
                    vocab=self.vocab,
                )
                if topic in ("dispatch", "same_day"):
                    clocks.append(q)
            elif q.kind == "amount" and q not in remaining:
                # a free-from amount is a free-shipping threshold: returns have none
                topic = (
                    "shipping" if q in thresholds else _amount_topic(span, spans, text, self.vocab)
                )
                if topic == "returns":
                    self.returns_cost(q, index)
                elif topic == "shipping":
                    shipping_amount = True
                    self.shipping_cost(q, q in thresholds, index)
        if clocks:
            self.cutoff(clocks, index)
        for span in spans.get("free", []):
            topic = _nearest(span, spans, ("returns", "shipping"), within=40)
            if topic == "returns" and not self.policy.returns.is_free:
                cost = self.money(self.policy.returns.cost)
                self.add(
                    "free-returns-unbacked",
                    f"promises free returns, but the policy charges {cost} for a return",
                    index, "returns.cost",
                )  # fmt: skip
            elif topic == "shipping" and not shipping_amount and not self.always_free():
                self.add(
                    "free-shipping-unconditional",
                    f"promises free shipping without its condition; {self.threshold_text()}",
                    index, "shipping.zones.free_shipping_from",
                )  # fmt: skip
        if spans.get("same_day"):
            handling = self.policy.warehouse.handling_days
            if handling:
                self.add(
                    "same-day-unbacked",
                    f"promises same-day dispatch, but the policy adds {handling} handling "
                    f"day{'s' * (handling != 1)} before a parcel leaves",
                    index, "warehouse.handling_days",
                )  # fmt: skip
            elif not passage_has_clock:
                self.add(
                    "same-day-unbacked",
                    "promises same-day dispatch without the cut-off time; orders after the "
                    f"cut-off ({self.cutoff_text()}) leave the next dispatch day",
                    index, "warehouse.cutoff",
                )  # fmt: skip

    def returns_window(self, q: Quantity, index: int) -> None:
        window = Decimal(self.policy.returns.window_days)
        if window not in q.values:
            self.add(
                "returns-window-mismatch",
                f"{q.text!r} differs from the policy's return window of "
                f"{_days(window)}",
                index, "returns.window_days", q,
            )  # fmt: skip

    def returns_cost(self, q: Quantity, index: int) -> None:
        cost = self.policy.returns.cost
        if q.values[0] != cost:
            said = "returns are free" if cost == 0 else f"a return costs {self.money(cost)}"
            self.add(
                "returns-cost-mismatch",
                f"{q.text!r} differs from the policy: {said}",
                index, "returns.cost", q,
            )  # fmt: skip

    def delivery_days(self, q: Quantity, index: int) -> None:
        valid = self.transit_days()
        if any(v not in valid for v in q.values):
            self.add(
                "delivery-days-mismatch",
                f"{q.text!r} matches no delivery time in the policy ({self.transit_text()})",
                index, "shipping.zones.transit_days", q,
            )  # fmt: skip

    def response(
        self,
        q: Quantity,
        hours: tuple[Decimal, ...],
        index: int,
    ) -> None:
        promised = self.response_hours()
        if not promised:
            self.add(
                "response-time-mismatch",
                f"promises a response time ({q.text!r}), but no contact channel in the policy "
                "sets response_hours",
                index, "contact.response_hours", q,
            )  # fmt: skip
        elif not any(h in promised for h in hours):
            stated = _list(f"{h} hours" for h in sorted(promised))
            self.add(
                "response-time-mismatch",
                f"{q.text!r} differs from the policy's response time of {stated}",
                index, "contact.response_hours", q,
            )  # fmt: skip

    def shipping_cost(self, q: Quantity, free: bool, index: int) -> None:
        amount = q.values[0]
        thresholds = self.thresholds()
        if free:
            if amount not in thresholds:
                self.add(
                    "free-shipping-threshold-mismatch",
                    f"{q.text!r} is not a free-shipping threshold in the policy; "
                    f"{self.threshold_text()}",
                    index, "shipping.zones.free_shipping_from", q,
                )  # fmt: skip
        elif amount not in self.shipping_amounts() and amount not in thresholds:
            rates = _list(self.money(a) for a in sorted(self.shipping_amounts()))
            self.add(
                "shipping-cost-mismatch",
                f"{q.text!r} is none of the policy's shipping rates ({rates})",
                index, "shipping.zones.rate", q,
            )  # fmt: skip

    def cutoff(self, clocks: list[Quantity], index: int) -> None:
        cutoffs = self.policy.warehouse.cutoff
        times = set(cutoffs.values())
        wrong = [q for q in clocks if q.clock not in times]
        if wrong:
            said = _list(repr(q.text) for q in wrong)
            self.add(
                "cutoff-mismatch",
                f"{said} is not the policy's cut-off ({self.cutoff_text()})",
                index, "warehouse.cutoff", wrong[0],
            )  # fmt: skip
            return
        earliest = min(times)
        if all(q.clock is not None and q.clock > earliest for q in clocks):
            days = [d for d, t in cutoffs.items() if t == earliest]
            self.add(
                "cutoff-mismatch",
                f"{clocks[0].text!r} is later than the cut-off on {_weekday_ranges(days)} "
                f"({earliest:%H:%M}); name that day's cut-off too",
                index, "warehouse.cutoff", clocks[0], incomplete=True,
            )  # fmt: skip


def read_passage(sentences: Sequence[str], language: str, policy: Policy) -> list[Contradiction]:
    """Every promise in `sentences` (one passage: a statement, a paragraph) that `policy`
    contradicts or cannot back, in order. A sentence's amounts, day counts, times and "free"
    words each belong to the topic named in their own clause (returns, shipping, dispatch,
    delivery, replies). A same-day promise needs a cut-off time somewhere in the passage."""
    return _Reader(policy, language).read(sentences)


_SENTENCE_END = regex.compile(r"(?<=[.!?…։؟।。！？])\s+")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of `text` with their offsets; a line break does not end a sentence."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append((start, text[start : match.start()]))
        start = match.end()
    pieces.append((start, text[start:]))
    return [(offset, piece) for offset, piece in pieces if piece.strip()]
