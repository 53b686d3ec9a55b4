"""The `defenceline` MkDocs plugin's settings (``plugins: - defenceline: ...`` in mkdocs.yml).

Paths are relative to mkdocs.yml. Only `policy` is required.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

__all__ = ["DefenceLineConfig"]


class DefenceLineConfig(Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)

    # The shop's store.toml: every fact on every page comes from it.
    policy = c.Optional(c.Type(str))
    # The site's locale for facts and the shopper widgets; default: the theme's language.
    locale = c.Optional(c.Type(str))

    # Knowledge base: the folder in docs_dir whose subfolders are categories, and the stats
    # file (views and "helpful" votes per page) that orders each category's articles.
    knowledge_base = c.Type(str, default="kb")
    stats = c.Optional(c.Type(str))
    # How many popular articles `<!-- defenceline:popular -->` on a page lists.
    popular_count = c.Type(int, default=6)

    # The manifesto file (defenceline.manifesto format) shown on `manifesto_page`.
    manifesto = c.Optional(c.Type(str))
    manifesto_page = c.Type(str, default="manifesto.md")

    # The storefront plugin's URL prefix; "Was this helpful?" posts to
    # {plugin_url}/api/v1/feedback and is hidden when this is not set.
    plugin_url = c.Optional(c.Type(str))
    # Seconds on a page before the contact nudge is offered; 0 turns the timer off.
    nudge_seconds = c.Type(int, default=45)

    # Shop-level JSON-LD (OnlineStore) on the home page.
    structured_data = c.Type(bool, default=True)
    # Run the help-centre checks during the build (warnings; `--strict` makes them fatal).
    checks = c.Type(bool, default=True)
