"""The product page against the store policy (store.toml): one promise, checked everywhere.

The page's text is read by the core's promise reader (`defenceline.promises`), the one the
manifesto linter and the help centre's checks use, so a sentence means the same on a product
page as in the FAQ: each amount, day count and time belongs to the topic of its own clause, and
a contradiction names the store.toml field and what it holds.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from babel import Locale, UnknownLocaleError

from defenceline.checks.page import Block, Page
from defenceline.checks.registry import Context, Hit, register
from defenceline.policy import Policy
from defenceline.promises import (
    VALUE_KINDS,
    find_quantities,
    read_passage,
    split_sentences,
    topic_words,
)

__all__: list[str] = []

# What a page is held to: every value the policy contradicts, and free returns the policy
# charges for. Promises without a number that depend on the cart ("gratis verzending" once the
# threshold is reached, same-day dispatch without its cut-off) are the manifesto's and the
# FAQ's to qualify; a value the policy holds but not on every day ("voor 16:00", Fridays
# 15:00) is not a contradiction on a page shown on that day.
_REPORTED = VALUE_KINDS | {"free-returns-unbacked"}
# Longer blocks are running text (descriptions, reviews, terms), not the buy box's promises.
_MAX_BLOCK = 400
# A cart row's label cell ("Verzending naar Nederland") is short, and its amount cell holds
# nothing else ("€ 4,95").
_MAX_LABEL = 60


def _language(page: Page, policy: Policy) -> str:
    """The language the page is written in (Babel's code), else the shop's."""
    try:
        return str(Locale.parse(page.lang or "", sep="-").language)
    except (ValueError, TypeError, UnknownLocaleError):
        return policy.shop.default_locale


def _digits(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _passages(page: Page, language: str, currency: str) -> Iterator[Block]:
    """The page's short blocks of text that name a topic of the policy (one search of the
    whole text finds them); a cart row's label is joined with the cell after it when that cell
    holds just an amount ("Verzending" | "€ 4,95" reads "Verzending € 4,95")."""
    blocks = page.blocks
    starts = [block.start for block in blocks]
    # every word lies inside a block: blocks hold all the visible text
    found = topic_words(language).finditer(page.text)
    for index in sorted({bisect.bisect_right(starts, m.start()) - 1 for m in found}):
        block = blocks[index]
        if len(block.text) > _MAX_BLOCK:
            continue
        cell = blocks[index + 1].text if index + 1 < len(blocks) else ""
        label = block.text
        if len(label) <= _MAX_LABEL and len(cell) <= 20 and _digits(cell) and not _digits(label):
            amounts = [q for q in find_quantities(cell, language, currency) if q.kind == "amount"]
            if len(amounts) == 1 and len(cell) <= len(amounts[0].text) + 3:
                yield Block(f"{block.text} {cell}", block.start)
                continue
        yield block


@register("policy-consistency")
def policy_consistency(ctx: Context) -> Iterator[Hit]:
    policy = ctx.policy
    if policy is None:
        return
    page = ctx.page
    language = _language(page, policy)
    for block in _passages(page, language, policy.shop.currency):
        sentences = [text for _, text in split_sentences(block.text)]
        for found in read_passage(sentences, language, policy):
            if found.kind in _REPORTED and not found.incomplete:
                yield Hit(
                    f"{found.message} (store.toml: {found.policy_field})",
                    page.element_at(block.start + 1),
                    snippet=found.evidence,
                )
    if ctx.facts.currency and ctx.facts.currency != policy.shop.currency:
        yield Hit(
            f"prices are in {ctx.facts.currency}; the policy's currency is {policy.shop.currency}",
            ctx.facts.visible_price.element if ctx.facts.visible_price else None,
        )
