"""Rules for cart and checkout pages: the leakiest bucket of a webshop.

Unexpected costs, a forced account and forms that only complain after submitting are the
classic reasons shoppers abandon a full cart. These rules check that all costs are visible
before checkout, that a shopper can buy as a guest, and that checkout forms help the browser
help the shopper (labels, required fields, input types, autocomplete tokens).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.dark_patterns.misdirection import label_text
from defenceline.checks.facts import states_cost
from defenceline.checks.page import Page
from defenceline.checks.registry import Context, Hit, register

__all__: list[str] = []

_LOGIN_REQUIRED = re.compile(
    r"\b(?:log ?in|inloggen|meld je aan|aanmelden|registreer|account aanmaken|sign in|"
    r"create an account|register|anmelden|einloggen|registrieren|konto erstellen|"
    r"connectez-vous|se connecter|cr[ée]er un compte|accedi|registrati|crea un account|"
    r"inicia sesi[óo]n|reg[íi]strate|crear (?:una )?cuenta)\b",
    re.I,
)

# The autofill tokens a contact kind (home, work, mobile...) may stand before.
_CONTACT_TOKENS = frozenset(
    [
        "tel",
        "tel-country-code",
        "tel-national",
        "tel-area-code",
        "tel-local",
        "tel-local-prefix",
        "tel-local-suffix",
        "tel-extension",
        "email",
        "impp",
    ]
)
# Autofill tokens from the HTML standard (the "autocomplete" attribute's field names): the
# contact ones above and these.
_AUTOFILL_FIELDS = (
    frozenset(
        [
            "name",
            "honorific-prefix",
            "given-name",
            "additional-name",
            "family-name",
            "honorific-suffix",
            "nickname",
            "username",
            "new-password",
            "current-password",
            "one-time-code",
            "organization-title",
            "organization",
            "street-address",
            "address-line1",
            "address-line2",
            "address-line3",
            "address-level4",
            "address-level3",
            "address-level2",
            "address-level1",
            "country",
            "country-name",
            "postal-code",
            "cc-name",
            "cc-given-name",
            "cc-additional-name",
            "cc-family-name",
            "cc-number",
            "cc-exp",
            "cc-exp-month",
            "cc-exp-year",
            "cc-csc",
            "cc-type",
            "transaction-currency",
            "transaction-amount",
            "language",
            "bday",
            "bday-day",
            "bday-month",
            "bday-year",
            "sex",
            "url",
            "photo",
            "webauthn",
        ]
    )
    | _CONTACT_TOKENS
)
_FIELD_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"e-?mail|correo|courriel", re.I)),
    (
        "tel",
        re.compile(
            r"phone|tel(?:efoon|efon|[ée]phone|efono|[ée]fono)?\b|mobile|gsm|handy|cell", re.I
        ),
    ),
    (
        "postal-code",
        re.compile(r"post(?:al)?_?code|postcode|zip|plz|\bcap\b|c[óo]digo_?postal|\bcp\b", re.I),
    ),
    (
        "family-name",
        re.compile(r"last_?name|family|surname|achternaam|nachname|cognome|apellido|\bnom\b", re.I),
    ),
    (
        "given-name",
        re.compile(r"first_?name|given|voornaam|vorname|pr[ée]nom|\bnome\b|nombre", re.I),
    ),
    (
        "address-level2",
        re.compile(r"\bcity\b|plaats|\bstadt\b|\bort\b|ville|citt[àa]|ciudad|localidad", re.I),
    ),
    ("country", re.compile(r"country|\bland\b|pays|paese|pa[íi]s", re.I)),
    (
        "street-address",
        re.compile(
            r"street|straat|stra(?:ss|ß)e|address|adres|\brue\b|indirizzo|direcci[óo]n|calle", re.I
        ),
    ),
)
_TEXTUAL = ("", "text", "email", "tel", "number", "password", "search", "url")


_TAX_AT_CHECKOUT = re.compile(
    r"\b(?:sales\s+)?tax(?:es)?\b.{0,40}?\b(?:calculated|computed|determined|added)\b"
    r".{0,20}?\bcheckout\b",
    re.I | re.S,
)


def _payment_surcharges(ctx: Context) -> list[tuple[str, str]]:
    if ctx.policy is None:
        return []
    found = []
    for method in ctx.policy.payment_methods:
        if method.surcharge or method.surcharge_percent:
            amount = method.surcharge if method.surcharge else f"{method.surcharge_percent}%"
            found.append((method.name, str(amount)))
    return found


@register("cart-all-costs")
def cart_all_costs(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    if next(page.blocks_matching(lexicon.CART_EMPTY, 200), None) is not None:
        return  # an empty cart has no costs to show
    shipping = ctx.facts.shipping_all
    later = next((f for f in shipping if lexicon.SHIPPING_LATER.search(f.text)), None)
    stated = [f for f in shipping if not f.in_chrome and states_cost(f.text)]
    if not stated:
        rows = _row_with(ctx, lexicon.SHIPPING_ROW)
        if rows is None:
            if later is not None:
                yield Hit("shipping costs are only revealed at checkout", later.element, later.text)
            else:
                yield Hit("the cart does not show the shipping cost", page.main_heading)
    if _row_with(ctx, lexicon.TOTAL) is None:
        yield Hit("the cart does not show a total with its amount", page.main_heading)
    if ctx.policy is not None and ctx.policy.vat.at_checkout:
        # store.toml: the checkout computes the tax (US sales tax); the cart says so.
        if not _TAX_AT_CHECKOUT.search(page.text):
            yield Hit(
                "the cart does not say that tax is calculated at checkout",
                page.main_heading,
                severity="warning",
            )
    elif not lexicon.VAT.search(page.text):
        yield Hit(
            "the cart does not say whether prices include VAT",
            page.main_heading,
            severity="warning",
        )
    for name, amount in _payment_surcharges(ctx):
        pattern = re.compile(re.escape(name), re.I)
        for _match, block in page.iter_matches(pattern):
            if not find_amounts(block.text, page.lang) and "%" not in block.text:
                yield Hit.in_block(
                    f"payment method {name} costs {amount} extra (store.toml) but the page "
                    "does not say so",
                    page,
                    block,
                )
            break


def _row_with(ctx: Context, pattern: re.Pattern[str]) -> Tag | None:
    """An element whose text names `pattern` and shows an amount (or 'free') with it."""
    page = ctx.page
    blocks = page.blocks
    for index, block in enumerate(blocks):
        if not pattern.search(block.text) or len(block.text) > 200:
            continue
        following = blocks[index + 1].text if index + 1 < len(blocks) else ""
        combined = block.text + " " + following
        if states_cost(block.text) or (
            states_cost(combined) and not lexicon.SHIPPING_LATER.search(combined)
        ):
            element = page.element_at(block.start + 1)
            if not page.in_chrome(element):
                return element
    return None


@register("guest-checkout")
def guest_checkout(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    if lexicon.GUEST_CHECKOUT.search(page.text):
        return
    passwords = [
        i
        for i in page.elements("input")
        if str(i.get("type", "")).lower() == "password" and not page.is_hidden(i)
    ]
    login_text = next(
        (b for b in page.blocks if _LOGIN_REQUIRED.search(b.text) and len(b.text) < 300), None
    )
    if ctx.page_type == "checkout" and passwords:
        yield Hit(
            "the checkout asks for an account password and offers no guest checkout",
            passwords[0],
        )
    elif login_text is not None and ctx.page_type == "checkout":
        yield Hit.in_block(
            "the checkout asks shoppers to log in or register, with no guest option",
            page,
            login_text,
        )


def _field_kind(field: Tag) -> str | None:
    label = " ".join(str(field.get(key) or "") for key in ("name", "id"))
    for kind, pattern in _FIELD_KINDS:
        if pattern.search(label):
            return kind
    return None


def _autocomplete_problem(value: str) -> str | None:
    tokens = value.lower().split()
    if not tokens:
        return "is empty"
    if tokens in (["on"], ["off"]):
        return None
    if tokens and tokens[-1] == "webauthn":
        tokens = tokens[:-1]
    if not tokens:
        return None
    field = tokens[-1]
    if field not in _AUTOFILL_FIELDS:
        return f"{field!r} is not an autofill token"
    rest = tokens[:-1]
    if rest and rest[-1] in ("home", "work", "mobile", "fax", "pager"):
        if field not in _CONTACT_TOKENS:
            return f"{rest[-1]!r} only goes with phone, email or impp tokens"
        rest = rest[:-1]
    if rest and rest[-1] in ("shipping", "billing"):
        rest = rest[:-1]
    if rest and rest[-1].startswith("section-"):
        rest = rest[:-1]
    if rest:
        return f"unexpected token {rest[-1]!r}"
    return None


@register("checkout-inline-validation")
def checkout_inline_validation(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    fields: list[Tag] = []
    for field in page.elements("input", "select", "textarea"):
        kind = str(field.get("type", "")).lower()
        if field.name == "input" and kind not in _TEXTUAL:
            continue
        if page.is_hidden(field):
            continue
        fields.append(field)
    if not fields:
        return
    if not any(f.has_attr("required") or f.get("aria-required") == "true" for f in fields):
        yield Hit(
            "no checkout field is marked required (required or aria-required), so the "
            "browser cannot validate inline",
            fields[0].find_parent("form") or fields[0],
        )
    for field in fields:
        name = str(field.get("name") or field.get("id") or field.name)
        if not _label_text_strict(page, field):
            yield Hit(f"field {name!r} has no label (a placeholder is not a label)", field)
        field_kind = _field_kind(field)
        declared_type = str(field.get("type", "text")).lower() or "text"
        wrong_type = field_kind in ("email", "tel") and declared_type != field_kind
        if field.name == "input" and wrong_type:
            yield Hit(
                f"field {name!r} looks like {field_kind} but has type={declared_type!r}", field
            )
        autocomplete = field.get("autocomplete")
        if isinstance(autocomplete, str):
            problem = _autocomplete_problem(autocomplete)
            if problem:
                yield Hit(f"field {name!r}: autocomplete {autocomplete!r} {problem}", field)
            elif field_kind and autocomplete.strip().lower() == "off":
                yield Hit(f"field {name!r} turns autofill off for {field_kind}", field)
        elif field_kind is not None:
            yield Hit(
                f"field {name!r} has no autocomplete attribute (expected e.g. {field_kind!r})",
                field,
            )


def _label_text_strict(page: Page, field: Tag) -> str:
    """Like `label_text` but without the 'nearby text' fallback: a real, associated label."""
    ident = field.get("id")
    if isinstance(ident, str) and ident:
        for label in page.elements("label"):
            if label.get("for") == ident and page.text_of(label):
                return page.text_of(label)
    parent = field.find_parent("label")
    if parent is not None and page.text_of(parent):
        return page.text_of(parent)
    for key in ("aria-label", "title"):
        value = field.get(key)
        if isinstance(value, str) and value.strip():
            return value
    if isinstance(field.get("aria-labelledby"), str):
        return label_text(page, field)
    return ""
