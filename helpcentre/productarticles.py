"""The index of knowledge-base articles by product, written next to the built site.

An article says which products it helps with in its front matter::

    ---
    title: Mounting the bell
    review_by: 2027-06-01
    products: [BELL-CHR, fietsbel-klassiek]   # SKUs or product ids
    product_categories: [bells]               # the catalogue's categories
    ---

The build writes ``product-articles.json`` at the root of the site, and the storefront plugin
reads it (``DEFENCELINE_PRODUCT_ARTICLES``) to put the right articles into the "delivered"
email: help to use what just arrived, resolved forward from the product to its articles::

    {"version": 1, "site_url": "https://shop.example/help/",
     "articles": {"kb/bells/mounting.md": {"title": "...", "url": "kb/bells/mounting/",
                                           "description": "..."}},
     "products": {"BELL-CHR": ["kb/bells/mounting.md"]},
     "categories": {"bells": ["kb/bells/mounting.md"]}}

``url`` is relative to ``site_url`` (MkDocs' own setting; null when the site has none).
Lists are in title order, so the file is the same for the same sources.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["INDEX_FILE", "ProductArticleIndex"]

INDEX_FILE = "product-articles.json"
INDEX_VERSION = 1


def _names(value: object) -> list[str]:
    """A front-matter value as a list of names: one name or a list of them."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if str(item).strip()]


@dataclass
class ProductArticleIndex:
    """Collects the articles of one build (`add` per article page), then `write`s the index."""

    site_url: str | None = None
    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    products: dict[str, set[str]] = field(default_factory=dict)
    categories: dict[str, set[str]] = field(default_factory=dict)

    def add(self, src: str, title: str, url: str, meta: Mapping[str, Any]) -> None:
        """Index the article `src` under the products and categories its front matter names."""
        products = _names(meta.get("products"))
        categories = _names(meta.get("product_categories"))
        if not products and not categories:
            return
        description = meta.get("description")
        self.articles[src] = {
            "title": title,
            "url": url,
            "description": str(description).strip() if description else "",
        }
        for name in products:
            self.products.setdefault(name, set()).add(src)
        for name in categories:
            self.categories.setdefault(name, set()).add(src)

    def to_json(self) -> dict[str, Any]:
        def ordered(sources: set[str]) -> list[str]:
            return sorted(sources, key=lambda s: (self.articles[s]["title"].casefold(), s))

        return {
            "version": INDEX_VERSION,
            "site_url": self.site_url,
            "articles": dict(sorted(self.articles.items())),
            "products": {k: ordered(v) for k, v in sorted(self.products.items())},
            "categories": {k: ordered(v) for k, v in sorted(self.categories.items())},
        }

    def write(self, site_dir: Path) -> Path:
        """Write ``product-articles.json`` into the built site (also when it is empty, so a
        stale index from an earlier build never survives)."""
        path = site_dir / INDEX_FILE
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=False)
        path.write_text(text + "\n", encoding="utf-8")
        return path
