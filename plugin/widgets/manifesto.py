"""The shop's manifesto on the storefront: loaded once from `DEFENCELINE_MANIFESTO` (one file,
or a folder with one ``manifesto.<lang>.md`` per language) and rendered by
`defenceline.manifesto`, so the "About us" page, the help centre and a headless front end all
show the same promise."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel

from defenceline.manifesto import (
    Manifesto,
    check_manifesto,
    find_manifestos,
    load_manifesto,
    manifesto_data,
    manifesto_for_locale,
    render_html,
)
from defenceline.plugin.api.problems import ApiProblem
from defenceline.plugin.i18n import TextDirection
from defenceline.policy import Policy

__all__ = ["ManifestoDocument", "load_shop_manifestos", "manifesto_fragment", "manifesto_json"]


class ManifestoDocument(BaseModel):
    """``GET {prefix}/api/v1/manifesto``: title, parts and statements (text and safe HTML)."""

    format: Literal["defenceline.manifesto/1"]
    language: str
    dir: TextDirection
    title: str | None = None
    parts: list[dict[str, Any]]


log = logging.getLogger("defenceline.plugin")


def load_shop_manifestos(setting: str | Path | None, policy: Policy) -> list[Manifesto]:
    """Read the configured manifesto(s); a `ManifestoError` (with file and line) stops the
    app at start-up. Findings against the policy are logged as warnings."""
    if not setting:
        return []
    path = Path(setting)
    manifestos = find_manifestos(path) if path.is_dir() else [load_manifesto(path)]
    for manifesto in manifestos:
        for finding in check_manifesto(manifesto, policy):
            log.warning("defenceline manifesto: %s", finding.format(manifesto.file))
    return manifestos


def _choose(manifestos: list[Manifesto], locale: str, fallback: str) -> Manifesto:
    chosen = manifesto_for_locale(manifestos, locale, fallback=fallback)
    if chosen is None:
        raise ApiProblem(404, "this shop has no manifesto: set DEFENCELINE_MANIFESTO")
    return chosen


def manifesto_fragment(
    manifestos: list[Manifesto],
    locale: str,
    fallback: str,
    *,
    heading_level: int = 2,
    show_title: bool = True,
) -> Markup:
    """The accessible HTML fragment for `locale` (its own ``lang`` and ``dir``)."""
    chosen = _choose(manifestos, locale, fallback)
    return render_html(chosen, heading_level=heading_level, show_title=show_title)


def manifesto_json(manifestos: list[Manifesto], locale: str, fallback: str) -> dict[str, Any]:
    """The manifesto as data for headless front ends (``format: defenceline.manifesto/1``)."""
    return manifesto_data(_choose(manifestos, locale, fallback))
