"""Reading a help centre's source: its mkdocs.yml and its Markdown pages, with line numbers.

Plain Python on purpose (no MkDocs import): the checks read the source through this module, so
they run the same from the MkDocs plugin, from `defenceline helpcentre check`, and under any
other site engine that keeps Markdown with YAML front matter.

Every mistake becomes a `SourceError` naming the file and line and what was expected: MkDocs
itself silently ignores front matter it cannot parse, which would hide a missing `review_by`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "Page",
    "SiteSource",
    "SourceError",
    "front_matter_date",
    "load_site",
    "read_page",
]


class SourceError(Exception):
    """A help-centre source file that cannot be used: `file`, `line` and what is wrong."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads mkdocs.yml's Python tags (``!!python/name:...``) and
    ``!ENV`` as plain values instead of executing or refusing them."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return None


_TolerantLoader.add_multi_constructor("", _any_tag)


class _FrontMatterLoader(yaml.SafeLoader):
    """A safe loader that keeps an impossible date ("2026-13-45") as text, so the checks can
    name it instead of the YAML library failing with a bare ValueError."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class Page:
    """One Markdown page: `src` relative to docs_dir (POSIX), its front matter (`meta`), the
    line of each front-matter key, and the body with the line it starts on."""

    src: str
    path: Path
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    body: str
    body_line: int

    def line_of(self, key: str) -> int:
        """The line of front-matter `key`, or 1 when the page has no such key."""
        return self.meta_lines.get(key, 1)

    @property
    def explicit_title(self) -> str | None:
        """The front-matter title, else the first level-1 heading, else None."""
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        match = re.search(r"^#\s+(.+?)\s*#*\s*$", self.body, re.MULTILINE)
        return match.group(1) if match else None

    @property
    def title(self) -> str:
        """The page's title as MkDocs shows it, falling back to the file name."""
        stem = Path(self.src).stem.replace("-", " ").replace("_", " ")
        return self.explicit_title or stem.capitalize()


def read_page(path: Path, src: str, display: str | None = None) -> Page:
    """Read the page at `path` (`src` is its path inside docs_dir; `display` names it in errors).

    Raises SourceError for text that is not UTF-8 or front matter that is not a YAML mapping.
    """
    name = display or src
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(name, "is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise SourceError(name, f"cannot be read: {exc.strerror}") from None
    return parse_page(text, src, path, name)


def parse_page(text: str, src: str, path: Path, display: str | None = None) -> Page:
    name = display or src
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---\n"):
            raise SourceError(
                name, "front matter is not closed; expected a line with only '---' after it", 1
            )
        return Page(src, path, {}, {}, text, 1)
    block = match.group(1)
    try:
        loader = _FrontMatterLoader(block)
        try:
            node = loader.get_single_node()
            meta = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = exc.problem or "invalid YAML"
        raise SourceError(name, f"front matter is not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise SourceError(name, f"front matter is not valid YAML: {exc}", 1) from None
    if meta is None:
        meta, lines = {}, {}
    elif not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise SourceError(name, "front matter must be 'key: value' lines", 2)
    else:
        lines = {
            str(key.value): key.start_mark.line + 2
            for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)
        }
    rest = text[match.end() :]
    body = rest.lstrip("\n")
    body_line = text[: match.end()].count("\n") + 1 + (len(rest) - len(body))
    return Page(src, path, {str(k): v for k, v in meta.items()}, lines, body, body_line)


def front_matter_date(page: Page, key: str, display: str | None = None) -> dt.date | None:
    """The date in front-matter `key` (None when absent); SourceError when it is not a date."""
    if key not in page.meta:
        return None
    value = page.meta[key]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise SourceError(
        display or page.src,
        f"{key}: {value!r} is not a date; expected YYYY-MM-DD, e.g. {key}: 2027-03-01",
        page.line_of(key),
    )


@dataclass
class SiteSource:
    """A help centre's source folder: mkdocs.yml's settings and the Markdown pages."""

    root: Path
    config_file: Path
    config: dict[str, Any]
    docs_dir: Path
    pages: dict[str, Page] = field(default_factory=dict)
    errors: list[SourceError] = field(default_factory=list)

    def display(self, src: str) -> str:
        """How a page is named in messages: its path from the site folder."""
        return (self.docs_dir / src).as_posix()

    @property
    def language(self) -> str | None:
        theme = self.config.get("theme")
        if isinstance(theme, dict) and theme.get("language"):
            return str(theme["language"])
        return None

    def plugin_options(self, name: str) -> dict[str, Any] | None:
        """The options of plugin `name` from mkdocs.yml (`{}` when listed without options),
        or None when the plugin is not listed."""
        for entry in self.config.get("plugins") or []:
            if entry == name:
                return {}
            if isinstance(entry, dict) and name in entry:
                return dict(entry[name] or {})
        return None

    @property
    def nav(self) -> list[Any] | None:
        nav = self.config.get("nav")
        return nav if isinstance(nav, list) else None


def load_site(root: Path, config_file: str = "mkdocs.yml") -> SiteSource:
    """Read `root`/mkdocs.yml and every Markdown page under its docs_dir.

    Unusable pages are collected in `errors` (so one bad page does not hide the others); a
    missing or unreadable mkdocs.yml raises SourceError.
    """
    file = root / config_file
    display = file.as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(
            display,
            "not found; expected a help centre folder with mkdocs.yml "
            "(create one with `defenceline helpcentre new DIR --policy store.toml`)",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise SourceError(display, f"cannot be read: {reason}") from None
    try:
        config = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise SourceError(
            display, f"is not valid YAML: {exc.problem}", mark.line + 1 if mark else None
        ) from None
    if not isinstance(config, dict):
        raise SourceError(display, "expected 'key: value' settings at the top level", 1)
    docs_dir = root / str(config.get("docs_dir", "docs"))
    site = SiteSource(root, file, config, docs_dir)
    if not docs_dir.is_dir():
        raise SourceError(display, f"docs_dir {docs_dir} does not exist")
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        try:
            site.pages[src] = read_page(path, src, site.display(src))
        except SourceError as exc:
            site.errors.append(exc)
    return site
