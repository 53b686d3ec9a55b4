"""What the amounts in a shipping statement stand for: a rate, a threshold, or what is left.

"Verzendkosten € 4,95, gratis vanaf € 50" names a rate and a free-shipping threshold; a cart's
"Gratis verzending vanaf € 50,00: nog € 37,05" names the threshold and what the shopper still
has to spend; "€ 49,95 incl. btw, excl. verzendkosten" names the product's price next to the
word for shipping. Comparing every amount in such a sentence with the policy's shipping rates
reports things the page never promised, so each amount gets a role first, from the words right
around it, in the six languages of the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from defenceline.checks import lexicon
from defenceline.checks.amounts import Amount, find_amounts

__all__ = ["Role", "ShippingAmount", "shipping_amounts"]

Role = Literal["rate", "threshold", "remaining", "other"]

# Words that make the amount after them something else than a shipping rate, when they stand
# between the shipping word and the amount ("Verzending € 4,95 · Totaal € 17,90").
_NOT_A_RATE = re.compile(
    r"\b(?:sub)?tota(?:al|le|l)\b|\b(?:zwischen|gesamt)?summe\b|\bgesamt\w*|\bsous-total\b|"
    r"\bsubtotale\b|\bbtw\b|\bvat\b|\bmwst\b|\bust\b|\btva\b|\biva\b|\bprijs\b|\bprice\b|"
    r"\bpreis\b|\bprix\b|\bprezzo\b|\bprecio\b|\bkorting\b|\bdiscount\b|\brabatt\b|"
    r"\br[ée]duction\b|\bsconto\b|\bdescuento\b|\bte betalen\b|\bto pay\b|\bà payer\b|"
    r"\bda pagare\b|\ba pagar\b",
    re.IGNORECASE,
)
# "Totaal incl. verzending € 17,90", "Gesamtsumme inkl. Versand": the shipping word is part of
# what a total includes, it does not introduce a rate.
_INCLUDED = re.compile(
    r"(?:incl|inkl|including|inclusief|inklusive|inclus|compris|comprese?|inclu[íi]d[oa]s?|"
    r"incluye|incluso|con|met|mit|with|avec)\w*\.?\s*(?:de |der |den |la |le |les |il |i |los |"
    r"las |the )?$",
    re.IGNORECASE,
)
_KEYWORD_AFTER = re.compile(
    r"^\s*(?:[:\-–—]\s*)?(?:" + lexicon.SHIPPING_KEYWORD.pattern + ")", re.IGNORECASE
)
_BELOW = re.compile(
    r"\s*(?:onder|beneden|under|below|less than|unter|moins de|en dessous de|sotto|inferiori a|"
    r"menos de|inferiores a)\b",
    re.IGNORECASE,
)
_RATE_REACH = 45  # characters of words between the shipping word and its amount


@dataclass(frozen=True, slots=True)
class ShippingAmount:
    """One amount in a shipping statement and what it stands for."""

    amount: Amount
    role: Role


def _keywords(text: str) -> list[tuple[int, int]]:
    """Where the shipping words are, leaving out those a total says it includes."""
    spans: list[tuple[int, int]] = []
    for pattern in (lexicon.SHIPPING_KEYWORD, lexicon.SHIPPING_ROW):
        for match in pattern.finditer(text):
            if _INCLUDED.search(text, max(0, match.start() - 20), match.start()):
                continue
            spans.append(match.span())
    return sorted(set(spans))


def _introduced_by_keyword(
    text: str, amount: Amount, previous: list[Amount], keywords: list[tuple[int, int]]
) -> bool:
    """Whether a shipping word shortly before `amount` introduces it as the cost."""
    before = [end for start, end in keywords if end <= amount.start]
    if not before:
        return False
    segment = text[before[-1] : amount.start]
    for other in previous:  # "Verzending: NL € 4,95, BE € 6,95": earlier rates do not count
        if other.start >= before[-1]:
            segment = segment.replace(other.text, " ")
    return len(segment.strip()) <= _RATE_REACH and not _NOT_A_RATE.search(segment)


def shipping_amounts(text: str, lang: str | None = None) -> list[ShippingAmount]:
    """Every amount in a shipping statement with its role (see the module docstring)."""
    amounts = find_amounts(text, lang)
    if not amounts:
        return []
    keywords = _keywords(text)
    mentions_free = lexicon.FREE.search(text) is not None
    found: list[ShippingAmount] = []
    for index, amount in enumerate(amounts):
        before = text[max(0, amount.start - 40) : amount.start]
        after = text[amount.end : amount.end + 30]
        role: Role
        threshold = lexicon.FREE_FROM_END.search(before)
        if threshold is not None:
            # "Gratis vanaf € 50", "ab 50 € versandkostenfrei", "orders under £40": a threshold;
            # "Verzending vanaf € 4,95" without "free" is the lowest rate.
            free_nearby = lexicon.FREE.search(text, 0, amount.start) or lexicon.FREE.search(after)
            below = _BELOW.match(threshold.group(0))
            role = "threshold" if free_nearby or below else "rate"
        elif mentions_free and (
            lexicon.SHIPPING_REMAINING_BEFORE.search(before)
            or lexicon.SHIPPING_REMAINING_AFTER.search(after)
        ):
            role = "remaining"
        elif _introduced_by_keyword(text, amount, amounts[:index], keywords):
            role = "rate"
        elif _KEYWORD_AFTER.match(after) and not lexicon.UNSTATED_SHIPPING.match(after.strip()):
            role = "rate"  # "€ 4,95 verzendkosten"
        else:
            role = "other"
        found.append(ShippingAmount(amount, role))
    return found
