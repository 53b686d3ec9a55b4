"""Signals that let a shopper trust the shop: terms, reviews, breadcrumbs, a way to get in touch."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from defenceline.checks import lexicon
from defenceline.checks.product_rules.evidence import heading_or_button, links_in
from defenceline.checks.registry import Context, Hit, register

__all__: list[str] = []


_TERMS_HREF = (
    *("terms", "voorwaarden", "agb", "cgv", "conditions", "condiciones", "termini"),
    *("condizioni", "legal"),
)


@register("terms-link")
def terms_link(ctx: Context) -> Iterator[Hit]:
    if not _links_to(ctx, _TERMS_HREF, lexicon.TERMS):
        yield Hit("no link to the terms and conditions", None)


_RATING_TRIGGERS = frozenset({"5"})  # "4,6 van 5", "4.8/5": the word "5" is always there


@register("reviews-present")
def reviews_present(ctx: Context) -> Iterator[Hit]:
    structured = ctx.page.structured
    if structured.of_type("AggregateRating", "Review"):
        return
    page = ctx.page
    found = itertools.chain(
        page.iter_matches(lexicon.REVIEWS),
        page.iter_matches(lexicon.RATING, triggers=_RATING_TRIGGERS),
        (
            (None, block)
            for block in page.blocks
            if any(star in block.text for star in lexicon.RATING_STARS)
        )
        if any(star in page.text for star in lexicon.RATING_STARS)
        else (),
    )
    for _match, block in found:
        if not page.in_chrome(page.element_at(block.start + 1)):
            return
    yield Hit("no customer reviews or rating on the page", heading_or_button(ctx))


_BREADCRUMB_LABEL = re.compile(
    r"breadcrumb|kruimel|brotkr[üu]m|fil d'ariane|ariane|briciol|migas|miga|crumbs", re.I
)


@register("breadcrumbs")
def breadcrumbs(ctx: Context) -> Iterator[Hit]:
    if ctx.page.structured.of_type("BreadcrumbList"):
        return
    # Kind by kind (breadcrumbs are mostly nav and ol): no merged, sorted element list.
    tags = (tag for name in ("nav", "ol", "ul", "div", "p") for tag in ctx.page.elements(name))
    for tag in tags:
        label = " ".join(
            str(value) if not isinstance(value, list) else " ".join(value)
            for value in (tag.get("aria-label"), tag.get("class"), tag.get("id"))
            if value
        )
        if label and _BREADCRUMB_LABEL.search(label):
            return
    yield Hit("no breadcrumbs on the page", heading_or_button(ctx))


_CONTACT_HREF = (
    *("mailto:", "tel:", "wa.me/", "whatsapp.com", "//m.me/", "contact", "klantenservice"),
    *("kontakt", "contatt", "contacto", "customer-service", "customerservice"),
    *("kundenservice", "service-client", "support", "help"),
)


_CHAT_WORDS = (
    r"intercom|zendesk|zopim|tawk\.to|livechat|crisp\.chat|trengo|freshchat|drift|tidio|"
    r"hs-scripts|olark|userlike|gorgias|chatwoot|smartsupp|reamaze|helpscout|liveperson"
)
_CHAT_SCRIPT = re.compile(_CHAT_WORDS, re.I)
# The same search on folded text without re.I, for inline code: an alternation under re.I
# is tried at every position (13 ms a page on real shops' scripts), without it the engine
# skips to the words' first letters. The fold maps exactly the characters re.I lets match
# these ASCII words: A-Z and the four non-ASCII letters Python folds onto i, s and k. It
# keeps every character in place, so positions do not move.
_CHAT_SCRIPT_FOLDED = re.compile(_CHAT_WORDS)
_FOLD = str.maketrans(
    {
        **{chr(code): chr(code + 32) for code in range(65, 91)},
        "\u0130": "i",  # İ
        "\u0131": "i",  # ı
        "\u017f": "s",  # ſ (long s)
        "\u212a": "k",  # Kelvin sign
    }
)


@register("contact-channel")
def contact_channel(ctx: Context) -> Iterator[Hit]:
    if _links_to(ctx, _CONTACT_HREF, lexicon.CONTACT):
        return
    sources = "\n".join(str(script.get("src") or "") for script in ctx.page.elements("script"))
    if _CHAT_SCRIPT.search(sources) or any(
        _CHAT_SCRIPT_FOLDED.search(code[:2000].translate(_FOLD))
        for _, code in ctx.page.inline_scripts
    ):
        return
    yield Hit("no contact channel (email, phone, chat or contact page) on the page", None)


def _links_to(ctx: Context, href: tuple[str, ...], words: re.Pattern[str]) -> bool:
    """Whether the page links to a page by its address or, failing that, by a link text in a
    block that names it (the address names it on most shops; reading link texts costs more)."""
    if next(ctx.page.links_with_href(href), None) is not None:
        return True
    return any(
        words.search(ctx.page.text_of(link))
        for _match, block in ctx.page.iter_matches(words)
        for link in links_in(ctx, block)
    )
