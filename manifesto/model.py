"""The manifesto as data: three parts, each made of short statements.

A manifesto has exactly three parts, identified by stable ids rather than by heading text, so a
shop can write its headings in any language:

- ``brand`` — why the shop exists (one statement);
- ``value`` — why buy here: ``price``, ``product``, ``service`` and ``delivery`` statements
  (each optional, at least one) and ``strength``, the shop's strongest point;
- ``ambition`` — what a customer can expect every time they buy (one statement).

The text of a statement is kept as a small tree of blocks (paragraphs, lists) and inlines
(text, emphasis, links, code), never as HTML: every renderer escapes on output, so text a store
owner typed (``<script>`` included) can only ever appear as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from babel import Locale

from defenceline.manifesto.words import count_words

__all__ = [
    "PART_IDS",
    "PART_STATEMENTS",
    "STATEMENT_IDS",
    "VALUE_STATEMENTS",
    "Block",
    "Code",
    "Emphasis",
    "Inline",
    "LineBreak",
    "Link",
    "ListBlock",
    "Manifesto",
    "Paragraph",
    "Part",
    "Statement",
    "Strong",
    "Text",
]

PART_IDS: tuple[str, ...] = ("brand", "value", "ambition")
"""The three parts, in the order a manifesto presents them."""

VALUE_STATEMENTS: tuple[str, ...] = ("price", "product", "service", "delivery")
"""The value proposition's advantage statements: each optional, at least one required."""

STATEMENT_IDS: tuple[str, ...] = (*VALUE_STATEMENTS, "strength")
"""Ids of the statements that live under the ``value`` part as their own sub-sections."""

PART_STATEMENTS: dict[str, tuple[str, ...]] = {
    "brand": (),
    "value": STATEMENT_IDS,
    "ambition": (),
}
"""Which sub-statement ids each part accepts."""


# --- inline content ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Literal text; anything that looked like HTML in the source is kept here as text."""

    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class LineBreak:
    """A hard line break (two spaces or a backslash at the end of a source line)."""


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link; `href` has passed markdown-it's link validation (no ``javascript:`` URLs)."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""


Inline = Text | Code | LineBreak | Emphasis | Strong | Link


# --- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int  # 1-based line in the source file where the paragraph starts


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list; each item is a run of inlines (nested lists are refused)."""

    ordered: bool
    items: tuple[tuple[Inline, ...], ...]
    line: int
    start: int = 1


Block = Paragraph | ListBlock


# --- the manifesto -----------------------------------------------------------------------------


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The plain text of `inlines`, as a reader sees it (link text, not the URL)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(inline_text(node.children))
    return "".join(out)


def block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return inline_text(block.inlines)
    return "\n".join(inline_text(item) for item in block.items)


@dataclass(frozen=True)
class Statement:
    """One statement of 50 words or fewer.

    `id` is the part's id for the brand statement and the service ambition (and for text written
    directly under the value proposition's heading, its introduction); otherwise one of
    `STATEMENT_IDS`. `heading` is the store owner's own heading text, or None when the statement
    is the body of its part.
    """

    id: str
    heading: str | None
    blocks: tuple[Block, ...]
    line: int  # the heading's line, or the first block's line for a part's body

    @property
    def text(self) -> str:
        """Plain text, one line per paragraph or list item: what word counts and checks read."""
        return "\n".join(block_text(block) for block in self.blocks)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class Part:
    """One of the three parts: its heading as written, and its statements in source order."""

    id: Literal["brand", "value", "ambition"]
    heading: str
    line: int
    statements: tuple[Statement, ...] = ()

    def statement(self, statement_id: str) -> Statement | None:
        return next((s for s in self.statements if s.id == statement_id), None)

    @property
    def body(self) -> Statement | None:
        """The text written directly under the part's heading (the whole brand statement or
        service ambition; the value proposition's optional introduction)."""
        return self.statement(self.id)


@dataclass(frozen=True)
class Manifesto:
    """A parsed manifesto file. Parts appear in source order; a missing part is simply absent
    (`defenceline.manifesto.check_manifesto` reports it)."""

    language: str  # a Babel locale identifier, e.g. "nl" or "he"
    parts: tuple[Part, ...]
    title: str | None = None
    shop: str | None = None
    file: str = "manifesto.md"

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    @property
    def direction(self) -> Literal["ltr", "rtl"]:
        """The writing direction of the manifesto's language, from CLDR."""
        order = Locale.parse(self.language).character_order
        return "rtl" if order == "right-to-left" else "ltr"

    def statements(self) -> list[tuple[Part, Statement]]:
        return [(part, statement) for part in self.parts for statement in part.statements]
