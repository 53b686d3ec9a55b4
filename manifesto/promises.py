"""Reading the promises in a manifesto's sentences and comparing them with the store policy.

A manifesto is written by hand; the policy (`store.toml`) is the shop's promise in numbers.
Where the text states a number of days, hours, an amount or an order-by time, this module finds
out what the number is about — returns, shipping, dispatch, delivery or replies — from the
nearest topic word in the same sentence (see `defenceline.manifesto.vocabulary`), and warns
when it differs from the policy. It also warns about promises the policy cannot back: free
returns that cost money, free shipping without its threshold, same-day dispatch without the
cut-off (or with handling days).

Units and currency words come from Babel (CLDR); spelled-out numbers are turned into digits by
text2num for the languages it knows (Dutch, English, German and others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

import regex
from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol
from babel.units import format_unit
from text_to_num import alpha2digit  # type: ignore[import-untyped]

from defenceline.manifesto.findings import Finding, finding
from defenceline.manifesto.model import ListBlock, Manifesto, Part, Statement, block_text
from defenceline.manifesto.vocabulary import Vocabulary, vocabulary
from defenceline.money import format_money
from defenceline.policy import WEEKDAYS, Policy

__all__ = ["Quantity", "find_quantities", "promise_findings", "to_digits"]

Kind = Literal["days", "hours", "clock", "amount"]
Topic = Literal[
    "returns", "shipping", "dispatch", "same_day", "delivery", "reply", "contact", "free"
]

# Languages text2num can read numbers in (ISO 639-1).
_TEXT2NUM_LANGUAGES = frozenset({"nl", "en", "de", "fr", "es", "pt", "it", "da"})


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
    line: int


# --- finding numbers ---------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?"
_INT = r"\d{1,4}"


def to_digits(text: str, language: str) -> str:
    """`text` with spelled-out numbers as digits ("dertig dagen" -> "30 dagen") where text2num
    knows the language; otherwise `text` unchanged."""
    base = language.split("_")[0]
    if base not in _TEXT2NUM_LANGUAGES:
        return text
    converted: str = alpha2digit(text, base, threshold=0)
    return converted


@cache
def _unit_words(language: str) -> dict[str, tuple[tuple[str, ...], dict[str, int]]]:
    """Per unit ("days", "weeks", "hours"): the words that follow a number, and words that
    carry their own number (Hebrew יומיים = 2 days), from CLDR via Babel."""
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
        # shorter one ("d", "u") must stand alone, or "bedenktijd" would read as days.
        words = list(words)
        long = _alternation(w for w in words if len(w) >= 3) or "(?!)"
        short = _alternation(w for w in words if len(w) < 3) or "(?!)"
        return regex.compile(
            rf"(?<![\d.,])(?P<n>{_INT})(?:\s*(?:{ranges})\s*(?P<m>{_INT}))?\s*{qualifier}"
            rf"(?:[\p{{L}}]*?(?:{long})n?|(?:{short}))(?![\p{{L}}])",
            regex.IGNORECASE,
        )

    def fixed(words: dict[str, int]) -> regex.Pattern[str]:
        alternation = _alternation(words) or "(?!)"
        return regex.compile(rf"(?<![\p{{L}}]){vocab.prefix}(?P<w>{alternation})(?![\p{{L}}])")

    symbols = {get_currency_symbol(currency, language), currency}
    for count in (1, 2):
        symbols.add(get_currency_name(currency, count=count, locale=language))
    money = _alternation(symbols)
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
        "clock": regex.compile(
            r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])[:.hu](?P<m>[0-5]\d)(?![\d])"
            rf"(?:\s*(?P<suffix>{after_words or '(?!)'}))?",
            regex.IGNORECASE,
        ),
        "clock_after": regex.compile(
            rf"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])\s*(?P<suffix>{after_words or '(?!)'})"
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

    for m in p["amount"].finditer(text):
        number = m.group("n")
        add(Quantity("amount", (_amount(number, p["decimals"]),), m.group(0), m.start(), m.end()))
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
        for m in p[key].finditer(text):
            if free(m.start(), m.end()):
                n = units[unit][1][m.group("w")]
                q = Quantity(kind, (Decimal(n * factor),), m.group(0), m.start(), m.end())  # type: ignore[arg-type]
                add(q)
    return sorted(found, key=lambda q: q.start)


# --- topics ------------------------------------------------------------------------------------


def _topic_spans(text: str, vocab: Vocabulary) -> dict[Topic, list[tuple[int, int]]]:
    spans: dict[Topic, list[tuple[int, int]]] = {}
    blocked = [m.span() for m in vocab.pattern(vocab.not_free).finditer(text)]
    topics: tuple[Topic, ...] = (
        "returns", "shipping", "dispatch", "same_day", "delivery", "reply", "contact", "free",
    )  # fmt: skip
    for topic in topics:
        words: tuple[str, ...] = getattr(vocab, topic)
        found = [m.span() for m in vocab.pattern(words).finditer(text)]
        if topic == "free":
            found = [s for s in found if not any(b[0] <= s[0] < b[1] for b in blocked)]
        spans[topic] = found
    return spans


_CLAUSE_BREAK = regex.compile(r"[,;:()\u2013\u2014]")
# A topic word in another clause of the sentence counts as this much further away, so in "24
# uur antwoord, en 30 dagen om te retourneren" the 30 days belong to the returns.
_CLAUSE_PENALTY = 100


def _distance(a: tuple[int, int], b: tuple[int, int], text: str = "") -> int:
    if a[1] <= b[0]:
        gap = (a[1], b[0])
    elif b[1] <= a[0]:
        gap = (b[1], a[0])
    else:
        return 0
    penalty = _CLAUSE_PENALTY if text and _CLAUSE_BREAK.search(text, *gap) else 0
    return gap[1] - gap[0] + penalty


def _nearest(
    span: tuple[int, int],
    spans: dict[Topic, list[tuple[int, int]]],
    topics: tuple[Topic, ...],
    within: int | None = None,
    text: str = "",
) -> Topic | None:
    """The topic whose word is nearest to `span`, preferring words in the same clause."""
    best: tuple[int, int, Topic] | None = None
    for order, topic in enumerate(topics):
        for other in spans.get(topic, []):
            d = _distance(span, other, text if within is None else "")
            if within is not None and d > within:
                continue
            if best is None or (d, order) < best[:2]:
                best = (d, order, topic)
    return best[2] if best else None


# --- sentences ---------------------------------------------------------------------------------

_SENTENCE_END = regex.compile(r"(?<=[.!?…։؟।。！？])\s+")


def _sentences(statement: Statement, language: str) -> Iterator[_Sentence]:
    """The statement's sentences with their lines. A line break inside a paragraph does not
    end a sentence; each list item is a sentence (or several) of its own."""
    for block in statement.blocks:
        text = block_text(block)
        chunks: list[tuple[int, str]] = []
        if isinstance(block, ListBlock):
            offset = 0
            for item in text.split("\n"):
                chunks.append((offset, item))
                offset += len(item) + 1
        else:
            chunks.append((0, text))
        for base, chunk in chunks:
            start = 0
            pieces: list[tuple[int, str]] = []
            for m in _SENTENCE_END.finditer(chunk):
                pieces.append((start, chunk[start : m.start()]))
                start = m.end()
            pieces.append((start, chunk[start:]))
            for offset, piece in pieces:
                if piece.strip():
                    line = block.line + text[: base + offset].count("\n")
                    flat = " ".join(piece.split())
                    yield _Sentence(to_digits(flat, language), flat, line)


# --- the checks --------------------------------------------------------------------------------


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


class _Checker:
    def __init__(self, manifesto: Manifesto, policy: Policy) -> None:
        self.manifesto = manifesto
        self.policy = policy
        self.language = manifesto.language
        self.vocab = vocabulary(manifesto.language)
        self.currency = policy.shop.currency
        self.findings: list[Finding] = []

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.currency, self.language)

    def add(
        self,
        rule_id: str,
        message: str,
        part: Part,
        statement: Statement,
        sentence: _Sentence,
        policy_field: str,
    ) -> None:
        evidence = sentence.original if len(sentence.original) <= 160 else sentence.original[:157]
        if len(sentence.original) > 160:
            evidence += "…"
        self.findings.append(
            finding(
                rule_id,
                message,
                sentence.line,
                part.id,
                statement.id,
                evidence,
                policy_field,
            )
        )

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

    def run(self) -> list[Finding]:
        for part, statement in self.manifesto.statements():
            sentences = list(_sentences(statement, self.language))
            quantities = [find_quantities(s.text, self.language, self.currency) for s in sentences]
            has_clock = any(q.kind == "clock" for qs in quantities for q in qs)
            for sentence, found in zip(sentences, quantities, strict=True):
                self.sentence(part, statement, sentence, found, has_clock)
        return self.findings

    def sentence(
        self,
        part: Part,
        statement: Statement,
        sentence: _Sentence,
        quantities: list[Quantity],
        statement_has_clock: bool,
    ) -> None:
        text = sentence.text
        spans = _topic_spans(text, self.vocab)
        # The amount nearest each "free" word is a free-shipping threshold ("gratis vanaf
        # €50"); the other amounts are rates ("verzending €4,95").
        amounts = [q for q in quantities if q.kind == "amount"]
        thresholds: list[Quantity] = []
        for span in spans.get("free", []):
            after = [q for q in amounts if q.start >= span[1] and q.start - span[1] <= 60]
            before = [q for q in amounts if q.end <= span[0] and span[0] - q.end <= 60]
            if after:  # "gratis vanaf €50", "free shipping on orders over €50"
                thresholds.append(after[0])
            elif before:  # "€50 and up ships free"
                thresholds.append(before[-1])
        clocks: list[Quantity] = []
        shipping_amount = False
        for q in quantities:
            span = (q.start, q.end)
            if q.kind == "days":
                topic = _nearest(span, spans, ("returns", "delivery", "reply"), text=text)
                if topic == "returns":
                    self.returns_window(q, part, statement, sentence)
                elif topic == "delivery":
                    self.delivery_days(q, part, statement, sentence)
                elif topic == "reply":
                    hours = tuple(v * 24 for v in q.values)
                    self.response(q, hours, part, statement, sentence)
            elif q.kind == "hours":
                if _nearest(span, spans, ("reply",), text=text) == "reply":
                    self.response(q, q.values, part, statement, sentence)
            elif q.kind == "clock":
                topic = _nearest(
                    span, spans, ("dispatch", "same_day", "reply", "contact"), text=text
                )
                if topic in ("dispatch", "same_day"):
                    clocks.append(q)
            elif q.kind == "amount":
                topic = _nearest(span, spans, ("returns", "shipping"), text=text)
                if topic == "returns":
                    self.returns_cost(q, part, statement, sentence)
                elif topic == "shipping":
                    shipping_amount = True
                    self.shipping_cost(q, q in thresholds, part, statement, sentence)
        if clocks:
            self.cutoff(clocks, part, statement, sentence)
        for span in spans.get("free", []):
            topic = _nearest(span, spans, ("returns", "shipping"), within=40)
            if topic == "returns" and not self.policy.returns.is_free:
                cost = self.money(self.policy.returns.cost)
                self.add(
                    "free-returns-unbacked",
                    f"promises free returns, but the policy charges {cost} for a return",
                    part, statement, sentence, "returns.cost",
                )  # fmt: skip
            elif topic == "shipping" and not shipping_amount and not self.always_free():
                self.add(
                    "free-shipping-unconditional",
                    f"promises free shipping without its condition; {self.threshold_text()}",
                    part, statement, sentence, "shipping.zones.free_shipping_from",
                )  # fmt: skip
        if spans.get("same_day"):
            handling = self.policy.warehouse.handling_days
            if handling:
                self.add(
                    "same-day-unbacked",
                    f"promises same-day dispatch, but the policy adds {handling} handling "
                    f"day{'s' * (handling != 1)} before a parcel leaves",
                    part, statement, sentence, "warehouse.handling_days",
                )  # fmt: skip
            elif not statement_has_clock:
                self.add(
                    "same-day-unbacked",
                    "promises same-day dispatch without the cut-off time; orders after the "
                    f"cut-off ({self.cutoff_text()}) leave the next dispatch day",
                    part, statement, sentence, "warehouse.cutoff",
                )  # fmt: skip

    def returns_window(self, q: Quantity, part: Part, st: Statement, s: _Sentence) -> None:
        window = Decimal(self.policy.returns.window_days)
        if window not in q.values:
            self.add(
                "returns-window-mismatch",
                f"{q.text!r} differs from the policy's return window of "
                f"{_days(window)}",
                part, st, s, "returns.window_days",
            )  # fmt: skip

    def returns_cost(self, q: Quantity, part: Part, st: Statement, s: _Sentence) -> None:
        cost = self.policy.returns.cost
        if q.values[0] != cost:
            said = "returns are free" if cost == 0 else f"a return costs {self.money(cost)}"
            self.add(
                "returns-cost-mismatch",
                f"{q.text!r} differs from the policy: {said}",
                part, st, s, "returns.cost",
            )  # fmt: skip

    def delivery_days(self, q: Quantity, part: Part, st: Statement, s: _Sentence) -> None:
        valid = self.transit_days()
        if any(v not in valid for v in q.values):
            self.add(
                "delivery-days-mismatch",
                f"{q.text!r} matches no delivery time in the policy ({self.transit_text()})",
                part, st, s, "shipping.zones.transit_days",
            )  # fmt: skip

    def response(
        self,
        q: Quantity,
        hours: tuple[Decimal, ...],
        part: Part,
        st: Statement,
        s: _Sentence,
    ) -> None:
        promised = self.response_hours()
        if not promised:
            self.add(
                "response-time-mismatch",
                f"promises a response time ({q.text!r}), but no contact channel in the policy "
                "sets response_hours",
                part, st, s, "contact.response_hours",
            )  # fmt: skip
        elif not any(h in promised for h in hours):
            stated = _list(f"{h} hours" for h in sorted(promised))
            self.add(
                "response-time-mismatch",
                f"{q.text!r} differs from the policy's response time of {stated}",
                part, st, s, "contact.response_hours",
            )  # fmt: skip

    def shipping_cost(
        self, q: Quantity, free: bool, part: Part, st: Statement, s: _Sentence
    ) -> None:
        amount = q.values[0]
        thresholds = self.thresholds()
        if free:
            if amount not in thresholds:
                self.add(
                    "free-shipping-threshold-mismatch",
                    f"{q.text!r} is not a free-shipping threshold in the policy; "
                    f"{self.threshold_text()}",
                    part, st, s, "shipping.zones.free_shipping_from",
                )  # fmt: skip
        elif amount not in self.shipping_amounts() and amount not in thresholds:
            rates = _list(self.money(a) for a in sorted(self.shipping_amounts()))
            self.add(
                "shipping-cost-mismatch",
                f"{q.text!r} is none of the policy's shipping rates ({rates})",
                part, st, s, "shipping.zones.rate",
            )  # fmt: skip

    def cutoff(self, clocks: list[Quantity], part: Part, st: Statement, s: _Sentence) -> None:
        cutoffs = self.policy.warehouse.cutoff
        times = set(cutoffs.values())
        wrong = [q for q in clocks if q.clock not in times]
        if wrong:
            said = _list(repr(q.text) for q in wrong)
            self.add(
                "cutoff-mismatch",
                f"{said} is not the policy's cut-off ({self.cutoff_text()})",
                part, st, s, "warehouse.cutoff",
            )  # fmt: skip
            return
        earliest = min(times)
        if all(q.clock is not None and q.clock > earliest for q in clocks):
            days = [d for d, t in cutoffs.items() if t == earliest]
            self.add(
                "cutoff-mismatch",
                f"{clocks[0].text!r} is later than the cut-off on {_weekday_ranges(days)} "
                f"({earliest:%H:%M}); name that day's cut-off too",
                part, st, s, "warehouse.cutoff",
            )  # fmt: skip


def promise_findings(manifesto: Manifesto, policy: Policy) -> list[Finding]:
    """Warnings for every number and promise in `manifesto` that `policy` contradicts."""
    return _Checker(manifesto, policy).run()
