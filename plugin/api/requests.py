"""Reading what a request asks for — locale, country, JSON body — with clear 4xx answers."""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from flask import current_app, has_request_context, request
from pydantic import BeforeValidator, StringConstraints, TypeAdapter, ValidationError
from werkzeug.routing import PathConverter

from defenceline.plugin.api.problems import ApiProblem
from defenceline.plugin.catalogue import SKU_MAX_LENGTH, Sku
from defenceline.plugin.i18n import negotiate
from defenceline.plugin.state import DefenceLineState
from defenceline.regions import is_country, is_locale

__all__ = [
    "LOCALE_PATTERN",
    "PRINTABLE",
    "LocaleTag",
    "SkuConverter",
    "WholeNumber",
    "ascii_quantity",
    "host_locale",
    "json_body",
    "parse_json",
    "request_country",
    "request_locale",
    "require_token",
    "sku_parameter",
    "whole_number",
]


def whole_number(value: object) -> object:
    """JSON's integers: 3 and 3.0 (as JSON Schema counts them), never "3", 2.5 or true."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"expected a whole number, got {value!r}")
        return int(value)
    return value


# An integer field of a JSON body, validated the way JSON Schema reads "integer".
WholeNumber = Annotated[int, BeforeValidator(whole_number)]

# More digits than any quantity needs; also keeps int() far from Python's 4,300-digit limit.
QUANTITY_DIGITS = 9


def ascii_quantity(text: str) -> int | None:
    """A quantity typed in a URL or form: ASCII digits only, at most `QUANTITY_DIGITS` of them.

    ``str.isdigit`` and ``int`` also accept ``²``, ``①``, ``٣`` or ``５`` (the first two then
    fail in ``int``); a shopper never means those, so they are not a quantity. None when
    `text` is not one; the caller names the parameter in its 4xx answer.
    """
    if not (0 < len(text) <= QUANTITY_DIGITS) or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def request_locale(st: DefenceLineState, explicit: str | None) -> str:
    """The locale to answer in: `explicit` (a ``lang`` parameter or attribute), else the
    host app's locale for this request (`host_locale`: so widgets speak the language of the
    page around them), else the browser's ``Accept-Language``, else the shop's default. An
    explicit locale the shop does not offer is a 400 that lists the ones it does."""
    supported = list(st.policy.shop.locales)
    if explicit is not None:
        tag = explicit.strip()
        if not tag or len(tag) > 35 or not is_locale(tag):
            raise ApiProblem(
                400,
                f"unknown locale {explicit!r}; expected one of {', '.join(supported)}",
                parameter="lang",
            )
        match = negotiate([tag], supported)
        if match is None:
            raise ApiProblem(
                400,
                f"this shop does not offer locale {explicit!r}; expected one of "
                f"{', '.join(supported)}",
                parameter="lang",
            )
        return match
    if has_request_context():
        chosen = host_locale()
        match = negotiate([chosen], supported) if chosen else None
        if match:
            return match
        wanted = [value for value, _quality in request.accept_languages if value != "*"]
        match = negotiate(wanted, supported) if wanted else None
        if match:
            return match
    return st.policy.shop.default_locale


def host_locale() -> str | None:
    """The locale the host app renders this request in: `DEFENCELINE_LOCALE_SELECTOR` (a
    callable returning a locale tag or a Babel `Locale`, or None), else Flask-Babel's
    ``get_locale()`` when Flask-Babel is set up on the app; None when neither says."""
    selector = current_app.config.get("DEFENCELINE_LOCALE_SELECTOR")
    if selector is None and "babel" in current_app.extensions:
        from flask_babel import get_locale  # type: ignore[import-untyped]  # the host's

        selector = get_locale
    if selector is None:
        return None
    chosen = selector()
    if chosen is None:
        return None
    tag = str(chosen).replace("_", "-")
    return tag if is_locale(tag) else None


def request_country(st: DefenceLineState, raw: str | None) -> str:
    """The destination country (ISO 3166-1 alpha-2), default the configured one."""
    if raw is None or not raw.strip():
        return st.default_country
    code = raw.strip().upper()
    if not is_country(code):
        raise ApiProblem(
            400,
            f"unknown country {raw!r}; expected an ISO 3166-1 alpha-2 code such as NL",
            parameter="country",
        )
    return code


def require_token(st: DefenceLineState) -> None:
    """Refuse a write without the configured bearer token (401), or when none is set (403)."""
    if not st.api_token:
        raise ApiProblem(403, "writes are disabled: set DEFENCELINE_API_TOKEN to allow them")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), st.api_token.encode()
    ):
        problem = ApiProblem(401, "a valid 'Authorization: Bearer <token>' header is required")
        problem.headers["WWW-Authenticate"] = 'Bearer realm="defenceline"'
        raise problem


def parse_json(text: str) -> Any:
    """`text` as JSON, or a 400. Nesting deeper than the parser's recursion limit (60,000
    ``[`` fit in a 64 KB body) is refused like any other bad JSON, not a 500."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ApiProblem(400, "the request body is not valid JSON") from None


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 4xx that says what was wrong with it."""
    if not request.is_json:
        raise ApiProblem(
            415, f"expected Content-Type application/json, got {request.mimetype or 'none'!r}"
        )
    data = parse_json(request.get_data(as_text=True))  # reading may raise 413 (too large)
    if not isinstance(data, dict):
        raise ApiProblem(422, f"expected a JSON object, got {type(data).__name__}")
    return data


# A locale tag as a body may give it ("nl", "en-GB", "zh_Hant_TW"); which one the shop serves is
# then negotiated (`request_locale`).
LOCALE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$"
LocaleTag = Annotated[str, StringConstraints(max_length=35, pattern=LOCALE_PATTERN)]
# One line of text: no control characters.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

_SKU = TypeAdapter(Sku)


class SkuConverter(PathConverter):
    """A `Sku` in a URL path (``<dl_sku:sku>``): like ``path`` (slashes allowed) but matching
    any character, so a malformed SKU reaches the view, where `sku_parameter` checks it against
    `Sku` and answers with a problem document instead of a bare 404 page."""

    regex = "[^/](?s:.*?)"


def sku_parameter(value: str | None) -> str:
    """The SKU a widget route names (path or ``?sku=``), stripped; a 400 problem naming it when
    it is missing or is not a `Sku`."""
    if value is None or not value.strip():
        raise ApiProblem(400, "the 'sku' parameter is required", parameter="sku")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ApiProblem(400, f"SKU {value!r} contains control characters", parameter="sku")
    if len(value) > SKU_MAX_LENGTH:
        raise ApiProblem(
            400,
            f"SKU is {len(value)} characters long; expected at most {SKU_MAX_LENGTH}",
            parameter="sku",
        )
    try:
        return _SKU.validate_python(value.strip())
    except ValidationError:
        raise ApiProblem(
            400, f"SKU {value!r}: expected a SKU that does not start with '/'", parameter="sku"
        ) from None
