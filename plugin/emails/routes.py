"""HTTP routes of the email features, on the plugin's blueprint.

JSON API (documented in the OpenAPI document by `defenceline.plugin.api.email_openapi`):

* ``POST /api/v1/carts/<cart_id>`` (bearer) — record a cart; cart activity.
* ``POST /api/v1/carts/<cart_id>/order`` (bearer) — the cart became an order.
* ``POST /api/v1/cart-restores`` (bearer) — for a storefront that restores carts on its own
  page (`DEFENCELINE_RESTORE_URL`): the cart behind a restore token, and what changed.
* ``POST /api/v1/stock-alerts`` — the ``<dl-stock>`` widget's "email me when it's back".

Pages behind the links in emails (HTML, no cookies, no JavaScript):

* ``GET /email/restore/<token>`` — the cart rebuilt at today's prices and stock, with what
  changed; sends `cart_restored` so the storefront can refill the visitor's own cart (never
  with the original cart's id). The link stops working once that cart is ordered.
* ``GET|POST /email/unsubscribe/<token>`` — GET shows a button; POST unsubscribes. The POST is
  also RFC 8058's one-click target (``List-Unsubscribe=One-Click``), so it needs no cookie,
  session or CSRF token: the signed token is the authority.
* ``GET|POST /email/confirm/<token>`` — double opt-in for stock alerts; GET shows a button
  (link scanners fetch GETs), POST confirms.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from babel.lists import format_list
from blinker import Namespace
from flask import Response, current_app, jsonify, render_template, request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema
from sqlalchemy.orm import Session

from defenceline.plugin.api.blueprint import Routes
from defenceline.plugin.api.headers import PAGE_POLICY, no_store
from defenceline.plugin.api.problems import ApiProblem, validated
from defenceline.plugin.api.requests import LocaleTag, json_body, request_locale, require_token
from defenceline.plugin.cart.tracking import (
    CART_ID,
    CartIn,
    CartNotFound,
    CartOrdered,
    CartRow,
    OrderIn,
    mark_ordered,
)
from defenceline.plugin.catalogue import Sku
from defenceline.plugin.emails.alerts import (
    StockSubscriptionRow,
    awaiting_confirmation,
    confirm_subscription,
    request_alert,
)
from defenceline.plugin.emails.consent import EmailAddress, Purpose
from defenceline.plugin.emails.messages import (
    EmailSetupError,
    email_locale,
    public_base,
    secret_key,
    summary_rows,
)
from defenceline.plugin.emails.outbox import OutboxRow
from defenceline.plugin.emails.privacy import unsubscribe
from defenceline.plugin.emails.reminders import order_total, record_cart, restore_changes
from defenceline.plugin.emails.tokens import TokenError, TokenPurpose, TokenRow, read_token
from defenceline.plugin.i18n import TextDirection, gettext_for, is_rtl, negotiate, ngettext_for
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.widgets.payloads import find_product

__all__ = [
    "CartRestore",
    "CartState",
    "RestoreIn",
    "StockAlertAccepted",
    "StockAlertIn",
    "cart_restored",
    "register",
    "stock_alert_form_html",
]

_signals = Namespace()
cart_restored = _signals.signal("defenceline.cart-restored")
"""Sent (sender: the app) when a shopper opens a restore link, inside that request, with
``lines`` (``[{"sku", "quantity"}]`` that can be bought now) and ``changes``. A storefront
connects to it to put the lines into the cart of whoever opened the link — their own cart.

Never the original cart's id: a link is forwarded, shared or opened on another device, and
whoever opens it must get the items, not a key to the cart, its address and its consent."""

_CART_ID = re.compile(CART_ID)


routes = Routes()
register = routes.add_to


def _cart_id(value: str) -> str:
    if not _CART_ID.match(value):
        raise ApiProblem(
            400,
            f"cart id {value[:140]!r}: expected 1 to 128 letters, digits or . _ ~ : -, "
            "starting with a letter or digit",
            parameter="cart_id",
        )
    return value


def _body_locale(st: DefenceLineState, value: str | None) -> str | None:
    """The shop's locale for a tag in a body (``en-GB`` -> ``en``); an unknown one falls back
    to the shop's default rather than refusing a cart or an alert over it."""
    if value is None:
        return None
    return negotiate([value.strip()], list(st.policy.shop.locales)) or (
        st.policy.shop.default_locale
    )


# --- carts -------------------------------------------------------------------------------------


@routes.post("/api/v1/carts/<cart_id>")
def track_cart_view(cart_id: str) -> Response:
    st = state()
    require_token(st)
    cart_id = _cart_id(cart_id)
    cart = validated(CartIn, json_body())
    if cart.locale is not None:
        cart = cart.model_copy(update={"locale": _body_locale(st, cart.locale)})
    try:
        row = record_cart(
            st,
            cart_id,
            cart,
            method=f"POST {st.url_prefix}/api/v1/carts/<id> with consent={cart.consent}",
        )
    except CartOrdered:
        raise ApiProblem(
            409, f"cart {cart_id!r} was already ordered; a new cart needs a new id", cart_id=cart_id
        ) from None
    return no_store(jsonify(_cart_json(row)))


class CartState(BaseModel):
    """A tracked cart as the reminders see it (the answer to tracking and ordering)."""

    cart_id: str
    lines: int
    has_address: bool = False
    ordered: bool
    next_reminder_at: dt.datetime | None
    stopped_reason: str | None = None


def _cart_json(row: CartRow) -> dict[str, Any]:
    return {
        "cart_id": row.id,
        "lines": len(row.lines),
        "has_address": bool(row.email),
        "ordered": row.ordered_at is not None,
        "next_reminder_at": row.next_reminder_at.isoformat() if row.next_reminder_at else None,
        "stopped_reason": row.stopped_reason,
    }


@routes.post("/api/v1/carts/<cart_id>/order")
def order_cart_view(cart_id: str) -> Response:
    st = state()
    require_token(st)
    cart_id = _cart_id(cart_id)
    data = json_body() if request.content_length or request.data else {}
    order = validated(OrderIn, data)
    try:
        total = order.total or order_total(st, cart_id)
        row = mark_ordered(st.storage, cart_id, st.now(), total)
    except CartNotFound:
        raise ApiProblem(404, f"no cart {cart_id!r} was tracked", cart_id=cart_id) from None
    return no_store(jsonify(_cart_json(row)))


# --- back-in-stock alerts ----------------------------------------------------------------------


class StockAlertIn(BaseModel):
    """Body of ``POST {prefix}/api/v1/stock-alerts``."""

    model_config = ConfigDict(extra="forbid")

    email: EmailAddress
    sku: Sku
    locale: LocaleTag | None = None
    # False is refused with its own message (`stock_alert_view`), so the type stays a boolean.
    consent: Annotated[
        StrictBool,
        WithJsonSchema(
            {
                "const": True,
                "description": "The shopper ticked the box themselves; never pre-ticked.",
            }
        ),
    ]


class StockAlertAccepted(BaseModel):
    """The answer to a stock-alert request: a confirmation email is on its way."""

    status: Literal["confirmation_requested"]
    message: str
    locale: str
    dir: TextDirection


@routes.post("/api/v1/stock-alerts")
def stock_alert_view() -> Response:
    st = state()
    alert = validated(StockAlertIn, json_body())
    if not alert.consent:
        raise ApiProblem(
            422,
            "consent: expected true; the shopper must agree to be emailed about this item",
            field="consent",
        )
    locale = _body_locale(st, alert.locale) or email_locale(st, None)
    product = find_product(st, alert.sku.strip())
    request_alert(
        st,
        alert.email,
        product,
        locale,
        st.now(),
        method=f"POST {st.url_prefix}/api/v1/stock-alerts (consent=true)",
    )
    accepted = StockAlertAccepted(
        status="confirmation_requested",
        message=gettext_for(
            locale, "Thank you. Please confirm with the link in the email we are sending you."
        ),
        locale=locale,
        dir="rtl" if is_rtl(locale) else "ltr",
    )
    response = jsonify(accepted.model_dump())
    response.status_code = 202
    return no_store(response)


@routes.get("/fragments/stock-alert-form")
def stock_alert_form() -> Response:
    """The "email me when it's back" form for `sku`, localised (for `<dl-stock>` and macros)."""

    st = state()
    sku = (request.args.get("sku") or "").strip()
    if not sku or len(sku) > 64:
        raise ApiProblem(
            400, "the 'sku' parameter is required (at most 64 characters)", parameter="sku"
        )
    product = find_product(st, sku)
    locale = request_locale(st, request.args.get("lang"))
    return no_store(Response(stock_alert_form_html(st, product.sku, locale), mimetype="text/html"))


def stock_alert_form_html(st: DefenceLineState, sku: str, locale: str) -> str:
    """The form itself, for the fragment above and the server-rendered ``stock()`` helper. It
    posts JSON (defenceline.js sends it), so it needs the script; the API takes nothing else."""
    return render_template(
        "defenceline/stock_alert_form.html",
        _=functools.partial(gettext_for, locale),
        locale=locale,
        dir="rtl" if is_rtl(locale) else "ltr",
        sku=sku,
        action=f"{request.script_root}{st.url_prefix}/api/v1/stock-alerts",
    )


# --- restoring a cart --------------------------------------------------------------------------


class RestoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, Field(min_length=1, max_length=500)]
    locale: LocaleTag | None = None


def _secret(st: DefenceLineState) -> str:
    """The signing key; without one no token was ever issued, so every token is invalid."""
    try:
        return secret_key(st)
    except EmailSetupError as exc:
        current_app.logger.error("defenceline: %s", exc)
        raise TokenError("invalid") from None


class RestoreChange(BaseModel):
    sku: str
    change: Literal["price", "out_of_stock", "quantity", "removed"]


class CartRestore(BaseModel):
    """The cart behind a restore link, at today's prices, and what changed since the email."""

    locale: str = ""
    lines: list[dict[str, Any]]
    changes: list[RestoreChange]
    quote: dict[str, Any] | None = None


def _restore(st: DefenceLineState, signed: str, locale: str | None) -> dict[str, Any]:
    """Rebuild the cart behind a restore token; TokenError when it cannot be used."""
    now = st.now()
    with st.storage.sessions().begin() as session:
        token = read_token(session, _secret(st), TokenPurpose.RESTORE, signed, now)
        cart = session.get(CartRow, token.cart_id) if token.cart_id else None
        if cart is None:
            raise TokenError("invalid")
        if cart.ordered_at is not None:
            raise TokenError("ordered")  # bought: the reminder's link has done its work
        outbox = session.get(OutboxRow, token.outbox_id) if token.outbox_id else None
        locale = email_locale(st, locale or cart.locale)
        lines, changes, quote = restore_changes(
            st, outbox.snapshot if outbox else None, cart, locale
        )
        cart.restored_at = now
        token.used_at = now
        return {
            "locale": locale,
            "lines": lines,
            "changes": changes,
            "quote": quote,
        }


@routes.post("/api/v1/cart-restores")
def cart_restore_view() -> Response:
    st = state()
    require_token(st)
    body = validated(RestoreIn, json_body())
    locale = _body_locale(st, body.locale)
    try:
        restored = _restore(st, body.token, locale)
    except TokenError as exc:
        status = 410 if exc.reason in ("expired", "ordered") else 404
        detail = (
            "the cart behind this restore token was ordered"
            if exc.reason == "ordered"
            else f"the restore token is {exc.reason}"
        )
        raise ApiProblem(status, detail, field="token") from None
    quote = restored.pop("quote")
    restored["quote"] = quote.to_dict() if quote is not None else None
    return no_store(jsonify(restored))


def _page_context(st: DefenceLineState, locale: str) -> dict[str, Any]:
    return {
        "_": functools.partial(gettext_for, locale),
        "locale": locale,
        "dir": "rtl" if is_rtl(locale) else "ltr",
        "shop": st.policy.shop,
        "shop_url": _shop_url(st),
    }


def _shop_url(st: DefenceLineState) -> str:
    try:
        return public_base(st)
    except EmailSetupError:
        return st.policy.shop.url


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = Response(render_template(f"defenceline/email/{template}", **context), status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leak onwards
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _link_problem(st: DefenceLineState, reason: str, locale: str) -> Response:
    return _page(
        "link_problem.html",
        status=410 if reason in ("expired", "ordered") else 404,
        reason=reason,
        **_page_context(st, locale),
    )


def _visitor_locale(st: DefenceLineState) -> str:
    wanted = [value for value, _quality in request.accept_languages if value != "*"]
    return (negotiate(wanted, list(st.policy.shop.locales)) if wanted else None) or (
        st.policy.shop.default_locale
    )


def change_sentence(change: dict[str, Any], names: dict[str, str], locale: str) -> str:
    product = names.get(change["sku"], change["sku"])
    kind = change["change"]
    if kind == "price":
        return gettext_for(
            locale,
            "%(product)s now costs %(after)s (it was %(before)s).",
            product=product,
            after=change["display_after"],
            before=change["display_before"],
        )
    if kind == "out_of_stock":
        return gettext_for(locale, "%(product)s is out of stock at the moment.", product=product)
    if kind == "quantity":
        return ngettext_for(
            locale,
            "Only %(count)s of %(product)s is available now, so we changed the quantity.",
            "Only %(count)s of %(product)s are available now, so we changed the quantity.",
            int(change["after"]),
            product=product,
        )
    return gettext_for(locale, "%(product)s is no longer sold.", product=product)


@routes.get("/email/restore/<token>")
def restore_page(token: str) -> Response:
    st = state()
    locale = _visitor_locale(st)
    try:
        restored = _restore(st, token, None)
    except TokenError as exc:
        return _link_problem(st, exc.reason, locale)
    locale = restored["locale"]
    buyable = [
        {"sku": line["sku"], "quantity": line["quantity"]}
        for line in restored["lines"]
        if line["quantity"] > 0
    ]
    cart_restored.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        lines=buyable,
        changes=restored["changes"],
    )
    names = {line["sku"]: line["name"] for line in restored["lines"]}
    quote = restored["quote"]
    return _page(
        "restore.html",
        lines=[line for line in restored["lines"] if line["quantity"] > 0],
        changes=[change_sentence(c, names, locale) for c in restored["changes"]],
        summary=summary_rows(quote, locale) if quote is not None and quote.ok else [],
        cart_url=st.email.cart_url or _shop_url(st),
        **_page_context(st, locale),
    )


# --- unsubscribing -----------------------------------------------------------------------------


def _purpose_words(purpose: Purpose, locale: str) -> str:
    if purpose is Purpose.STOCK_ALERTS:
        return gettext_for(locale, "back-in-stock emails")
    if purpose is Purpose.SHIPPING_OPTIONAL:
        return gettext_for(locale, "optional delivery updates (arrives today, review requests)")
    return gettext_for(locale, "cart reminders")


LinkAction = Callable[[DefenceLineState, Session, TokenRow, str, dt.datetime], dict[str, Any]]


def _link_page(token: str, purpose: TokenPurpose, template: str, act: LinkAction) -> Response:
    """The page behind a link in an email: the token's row, and `act` on it in one
    transaction (with the shopper's locale: the email's, else the browser's), rendered with
    `template` after the commit; the link-problem page when the token cannot be used."""
    st = state()
    locale = _visitor_locale(st)
    now = st.now()
    with st.storage.sessions().begin() as session:
        try:
            row = read_token(session, _secret(st), purpose, token, now)
        except TokenError as exc:
            return _link_problem(st, exc.reason, locale)
        locale = _token_locale(st, session, row) or locale
        context = act(st, session, row, locale, now)
    return _page(template, **context, **_page_context(st, locale))


@routes.route("/email/unsubscribe/<token>", "GET", "POST")
def unsubscribe_page(token: str) -> Response:
    def act(
        st: DefenceLineState, session: Session, row: TokenRow, locale: str, now: dt.datetime
    ) -> dict[str, Any]:
        purpose = Purpose(row.scope or Purpose.CART_REMINDERS.value)
        if request.method == "POST":
            unsubscribe(session, row, now)
        return {"done": request.method == "POST", "what": _purpose_words(purpose, locale)}

    return _link_page(token, TokenPurpose.UNSUBSCRIBE, "unsubscribe.html", act)


def _token_locale(st: DefenceLineState, session: Any, row: TokenRow) -> str | None:
    if row.cart_id:
        cart = session.get(CartRow, row.cart_id)
        if cart is not None and cart.locale:
            return email_locale(st, cart.locale)
    if row.subscription_id:
        subscription = session.get(StockSubscriptionRow, row.subscription_id)
        if subscription is not None and subscription.locale:
            return email_locale(st, subscription.locale)
    return None


# --- confirming a stock alert ------------------------------------------------------------------


@routes.route("/email/confirm/<token>", "GET", "POST")
def confirm_page(token: str) -> Response:
    def act(
        st: DefenceLineState, session: Session, row: TokenRow, locale: str, now: dt.datetime
    ) -> dict[str, Any]:
        subscription = (
            session.get(StockSubscriptionRow, row.subscription_id) if row.subscription_id else None
        )
        gone = subscription is None or subscription.status not in ("pending", "confirmed")
        # Everything this address is waiting to confirm: the page names it all, so the
        # shopper sees what the button confirms (later sign-ups ride on this one email).
        waiting = awaiting_confirmation(session, row, now)
        skus = [item.sku for item in waiting] or ([subscription.sku] if subscription else [])
        done = False
        if request.method == "POST" and not gone:
            done = confirm_subscription(st, session, row, now) is not None
        products = st.catalogue.get_many(skus)
        names = [products[sku].name if sku in products else sku for sku in skus]
        return {
            "done": done
            or (subscription is not None and subscription.status == "confirmed" and not waiting),
            "gone": gone,
            "product_name": format_list(names, locale=locale) if names else "",
        }

    return _link_page(token, TokenPurpose.CONFIRM, "confirm.html", act)
