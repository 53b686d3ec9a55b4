"""Reading a manifesto file: front matter, part headings with ids, statements.

The format (documented with complete examples in ``docs/manifesto/format.md``)::

    ---
    language: nl
    shop: Trapkracht
    ---

    # Ons manifest

    ## Waarom we bestaan {#brand}
    Bij Trapkracht geloven we dat ...

    ## Wat we je bieden {#value}
    ### Prijs {#price}
    ...
    ### Waar we het sterkst in zijn {#strength}
    ...

    ## Wat je van ons mag verwachten {#ambition}
    ...

Parts and statements are found by their ``{#id}`` (the attribute-list syntax that Python-Markdown,
Pandoc and kramdown share), never by heading text, so headings can be in any language and
reworded freely. Input that cannot be read as a manifesto — an unreadable file, broken front
matter, an unknown id, a heading without an id — raises `ManifestoError`, which names the file
and line of every problem. Whether a readable manifesto is *complete* (every part present, no
statement over 50 words) is `check_manifesto`'s job, not the reader's.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from defenceline.inputfiles import InputFileError, Problem, read_text
from defenceline.manifesto.model import (
    PART_IDS,
    STATEMENT_IDS,
    Block,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Manifesto,
    Paragraph,
    Part,
    Statement,
    Strong,
    Text,
    inline_text,
)
from defenceline.regions import normalise_locale

__all__ = [
    "FRONT_MATTER_KEYS",
    "ManifestoError",
    "Problem",
    "load_manifesto",
    "parse_manifesto",
]

FRONT_MATTER_KEYS: dict[str, str] = {
    "language": "the manifesto's language as a locale tag, e.g. nl, en, de or he (required)",
    "title": "the page title; defaults to the first '# ' heading",
    "shop": "the shop's name, for renderers that show it",
}


class ManifestoError(InputFileError):
    """A manifesto file that cannot be used; `problems` says why, each with its line."""

    def heading(self) -> str:
        return f"{self.file}: cannot read the manifesto ({self.count()})"


def load_manifesto(path: str | os.PathLike[str], default_language: str | None = None) -> Manifesto:
    """Read the manifesto at `path`; raise `ManifestoError` naming the file if it is unusable.

    `default_language` is used when the front matter has no ``language`` key.
    """
    text = read_text(path, ManifestoError, kind="a Markdown file")
    return parse_manifesto(text, str(path), default_language=default_language)


def parse_manifesto(
    text: str, file: str = "manifesto.md", default_language: str | None = None
) -> Manifesto:
    """Parse manifesto Markdown `text`; `file` only names the source in error messages."""
    reader = _Reader(file)
    meta, body, offset = reader.front_matter(text.removeprefix("\ufeff"))
    parts, h1 = reader.body(body, offset)
    language = meta.get("language") or default_language
    if not language and not reader.problems:
        reader.problems.append(
            Problem(
                "no language: start the file with front matter such as "
                "'---\\nlanguage: nl\\n---' (or pass a default language)",
                1,
            )
        )
    elif language:
        try:
            language = normalise_locale(str(language))
        except ValueError as exc:
            reader.problems.append(Problem(f"language: {exc}", reader.meta_lines.get("language")))
    if reader.problems:
        raise ManifestoError(file, sorted(reader.problems, key=lambda p: p.line or 0))
    assert language
    return Manifesto(
        language=language,
        parts=tuple(parts),
        title=meta.get("title") or h1,
        shop=meta.get("shop"),
        file=file,
    )


# --- the reader --------------------------------------------------------------------------------

_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# An attribute list at the end of a heading: {#brand}, {: #brand .lead }, { #brand }.
_ATTRIBUTES = re.compile(r"\s*\{:?\s*([^{}]*)\}\s*$")
_ID = re.compile(r"(?:^|\s)#([^\s#.{}=]+)")
_COMMENT = re.compile(r"^\s*(?:<!--.*?-->\s*)+$", re.DOTALL)

_REFUSED_BLOCKS = {
    "code_block": "an indented code block",
    "fence": "a fenced code block",
    "blockquote": "a block quote",
    "hr": "a horizontal rule",
    "table": "a table",
}

_markdown = MarkdownIt("commonmark", {"html": True})


@dataclass
class _Draft:
    """A statement being collected."""

    id: str
    heading: str | None
    line: int
    blocks: list[Block] = field(default_factory=list)

    def freeze(self) -> Statement:
        return Statement(self.id, self.heading, tuple(self.blocks), self.line)


@dataclass
class _PartDraft:
    id: str
    heading: str
    line: int
    statements: list[_Draft] = field(default_factory=list)

    def freeze(self) -> Part:
        statements = tuple(s.freeze() for s in self.statements)
        return Part(self.id, self.heading, self.line, statements)  # type: ignore[arg-type]


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.meta_lines: dict[str, int] = {}

    # front matter ---------------------------------------------------------------------------

    def front_matter(self, text: str) -> tuple[dict[str, str], str, int]:
        """Split YAML front matter off `text`: (values, body, lines before the body)."""
        lines = text.split("\n")
        if not lines or not _FENCE.match(lines[0]):
            return {}, text, 0
        end = next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)
        if end is None:
            self.problems.append(
                Problem(
                    "the front matter that starts here is never closed; expected a '---' line", 1
                )
            )
            return {}, "", len(lines)
        source = "\n".join(lines[1:end])
        body = "\n".join(lines[end + 1 :])
        return self._front_matter_values(source), body, end + 1

    def _front_matter_values(self, source: str) -> dict[str, str]:
        try:
            node = yaml.compose(source, Loader=yaml.SafeLoader)
            data: Any = yaml.safe_load(source)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 2 if mark else 2
            problem = exc.problem or "invalid YAML"
            self.problems.append(
                Problem(
                    f"front matter is not valid YAML: {problem}; expected 'key: value' lines", line
                )
            )
            return {}
        except yaml.YAMLError as exc:
            self.problems.append(Problem(f"front matter is not valid YAML: {exc}", 2))
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            self.problems.append(
                Problem("front matter must be 'key: value' lines (a YAML mapping)", 2)
            )
            return {}
        values: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 2
            self.meta_lines[str(key)] = line
            if key not in FRONT_MATTER_KEYS:
                hint = difflib.get_close_matches(str(key), FRONT_MATTER_KEYS, n=1)
                message = f"unknown front matter key {key!r}"
                message += f"; did you mean {hint[0]!r}?" if hint else ""
                message += f" (expected one of: {', '.join(FRONT_MATTER_KEYS)})"
                self.problems.append(Problem(message, line))
                continue
            value = data.get(key)
            if not isinstance(value_node, yaml.ScalarNode) or value is None or value == "":
                self.problems.append(Problem(f"{key}: expected text, got {value!r}", line))
                continue
            values[key] = str(value).strip()
        return values

    # body -----------------------------------------------------------------------------------

    def body(self, text: str, offset: int) -> tuple[list[Part], str | None]:
        """Parts in source order, and the text of the first '# ' heading, if any."""
        tokens = _markdown.parse(text)
        parts: list[_PartDraft] = []
        seen: dict[str, int] = {}
        title: str | None = None
        part: _PartDraft | None = None
        statement: _Draft | None = None
        lost = False  # after a heading that was refused: its text is not reported again
        i = 0
        while i < len(tokens):
            token = tokens[i]
            line = (token.map[0] if token.map else 0) + offset + 1
            if token.type == "heading_open":
                inline = tokens[i + 1]
                heading, section_id = self._heading(inline)
                level = int(token.tag[1])
                i += 3
                if level == 1:
                    if parts:
                        self.problems.append(
                            Problem(
                                "a '# ' title heading after the first part; move it to the top",
                                line,
                            )
                        )
                    elif title is None:
                        title = heading
                    continue
                lost = True
                if section_id is None:
                    self._no_id(heading, level, part, line)
                    continue
                if section_id in seen:
                    first = seen[section_id]
                    message = f"{{#{section_id}}} appears twice (first on line {first}); "
                    message += "expected each part and statement once"
                    self.problems.append(Problem(message, line))
                    continue
                if level == 2 and section_id in PART_IDS:
                    seen[section_id] = line
                    part = _PartDraft(section_id, heading, line)
                    parts.append(part)
                    statement = None
                    lost = False
                elif level == 3 and section_id in STATEMENT_IDS and part and part.id == "value":
                    seen[section_id] = line
                    statement = _Draft(section_id, heading, line)
                    part.statements.append(statement)
                    lost = False
                else:
                    self._misplaced(section_id, level, part, line)
                continue
            if token.type in {
                "paragraph_open",
                "bullet_list_open",
                "ordered_list_open",
                "html_block",
            }:
                block, i = self._block(tokens, i, line)
                if block is None or lost:
                    continue
                if part is None:
                    message = "text before the first part; put it under a part heading such as "
                    message += "'## Why we exist {#brand}', or remove it"
                    self.problems.append(Problem(message, line))
                    continue
                if statement is None:
                    statement = _Draft(part.id, None, line)
                    part.statements.append(statement)
                statement.blocks.append(block)
                continue
            kind = _REFUSED_BLOCKS.get(token.type)
            if kind:
                message = f"{kind} is not allowed in a manifesto; a statement holds "
                message += "paragraphs and lists only"
                self.problems.append(Problem(message, line))
                i = _skip(tokens, i)
                continue
            i += 1
        return [p.freeze() for p in parts], title

    def _heading(self, inline: Token) -> tuple[str, str | None]:
        """The heading's plain text, and the id from its trailing attribute list."""
        source = inline.content
        match = _ATTRIBUTES.search(source)
        section_id = None
        if match:
            found = _ID.search(match.group(1))
            section_id = found.group(1) if found else None
            source = source[: match.start()]
        text = inline_text(_inlines(_markdown.parseInline(source)[0].children or []))
        return text.strip(), section_id

    def _no_id(self, heading: str, level: int, part: _PartDraft | None, line: int) -> None:
        if level == 2:
            expected = "{#brand}, {#value} or {#ambition}"
        elif level == 3 and part and part.id == "value":
            expected = ", ".join(f"{{#{s}}}" for s in STATEMENT_IDS)
        else:
            expected = ""
        if expected:
            message = f"the heading {heading!r} has no section id; end it with one of {expected}"
        else:
            message = (
                f"the heading {heading!r} is not allowed here; a manifesto has '## ' part "
                "headings and, under the value proposition, '### ' statement headings"
            )
        self.problems.append(Problem(message, line))

    def _misplaced(self, section_id: str, level: int, part: _PartDraft | None, line: int) -> None:
        marks = "#" * level
        if section_id in PART_IDS:
            message = f"{{#{section_id}}} is a part: write its heading as '## ', not '{marks} '"
        elif section_id in STATEMENT_IDS:
            if part is None or part.id != "value":
                message = (
                    f"{{#{section_id}}} is a value proposition statement: put it under the "
                    "'## ... {#value}' part"
                )
            else:
                message = f"{{#{section_id}}} is a statement: write its heading as '### '"
        else:
            known = [*PART_IDS, *STATEMENT_IDS]
            hint = difflib.get_close_matches(section_id, known, n=1)
            message = f"unknown section id {{#{section_id}}}"
            message += f"; did you mean {{#{hint[0]}}}?" if hint else ""
            message += f" (parts: {', '.join(PART_IDS)}; value statements: "
            message += f"{', '.join(STATEMENT_IDS)})"
        self.problems.append(Problem(message, line))

    def _block(self, tokens: list[Token], i: int, line: int) -> tuple[Block | None, int]:
        token = tokens[i]
        if token.type == "html_block":
            if _COMMENT.match(token.content):
                return None, i + 1
            return Paragraph((Text(token.content.strip()),), line), i + 1
        if token.type == "paragraph_open":
            return Paragraph(_inlines(tokens[i + 1].children or []), line), i + 3
        ordered = token.type == "ordered_list_open"
        start = int(token.attrs.get("start", 1) or 1) if ordered else 1
        end = _skip(tokens, i)
        items: list[tuple[Inline, ...]] = []
        current: list[Inline] = []
        depth = 0
        for inner in tokens[i + 1 : end - 1]:
            if inner.type in {"bullet_list_open", "ordered_list_open"}:
                depth += 1
                if depth == 1:
                    inner_line = (inner.map[0] if inner.map else 0) + line - (token.map or [0])[0]
                    message = "a list inside a list is not allowed in a manifesto; "
                    message += "keep statements short and flat"
                    self.problems.append(Problem(message, inner_line))
            elif inner.type in {"bullet_list_close", "ordered_list_close"}:
                depth -= 1
            elif depth:
                continue
            elif inner.type == "list_item_open":
                current = []
            elif inner.type == "list_item_close":
                items.append(tuple(current))
            elif inner.type == "inline":
                if current:
                    current.append(LineBreak())
                current.extend(_inlines(inner.children or []))
            elif inner.type == "html_block" and not _COMMENT.match(inner.content):
                current.append(Text(inner.content.strip()))
        return ListBlock(ordered, tuple(items), line, start), end


def _skip(tokens: list[Token], i: int) -> int:
    """The index after the block that opens at `i` (its matching close token)."""
    if tokens[i].nesting != 1:
        return i + 1
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j + 1
    return len(tokens)


def _inlines(children: list[Token]) -> tuple[Inline, ...]:
    """Turn markdown-it inline tokens into the model's inline tree; raw HTML becomes text."""
    stack: list[tuple[str, dict[str, Any], list[Inline]]] = [("root", {}, [])]
    for child in children:
        out = stack[-1][2]
        kind = child.type
        if kind in {"text", "text_special"}:
            out.append(Text(child.content))
        elif kind == "softbreak":
            out.append(Text("\n"))
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "code_inline":
            out.append(Code(child.content))
        elif kind == "html_inline":
            if not _COMMENT.match(child.content):
                out.append(Text(child.content))
        elif kind == "image":
            out.append(Text(child.content))
        elif kind in {"em_open", "strong_open", "link_open"}:
            stack.append((kind, dict(child.attrs), []))
        elif kind in {"em_close", "strong_close", "link_close"} and len(stack) > 1:
            opened, attrs, inner = stack.pop()
            node: Inline
            if opened == "em_open":
                node = Emphasis(tuple(inner))
            elif opened == "strong_open":
                node = Strong(tuple(inner))
            else:
                node = Link(str(attrs.get("href", "")), tuple(inner), str(attrs.get("title", "")))
            stack[-1][2].append(node)
    while len(stack) > 1:  # unbalanced input cannot happen with markdown-it, but never lose text
        _, _, inner = stack.pop()
        stack[-1][2].extend(inner)
    return _merge(stack[0][2])


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring text nodes, so renderers and checks see whole runs of text."""
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)
