"""The knowledge base: categories of articles, ordered by what shoppers read and found helpful.

Layout in docs_dir::

    kb/index.md                  optional intro for the knowledge base's front page
    kb/<category>/index.md       optional intro (and `title:`) for a category
    kb/<category>/<article>.md   an article; front matter `review_by:` (required),
                                 `reviewed:` (last reviewed), `description:` (one line)

Articles are deliberately left out of the site navigation: MkDocs renders the whole navigation
into every page, so a navigation with every article makes a build quadratic in the number of
articles. Instead each category gets an index page listing its articles, most popular first,
each with its last-reviewed date; that stays linear however large the knowledge base grows.

Popularity comes from a stats file that the storefront plugin exports from shoppers' page
views and "Was this helpful?" votes (JSON)::

    {"pages": {"kb/delivery/track-your-parcel.md": {"views": 412, "helpful": 37,
                                                    "not_helpful": 4}}}

An article's score is its views plus `VOTE_WEIGHT` per helpful vote, minus as much per
unhelpful vote; articles without stats follow, in title order. This module is plain Python.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defenceline.helpcentre.source import Page, SourceError, front_matter_date

__all__ = [
    "VOTE_WEIGHT",
    "Article",
    "Category",
    "KnowledgeBase",
    "PageStats",
    "category_listing",
    "knowledge_base",
    "load_stats",
    "overview_listing",
]

VOTE_WEIGHT = 10
"""How many page views one "helpful" vote is worth when ordering articles."""


@dataclass(frozen=True)
class PageStats:
    views: int = 0
    helpful: int = 0
    not_helpful: int = 0

    @property
    def score(self) -> int:
        return self.views + VOTE_WEIGHT * (self.helpful - self.not_helpful)


def load_stats(path: Path | None) -> dict[str, PageStats]:
    """Read the stats file at `path` (None or a missing file: no stats yet).

    Raises SourceError naming the file, line and key for a file that is not the documented
    JSON shape.
    """
    if path is None or not path.exists():
        return {}
    name = path.as_posix()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(name, f"is not valid JSON: {exc.msg}", exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise SourceError(name, f"cannot be read: {reason}") from None
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, dict):
        raise SourceError(
            name, 'expected {"pages": {"kb/<category>/<article>.md": {"views": N, ...}}}'
        )
    stats: dict[str, PageStats] = {}
    for key, value in pages.items():
        counts: dict[str, int] = {}
        for count in ("views", "helpful", "not_helpful"):
            number = value.get(count, 0) if isinstance(value, dict) else None
            if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                raise SourceError(
                    name, f"pages[{key!r}].{count}: expected a whole number >= 0, got {number!r}"
                )
            counts[count] = number
        stats[str(key)] = PageStats(**counts)
    return stats


@dataclass(frozen=True)
class Article:
    src: str
    title: str
    category: str
    description: str
    review_by: dt.date | None
    reviewed: dt.date | None
    stats: PageStats | None


@dataclass
class Category:
    slug: str
    title: str
    index_src: str
    has_index_page: bool
    articles: list[Article] = field(default_factory=list)

    def ordered(self) -> list[Article]:
        """Most popular first (by stats score), then articles without stats by title."""
        with_stats = [a for a in self.articles if a.stats is not None]
        without = [a for a in self.articles if a.stats is None]
        with_stats.sort(key=lambda a: (-(a.stats or PageStats()).score, a.title.casefold()))
        without.sort(key=lambda a: a.title.casefold())
        return with_stats + without


@dataclass
class KnowledgeBase:
    root: str  # the folder inside docs_dir, e.g. "kb"
    categories: dict[str, Category]
    errors: list[SourceError]

    def article_srcs(self) -> set[str]:
        return {a.src for c in self.categories.values() for a in c.articles}

    def popular(self, count: int) -> list[Article]:
        """The `count` most popular articles over all categories (only those with stats)."""
        scored = [a for c in self.categories.values() for a in c.articles if a.stats is not None]
        scored.sort(key=lambda a: (-(a.stats or PageStats()).score, a.title.casefold()))
        return scored[:count]


def _humanise(slug: str) -> str:
    return slug.replace("-", " ").replace("_", " ").capitalize()


def knowledge_base(
    pages: dict[str, Page],
    root: str,
    stats: dict[str, PageStats],
    display: Callable[[str], str] = str,
) -> KnowledgeBase:
    """Group the pages under `root`/ into categories (one folder level); dates that are not
    dates become errors naming the file and line."""
    prefix = root.strip("/") + "/"
    categories: dict[str, Category] = {}
    errors: list[SourceError] = []
    for src, page in sorted(pages.items()):
        if not src.startswith(prefix):
            continue
        parts = src[len(prefix) :].split("/")
        if len(parts) < 2:
            continue  # kb/index.md and loose files are not articles
        slug = parts[0]
        category = categories.setdefault(
            slug, Category(slug, _humanise(slug), f"{prefix}{slug}/index.md", False)
        )
        if parts[1:] == ["index.md"]:
            category.has_index_page = True
            category.title = page.explicit_title or category.title
            continue
        try:
            review_by = front_matter_date(page, "review_by", display(src))
            reviewed = front_matter_date(page, "reviewed", display(src))
        except SourceError as exc:
            errors.append(exc)
            review_by = reviewed = None
        description = page.meta.get("description")
        category.articles.append(
            Article(
                src=src,
                title=page.title,
                category=slug,
                description=str(description).strip() if description else "",
                review_by=review_by,
                reviewed=reviewed,
                stats=stats.get(src),
            )
        )
    return KnowledgeBase(root.strip("/"), categories, errors)


def _relative(from_src: str, to_src: str) -> str:
    """A Markdown link from page `from_src` to page `to_src` (both inside docs_dir)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def _escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def category_listing(
    category: Category, format_date: Callable[[dt.date], str], messages: Any
) -> str:
    """The Markdown list of a category's articles for its index page."""
    articles = category.ordered()
    if not articles:
        return f"*{messages.get('kb_empty')}*\n"
    lines = []
    for article in articles:
        line = f"- [{_escape(article.title)}]({_relative(category.index_src, article.src)})"
        if article.description:
            line += f" — {article.description}"
        if article.reviewed is not None:
            reviewed = messages.get("kb_reviewed", date=format_date(article.reviewed))
            line += f'<br><span class="dl-kb-reviewed">{reviewed}</span>'
        lines.append(line)
    return "\n".join(lines) + "\n"


def overview_listing(kb: KnowledgeBase, from_src: str, messages: Any, top: int = 5) -> str:
    """The Markdown for the knowledge base's front page: each category with its article count
    and its most popular articles."""
    sections = []
    for slug in sorted(kb.categories, key=lambda s: kb.categories[s].title.casefold()):
        category = kb.categories[slug]
        count = len(category.articles)
        key = "kb_article" if count == 1 else "kb_articles"
        head = (
            f"## [{_escape(category.title)}]({_relative(from_src, category.index_src)})\n\n"
            f"*{messages.get(key, count=count)}*\n"
        )
        items = [
            f"- [{_escape(a.title)}]({_relative(from_src, a.src)})"
            for a in category.ordered()[:top]
        ]
        sections.append(head + ("\n" + "\n".join(items) + "\n" if items else ""))
    return "\n".join(sections)


def popular_listing(articles: list[Article], from_src: str) -> str:
    """A Markdown list of links to `articles`, for the home page's popular questions."""
    return "\n".join(f"- [{_escape(a.title)}]({_relative(from_src, a.src)})" for a in articles)
