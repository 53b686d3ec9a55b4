"""The email features' configuration, read once at start-up and checked there.

`EMAIL_CONFIG_DEFAULTS` lists every ``DEFENCELINE_`` key the abandoned-cart and back-in-stock
emails read (`DefenceLine.init_app` sets them with ``setdefault`` and documents them);
`read_email_settings` turns them into a typed, validated `EmailSettings`, so a wrong value
fails when the app starts — naming the key and what was expected — instead of at 3 a.m. in a
cron job.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from defenceline.plugin.emails.mailer import parse_mail_url

__all__ = [
    "EMAIL_CONFIG_DEFAULTS",
    "SHIPPING_MESSAGE_TYPES",
    "EmailSettings",
    "default_email_settings",
    "parse_duration",
    "positive_int",
    "read_email_settings",
]

EMAIL_CONFIG_DEFAULTS: dict[str, Any] = {
    "DEFENCELINE_MAIL_URL": None,
    "DEFENCELINE_MAIL_FROM": None,
    "DEFENCELINE_PUBLIC_URL": None,
    "DEFENCELINE_SECRET_KEY": None,
    "DEFENCELINE_CONSENT_MODE": "explicit",
    "DEFENCELINE_REMINDER_DELAYS": ["1h", "24h"],
    "DEFENCELINE_REMINDER_ADDRESS_DAYS": 7,
    "DEFENCELINE_QUIET_HOURS": ("21:00", "08:00"),
    "DEFENCELINE_TEST_ADDRESSES": [],
    "DEFENCELINE_BOT_USER_AGENTS": [],
    "DEFENCELINE_STOCK_ALERT_FACTOR": 2,
    "DEFENCELINE_STOCK_ALERT_DAYS": 90,
    "DEFENCELINE_STOCK_ALERT_INTERVAL": "1h",
    "DEFENCELINE_RESTORE_URL": None,
    "DEFENCELINE_CART_URL": None,
    "DEFENCELINE_PRODUCT_URL": None,
    "DEFENCELINE_UNSUBSCRIBE_MAILTO": None,
    "DEFENCELINE_MAIL_LEASE": "5m",
    "DEFENCELINE_MAIL_MAX_ATTEMPTS": 6,
    "DEFENCELINE_MAIL_BACKOFF": "5m",
    # Shipping messages (defenceline.plugin.shipping.notices; docs/shipping.md).
    "DEFENCELINE_SHIPPING_MESSAGES": [
        "dispatched",
        "delay",
        "delivered",
        "return_received",
        "refunded",
    ],
    "DEFENCELINE_SHIPPING_DELAY_HOUR": "18:00",
    "DEFENCELINE_SHIPPING_REVIEW_URL": None,
    "DEFENCELINE_PRODUCT_ARTICLES": None,
}

# Every shipping message type, each switched on by naming it in DEFENCELINE_SHIPPING_MESSAGES.
SHIPPING_MESSAGE_TYPES = (
    "dispatched",
    "delay",
    "out_for_delivery",
    "delivered",
    "return_received",
    "refunded",
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object, key: str) -> dt.timedelta:
    """``"90s"``, ``"15m"``, ``"1h"``, ``"7d"``, a number of seconds or a `timedelta`."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    else:
        raise RuntimeError(
            f"{key}: {value!r} is not a duration; expected e.g. '90s', '15m', '1h', '7d', "
            "a number of seconds or a datetime.timedelta"
        )
    if seconds <= 0:
        raise RuntimeError(f"{key}: {value!r} must be longer than zero")
    return dt.timedelta(seconds=seconds)


def _clock_time(value: object, key: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RuntimeError(f"{key}: {value!r} is not a time of day; expected 'HH:MM' such as '21:00'")


def positive_int(value: object, key: str) -> int:
    """A whole-number setting of at least 1; RuntimeError names `key` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuntimeError(f"{key}: {value!r} is not a whole number of at least 1")
    return value


def _optional_url(value: object, key: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RuntimeError(f"{key}: {value!r} is not a URL; expected e.g. 'https://shop.example'")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise RuntimeError(
            f"{key}: {value!r} is not an absolute http(s) URL; expected e.g. 'https://shop.example'"
        )
    return value.rstrip("/")


def _strings(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise RuntimeError(f"{key}: {value!r} is not a list of strings")
    if not all(isinstance(item, str) and item for item in value):
        raise RuntimeError(f"{key}: {value!r} is not a list of non-empty strings")
    return tuple(value)


@dataclass(frozen=True)
class EmailSettings:
    """Typed email configuration; see `DefenceLine.init_app` for what each key means. Made by
    `read_email_settings`, so every default is said once, in `EMAIL_CONFIG_DEFAULTS`."""

    mail_url: str | None
    mail_from: str | None
    public_url: str | None
    secret_key: str | None
    consent_mode: Literal["explicit", "soft"]
    reminder_delays: tuple[dt.timedelta, ...]
    address_window: dt.timedelta
    quiet_hours: tuple[dt.time, dt.time] | None
    test_addresses: tuple[str, ...]
    bot_user_agents: tuple[str, ...]
    stock_alert_factor: float
    stock_alert_lifetime: dt.timedelta
    stock_alert_interval: dt.timedelta
    restore_url: str | None
    cart_url: str | None
    product_url: str | None
    unsubscribe_mailto: str | None
    lease: dt.timedelta
    max_attempts: int
    backoff: dt.timedelta
    shipping_messages: frozenset[str]
    shipping_delay_hour: dt.time
    shipping_review_url: str | None
    product_articles: str | None


def _shipping_messages(value: object) -> frozenset[str]:
    key = "DEFENCELINE_SHIPPING_MESSAGES"
    kinds = _strings(value, key) if value else ()
    unknown = sorted(set(kinds) - set(SHIPPING_MESSAGE_TYPES))
    if unknown:
        raise RuntimeError(
            f"{key}: {unknown[0]!r} is not a shipping message; expected some of "
            f"{', '.join(SHIPPING_MESSAGE_TYPES)}"
        )
    return frozenset(kinds)


def _review_url(value: object) -> str | None:
    """`DEFENCELINE_SHIPPING_REVIEW_URL`: the shop's review page, ``{order_id}`` filled in."""
    if value is None or value == "":
        return None
    key = "DEFENCELINE_SHIPPING_REVIEW_URL"
    example = "e.g. 'https://shop.example/review?order={order_id}'"
    text, fields = _url_template(value, key, example)
    unknown = sorted(fields - {"order_id"})
    if unknown:
        raise RuntimeError(
            f"{key}: {value!r} has the unknown field {{{unknown[0]}}}; only {{order_id}} is "
            f"filled in, {example}"
        )
    _optional_url(text.replace("{order_id}", "x"), key)
    return text


def _url_template(value: object, key: str, example: str) -> tuple[str, set[str]]:
    """A URL template setting and its ``{field}`` names; RuntimeError names `key` otherwise."""
    if not isinstance(value, str):
        raise RuntimeError(f"{key}: {value!r} is not text; expected {example}")
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise RuntimeError(f"{key}: {value!r}: {exc}; expected {example}") from None
    return value, fields


PRODUCT_URL_FIELDS = frozenset({"sku", "product_id"})


def _product_url(value: object) -> str | None:
    """`DEFENCELINE_PRODUCT_URL`: a template with ``{sku}``, ``{product_id}`` or both (a
    variant's `Product.product_id`, its SKU when it has none), and no other field."""
    if value is None:
        return None
    example = "e.g. 'https://shop.example/products/{sku}' or '.../products/{product_id}'"
    text, fields = _url_template(value, "DEFENCELINE_PRODUCT_URL", example)
    unknown = sorted(fields - PRODUCT_URL_FIELDS)
    if unknown or not fields:
        what = f"has the unknown field {{{unknown[0]}}}" if unknown else "has no field"
        raise RuntimeError(
            f"DEFENCELINE_PRODUCT_URL: {value!r} {what}; expected {{sku}}, {{product_id}} or "
            f"both, {example}"
        )
    return text


def read_email_settings(config: Mapping[str, Any]) -> EmailSettings:
    """Validate the email keys of `config` (after ``setdefault``); RuntimeError names a bad key."""
    mode = config["DEFENCELINE_CONSENT_MODE"]
    if mode not in ("explicit", "soft"):
        raise RuntimeError(
            f"DEFENCELINE_CONSENT_MODE: {mode!r} is not a consent mode; expected 'explicit' "
            "(email only with a recorded opt-in) or 'soft' (one reminder without opt-in)"
        )
    delays_raw = config["DEFENCELINE_REMINDER_DELAYS"]
    if isinstance(delays_raw, str) or not isinstance(delays_raw, Sequence):
        raise RuntimeError(
            f"DEFENCELINE_REMINDER_DELAYS: {delays_raw!r} is not a list; expected e.g. "
            "['1h', '24h'] (one delay after the last cart activity per reminder)"
        )
    delays = tuple(
        parse_duration(item, f"DEFENCELINE_REMINDER_DELAYS[{index}]")
        for index, item in enumerate(delays_raw)
    )
    if list(delays) != sorted(set(delays)):
        raise RuntimeError(
            f"DEFENCELINE_REMINDER_DELAYS: {delays_raw!r} must grow from one reminder to the next"
        )
    quiet_raw = config["DEFENCELINE_QUIET_HOURS"]
    quiet: tuple[dt.time, dt.time] | None = None
    if quiet_raw:
        if isinstance(quiet_raw, str) or not isinstance(quiet_raw, Sequence) or len(quiet_raw) != 2:
            raise RuntimeError(
                f"DEFENCELINE_QUIET_HOURS: {quiet_raw!r} is not a pair; expected "
                "('21:00', '08:00'), or None for no quiet hours"
            )
        quiet = (
            _clock_time(quiet_raw[0], "DEFENCELINE_QUIET_HOURS[0]"),
            _clock_time(quiet_raw[1], "DEFENCELINE_QUIET_HOURS[1]"),
        )
        if quiet[0] == quiet[1]:
            raise RuntimeError("DEFENCELINE_QUIET_HOURS: start and end are the same time")
    factor = config["DEFENCELINE_STOCK_ALERT_FACTOR"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0:
        raise RuntimeError(
            f"DEFENCELINE_STOCK_ALERT_FACTOR: {factor!r} is not a positive number; expected "
            "e.g. 2 (notify up to twice as many subscribers as there are items in stock)"
        )
    days = positive_int(config["DEFENCELINE_STOCK_ALERT_DAYS"], "DEFENCELINE_STOCK_ALERT_DAYS")
    window = positive_int(
        config["DEFENCELINE_REMINDER_ADDRESS_DAYS"], "DEFENCELINE_REMINDER_ADDRESS_DAYS"
    )
    product_url = _product_url(config["DEFENCELINE_PRODUCT_URL"])
    secret = config["DEFENCELINE_SECRET_KEY"] or config.get("SECRET_KEY")
    mail_from = config["DEFENCELINE_MAIL_FROM"]
    if mail_from is not None and (not isinstance(mail_from, str) or "@" not in mail_from):
        raise RuntimeError(
            f"DEFENCELINE_MAIL_FROM: {mail_from!r} is not an address; expected e.g. "
            "'Shop <shop@shop.example>'"
        )
    mailto = config["DEFENCELINE_UNSUBSCRIBE_MAILTO"]
    if mailto is not None and (not isinstance(mailto, str) or "@" not in mailto):
        raise RuntimeError(
            f"DEFENCELINE_UNSUBSCRIBE_MAILTO: {mailto!r} is not an address; expected e.g. "
            "'unsubscribe@shop.example'"
        )
    mail_url = config["DEFENCELINE_MAIL_URL"]
    if mail_url is not None:
        parse_mail_url(str(mail_url))  # fails here, naming the problem
    return EmailSettings(
        mail_url=str(mail_url) if mail_url else None,
        mail_from=mail_from,
        public_url=_optional_url(config["DEFENCELINE_PUBLIC_URL"], "DEFENCELINE_PUBLIC_URL"),
        secret_key=str(secret) if secret else None,
        consent_mode=mode,
        reminder_delays=delays,
        address_window=dt.timedelta(days=window),
        quiet_hours=quiet,
        test_addresses=_strings(config["DEFENCELINE_TEST_ADDRESSES"], "DEFENCELINE_TEST_ADDRESSES"),
        bot_user_agents=_strings(
            config["DEFENCELINE_BOT_USER_AGENTS"], "DEFENCELINE_BOT_USER_AGENTS"
        ),
        stock_alert_factor=float(factor),
        stock_alert_lifetime=dt.timedelta(days=days),
        stock_alert_interval=parse_duration(
            config["DEFENCELINE_STOCK_ALERT_INTERVAL"], "DEFENCELINE_STOCK_ALERT_INTERVAL"
        ),
        restore_url=_optional_url(config["DEFENCELINE_RESTORE_URL"], "DEFENCELINE_RESTORE_URL"),
        cart_url=_optional_url(config["DEFENCELINE_CART_URL"], "DEFENCELINE_CART_URL"),
        product_url=product_url,
        unsubscribe_mailto=mailto,
        lease=parse_duration(config["DEFENCELINE_MAIL_LEASE"], "DEFENCELINE_MAIL_LEASE"),
        max_attempts=positive_int(
            config["DEFENCELINE_MAIL_MAX_ATTEMPTS"], "DEFENCELINE_MAIL_MAX_ATTEMPTS"
        ),
        backoff=parse_duration(config["DEFENCELINE_MAIL_BACKOFF"], "DEFENCELINE_MAIL_BACKOFF"),
        shipping_messages=_shipping_messages(config["DEFENCELINE_SHIPPING_MESSAGES"]),
        shipping_delay_hour=_clock_time(
            config["DEFENCELINE_SHIPPING_DELAY_HOUR"], "DEFENCELINE_SHIPPING_DELAY_HOUR"
        ),
        shipping_review_url=_review_url(config["DEFENCELINE_SHIPPING_REVIEW_URL"]),
        product_articles=(
            str(config["DEFENCELINE_PRODUCT_ARTICLES"])
            if config["DEFENCELINE_PRODUCT_ARTICLES"]
            else None
        ),
    )


def default_email_settings() -> EmailSettings:
    """The settings of an app that sets none of the keys."""
    return read_email_settings(EMAIL_CONFIG_DEFAULTS)
