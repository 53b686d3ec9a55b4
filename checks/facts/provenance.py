"""Where a fact was read, so a store owner can see it and the rules can weigh it.

A price read from JSON-LD and one read next to the buy button are different claims: the first
is what the shop tells machines, the second what a shopper sees. Every fact in a report names
its source (the syntax of the structured data, the platform whose page state held it, the page
text, the buy button) and, when it was read from an element, a CSS selector for that element.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "BUY_BUTTON",
    "MARKUP_SOURCES",
    "PAGE",
    "SELECTOR",
    "SHOWN_SOURCES",
    "Provenance",
    "origin_text",
    "platform_source",
]

# Structured data, by syntax (the names extruct gives them).
MARKUP_SOURCES = frozenset(["json-ld", "microdata", "rdfa", "opengraph"])
# The visible page: text near the buy button, a shop-configured selector, a site-wide banner.
PAGE = "page"
SELECTOR = "selector"
BANNER = "banner"
# Availability inferred from the state of the add-to-cart control, not from any stated text.
BUY_BUTTON = "buy-button"
# Sources a shopper reads on the page itself (a rule that compares markup against the page
# compares only against these).
SHOWN_SOURCES = frozenset([PAGE, SELECTOR, BANNER])


def platform_source(platform: str) -> str:
    """The source name for a shop platform's embedded page state ("platform:shopify")."""
    return f"platform:{platform}"


@dataclass(frozen=True, slots=True)
class Provenance:
    """One fact's origin: the source kind, the element's CSS selector, what it said there."""

    source: str
    selector: str | None = None
    text: str | None = None

    @property
    def shown(self) -> bool:
        """Whether a shopper reads the fact on the page (not only machines, not inferred)."""
        return self.source in SHOWN_SOURCES

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"source": self.source}
        if self.selector:
            found["selector"] = self.selector
        if self.text:
            found["text"] = self.text[:200]
        return found


def origin_text(facts: dict[str, Any], key: str) -> str:
    """Where a report's fact `key` was read, for people: "json-ld", "page at #price"."""
    found = (facts.get("provenance") or {}).get(key)
    if not isinstance(found, dict) or not found.get("source"):
        return ""
    selector = found.get("selector")
    return f"{found['source']} at {selector}" if selector else str(found["source"])
