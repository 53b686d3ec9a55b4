"""Translations for the plugin's sentences, from gettext `.po` files compiled in memory.

Message ids are English; `translations/<locale>.po` (and `translations/<feature>/<locale>.po`)
hold the rest (extract new strings with ``pybabel extract``). The `.po` files are compiled when
first used, so no binary `.mo` file lives in the repository, and a locale falls back to its
language (``nl_BE`` -> ``nl``) and then to English.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = ["TextDirection", "gettext_for", "is_rtl", "negotiate", "ngettext_for"]

# The `dir` of an answer in a locale: how its sentences run.
TextDirection = Literal["ltr", "rtl"]


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    """All catalogues for `locale` (``translations/nl.po`` and ``translations/*/nl.po``, one
    folder per feature), merged; the language's catalogues when the locale has none."""
    folder = Path(str(files("defenceline.plugin").joinpath("translations")))
    for candidate in (locale, locale.split("_", 1)[0]):
        merged: Translations | None = None
        for po in sorted(folder.rglob(f"{candidate}.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=candidate, domain="defenceline")
            buffer = BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            loaded = Translations(buffer, domain="defenceline")
            merged = loaded if merged is None else merged.merge(loaded)
        if merged is not None:
            return merged
    return gettext.NullTranslations()


def gettext_for(locale: str, message: str, **values: object) -> str:
    """`message` translated to `locale`, with ``%(name)s`` placeholders filled from `values`."""
    text = _translations(locale).gettext(message)
    return text % values if values else text


def ngettext_for(locale: str, singular: str, plural: str, n: int, **values: object) -> str:
    """The plural-aware form of `gettext_for`; `n` is also available as ``%(count)s``."""
    text = _translations(locale).ngettext(singular, plural, n)
    return text % {"count": n, **values}


def negotiate(wanted: list[str], supported: list[str]) -> str | None:
    """The best of `supported` for the tags in `wanted` (``en-GB`` matches ``en``), or None."""
    return negotiate_locale([w.replace("-", "_") for w in wanted], supported, sep="_")


def is_rtl(locale: str) -> bool:
    """True for right-to-left scripts (Hebrew, Arabic, ...), as CLDR says."""
    return bool(Locale.parse(locale).character_order == "right-to-left")
