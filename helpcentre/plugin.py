"""The `defenceline` MkDocs plugin: the store policy's help centre.

The event hooks appear in build order. Each is short and delegates: the checks live in
`checks` (plain Python, also run by `defenceline helpcentre check`), the knowledge-base
listings in `knowledge`, the facts in `facts` (through mkdocs-macros), the structured data in
the core's `defenceline.structured_data`, the shopper widgets in `widgets`, and what
Material's pages need to pass WCAG 2.1 AA in `accessibility`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

from defenceline.helpcentre.accessibility import accessible_page
from defenceline.helpcentre.checks import CheckReport, Options, run_checks
from defenceline.helpcentre.config import DefenceLineConfig
from defenceline.helpcentre.facts import Formatter, site_locale
from defenceline.helpcentre.knowledge import (
    Category,
    KnowledgeBase,
    category_listing,
    overview_listing,
    popular_listing,
)
from defenceline.helpcentre.manifestopage import manifesto_markdown
from defenceline.helpcentre.messages import Messages, messages_for
from defenceline.helpcentre.productarticles import ProductArticleIndex
from defenceline.helpcentre.source import SourceError, load_site
from defenceline.helpcentre.widgets import client_config, config_script, feedback_block
from defenceline.manifesto import ManifestoError
from defenceline.policy import Policy
from defenceline.policyfile import PolicyError, load_policy
from defenceline.structured_data import jsonld_script, store_jsonld

__all__ = ["ASSETS", "DefenceLinePlugin"]

log = logging.getLogger("mkdocs.plugins.defenceline")

ASSETS = ("helpcentre.css", "helpcentre.js")
_ASSET_DIR = "assets/defenceline"
POPULAR_MARKER = "<!-- defenceline:popular -->"
MANIFESTO_MARKER = "<!-- defenceline:manifesto -->"
CATEGORY_MARKER = "<!-- defenceline:kb-category -->"
OVERVIEW_MARKER = "<!-- defenceline:kb-overview -->"


class DefenceLinePlugin(BasePlugin[DefenceLineConfig]):  # type: ignore[no-untyped-call]
    """Facts from the store policy, checks, a scalable knowledge base and shopper widgets."""

    def __init__(self) -> None:
        self.policy: Policy | None = None
        self.locale = "en"
        self.messages: Messages = messages_for("en")
        self.base = Path(".")
        self.report = CheckReport()
        self.kb: KnowledgeBase | None = None
        self._articles: set[str] = set()
        self._category_pages: dict[str, Category] = {}
        self._head = ""
        self._formatter: Formatter | None = None
        self._product_articles = ProductArticleIndex()

    # --- on_config: the policy, the locale, the assets -----------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.base = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        if not self.config.policy:
            raise PluginError(
                f"{config.config_file_path}: the defenceline plugin needs the store policy; "
                "add `policy: path/to/store.toml` under `- defenceline:` in plugins"
            )
        try:
            self.policy = load_policy(self.base / self.config.policy)
        except PolicyError as exc:
            raise PluginError(exc.format()) from None
        self.locale = site_locale(config, self.policy)
        self.messages = messages_for(self.locale)
        self._formatter = Formatter(self.policy, self.locale, markup=True)
        for name in ASSETS:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            path = f"{_ASSET_DIR}/{name}"
            if path not in [str(item) for item in target]:
                target.append(path)
        client = client_config(
            self.policy, self.locale, self.config.plugin_url, self.config.nudge_seconds
        )
        self._head = config_script(client)
        return config

    # --- on_pre_build: the checks ---------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        try:
            site = load_site(self.base, Path(config.config_file_path or "mkdocs.yml").name)
        except SourceError as exc:
            raise PluginError(exc.format()) from None
        site.docs_dir = Path(config.docs_dir)
        options = Options(
            policy=self.config.policy,
            knowledge_base=self.config.knowledge_base,
            stats=self.config.stats,
            manifesto=self.config.manifesto,
            manifesto_page=self.config.manifesto_page,
        )
        self.report = run_checks(site, self.policy, options)
        self.kb = self.report.knowledge
        errors = self.report.errors
        if errors:
            raise PluginError(
                "the help centre cannot be built:\n"
                + "\n".join(f"  {finding.format()}" for finding in errors)
            )
        if self.config.checks:
            for finding in self.report.warnings:
                log.warning(finding.format())

    # --- on_files: assets, category pages, articles out of the navigation -----------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        kb = self._knowledge_base()
        if kb is None:
            return None
        assets = package_files("defenceline.helpcentre") / "assets"
        for name in ASSETS:
            files.append(
                File.generated(config, f"{_ASSET_DIR}/{name}", content=(assets / name).read_bytes())
            )
        root = kb.root
        if files.get_file_from_path(f"{root}/index.md") is None:
            content = f"# {self.messages.get('kb_title')}\n\n{OVERVIEW_MARKER}\n"
            files.append(File.generated(config, f"{root}/index.md", content=content))
        articles = self._articles = kb.article_srcs()
        self._product_articles = ProductArticleIndex(config.site_url or None)
        self._category_pages = {c.index_src: c for c in kb.categories.values()}
        for category in kb.categories.values():
            if not category.has_index_page:
                content = f"---\ntitle: {json.dumps(category.title)}\n---\n# {category.title}\n\n"
                files.append(
                    File.generated(config, category.index_src, content=content + CATEGORY_MARKER)
                )
        for file in files.documentation_pages():
            if file.src_uri in articles:
                # MkDocs renders the whole navigation into every page: with every article in
                # it a build grows quadratically. Category pages list the articles instead.
                file.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    # --- on_page_markdown: listings and the manifesto -------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        kb = self._knowledge_base()
        if kb is None:
            return None
        src = page.file.src_uri
        if src in self._articles:  # for the storefront's "delivered" email
            self._product_articles.add(src, page.title or "", page.url, page.meta)
        if src == f"{kb.root}/index.md":
            markdown = _place(markdown, OVERVIEW_MARKER, overview_listing(kb, src, self.messages))
        elif src in self._category_pages:
            listing = category_listing(self._category_pages[src], self._date, self.messages)
            markdown = _place(markdown, CATEGORY_MARKER, listing)
        if POPULAR_MARKER in markdown:
            popular = (
                kb.popular(self.config.popular_count)
                or sorted(
                    (a for c in kb.categories.values() for a in c.articles),
                    key=lambda a: a.title.casefold(),
                )[: self.config.popular_count]
            )
            markdown = markdown.replace(POPULAR_MARKER, popular_listing(popular, src))
        if MANIFESTO_MARKER in markdown and self.config.manifesto:
            try:
                manifesto = manifesto_markdown(self.base / self.config.manifesto)
            except ManifestoError as exc:
                raise PluginError(exc.format()) from None
            markdown = markdown.replace(MANIFESTO_MARKER, manifesto)
        return markdown

    # --- on_page_content: "Was this helpful?" ---------------------------------------------------

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._knowledge_base() is None:
            return None
        src = page.file.src_uri
        if page.meta.get("faq") is None and src not in self._articles:
            return None
        block = feedback_block(
            src,
            page.title or "",
            bool(self.config.plugin_url),
            self.messages.get("feedback_question"),
            self.messages.get("feedback_yes"),
            self.messages.get("feedback_no"),
        )
        return html + block

    # --- on_post_page: configuration, structured data, accessibility fixes ------------------------

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or self.policy is None:
            return None
        head = self._head
        if page.is_homepage and self.config.structured_data:
            # The core's one generator, as the storefront calls it; a static page tells the
            # cut-off's UTC offset of its build (SOURCE_DATE_EPOCH for reproducible builds).
            # str(): `str + Markup` is Markup.__radd__, which would escape the head so far.
            head += str(jsonld_script(store_jsonld(self.policy, at=get_build_datetime())))
        output = accessible_page(output, self.messages)
        return output.replace("</head>", head + "</head>", 1)

    # --- on_post_template: the same for the 404 page ---------------------------------------------

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # MkDocs renders 404.html as a template, not a page: on_post_page never sees it, but a
        # shopper who followed a wrong link does (and may search from it).
        if not self.config.enabled or self.policy is None or template_name != "404.html":
            return None
        output = accessible_page(output_content, self.messages)
        return output.replace("</head>", self._head + "</head>", 1)

    # --- on_post_build: the index of articles by product ------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._knowledge_base() is not None:
            self._product_articles.write(Path(config.site_dir))

    def _knowledge_base(self) -> KnowledgeBase | None:
        """The knowledge base that on_pre_build's checks loaded, which the later hooks work from;
        None when the plugin is off (or on_pre_build has not run), and those hooks then change
        nothing."""
        return self.kb if self.config.enabled else None

    def _date(self, day: dt.date) -> str:
        """A date in a page, formatted and isolated for bidi like every policy date."""
        assert self._formatter is not None  # made in on_config, before any page
        return self._formatter.date(day)


def _place(markdown: str, marker: str, content: str) -> str:
    """Put `content` at `marker`, or at the end of a page written without the marker."""
    if marker in markdown:
        return markdown.replace(marker, content)
    return markdown.rstrip() + "\n\n" + content


def plugin_options(config: MkDocsConfig) -> dict[str, Any]:
    """The defenceline plugin's settings in a loaded MkDocs config (empty when not enabled)."""
    plugin = config.plugins.get("defenceline")
    return dict(plugin.config) if plugin is not None else {}
