"""Countries, locales and currencies as CLDR (through Babel) knows them."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

__all__ = [
    "EU_EEA_COUNTRIES",
    "all_countries",
    "country_name",
    "is_country",
    "is_currency",
    "is_locale",
    "normalise_locale",
]

# Where the EU's 14-day right of withdrawal (Directive 2011/83/EU) applies: the 27 member
# states and the three EEA states that adopted it. CLDR carries no membership data, and this is
# law rather than locale data, so it is written here once.
EU_EEA_COUNTRIES = frozenset(
    {
        # EU member states
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        # EEA members outside the EU
        *("IS", "LI", "NO"),
    }
)

# CLDR territory codes that are groupings or private-use codes, not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def _countries() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(
        code for code in codes if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def all_countries() -> list[str]:
    """Every ISO 3166-1 alpha-2 code CLDR knows, sorted."""
    return sorted(_countries())


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 country code in upper case (``"NL"``)."""
    return code in _countries()


def country_name(code: str, locale: str = "en") -> str:
    """The country's name in `locale` ("Nederland" for NL in nl); the code if CLDR has none."""
    name = Locale.parse(locale).territories.get(code)
    return str(name) if name else code


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    """True for an ISO 4217 currency code CLDR knows (``"EUR"``)."""
    return code in _currencies()


def normalise_locale(tag: str) -> str:
    """Return the canonical Babel identifier for a locale tag (``"nl-BE"`` -> ``"nl_BE"``).

    Raises ValueError naming the tag when CLDR does not know it.
    """
    try:
        return str(Locale.parse(tag.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(
            f"unknown locale {tag!r}; expected a tag such as 'nl', 'en' or 'de_AT'"
        ) from None


def is_locale(tag: str) -> bool:
    """True when CLDR knows `tag`."""
    try:
        normalise_locale(tag)
    except ValueError:
        return False
    return True
