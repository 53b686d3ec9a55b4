"""The product page against the store policy (store.toml): one promise, checked everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.registry import Context, Hit, Rule, register
from defenceline.checks.shipping_claims import shipping_amounts

__all__: list[str] = []


_CUTOFF = re.compile(
    r"\b(?:voor|v[óo][óo]r|before|by|vor|bis|avant|entro(?: le)?|prima delle|antes de(?: las)?)"
    r"\s*(?P<h>\d{1,2})(?:[:.h]\s?(?P<m>\d{2}))?\s*(?P<suffix>uur|u\b|h\b|uhr|pm|am|p\.m\.|a\.m\.)?",
    re.IGNORECASE,
)


@register
class PolicyConsistency(Rule):
    id = "policy-consistency"
    severity = "error"
    page_types = ("product", "cart", "checkout")
    needs_policy = True
    summary = (
        "Return days, shipping costs, the free-shipping threshold and the cut-off time stated on "
        "the page match store.toml (needs --policy)."
    )
    why = (
        "A promise the shop cannot keep costs more than a modest promise it keeps. When the page "
        "says '60 days to return' and the policy says 30, customer service inherits the "
        "argument. Amounts a shopper still has to spend for free shipping ('nog € 37,05', "
        "'€37.05 to go') are not thresholds. The examples assume the demo shop's policy: "
        "30-day returns, €4.95 shipping, free from €50, cut-off 16:00 (15:00 on Fridays)."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>60 dagen gratis retourneren</p><p>Verzendkosten € 3,95, gratis vanaf € 40</p>"
        "<p>Voor 22:00 besteld, morgen in huis</p>"
    )
    passing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>30 dagen gratis retourneren</p><p>Verzendkosten € 4,95, gratis vanaf € 50 "
        "(nog € 0,05 te gaan)</p><p>Voor 16:00 besteld, morgen in huis</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        policy = ctx.policy
        if policy is None:
            return
        page = ctx.page
        window = policy.returns.window_days
        reported: set[str] = set()
        for _match, block in page.iter_matches(lexicon.RETURNS_KEYWORD, 400):
            if block.text in reported or len(block.text) > 400:
                continue
            days = [
                int(m.group("d1") or m.group("d2"))
                for m in lexicon.RETURN_DAYS.finditer(block.text)
            ]
            days = [d for d in days if 1 <= d <= 365 and d != 14]
            element = page.element_at(block.start + 1)
            if days and window not in days:
                reported.add(block.text)
                yield Hit(
                    f"the page promises {max(days)} days to return; the policy says {window}",
                    element,
                    snippet=block.text[:200],
                )
            elif lexicon.FREE.search(block.text) and not policy.returns.is_free:
                reported.add(block.text)
                yield Hit(
                    f"the page promises free returns; the policy charges {policy.returns.cost}",
                    element,
                    snippet=block.text[:200],
                )
        yield from self._shipping(ctx)
        yield from self._cutoff(ctx)
        if ctx.facts.currency and ctx.facts.currency != policy.shop.currency:
            yield Hit(
                f"prices are in {ctx.facts.currency}; the policy's currency is "
                f"{policy.shop.currency}",
                ctx.facts.visible_price.element if ctx.facts.visible_price else None,
                severity="warning",
            )

    def _shipping(self, ctx: Context) -> Iterator[Hit]:
        policy = ctx.policy
        assert policy is not None
        rates: set[Decimal] = set()
        thresholds: set[Decimal] = set()
        for zone in policy.shipping.zones:
            if zone.rate is not None:
                rates.add(zone.rate)
            for tier in zone.tiers:
                rates.add(tier.rate)
            for express in zone.express:
                rates.add(express.rate)
            if zone.free_shipping_from is not None:
                thresholds.add(zone.free_shipping_from)
        for method in policy.payment_methods:
            if method.surcharge:
                rates.add(method.surcharge)
        page = ctx.page
        seen: set[str] = set()
        for _match, block in page.iter_matches(lexicon.SHIPPING_KEYWORD, 300):
            if block.text in seen or len(block.text) > 300:
                continue
            seen.add(block.text)
            element = page.element_at(block.start + 1)
            for claim in shipping_amounts(block.text, page.lang):
                value = claim.amount.value
                if claim.role == "threshold" and value not in thresholds:
                    expected = ", ".join(str(t) for t in sorted(thresholds)) or "none"
                    yield Hit(
                        f"the page says free shipping from {value}; the policy's thresholds "
                        f"are {expected}",
                        element,
                        snippet=block.text[:200],
                    )
                elif claim.role == "rate" and value > 0 and value not in rates:
                    yield self._wrong_rate(value, rates, element, block.text)
        yield from self._shipping_rows(ctx, rates)

    @staticmethod
    def _wrong_rate(value: Decimal, rates: set[Decimal], element: Tag, text: str) -> Hit:
        known = ", ".join(str(r) for r in sorted(rates)) or "none"
        return Hit(
            f"the page states a shipping cost of {value}; the policy's rates are {known}",
            element,
            snippet=text[:200],
        )

    def _shipping_rows(self, ctx: Context, rates: set[Decimal]) -> Iterator[Hit]:
        """Cart rows whose label and amount are separate cells ("Verzending" | "€ 4,95")."""
        page = ctx.page
        blocks = page.blocks
        for index, block in enumerate(blocks[:-1]):
            if len(block.text) > 60 or not lexicon.SHIPPING_ROW.search(block.text):
                continue
            if find_amounts(block.text, page.lang) or lexicon.FREE.search(block.text):
                continue  # the label states its own cost (checked above) or says free
            following = blocks[index + 1].text
            amounts = find_amounts(following, page.lang)
            if len(amounts) != 1 or len(following) > len(amounts[0].text) + 3:
                continue  # not a cell holding just an amount
            value = amounts[0].value
            if value > 0 and value not in rates:
                element = page.element_at(blocks[index + 1].start + 1)
                yield self._wrong_rate(value, rates, element, f"{block.text} {following}")

    def _cutoff(self, ctx: Context) -> Iterator[Hit]:
        policy = ctx.policy
        assert policy is not None
        cutoffs = {(t.hour, t.minute) for t in policy.warehouse.cutoff.values()}
        if not cutoffs:
            return
        for _match, block in ctx.page.iter_matches(lexicon.DELIVERY_KEYWORD, 400):
            for cut in _CUTOFF.finditer(block.text):
                hour = int(cut.group("h"))
                minute = int(cut.group("m") or 0)
                suffix = (cut.group("suffix") or "").lower()
                if suffix.startswith("p") and hour < 12:
                    hour += 12
                if not cut.group("m") and not suffix:
                    continue
                if hour > 23 or minute > 59:
                    continue
                if (hour, minute) not in cutoffs:
                    allowed = ", ".join(f"{h:02d}:{m:02d}" for h, m in sorted(cutoffs))
                    yield Hit(
                        f"the page names a cut-off of {hour:02d}:{minute:02d}; the policy's "
                        f"cut-off times are {allowed}",
                        ctx.page.element_at(block.start + 1),
                        snippet=block.text[:200],
                    )
                    return
