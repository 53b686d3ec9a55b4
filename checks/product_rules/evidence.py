"""Where a product rule points when it reports something missing: the heading, the button."""

from __future__ import annotations

from typing import Any

from bs4 import Tag

from defenceline.checks.page import Block
from defenceline.checks.registry import Context

__all__ = ["first_visible", "heading_or_button", "links_in"]


def first_visible(ctx: Context, *names: str) -> Tag | None:
    for tag in ctx.page.elements(*names):
        if not ctx.page.is_hidden(tag):
            return tag
    return None


def heading_or_button(ctx: Context) -> Tag | None:
    return ctx.page.main_heading or ctx.page.buy_button


def links_in(ctx: Context, block: Block) -> list[Tag]:
    """The links whose visible text lies in `block`."""
    found: dict[int, Tag] = {}
    for owner in ctx.page.owners_between(block.start, block.end):
        element: Any = owner
        for _ in range(6):
            if not isinstance(element, Tag) or element.name in ("a", "body", "[document]"):
                break
            element = element.parent
        if isinstance(element, Tag) and element.name == "a":
            found.setdefault(id(element), element)
    return list(found.values())
