"""Facts a shopper reads in the visible text: delivery time, shipping cost, return window.

Each is the block of text that says it nearest the buy button (the place a shopper looks),
preferring the page over the site-wide chrome (header, footer, USP banners), which is used only
as a last resort. A shop can point the checker at its own element with a CSS selector
(`[checks.selectors]`); a selector that matches wins over every heuristic.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.facts.model import Found
from defenceline.checks.page import Block, Page, ancestors

__all__ = [
    "ancestor_label",
    "anchor_offset",
    "distance",
    "read_delivery",
    "read_returns",
    "read_shipping",
    "select",
    "states_cost",
    "text_offset",
]


def select(page: Page, selector: str | None) -> Tag | None:
    """The first visible element with text that the shop's own CSS selector matches."""
    if not selector:
        return None
    for tag in page.soup.select(selector):
        if not page.is_hidden(tag) and page.text_of(tag):
            return tag
    return None


def ancestor_label(tag: Tag, levels: int = 4) -> str:
    """The class, id, itemprop and test id of `tag` and its parents, as one string."""
    labels: list[str] = []
    node: Any = tag
    for _ in range(levels):
        if not isinstance(node, Tag):
            break
        classes = node.get("class")
        labels.append(" ".join(classes) if isinstance(classes, list) else str(classes or ""))
        labels.append(str(node.get("id") or ""))
        labels.append(str(node.get("itemprop") or ""))
        labels.append(str(node.get("data-testid") or ""))
        node = node.parent
    return " ".join(label for label in labels if label)


def anchor_offset(page: Page) -> int | None:
    """Where a shopper looks: the buy button, else the product heading."""
    if page.buy_offset is not None:
        return page.buy_offset
    if page.main_heading is not None:
        span = page.span_of(page.main_heading)
        if span:
            return span[1]
    return None


def distance(offset: int, anchor: int | None, after_weight: float = 1.0) -> float:
    if anchor is None:
        return float(offset)
    if offset <= anchor:
        return float(anchor - offset)
    return (offset - anchor) * after_weight


def text_offset(page: Page, block: Block, index: int) -> int:
    """Offset in page.text of character `index` of the (whitespace-collapsed) block text."""
    raw_start = block.start
    lead = 0
    text = page.text
    while raw_start + lead < len(text) and text[raw_start + lead].isspace():
        lead += 1
    if text.startswith(block.text, raw_start + lead):
        return raw_start + lead + index  # the block was written without extra whitespace
    raw = text[raw_start : raw_start + len(block.text) * 2 + 16]
    # Walk the raw text, skipping collapsed whitespace, until `index` collapsed characters.
    seen = 0
    previous_space = True
    for position, char in enumerate(raw):
        is_space = char.isspace()
        if is_space and previous_space:
            continue
        if seen >= index:
            return raw_start + position
        seen += 1
        previous_space = is_space
    return raw_start + len(raw)


def _in_cell(tag: Tag) -> bool:
    return any(node.name in ("dt", "th", "td") for node in ancestors(tag, 3))


def _with_value(page: Page, block: Block, pattern: re.Pattern[str], limit: int) -> str | None:
    """A label block and the value block after it, as one text ("Levertijd 1-2 werkdagen").

    Specification tables and definition lists put "Delivery:" and "2–3 working days" in
    cells of their own; a label is short, holds no number and is followed by a value that is
    not itself such a label.
    """
    text = block.text
    if len(text) > 40 or any(char.isdigit() for char in text):
        return None
    if not text.endswith(":") and not _in_cell(page.element_at(block.start)):
        return None  # a label ends with a colon or sits in a table or definition-list cell
    following = page.block_after(block)
    if following is None or len(following.text) + len(text) >= limit:
        return None
    if pattern.search(following.text) and not any(c.isdigit() for c in following.text):
        return None  # the next block is another label
    return f"{text} {following.text}"


def _nearest(
    page: Page,
    pattern: re.Pattern[str],
    accept: Any = None,
    max_block: int = 300,
) -> tuple[Found | None, list[Found]]:
    """The block matching `pattern` nearest the buy button, preferring the page over chrome."""
    anchor = anchor_offset(page)
    main: list[tuple[float, Found]] = []
    chrome: list[tuple[float, Found]] = []
    seen: set[int] = set()
    for match, block in page.iter_matches(pattern, max_length=max(600, max_block)):
        offset = text_offset(page, block, match.start())
        element = page.element_at(offset)
        # The smallest piece of text that carries the fact: the element, its parent, or the
        # whole block (inline siblings such as USP items run together in a block).
        candidates: list[tuple[Tag, str]] = []
        owner: Any = element
        for _ in range(2):
            if not isinstance(owner, Tag):
                break
            own = page.inline_text_of(owner)
            if own and 12 <= len(own) <= max_block and pattern.search(own):
                candidates.append((owner, own))
            owner = owner.parent
        if len(block.text) <= max_block:
            labelled = _with_value(page, block, pattern, max_block)
            if labelled is not None:  # "Delivery:" | "2–3 working days": the pair says it
                candidates.insert(0, (element, labelled))
            candidates.append((element, block.text))
        chosen: tuple[Tag, str, Any] | None = None
        for holder, text in candidates:
            value = accept(text) if accept is not None else match.group(0)
            if value is not None:
                chosen = (holder, text, value)
                break
        if chosen is None or (id(chosen[0]) in seen and chosen[1] != block.text):
            continue
        holder, text, value = chosen
        seen.add(id(holder))
        in_chrome = page.in_chrome(element)
        found = Found(value, holder, text[:200], "page", in_chrome)
        (chrome if in_chrome else main).append((distance(offset, anchor, 1.5), found))
    main.sort(key=lambda item: item[0])
    chrome.sort(key=lambda item: item[0])
    everything = [f for _, f in main] + [f for _, f in chrome]
    return (everything[0] if everything else None), everything


def _delivery_accept(text: str) -> str | None:
    """The text if it names a delivery time; "14 Tage Widerrufsrecht" or "30 days to return"
    next to the word for shipping is a return window, not when the parcel comes."""
    for match in lexicon.DELIVERY_TIME.finditer(text):
        around = text[max(0, match.start() - 25) : match.end() + 25]
        if not lexicon.RETURNS_KEYWORD.search(around):
            return text
    return None


def _shipping_accept(text: str) -> str | None:
    if lexicon.PAID_EXTRA.search(text) and not lexicon.FREE.search(text):
        return None  # "shipping insurance + €2.90" is an extra, not the shipping cost
    return text


def _returns_accept(text: str) -> int | None:
    best: int | None = None
    for days in lexicon.RETURN_DAYS.finditer(text):
        number = int(days.group("d1") or days.group("d2"))
        if 1 <= number <= 365 and (best is None or number > best):
            best = number
    return best


def _returns_accept_text(text: str) -> int | None:
    numbers = [int(m.group("d1") or m.group("d2")) for m in lexicon.RETURN_DAYS.finditer(text)]
    numbers = [n for n in numbers if 1 <= n <= 365]
    return max(numbers) if numbers else None


def states_cost(text: str) -> bool:
    """Whether a shipping text states a cost (an amount or 'free'), not just the word."""
    if lexicon.SHIPPING_LATER.search(text):
        return False
    return bool(find_amounts(text) or lexicon.FREE.search(text))


def _read_text_fact(
    page: Page, pattern: re.Pattern[str], accept: Any, selector: str | None
) -> tuple[Found | None, list[Found]]:
    tag = select(page, selector)
    if tag is not None:
        text = page.text_of(tag)
        return Found(text, tag, text[:200], "selector"), []
    return _nearest(page, pattern, accept)


def read_delivery(page: Page, selector: str | None) -> Found | None:
    """The delivery time a shopper reads ("Voor 23:59 besteld, morgen in huis")."""
    found, _ = _read_text_fact(page, lexicon.DELIVERY_KEYWORD, _delivery_accept, selector)
    return found


def read_shipping(page: Page, selector: str | None) -> tuple[Found | None, list[Found]]:
    """What a shopper learns about the shipping cost, and every mention of shipping.

    A statement of the cost on the page comes first, else "calculated at checkout", else what
    the site-wide banner says, else the nearest mention.
    """
    first, found = _read_text_fact(page, lexicon.SHIPPING_KEYWORD, _shipping_accept, selector)
    if first is None:
        return None, found
    stated = [f for f in found if states_cost(f.text)]
    best = (
        next((f for f in stated if not f.in_chrome), None)
        or next(
            (f for f in found if not f.in_chrome and lexicon.SHIPPING_LATER.search(f.text)),
            None,
        )
        or next(iter(stated), None)
        or first
    )
    return best, found


def read_returns(page: Page, selector: str | None) -> Found | None:
    """The return window in days a shopper reads ("30 dagen bedenktijd")."""
    returns, _ = _read_text_fact(page, lexicon.RETURNS_KEYWORD, _returns_accept, selector)
    if returns is not None and returns.source == "selector":
        days = _returns_accept_text(returns.text)
        returns = Found(days, returns.element, returns.text, "selector") if days else None
    return returns
