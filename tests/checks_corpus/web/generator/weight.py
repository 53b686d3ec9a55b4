"""The weight of real pages: inline bundles, stylesheets and tracking snippets.

Real product pages carry hundreds of kilobytes besides the product: inlined theme CSS and
JavaScript, app scripts, tag managers. The bundles here are real minified JavaScript and CSS
shipped in installed packages (Material for MkDocs, MkDocs' themes: jQuery, Bootstrap, Font
Awesome, lunr); each page gets a different mix, so sizes and parse costs vary as on the web.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import material
import mkdocs


@dataclass(slots=True)
class Weight:
    styles: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    menu_columns: int = 4
    menu_links: int = 6


def _safe(text: str, closing: str) -> str:
    # An inline bundle must not end its own element early.
    return text.replace(closing, closing.replace("/", "\\/"))


@cache
def _assets() -> tuple[list[str], list[str]]:
    mat = Path(material.__file__).resolve().parent / "templates" / "assets"
    mk = Path(mkdocs.__file__).resolve().parent / "themes"
    scripts = sorted(
        [
            *mat.glob("javascripts/bundle.*.min.js"),
            *mat.glob("javascripts/workers/search.*.min.js"),
            *mk.glob("mkdocs/js/bootstrap.bundle.min.js"),
            *mk.glob("readthedocs/js/jquery-*.min.js"),
            *mk.glob("mkdocs/js/base.js"),
            *mk.glob("readthedocs/js/theme.js"),
            *(mat / "javascripts" / "lunr" / "min").glob("lunr.*.min.js"),
        ]
    )
    styles = sorted(
        [
            *mat.glob("stylesheets/main.*.min.css"),
            *mat.glob("stylesheets/palette.*.min.css"),
            *mk.glob("mkdocs/css/fontawesome.min.css"),
            *mk.glob("mkdocs/css/brands.min.css"),
            *mk.glob("mkdocs/css/bootstrap.min.css"),
            *mk.glob("readthedocs/css/theme.css"),
        ]
    )
    return (
        [_safe(p.read_text(encoding="utf-8"), "</script") for p in scripts],
        [_safe(p.read_text(encoding="utf-8"), "</style") for p in styles],
    )


def page_weight(rng: random.Random, platform: str) -> Weight:
    """A mix of bundles for one page: 100-600 KB of script and style, as real pages vary."""
    scripts, styles = _assets()
    big = [s for s in scripts if len(s) > 30_000]
    small = [s for s in scripts if len(s) <= 30_000]
    weight = Weight(
        menu_columns=rng.randrange(3, 7),
        menu_links=rng.randrange(4, 10),
    )
    weight.scripts = rng.sample(big, min(len(big), rng.randrange(1, 3)))
    weight.scripts += rng.sample(small, min(len(small), rng.randrange(0, 4)))
    weight.styles = rng.sample(styles, rng.randrange(1, 3)) if styles else []
    return weight
