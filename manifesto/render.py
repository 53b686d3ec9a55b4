"""Rendering a manifesto: an accessible HTML fragment, JSON for headless front ends, and Markdown
for the help centre's page.

All three walk the same model (`defenceline.manifesto.model`) and escape every piece of text the
store owner wrote, so ``<script>`` typed into a statement shows as text in every output. The
storefront plugin serves `render_html` as ``{prefix}/fragments/manifesto`` and inside its Jinja
macro (the result is `markupsafe.Markup`, so Jinja inserts it without ``|safe``), and
`manifesto_data` as the JSON its ``<dl-manifesto>`` web component and headless front ends read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from defenceline.manifesto.model import (
    Block,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Manifesto,
    Paragraph,
    Statement,
    Strong,
    Text,
)

__all__ = [
    "FORMAT",
    "escape_markdown",
    "manifesto_data",
    "render_html",
    "render_json",
    "render_markdown",
    "render_statement_html",
]

FORMAT = "defenceline.manifesto/1"
"""The `format` value of `manifesto_data`; a breaking change to the JSON gets a new number."""


def _bcp47(language: str) -> str:
    """Babel's "nl_BE" as the "nl-BE" that HTML's lang attribute expects."""
    return language.replace("_", "-")


# --- a statement's text, one walk for every output ---------------------------------------------


@dataclass(frozen=True)
class _Syntax:
    """How one output (HTML, Markdown) writes each kind of node in a statement's text.

    `_block` and `_inline` walk the nodes once for every output, so the outputs cannot disagree
    on what a node holds (a link's text is its children, rendered the same way). `emphasis`,
    `strong` and `paragraph` are templates with ``{}`` where the rendered children go; `link`
    gets the link and its rendered text, `list_block` the list and its rendered items.
    """

    text: Callable[[str], str]
    code: Callable[[str], str]
    line_break: str
    emphasis: str
    strong: str
    link: Callable[[Link, str], str]
    paragraph: str
    list_block: Callable[[ListBlock, list[str]], str]


def _block(syntax: _Syntax, block: Block) -> str:
    if isinstance(block, Paragraph):
        return syntax.paragraph.format(_inline(syntax, block.inlines))
    return syntax.list_block(block, [_inline(syntax, item) for item in block.items])


def _inline(syntax: _Syntax, nodes: tuple[Inline, ...]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(syntax.text(node.text))
        elif isinstance(node, Code):
            out.append(syntax.code(node.text))
        elif isinstance(node, LineBreak):
            out.append(syntax.line_break)
        elif isinstance(node, Emphasis):
            out.append(syntax.emphasis.format(_inline(syntax, node.children)))
        elif isinstance(node, Strong):
            out.append(syntax.strong.format(_inline(syntax, node.children)))
        elif isinstance(node, Link):
            out.append(syntax.link(node, _inline(syntax, node.children)))
    return "".join(out)


# --- HTML --------------------------------------------------------------------------------------


def _html_code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _html_link(link: Link, text: str) -> str:
    title = f' title="{escape(link.title)}"' if link.title else ""
    return f'<a href="{escape(link.href)}"{title}>{text}</a>'


def _html_list(block: ListBlock, items: list[str]) -> str:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    return f"<{tag}{start}>{''.join(f'<li>{item}</li>' for item in items)}</{tag}>"


_HTML = _Syntax(
    text=lambda text: str(escape(text)),
    code=_html_code,
    line_break="<br>",
    emphasis="<em>{}</em>",
    strong="<strong>{}</strong>",
    link=_html_link,
    paragraph="<p>{}</p>",
    list_block=_html_list,
)


def render_statement_html(statement: Statement) -> Markup:
    """A statement's text as HTML paragraphs and lists, without its heading."""
    return Markup("".join(_block(_HTML, b) for b in statement.blocks))


def render_html(
    manifesto: Manifesto,
    *,
    heading_level: int = 2,
    show_title: bool = True,
    id_prefix: str = "dl-manifesto",
) -> Markup:
    """The manifesto as an HTML fragment for an "About us" page.

    A ``<section>`` carries the manifesto's ``lang`` and ``dir`` (so a Hebrew manifesto reads
    right to left inside a Dutch page) and is named by its title. Each part is a nested section
    named by its heading; the value proposition's statements are sections one level deeper.
    `heading_level` is the level of the title (or of the part headings when `show_title` is
    false, e.g. when the page already has the title as its ``<h1>``); levels stop at 6.
    `id_prefix` keeps element ids unique when a page holds more than one fragment.
    """
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) or "dl-manifesto"
    level = max(1, min(heading_level, 6))
    lang = escape(_bcp47(manifesto.language))
    title = manifesto.title
    out: list[str] = []
    if show_title and title:
        out.append(
            f'<section class="dl-manifesto" lang="{lang}" dir="{manifesto.direction}" '
            f'aria-labelledby="{prefix}-title">'
        )
        out.append(
            f'<h{level} class="dl-manifesto__title" id="{prefix}-title">{escape(title)}</h{level}>'
        )
        level = min(level + 1, 6)
    else:
        label = f' aria-label="{escape(title)}"' if title else ""
        out.append(
            f'<section class="dl-manifesto" lang="{lang}" dir="{manifesto.direction}"{label}>'
        )
    for part in manifesto.parts:
        part_id = f"{prefix}-{part.id}"
        out.append(
            f'<section class="dl-manifesto__part dl-manifesto__part--{part.id}" '
            f'aria-labelledby="{part_id}">'
        )
        out.append(
            f'<h{level} class="dl-manifesto__heading" id="{part_id}">'
            f"{escape(part.heading)}</h{level}>"
        )
        sub = min(level + 1, 6)
        for statement in part.statements:
            body = render_statement_html(statement)
            if statement.heading is None:
                out.append(f'<div class="dl-manifesto__body">{body}</div>')
                continue
            statement_id = f"{prefix}-{statement.id}"
            out.append(
                f'<section class="dl-manifesto__statement dl-manifesto__statement--'
                f'{statement.id}" aria-labelledby="{statement_id}">'
            )
            out.append(
                f'<h{sub} class="dl-manifesto__statement-heading" id="{statement_id}">'
                f"{escape(statement.heading)}</h{sub}>"
            )
            out.append(f"{body}</section>")
        out.append("</section>")
    out.append("</section>")
    return Markup("\n".join(out))


# --- JSON --------------------------------------------------------------------------------------


def manifesto_data(manifesto: Manifesto) -> dict[str, Any]:
    """The manifesto as plain data (documented in docs/manifesto/rendering.md).

    Every statement carries its plain `text`, its escaped `html` body and its word count, so a
    headless front end can lay it out without a Markdown parser.
    """
    return {
        "format": FORMAT,
        "language": _bcp47(manifesto.language),
        "dir": manifesto.direction,
        "title": manifesto.title,
        "shop": manifesto.shop,
        "parts": [
            {
                "id": part.id,
                "heading": part.heading,
                "statements": [
                    {
                        "id": statement.id,
                        "heading": statement.heading,
                        "text": statement.text,
                        "html": str(render_statement_html(statement)),
                        "words": statement.words,
                    }
                    for statement in part.statements
                ],
            }
            for part in manifesto.parts
        ],
    }


def render_json(manifesto: Manifesto, *, indent: int | None = 2) -> str:
    """`manifesto_data` as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(manifesto_data(manifesto), ensure_ascii=False, indent=indent)


# --- Markdown ----------------------------------------------------------------------------------

# Characters that start Markdown syntax anywhere in a line; escaped with a backslash, which
# both CommonMark and Python-Markdown (MkDocs) honour for these.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
# Markers that only mean something at the start of a line (headings, quotes, lists, rules).
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Text that renders as itself in CommonMark and Python-Markdown alike.

    HTML-significant characters become entities rather than backslash escapes: Python-Markdown
    does not accept ``\\<``, so ``<script>`` must become ``&lt;script&gt;`` to stay text there.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    lines = text.split("\n")
    return "\n".join(_LINE_START.sub(_escape_line_start, line) for line in lines)


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker.isdigit():
        return f"{match.group(1)}{marker}\\"  # "1." -> "1\." so it is not a list
    return f"{match.group(1)}\\{marker}"


def _markdown_code(text: str) -> str:
    # a fence one backtick longer than any run inside, padded when the code starts or ends
    # with a backtick, is CommonMark's way to write code that contains backticks
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _markdown_link(link: Link, text: str) -> str:
    href = link.href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    title = link.title.replace("\\", "\\\\").replace('"', '\\"')
    title_part = f' "{title}"' if title else ""
    return f"[{text}]({href}{title_part})"


def _markdown_list(block: ListBlock, items: list[str]) -> str:
    lines = []
    for n, item in enumerate(items, start=block.start):
        marker = f"{n}." if block.ordered else "-"
        text = item.replace("\n", "\n" + " " * (len(marker) + 1))
        lines.append(f"{marker} {text}")
    return "\n".join(lines)


_MARKDOWN = _Syntax(
    text=escape_markdown,
    code=_markdown_code,
    line_break="  \n",
    emphasis="*{}*",
    strong="**{}**",
    link=_markdown_link,
    paragraph="{}",
    list_block=_markdown_list,
)


def render_markdown(
    manifesto: Manifesto,
    *,
    heading_level: int = 1,
    show_title: bool = True,
    anchors: bool = True,
    front_matter: bool = False,
) -> str:
    """The manifesto as clean Markdown: for the help centre's manifesto page, or to rewrite a
    file in its canonical shape (`front_matter=True` keeps language, title and shop).

    With `anchors`, headings end in ``{#brand}``-style ids (Python-Markdown's attr_list
    extension, which Material for MkDocs enables, turns them into stable anchors). Text is
    escaped, so raw HTML in a statement stays text on the rendered page.
    """
    out: list[str] = []
    if front_matter:
        # JSON strings are YAML double-quoted scalars, so any title or shop name reads back
        out += ["---", f"language: {json.dumps(_bcp47(manifesto.language))}"]
        for key, value in (("title", manifesto.title), ("shop", manifesto.shop)):
            if value:
                out.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        out += ["---", ""]
    level = max(1, min(heading_level, 6))
    if show_title and manifesto.title:
        out += [f"{'#' * level} {_escape_heading(manifesto.title)}", ""]
        level = min(level + 1, 6)

    def heading(text: str, section_id: str, depth: int) -> str:
        anchor = f" {{#{section_id}}}" if anchors else ""
        return f"{'#' * depth} {_escape_heading(text)}{anchor}"

    for part in manifesto.parts:
        out += [heading(part.heading, part.id, level), ""]
        for statement in part.statements:
            if statement.heading is not None:
                out += [heading(statement.heading, statement.id, min(level + 1, 6)), ""]
            for block in statement.blocks:
                out += [_block(_MARKDOWN, block), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _escape_heading(text: str) -> str:
    return escape_markdown(text.replace("\n", " "))
