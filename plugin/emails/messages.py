"""Composing the plugin's emails: templates, links, the shop's facts, and the MIME message.

Templates live in ``templates/defenceline/email/`` — ``<name>.txt`` (plain text; its
``{% set subject = … %}`` is the subject) and ``<name>.html`` — and a shop overrides any of
them by putting a file with the same path in its own app's templates folder (Flask looks there
first). Both get the same context, including ``_`` (gettext for the email's locale) and
``money`` (Babel's currency format for it).

Every link is absolute, built from `DEFENCELINE_PUBLIC_URL` (or Flask's ``SERVER_NAME``),
because senders run from cron or a background thread, outside any request.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from urllib.parse import quote, urlsplit

from babel.dates import format_time, get_day_names
from flask import current_app
from sqlalchemy.orm import Session

from defenceline.money import format_money
from defenceline.plugin.emails.consent import Purpose
from defenceline.plugin.emails.tokens import TokenPurpose, issue_token
from defenceline.plugin.i18n import gettext_for, is_rtl, negotiate, ngettext_for
from defenceline.plugin.state import DefenceLineState
from defenceline.plugin.widgets.messages import format_day
from defenceline.policy import Policy
from defenceline.quote import Quote
from defenceline.regions import country_name

__all__ = [
    "EmailSetupError",
    "RenderedEmail",
    "absolute_url",
    "contact_lines",
    "delivery_sentence",
    "email_columns",
    "email_locale",
    "envelope_sender",
    "mail_domain",
    "plugin_link",
    "public_base",
    "render_email",
    "secret_key",
    "sender_address",
    "summary_rows",
    "unsubscribe_link",
    "unsubscribe_mailto",
]


class EmailSetupError(RuntimeError):
    """A setting the emails need is missing; the message names it and how to set it."""


def public_base(st: DefenceLineState) -> str:
    """The shop's public base URL, for links in emails."""
    if st.email.public_url:
        return st.email.public_url
    server = current_app.config.get("SERVER_NAME")
    if server:
        scheme = current_app.config.get("PREFERRED_URL_SCHEME", "http")
        root = (current_app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
        return f"{scheme}://{server}{root}"
    raise EmailSetupError(
        "DEFENCELINE_PUBLIC_URL is not set: links in emails need the shop's public address, "
        "e.g. app.config['DEFENCELINE_PUBLIC_URL'] = 'https://shop.example' (or set SERVER_NAME)"
    )


def plugin_link(st: DefenceLineState, path: str) -> str:
    """An absolute URL of one of the plugin's own routes (`path` starts with ``/``)."""
    return f"{public_base(st)}{st.url_prefix}{path}"


def absolute_url(st: DefenceLineState, url: str | None) -> str | None:
    """A catalogue URL (an image, say) as an email needs it: absolute, on the shop's public
    base when the catalogue gave a path; None when there is none."""
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    return public_base(st) + ("" if url.startswith("/") else "/") + url


def secret_key(st: DefenceLineState) -> str:
    if not st.email.secret_key:
        raise EmailSetupError(
            "no secret key for signing email links: set DEFENCELINE_SECRET_KEY (or Flask's "
            "SECRET_KEY) to a long random value, e.g. secrets.token_urlsafe(32)"
        )
    return st.email.secret_key


def mail_domain(policy_: Policy) -> str:
    """The shop's own domain (from ``shop.url``), for Message-IDs and the default sender."""
    return urlsplit(policy_.shop.url).hostname or "localhost"


def sender_address(st: DefenceLineState) -> str:
    """``DEFENCELINE_MAIL_FROM``, or ``"Shop name <noreply@shop domain>"``."""
    if st.email.mail_from:
        return st.email.mail_from
    policy_ = st.policy
    return formataddr((policy_.shop.name, f"noreply@{mail_domain(policy_)}"))


def email_locale(st: DefenceLineState, wanted: str | None) -> str:
    """The shopper's locale when the shop offers it, else the shop's default."""
    offered = list(st.policy.shop.locales)
    if wanted:
        match = negotiate([wanted], offered)
        if match:
            return match
    return st.policy.shop.default_locale


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(name: str, locale: str, context: dict[str, Any]) -> RenderedEmail:
    """Render ``defenceline/email/<name>.txt`` and ``.html`` (the shop's own first)."""
    env = current_app.jinja_env
    values = {
        "_": functools.partial(gettext_for, locale),
        "ngettext": functools.partial(ngettext_for, locale),
        "locale": locale,
        "dir": "rtl" if is_rtl(locale) else "ltr",
        **context,
    }
    text_template = env.get_template(f"defenceline/email/{name}.txt")
    module = text_template.make_module(values)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    text = str(module).strip() + "\n"
    # The subject is the HTML part's <title> too: what a screen reader announces for the page.
    html = env.get_template(f"defenceline/email/{name}.html").render(values, subject=subject)
    return RenderedEmail(subject=subject, text=text, html=html)


def email_columns(
    st: DefenceLineState,
    kind: str,
    locale: str,
    context: dict[str, Any],
    *,
    recipient: str,
    message_id: str,
    now: dt.datetime,
    unsubscribe: tuple[str, str] | None,
) -> dict[str, Any]:
    """The outbox columns of one email of `kind` from the shop to `recipient`, dated `now`:
    the templates named for the kind rendered in `locale` with `context` and the shop's
    contact lines, and the complete message (RFC 5322, CRLF line ends) as it will be stored
    and sent. Replies reach the shop's email contact, when it has one.

    With `unsubscribe` = (https URL, mailto address) it carries RFC 8058 one-click unsubscribe:
    ``List-Unsubscribe: <https://…>, <mailto:…>`` and ``List-Unsubscribe-Post:
    List-Unsubscribe=One-Click``. (RFC 8058 also wants a DKIM signature covering both; DKIM
    is added by the shop's mail server.)
    """
    rendered = render_email(kind, locale, {**context, "contact": contact_lines(st.policy, locale)})
    sender = sender_address(st)
    international = not (sender + recipient).isascii()
    message = EmailMessage(policy=policy.SMTPUTF8 if international else policy.SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = message_id
    reply_to = reply_to_address(st.policy)
    if reply_to:
        message["Reply-To"] = reply_to
    if unsubscribe is not None:
        https, mailto = unsubscribe
        message["List-Unsubscribe"] = f"<{https}>, <mailto:{mailto}?subject={quote('unsubscribe')}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    message["Content-Language"] = locale.replace("_", "-")  # after the body: set_content clears it
    return {
        "kind": kind,
        "sender": envelope_address(sender),
        "recipient": recipient,
        "locale": locale,
        "message_id": message_id,
        "subject": rendered.subject,
        "message": message.as_string(),
    }


def envelope_address(header_value: str) -> str:
    """The bare address of a ``"Name <addr>"`` header value (for MAIL FROM)."""
    return parseaddr(header_value)[1] or header_value


def envelope_sender(st: DefenceLineState) -> str:
    """The shop's MAIL FROM address (the outbox row's ``sender``)."""
    return envelope_address(sender_address(st))


def reply_to_address(policy_: Policy) -> str | None:
    """Replies reach a person: the policy's email contact channel, when it has one."""
    for channel in policy_.contact:
        if channel.kind == "email":
            return str(Address(addr_spec=channel.value))
    return None


# --- the shop's facts as sentences -------------------------------------------------------------


def money_formatter(currency: str, locale: str) -> Callable[[Decimal | None], str]:
    def money(amount: Decimal | None) -> str:
        return "" if amount is None else format_money(amount, currency, locale)

    return money


def summary_rows(quote: Quote, locale: str) -> list[tuple[str, str]]:
    """The cost summary as (label, amount) rows, in the cart summary's own words and figures
    (`defenceline.plugin.cart.quote`), so the email shows exactly what the cart shows."""
    money = money_formatter(quote.currency, locale)
    rows = [(gettext_for(locale, "Subtotal"), money(quote.subtotal))]
    if quote.shipping is not None:
        label = gettext_for(
            locale, "Shipping to %(country)s", country=country_name(quote.country, locale)
        )
        rows.append(
            (label, gettext_for(locale, "Free") if quote.shipping == 0 else money(quote.shipping))
        )
    if quote.payment_surcharge:
        rows.append(
            (
                gettext_for(locale, "Payment surcharge (%(method)s)", method=quote.payment_method),
                money(quote.payment_surcharge),
            )
        )
    vat = [
        (
            gettext_for(
                locale,
                "Including VAT %(rate)s" if quote.prices_include_vat else "VAT %(rate)s",
                rate=f"{row.rate.normalize():f}%",
            ),
            money(row.vat),
        )
        for row in quote.vat
        if row.rate != 0  # as the cart summary: a 0% row says nothing
    ]
    if quote.tax_at_checkout:
        rows.append((gettext_for(locale, "Tax"), gettext_for(locale, "Calculated at checkout")))
    if not quote.prices_include_vat:
        rows.extend(vat)
    if quote.total is not None:
        rows.append((gettext_for(locale, "Total"), money(quote.total)))
    if quote.prices_include_vat:
        rows.extend(vat)
    return rows


def delivery_sentence(quote: Quote, order_day: dt.date, locale: str) -> str | None:
    """When the parcel would arrive if ordered on `order_day` (a date, never a countdown)."""
    estimate = quote.delivery
    if estimate.earliest is None or estimate.latest is None:
        return None
    day = format_day(order_day, locale)
    start, end = format_day(estimate.earliest, locale), format_day(estimate.latest, locale)
    if estimate.earliest == estimate.latest:
        return gettext_for(
            locale, "Ordered on %(day)s, it arrives on %(date)s.", day=day, date=start
        )
    return gettext_for(
        locale,
        "Ordered on %(day)s, it arrives between %(start)s and %(end)s.",
        day=day,
        start=start,
        end=end,
    )


def unsubscribe_mailto(st: DefenceLineState) -> str:
    """Where mailto unsubscribes go: the setting, else the policy's email contact."""
    if st.email.unsubscribe_mailto:
        return st.email.unsubscribe_mailto
    for channel in st.policy.contact:
        if channel.kind == "email":
            return channel.value
    return f"unsubscribe@{mail_domain(st.policy)}"


def unsubscribe_link(
    st: DefenceLineState,
    session: Session,
    now: dt.datetime,
    scope: Purpose,
    address_hash: str | None,
    *,
    cart_id: str | None = None,
    subscription_id: int | None = None,
) -> tuple[str, str]:
    """An email's RFC 8058 unsubscribe pair: the one-click link (an opaque token, stored in
    `session`, that stops `scope` emails to the address) and the mailto address."""
    token = issue_token(
        session,
        secret_key(st),
        TokenPurpose.UNSUBSCRIBE,
        now,
        cart_id=cart_id,
        subscription_id=subscription_id,
        address_hash=address_hash,
        scope=scope.value,
    )
    return plugin_link(st, f"/email/unsubscribe/{token}"), unsubscribe_mailto(st)


def _hours(channel_hours: dict[Any, Any], locale: str) -> str:
    """Opening hours grouped by equal times: "Mon–Fri 09:00–17:00, Sat 10:00–16:00"."""
    order = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    names = get_day_names("abbreviated", locale=locale)
    keyed = {str(getattr(day, "value", day)).lower(): hours for day, hours in channel_hours.items()}
    groups: list[tuple[int, int, Any]] = []
    for index, day in enumerate(order):
        hours = keyed.get(day)
        if hours is None:
            continue
        span = (hours.opens, hours.closes)
        if (
            groups
            and groups[-1][1] == index - 1
            and (groups[-1][2].opens, groups[-1][2].closes) == span
        ):
            groups[-1] = (groups[-1][0], index, groups[-1][2])
        else:
            groups.append((index, index, hours))
    parts = []
    for first, last, hours in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        opens = format_time(hours.opens, "short", locale=locale)
        closes = format_time(hours.closes, "short", locale=locale)
        parts.append(f"{days} {opens}–{closes}")
    return ", ".join(parts)


def contact_lines(policy_: Policy, locale: str) -> list[dict[str, str]]:
    """Ways to get help, from the policy's contact channels: label, value, link, hours."""
    lines = []
    for channel in policy_.contact:
        hours = _hours(dict(channel.hours), locale) if channel.hours else ""
        if channel.kind == "email":
            label = gettext_for(locale, "Email")
            href = f"mailto:{channel.value}"
            if channel.response_hours:
                hours = ngettext_for(
                    locale,
                    "we answer within %(count)s hour",
                    "we answer within %(count)s hours",
                    channel.response_hours,
                )
        elif channel.kind == "phone":
            label = gettext_for(locale, "Phone")
            href = "tel:" + "".join(ch for ch in channel.value if ch.isdigit() or ch == "+")
        else:
            label = gettext_for(locale, "Chat")
            href = channel.value
        lines.append(
            {"label": channel.label or label, "value": channel.value, "href": href, "hours": hours}
        )
    return lines
