"""Finding the policy's values written out by hand in a help page.

A page that says "verzending kost € 4,95" is right until the shop changes its rate; then it
contradicts the cart. `PolicyLiterals` knows every amount, day count and time the policy
defines and which help-centre variable holds it, and `find` reports each one written
literally in Markdown, outside macros, code and comments. The values are read by the core's
promise reader (`defenceline.promises.find_quantities`, the one the manifesto linter and the
page checker use), in every language it knows, whatever the format ("€ 4,95", "€4.95",
"4,95 euro", "30 dagen", "30-day", "16:00", "4 PM").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from defenceline.policy import WEEKDAYS, Policy
from defenceline.promises import EVERY_LANGUAGE, Quantity, find_quantities

__all__ = ["Literal", "PolicyLiterals", "masked"]

K = TypeVar("K")

# A block of Markdown: a line with text and the lines after it up to the next blank one.
_BLOCK = re.compile(r"(?m)^[^\S\n]*\S.*(?:\n[^\S\n]*\S.*)*")


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


class PolicyLiterals:
    """The policy's amounts, day counts and times, each mapped to its help-centre variables."""

    def __init__(self, policy: Policy) -> None:
        self.money: dict[Decimal, list[str]] = {}
        self.days: dict[int, list[str]] = {}
        self.times: dict[dt.time, list[str]] = {}
        self.currency = policy.shop.currency
        self._collect(policy)

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

    def _quantities(self, text: str) -> Iterator[tuple[int, Quantity]]:
        """The values in `text`, each with the offset of its block: every language's spellings
        at once (a help page may quote "4 PM" among Dutch), read one block (paragraph, heading,
        list) at a time. A value and its unit are read within one block, as a shopper reads
        them; and most blocks of an article have no digit, which the reader then skips, where
        one digit anywhere in a page (a heading's "Stap 1") would have it scan the whole page
        in every language."""
        for block in _BLOCK.finditer(text):
            for q in find_quantities(block.group(), EVERY_LANGUAGE, self.currency):
                yield block.start(), q

    def find(self, markdown: str, first_line: int = 1) -> list[Literal]:
        """Every policy value written literally in `markdown` (the page body, which starts on
        line `first_line` of its file)."""
        text = masked(markdown)
        found: list[tuple[int, str, tuple[str, ...]]] = []
        for offset, q in self._quantities(text):
            variables: list[str] | None = None
            if q.kind == "amount":
                variables = self.money.get(q.values[0])
            elif q.kind == "days" and len(q.values) == 1:  # not a range ("2-3 dagen")
                variables = self.days.get(int(q.values[0]))
            elif q.kind == "clock" and q.clock is not None:
                variables = self.times.get(q.clock)
            if variables:
                line = first_line + text.count("\n", 0, offset + q.start)
                found.append((line, q.text, tuple(variables)))
        found.sort()
        return [Literal(line, text, variables) for line, text, variables in found]
