"""Finding the policy's values written out by hand in a help page.

A page that says "verzending kost € 4,95" is right until the shop changes its rate; then it
contradicts the cart. `PolicyLiterals` knows every amount, day count and time the policy
defines and which help-centre variable holds it, and `find` reports each one written
literally in Markdown, outside macros, code and comments, whatever the format ("€ 4,95",
"€4.95", "4,95 euro", "30 dagen", "30-day", "16:00", "4 PM").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from babel.numbers import get_currency_name, get_currency_symbol
from babel.units import format_unit

from defenceline.policy import WEEKDAYS, Policy

__all__ = ["Literal", "PolicyLiterals", "masked"]

K = TypeVar("K")

# Languages whose spellings of amounts, days and times are recognised.
_LANGUAGES = ("en", "nl", "de", "fr", "he")


@dataclass(frozen=True)
class Literal:
    """A policy value written out in a page: where, as written, and the variables to use."""

    line: int
    text: str
    variables: tuple[str, ...]


def masked(markdown: str) -> str:
    """`markdown` with macros, code and comments blanked out (newlines kept, so line numbers
    still match): values inside them are not hand-written prose."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = re.sub(r"(?ms)^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", blank, markdown)
    text = re.sub(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<!--.*?-->", blank, text)
    text = re.sub(r"`[^`\n]+`", blank, text)
    text = re.sub(r"\]\([^)\n]*\)", blank, text)  # link targets
    return text


def _amount(text: str) -> Decimal | None:
    raw = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if raw.endswith((",-", ".-")):
        raw = raw[:-2]
    match = re.fullmatch(r"(\d+(?:[., ]\d{3})*)(?:([.,])(\d{1,2}))?", raw)
    if not match:
        return None
    whole = re.sub(r"[., ]", "", match.group(1))
    cents = match.group(3) or "0"
    try:
        return Decimal(f"{whole}.{cents}")
    except InvalidOperation:
        return None


class PolicyLiterals:
    """The policy's amounts, day counts and times, each mapped to its help-centre variables."""

    def __init__(self, policy: Policy) -> None:
        self.money: dict[Decimal, list[str]] = {}
        self.days: dict[int, list[str]] = {}
        self.times: dict[dt.time, list[str]] = {}
        self._collect(policy)
        self._money_pattern = self._build_money_pattern(policy.shop.currency)
        self._days_pattern = self._build_days_pattern()

    @staticmethod
    def _add(table: dict[K, list[str]], value: K, variable: str) -> None:
        variables = table.setdefault(value, [])
        if variable not in variables:
            variables.append(variable)

    def _collect(self, policy: Policy) -> None:
        money = self.money
        home = policy.zone_for(policy.shop.country) or policy.shipping.zones[0]
        for z, zone in enumerate(policy.shipping.zones):
            base = f"shipping.zones[{z}]"
            if zone.rate is not None and zone.rate > 0:
                self._add(money, zone.rate, "shipping.rate" if zone is home else f"{base}.rate")
            for tier in zone.tiers:
                if tier.rate > 0:
                    self._add(money, tier.rate, "shipping_table()")
                if tier.max_value is not None:
                    self._add(money, tier.max_value, "shipping_table()")
            if zone.free_shipping_from is not None:
                name = "shipping.free_from" if zone is home else f"{base}.free_shipping_from"
                self._add(money, zone.free_shipping_from, name)
            for e, option in enumerate(zone.express):
                self._add(money, option.rate, f"{base}.express[{e}].rate")
        if policy.returns.cost > 0:
            self._add(money, policy.returns.cost, "returns.cost")
        for m, method in enumerate(policy.payment_methods):
            if method.surcharge > 0:
                self._add(money, method.surcharge, f"payment.methods[{m}].surcharge")
        days = self.days
        self._add(days, policy.returns.window_days, "returns.window")
        times = self.times
        for day in WEEKDAYS:
            cutoff = policy.warehouse.cutoff.get(day)
            if cutoff is not None:
                self._add(times, cutoff, "cutoff_sentence()")
                self._add(times, cutoff, f"warehouse.cutoff.{day}")
        for channel in policy.contact:
            for hours in channel.hours.values():
                self._add(times, hours.opens, "contact_hours()")
                self._add(times, hours.closes, "contact_hours()")

    @staticmethod
    def _build_money_pattern(currency: str) -> re.Pattern[str]:
        marks = {currency, currency.lower()}
        for language in _LANGUAGES:
            marks.add(get_currency_symbol(currency, locale=language))
            name = str(get_currency_name(currency, locale=language))
            marks.update({name, name.lower()})
            plural = str(get_currency_name(currency, count=2, locale=language))
            marks.update({plural, plural.lower()})
        alternatives = "|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True))
        amount = r"\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d{1,2}|[.,]-)?"
        return re.compile(
            rf"(?:(?<![\w])(?:{alternatives})[\s\u00a0\u200f\u200e]?(?P<a>{amount}))"
            rf"|(?:(?<![\w.,])(?P<b>{amount})[\s\u00a0\u200f\u200e]?(?:{alternatives})(?![\w]))"
        )

    @staticmethod
    def _build_days_pattern() -> re.Pattern[str]:
        words: set[str] = set()
        for language in _LANGUAGES:
            for count in (1, 2, 5, 30):
                for length in ("long", "short"):
                    text = str(format_unit(count, "duration-day", length, locale=language))
                    word = re.sub(r"[\d\s\u00a0\u200f\u200e]", "", text).strip()
                    if word and "duration" not in word:
                        words.add(word)
        words.update({"day", "days", "dag", "dagen", "Tag", "Tage", "Tagen", "werkdagen"})
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<![\w.,])(?P<n>\d+)(?:[\s\u00a0]|-)?(?:{alternatives})(?!\w)")

    _TIME = re.compile(
        r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])(?:(?P<sep>[:.])(?P<m>[0-5]\d))?"
        r"(?:[\s\u00a0]?(?P<ampm>[AaPp]\.?[Mm]\.?))?(?![\w:]|[.,]\d)"
    )

    def find(self, markdown: str, first_line: int = 1) -> list[Literal]:
        """Every policy value written literally in `markdown` (the page body, which starts on
        line `first_line` of its file)."""
        text = masked(markdown)
        found: list[tuple[int, str, tuple[str, ...]]] = []

        def line_of(offset: int) -> int:
            return first_line + text.count("\n", 0, offset)

        spans: list[tuple[int, int]] = []
        for match in self._money_pattern.finditer(text):
            spans.append(match.span())
            amount = _amount(match.group("a") or match.group("b") or "")
            if amount is not None and amount in self.money:
                found.append(
                    (line_of(match.start()), match.group(0).strip(), tuple(self.money[amount]))
                )
        for match in self._days_pattern.finditer(text):
            count = int(match.group("n"))
            if count in self.days:
                found.append((line_of(match.start()), match.group(0), tuple(self.days[count])))
        for match in self._TIME.finditer(text):
            if any(start <= match.start() < end for start, end in spans):
                continue
            if match.group("m") is None and match.group("ampm") is None:
                continue  # a bare number is not a time
            hour = int(match.group("h"))
            minute = int(match.group("m") or 0)
            ampm = (match.group("ampm") or "").lower().replace(".", "")
            if ampm:
                if not 1 <= hour <= 12:
                    continue
                hour = hour % 12 + (12 if ampm == "pm" else 0)
            moment = dt.time(hour, minute)
            if moment in self.times:
                found.append((line_of(match.start()), match.group(0), tuple(self.times[moment])))
        found.sort()
        return [Literal(line, text, variables) for line, text, variables in found]
