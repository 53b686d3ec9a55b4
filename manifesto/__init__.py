"""defenceline.manifesto: the shop's written promise, validated against the store policy and
rendered for the storefront and the help centre.

The plain-Python API the other parts call::

    from defenceline.manifesto import load_manifesto, check_manifesto, render_html

    manifesto = load_manifesto("manifesto.nl.md")          # ManifestoError if unreadable
    findings = check_manifesto(manifesto, policy)           # [] when complete and consistent
    fragment = render_html(manifesto, heading_level=2)      # markupsafe.Markup

See ``docs/manifesto/`` for the file format, the rules and the rendered shapes.
"""

from __future__ import annotations

from defenceline.manifesto.check import check_manifesto
from defenceline.manifesto.findings import Finding
from defenceline.manifesto.model import (
    PART_IDS,
    STATEMENT_IDS,
    VALUE_STATEMENTS,
    Manifesto,
    Part,
    Statement,
)
from defenceline.manifesto.reader import ManifestoError, load_manifesto, parse_manifesto
from defenceline.manifesto.render import (
    manifesto_data,
    render_html,
    render_json,
    render_markdown,
    render_statement_html,
)
from defenceline.manifesto.rules import RULES, Rule
from defenceline.manifesto.selection import find_manifestos, manifesto_for_locale
from defenceline.manifesto.words import WORD_LIMIT, count_words

__all__ = [
    "PART_IDS",
    "RULES",
    "STATEMENT_IDS",
    "VALUE_STATEMENTS",
    "WORD_LIMIT",
    "Finding",
    "Manifesto",
    "ManifestoError",
    "Part",
    "Rule",
    "Statement",
    "check_manifesto",
    "count_words",
    "find_manifestos",
    "load_manifesto",
    "manifesto_data",
    "manifesto_for_locale",
    "parse_manifesto",
    "render_html",
    "render_json",
    "render_markdown",
    "render_statement_html",
]
