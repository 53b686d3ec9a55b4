"""Per-client limits on the public endpoints anyone can post to, with Flask-Limiter.

``POST /api/v1/stock-alerts`` (it writes an email), ``/api/v1/feedback`` and
``/api/v1/pageviews`` (they write rows) answer 429 with ``Retry-After`` once a client passes its
limit. A client is its IP address; an IPv6 client is its /64 network, since one subscriber
line gets a whole /64 and could otherwise hop between addresses.

Counters live where ``DEFENCELINE_RATELIMIT_STORAGE_URI`` says: in memory by default, which is
right for one app server. Several app servers must share them, or each grants the full limit:
point them all at one store (``"redis://host:6379"``, ``"memcached://host:11211"``, see the
`limits` library's storage URIs). If that store goes down, each server falls back to its own
memory rather than refusing every sign-up.

Behind a reverse proxy, ``request.remote_addr`` is the proxy: wrap the app in Werkzeug's
``ProxyFix`` so the shopper's address is used (otherwise every shopper shares one limit).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, current_app, request
from flask_limiter import Limiter
from limits import parse_many
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from defenceline.plugin.api.requests import request_locale
from defenceline.plugin.i18n import gettext_for
from defenceline.plugin.state import state

__all__ = ["RATELIMIT_CONFIG_DEFAULTS", "ROUTE_LIMITS", "client_address", "init_ratelimits"]

RATELIMIT_CONFIG_DEFAULTS: dict[str, Any] = {
    "DEFENCELINE_RATELIMIT_ENABLED": True,
    "DEFENCELINE_RATELIMIT_STORAGE_URI": "memory://",
    # A shopper asks about a few items; a script asking about hundreds is filling inboxes.
    "DEFENCELINE_RATELIMIT_STOCK_ALERTS": "10 per hour; 50 per day",
    # One vote per page read; a reader reads a few pages an hour.
    "DEFENCELINE_RATELIMIT_FEEDBACK": "30 per hour",
    # One beacon per page view; generous for an office behind one address.
    "DEFENCELINE_RATELIMIT_PAGEVIEWS": "600 per hour",
}

# Endpoint -> the config key holding its limit.
ROUTE_LIMITS = {
    "defenceline.stock_alert_view": "DEFENCELINE_RATELIMIT_STOCK_ALERTS",
    "defenceline.feedback": "DEFENCELINE_RATELIMIT_FEEDBACK",
    "defenceline.pageview": "DEFENCELINE_RATELIMIT_PAGEVIEWS",
}

_WHAT = {
    "defenceline.feedback": "feedback votes",
    "defenceline.pageview": "page views",
}


def client_address() -> str:
    """The client a limit counts: its IPv4 address, or its IPv6 /64 network."""
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _route_limit() -> str:
    """The limit of the endpoint being requested ("" for endpoints without one)."""
    key = ROUTE_LIMITS.get(request.endpoint or "")
    return str(current_app.config[key]) if key else ""


def _message() -> str:
    """The 429's detail. The stock-alert form shows it to the shopper, so that one is a
    sentence in their language; the help centre's scripts show their own."""
    if request.endpoint == "defenceline.stock_alert_view":
        return gettext_for(
            request_locale(state(), None),
            "We have had too many requests from your connection. Please try again later.",
        )
    what = _WHAT.get(request.endpoint or "", "requests")
    return f"too many {what} from this address; try again later (see Retry-After)"


def _check_config(config: Mapping[str, Any]) -> None:
    """Refuse a limit or storage the limiter cannot read, naming the key, at start-up."""
    for key in ROUTE_LIMITS.values():
        value = config[key]
        try:
            if not isinstance(value, str) or not parse_many(value):
                raise ValueError(value)
        except ValueError:
            raise RuntimeError(
                f"{key}: {value!r} is not a rate limit; expected e.g. '10 per hour' or "
                "'10 per hour; 50 per day'"
            ) from None
    uri = config["DEFENCELINE_RATELIMIT_STORAGE_URI"]
    try:
        storage_from_string(str(uri))
    except (ConfigurationError, ValueError) as exc:
        raise RuntimeError(
            f"DEFENCELINE_RATELIMIT_STORAGE_URI: {uri!r} cannot be used ({exc}); expected "
            "'memory://' for one app server, or a shared store such as 'redis://host:6379'"
        ) from None


def init_ratelimits(app: Flask, blueprint: Blueprint) -> Limiter | None:
    """A Flask-Limiter for `app` that limits `blueprint`'s `ROUTE_LIMITS` endpoints; None when
    ``DEFENCELINE_RATELIMIT_ENABLED`` is false (or the app turned Flask-Limiter off)."""
    config = app.config
    for key, default in RATELIMIT_CONFIG_DEFAULTS.items():
        config.setdefault(key, default)
    if not config["DEFENCELINE_RATELIMIT_ENABLED"] or config.get("RATELIMIT_ENABLED") is False:
        return None
    _check_config(config)
    # The host app may run a Flask-Limiter of its own, configured with RATELIMIT_* keys. An
    # explicit (empty) default and application limit keep its RATELIMIT_DEFAULT and
    # RATELIMIT_APPLICATION from being applied a second time by this limiter.
    limiter = Limiter(
        client_address,
        app=app,
        storage_uri=str(config["DEFENCELINE_RATELIMIT_STORAGE_URI"]),
        strategy="fixed-window",  # the one every storage supports
        key_prefix="defenceline",
        headers_enabled=True,
        in_memory_fallback_enabled=True,
        default_limits=[lambda: ""],
        application_limits=[lambda: ""],
    )
    # POST only: a browser's CORS pre-flight (OPTIONS) for the help centre is not a vote.
    limiter.limit(_route_limit, methods=["POST"], error_message=_message, override_defaults=True)(
        blueprint
    )
    return limiter
