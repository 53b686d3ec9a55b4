"""Dark patterns: tricks that push shoppers and cost trust (and, in the EU, break the law).

Fake countdowns, invented scarcity, made-up activity notifications, pre-ticked paid extras,
decline buttons that shame, and fees that surface late. The EU's Unfair Commercial Practices
Directive lists false "only available for a very limited time" claims as always unfair, and the
Consumer Rights Directive forbids pre-ticked boxes for extra payments. Where the page itself
proves the trick (a deadline computed from page-load time, a number drawn from Math.random), the
finding is an error; where only a person can verify the claim, it is a warning to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.page import Page, class_text
from defenceline.checks.registry import Context, Hit, Rule, register

__all__: list[str] = []

_ALL_PAGES = ("product", "cart", "checkout", "other")

_TIMER_CLASS = re.compile(r"countdown|count-down|timer|deadline|clock|aftellen|countdown", re.I)
_TIMER_ATTRIBUTE_HINT = re.compile(
    r"data-(?:countdown|timer|minutes|seconds|hours|duration|time-?left|remaining|expires|ttl)",
    re.I,
)
_RELATIVE_TIMER_ATTR = re.compile(
    r"^data-(?:countdown-)?(?:minutes|seconds|hours|duration|time-?left|remaining|"
    r"countdown-(?:minutes|seconds|duration)|expires-in|ttl)$",
    re.I,
)
_ABSOLUTE_TIMER_ATTR = re.compile(
    r"^data-(?:deadline|end(?:s)?(?:-?(?:at|time|date))?|until|expires(?:-at)?|countdown)$", re.I
)
_NOW_PLUS = re.compile(
    r"(?:Date\.now\(\s*\)|new\s+Date\(\s*\)\s*(?:\.getTime\(\s*\))?|\+new\s+Date\(\s*\)|"
    r"performance\.now\(\s*\))\s*\+\s*(?:[\d_.\s*()]+|\w+\s*\*)"
    r"|\.set(?:Minutes|Hours|Seconds)\(\s*\w+\.get(?:Minutes|Hours|Seconds)\(\s*\)\s*\+",
)
_TIMER_CODE = re.compile(r"setInterval|setTimeout|requestAnimationFrame", re.I)
_TIMER_WORDS = re.compile(
    r"countdown|timer|deadline|expire|ends?_?at|endtime|remaining|time_?left|hurry|offer|"
    r"aftellen|minutes|seconds",
    re.I,
)
_RESET = re.compile(
    r"(?:<=?\s*0|===?\s*0)\s*\)?\s*\{?[^;{}]{0,120}?(?:=\s*(?:Date\.now|new Date)|"
    r"=\s*\d{2,}|reset|restart|start(?:Timer|Countdown)\()"
    # x = x > 0 ? x - 1 : 600  (count down, then start again)
    r"|>\s*0\s*\?\s*[^:;]{1,60}:\s*(?:\d|\(|[\w.]+\s*\*)",
    re.I,
)
_SHORT_CLOCK = re.compile(r"\d{1,2}\s*:\s*\d{2}")
_RANDOM = re.compile(r"Math\.random\s*\(", re.I)
_STOCK_WORDS = re.compile(
    r"stock|left|remaining|voorraad|lager|qty|quantity|inventory|items?_?left|pieces|"
    r"stuks|restant|disponib|rimast|quedan",
    re.I,
)
_VIEWER_WORDS = re.compile(
    r"viewers?|watching|viewing|people|visitors|bekijken|kijken|mensen|personen|besucher|"
    r"personnes|persone|personas|bought|purchased|kocht|gekauft|achet|acquist|compr|"
    r"someone|iemand|jemand|quelqu|qualcuno|alguien|recent_?sales|live_?visitors",
    re.I,
)
_SOCIAL_CLASS = re.compile(
    r"social-?proof|recent-?(?:sales|purchase|order)|live-?(?:visitors|viewers)|"
    r"people-?viewing|viewers|fomo|sales-?pop|purchase-?notification",
    re.I,
)
_NO_THANKS_OPTION = re.compile(
    r"^\s*(?:geen|none|no|kein[e]?|aucun[e]?|nessun[oa]?|ninguno|ninguna|sin|zonder|without|"
    r"ohne|sans|senza)\b",
    re.I,
)
_FINE_PRINT_CLASS = re.compile(r"fine-?print|footnote|disclaimer|small-?print|legal|kleine", re.I)
_TINY_FONT = re.compile(r"font-size\s*:\s*(?:[0-9](?:\.\d+)?px|0?\.[0-6]\d*(?:em|rem))", re.I)
_OPT_OUT_WORDS = re.compile(
    r"onthoud|remember|merken|souvenir|ricorda|recordar|zelfde|same as|gleich|identique|"
    r"stessa|misma|voorwaarden|terms|agb|cgv|condizioni|condiciones|privacy",
    re.I,
)


def _label_text(page: Page, field: Tag) -> str:
    """The text that labels a form control: <label for>, a wrapping label, aria, or nearby text."""
    ident = field.get("id")
    texts: list[str] = []
    if isinstance(ident, str) and ident:
        for label in page.elements("label"):
            if label.get("for") == ident:
                texts.append(page.text_of(label))
    parent = field.find_parent("label")
    if parent is not None:
        texts.append(page.text_of(parent))
    for key in ("aria-label", "title"):
        value = field.get(key)
        if isinstance(value, str):
            texts.append(value)
    labelled_by = field.get("aria-labelledby")
    if isinstance(labelled_by, str):
        for ref in labelled_by.split():
            target = page.soup.find(id=ref)
            if isinstance(target, Tag):
                texts.append(page.text_of(target))
    if not any(t.strip() for t in texts) and isinstance(field.parent, Tag):
        texts.append(page.text_of(field.parent))
    return " ".join(" ".join(texts).split())


def _timer_label(tag: Tag) -> bool:
    label = class_text(tag) + " " + str(tag.get("id") or "")
    return _TIMER_CLASS.search(label) is not None


def _showing_timer(page: Page) -> Tag | None:
    """An element with a timer-like class or id (or inside one) that shows a clock ("09:59")."""
    if not page.has_clock:
        return None
    for block in page.blocks:
        if len(block.text) > 250 or ":" not in block.text:
            continue
        for match in _SHORT_CLOCK.finditer(block.text):
            node: Any = page.element_at(block.start + match.start())
            for _ in range(4):
                if not isinstance(node, Tag):
                    break
                if _timer_label(node):
                    return node
                node = node.parent
    return None


def _timer_element(page: Page) -> Tag | None:
    """The countdown's element, for evidence: one showing a clock, else any timer-like one."""
    showing = _showing_timer(page)
    if showing is not None:
        return showing
    for name in ("div", "span", "p", "strong", "b", "time", "section"):
        for tag in page.elements(name):
            if _timer_label(tag):
                return tag
    return None


@register
class CountdownTimer(Rule):
    id = "dark-countdown-timer"
    severity = "warning"
    page_types = _ALL_PAGES
    summary = (
        "Countdown timers count to a real deadline; one computed from page-load time or that "
        "resets is an error, any other is a warning to verify."
    )
    why = (
        "A countdown that restarts for every visitor invents urgency; falsely stating that an "
        "offer is available only for a very limited time is on the EU's blacklist of unfair "
        "commercial practices. A countdown to a real order cut-off is fine — make sure it is."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<p>Aanbieding eindigt over <span id="timer">00:15:00</span></p>'
        "<script>var end = Date.now() + 15 * 60 * 1000; setInterval(function () {"
        " var left = end - Date.now(); document.getElementById('timer').textContent ="
        " format(left); }, 1000);</script>"
    )
    passing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>Voor 16:00 besteld, morgen in huis</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        for script, code in page.inline_scripts:
            if not _TIMER_CODE.search(code):
                continue
            derived = _NOW_PLUS.search(code)
            if derived and _TIMER_WORDS.search(code):
                yield Hit(
                    "the countdown's deadline is computed from page-load time "
                    f"({derived.group(0).strip()[:60]}): every visitor gets a fresh deadline",
                    _timer_element(page) or script,
                    severity="error",
                )
                return
            reset = _RESET.search(code)
            if reset and _TIMER_WORDS.search(code):
                yield Hit(
                    "the countdown restarts when it reaches zero: the deadline is not real",
                    _timer_element(page) or script,
                    severity="error",
                )
                return
        source = page.source if isinstance(page.source, str) else ""
        if not (
            any(word in source for word in ("countdown", "Countdown", "timer", "Timer"))
            and _TIMER_ATTRIBUTE_HINT.search(source)
        ):
            names: tuple[str, ...] = ()
        else:
            names = ("div", "span", "p", "time", "strong")
        for name in names:
            for tag in page.elements(name):
                for attribute in tag.attrs:
                    if _RELATIVE_TIMER_ATTR.match(attribute) and (
                        _TIMER_CLASS.search(class_text(tag) + " " + str(tag.get("id")))
                        or "countdown" in attribute
                        or "timer" in attribute
                    ):
                        yield Hit(
                            f"the countdown is given as a duration ({attribute}="
                            f"{tag.get(attribute)!r}), so it starts anew on every page load",
                            tag,
                            severity="error",
                        )
                        return
        clocks = page.iter_matches(lexicon.COUNTDOWN_CLOCK, 250) if page.has_clock else iter(())
        for _match, block in [*page.iter_matches(lexicon.COUNTDOWN_TEXT, 250), *clocks]:
            if len(block.text) > 250:
                continue
            found = page.element_at(block.start + 1)
            yield Hit(
                "the page shows a countdown or deadline; verify that it counts to a real "
                "deadline that is the same for every visitor",
                found,
                snippet=block.text[:200],
            )
            return
        element = _showing_timer(page)
        if element is not None:
            yield Hit(
                "the page shows a countdown timer; verify that it counts to a real deadline",
                element,
            )


_MONEY_AFTER = re.compile(r"[.,]\d|\s?(?:[€£$¥]|eur\b|euro)", re.IGNORECASE)


def _counts_money(match: re.Match[str], text: str) -> bool:
    """Whether the number in a "plus que 15 / nur noch 15" match is an amount of money
    ("Plus que 15,50 € pour la livraison offerte"), not a number of items left."""
    for name, value in match.groupdict().items():
        if value and value.isdigit():
            return _MONEY_AFTER.match(text, match.end(name)) is not None
    return False


def _inventory_levels(page: Page) -> list[int]:
    levels: list[int] = []
    for offer in page.structured.of_type("Offer", "AggregateOffer"):
        level = offer.get("inventoryLevel")
        value: Any = level.get("value") if isinstance(level, dict) else level
        try:
            levels.append(int(str(value)))
        except (TypeError, ValueError):
            continue
    return levels


def _random_near(code: str, words: re.Pattern[str], window: int = 250) -> bool:
    for match in _RANDOM.finditer(code):
        around = code[max(0, match.start() - window) : match.end() + window]
        if words.search(around):
            return True
    return False


@register
class ScarcityClaim(Rule):
    id = "dark-scarcity-claim"
    severity = "warning"
    page_types = _ALL_PAGES
    summary = (
        "Low-stock and high-demand claims are true: an error when they contradict the markup "
        "or are randomised in script, otherwise a warning to verify."
    )
    why = (
        "'Only 2 left' and 'selling fast' push shoppers to decide now. When the number is "
        "invented, it is a misleading commercial practice; when it is real, it is useful — "
        "show it only when stock says so."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<p class="stock">Nog maar <span id="left">3</span> op voorraad!</p>'
        "<script>document.getElementById('left').textContent ="
        " 2 + Math.floor(Math.random() * 4); // stock left</script>"
    )
    passing = (
        '<h1>Fietstas</h1><p>€ 49,95</p><p class="stock">Op voorraad</p>'
        "<button>In winkelwagen</button>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        claims: list[tuple[re.Match[str], Any]] = []
        for pattern in (lexicon.LOW_STOCK, lexicon.HIGH_DEMAND):
            for match, block in page.iter_matches(pattern, 300):
                if len(block.text) <= 300 and not _counts_money(match, block.text):
                    claims.append((match, block))
        randomised = any(_random_near(code, _STOCK_WORDS) for _, code in page.inline_scripts)
        if not claims:
            if randomised and any(
                lexicon.LOW_STOCK.search(code) for _, code in page.inline_scripts
            ):
                script = next(s for s, c in page.inline_scripts if _random_near(c, _STOCK_WORDS))
                yield Hit(
                    "a script writes a randomised stock claim into the page",
                    script,
                    severity="error",
                )
            return
        numbers: set[int] = set()
        for match, _block in claims:
            groups = {k: v for k, v in match.groupdict().items() if v}
            numbers.update(int(v) for v in groups.values() if v.isdigit())
        levels = _inventory_levels(page)
        markup = ctx.facts.markup_availability
        match, block = claims[0]
        element = page.element_at(block.start + 1)
        snippet = block.text[:200]
        if randomised:
            yield Hit(
                "the scarcity claim is randomised in script (Math.random): it does not reflect "
                "real stock",
                element,
                snippet=snippet,
                severity="error",
            )
        elif levels and numbers and not numbers & set(levels):
            yield Hit(
                f"the page claims {', '.join(map(str, sorted(numbers)))} left but the "
                f"structured data's inventoryLevel is {', '.join(map(str, levels))}",
                element,
                snippet=snippet,
                severity="error",
            )
        elif len(numbers) > 1:
            yield Hit(
                f"the page makes contradicting stock claims ({', '.join(map(str, sorted(numbers)))}"
                " left)",
                element,
                snippet=snippet,
                severity="error",
            )
        elif markup in ("OutOfStock", "SoldOut", "PreOrder", "BackOrder") and numbers:
            yield Hit(
                f"the page claims limited stock but the structured data says {markup}",
                element,
                snippet=snippet,
                severity="error",
            )
        elif (
            ctx.policy is not None
            and numbers
            and max(numbers) <= ctx.policy.low_stock_threshold
            and lexicon.LOW_STOCK.search(snippet)
        ):
            yield Hit(
                "low-stock claim within the policy's low_stock_threshold; make sure it comes "
                "from live stock",
                element,
                snippet=snippet,
                severity="info",
            )
        else:
            yield Hit(
                "the page makes a scarcity or demand claim; verify that it reflects real stock "
                "or sales",
                element,
                snippet=snippet,
            )


@register
class SocialProof(Rule):
    id = "dark-social-proof"
    severity = "warning"
    page_types = _ALL_PAGES
    summary = (
        "No activity notifications such as '12 people are viewing this'; an error when the "
        "numbers are randomised in script."
    )
    why = (
        "Live-activity pop-ups are rarely live: many are generated from random numbers. "
        "Fake social proof is a misleading practice and, once noticed, costs the shop the "
        "trust it was meant to build."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<p class="viewers"><span id="n">14</span> mensen bekijken dit product</p>'
        "<script>document.getElementById('n').textContent = 8 + Math.floor(Math.random() * 20);"
        " // viewers</script>"
    )
    passing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<section class="reviews"><p>4,6 van 5 op basis van 23 beoordelingen</p></section>'
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        randomised = any(_random_near(code, _VIEWER_WORDS) for _, code in page.inline_scripts)
        for _match, block in page.iter_matches(lexicon.SOCIAL_PROOF, 300):
            element = page.element_at(block.start + 1)
            if randomised:
                yield Hit(
                    "activity notification with numbers drawn from Math.random",
                    element,
                    snippet=block.text[:200],
                    severity="error",
                )
            else:
                yield Hit(
                    "activity notification ('people are viewing / just bought'); verify it is "
                    "real, or remove it",
                    element,
                    snippet=block.text[:200],
                )
            return
        for _script, code in page.inline_scripts:
            if _random_near(code, _VIEWER_WORDS) and lexicon.SOCIAL_PROOF.search(code):
                yield Hit(
                    "a script shows activity notifications with numbers drawn from Math.random",
                    _script,
                    severity="error",
                )
                return
        if not randomised:
            return
        for name in ("div", "span", "p", "aside", "section"):
            for tag in page.elements(name):
                label = class_text(tag) + " " + str(tag.get("id") or "")
                if _SOCIAL_CLASS.search(label):
                    yield Hit(
                        "an activity-notification widget fed by random numbers",
                        tag,
                        severity="error",
                    )
                    return


@register
class PreselectedAddon(Rule):
    id = "dark-preselected-addon"
    severity = "error"
    page_types = _ALL_PAGES
    summary = (
        "No pre-ticked paid extras, insurance, donations or newsletter opt-ins: the shopper "
        "opts in."
    )
    why = (
        "The EU Consumer Rights Directive (art. 22) forbids inferring consent to extra "
        "payments from pre-ticked boxes, and the GDPR requires an active opt-in for marketing "
        "email. Shoppers who discover an extra on their invoice ask for their money back."
    )
    failing = (
        '<h1>Winkelwagen</h1><form><label><input type="checkbox" name="insurance" checked>'
        ' Verzendverzekering + € 2,95</label><label><input type="checkbox" name="news" '
        "checked> Ja, stuur mij de nieuwsbrief</label></form>"
    )
    passing = (
        '<h1>Winkelwagen</h1><form><label><input type="checkbox" name="insurance">'
        ' Verzendverzekering + € 2,95</label><label><input type="checkbox" name="news">'
        " Ja, stuur mij de nieuwsbrief</label></form>"
    )
    example_page_type = "cart"

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        for field in page.elements("input"):
            kind = str(field.get("type", "")).lower()
            if kind not in ("checkbox", "radio") or not field.has_attr("checked"):
                continue
            label = _label_text(page, field)
            if not label or (_OPT_OUT_WORDS.search(label) and not lexicon.PAID_EXTRA.search(label)):
                continue
            if kind == "radio" and _NO_THANKS_OPTION.search(label):
                continue
            names_extra = lexicon.PAID_EXTRA.search(label) is not None
            paid = names_extra or any(a.value > 0 for a in find_amounts(label, page.lang))
            if kind == "radio" and not (paid and self._has_free_sibling(page, field, names_extra)):
                continue
            if paid:
                yield Hit(f"pre-ticked paid extra: {label[:120]!r}", field, snippet=label[:200])
            elif lexicon.NEWSLETTER.search(label):
                yield Hit(
                    f"pre-ticked marketing opt-in: {label[:120]!r}", field, snippet=label[:200]
                )
        for select in page.elements("select"):
            options = select.find_all("option")
            chosen = next((o for o in options if o.has_attr("selected")), None)
            if chosen is None:
                continue
            text = " ".join(chosen.get_text(" ").split())
            free_option = any(
                _NO_THANKS_OPTION.search(" ".join(o.get_text(" ").split())) for o in options
            )
            paid = bool(lexicon.PAID_EXTRA.search(text)) and any(
                a.value > 0 for a in find_amounts(text, page.lang)
            )
            if free_option and paid:
                yield Hit(f"paid extra selected by default: {text[:120]!r}", select, snippet=text)

    @staticmethod
    def _has_free_sibling(page: Page, field: Tag, names_extra: bool) -> bool:
        """Whether the radio group offers a choice without the extra: "Geen verzekering"; or,
        when the checked option names an extra (insurance, gift wrap...), any option that
        does not ("Spedizione standard" next to the checked "Spedizione assicurata")."""
        name = field.get("name")
        for other in page.elements("input"):
            if other is field or other.get("name") != name:
                continue
            label = _label_text(page, other)
            if _NO_THANKS_OPTION.search(label):
                return True
            if names_extra and label and not lexicon.PAID_EXTRA.search(label):
                return True
        return False


@register
class Confirmshaming(Rule):
    id = "dark-confirmshaming"
    severity = "error"
    page_types = _ALL_PAGES
    summary = "Decline options do not shame the shopper ('No thanks, I prefer paying full price')."
    why = (
        "Guilt-tripping the shopper into accepting an offer is manipulative design; it annoys "
        "the people it is meant to persuade and reflects on the brand."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<div class="popup"><p>10% korting op je eerste bestelling?</p><button>Ja, graag</button>'
        '<a href="#" class="close">Nee, ik betaal liever de volle prijs</a></div>'
    )
    passing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<div class="popup"><p>10% korting op je eerste bestelling?</p><button>Ja, graag</button>'
        '<a href="#" class="close">Nee, bedankt</a></div>'
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        values = [
            str(tag.get("value") or "")
            for tag in page.elements("input")
            if str(tag.get("type", "")).lower() in ("button", "submit", "reset")
        ]
        if next(page.blocks_matching(lexicon.CONFIRMSHAMING, 300), None) is None and not any(
            lexicon.CONFIRMSHAMING.search(value) for value in values
        ):
            return  # no shaming words anywhere: no need to look at every button and link
        for tag in page.elements("a", "button", "label", "input", "span", "p", "div"):
            if tag.name == "input":
                if str(tag.get("type", "")).lower() not in ("button", "submit", "reset"):
                    continue
                text = str(tag.get("value") or "")
            elif tag.name in ("span", "p", "div"):
                if tag.get("role") != "button" and "close" not in class_text(tag):
                    continue
                text = page.text_of(tag)
            else:
                text = page.text_of(tag) if not page.is_hidden(tag) else ""
                if not text and tag.name == "button":
                    text = page.text_of(tag)
            if not text or len(text) > 160:
                continue
            if lexicon.DECLINE_START.search(text) and lexicon.CONFIRMSHAMING.search(text):
                yield Hit(f"decline option shames the shopper: {text!r}", tag, snippet=text)


def _fine_print(tag: Tag) -> bool:
    node: Any = tag
    for _ in range(4):
        if not isinstance(node, Tag):
            return False
        if node.name in ("small", "sup", "sub"):
            return True
        label = class_text(node) + " " + str(node.get("id") or "")
        if _FINE_PRINT_CLASS.search(label) or _TINY_FONT.search(str(node.get("style") or "")):
            return True
        node = node.parent
    return False


@register
class HiddenCosts(Rule):
    id = "dark-hidden-costs"
    severity = "warning"
    page_types = _ALL_PAGES
    summary = (
        "Extra fees (service, handling, administration) are stated with their amount up front, "
        "not in fine print or without an amount."
    )
    why = (
        "Costs that appear late or in small print are the first reason shoppers abandon a "
        "cart, and drip pricing is a misleading practice: the price shown should be the price "
        "paid."
    )
    failing = (
        "<h1>Fietstas</h1><p>€ 49,95*</p><button>In winkelwagen</button>"
        "<p><small>* Exclusief administratiekosten van € 3,50 per bestelling</small></p>"
    )
    passing = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        "<p>Geen servicekosten of andere toeslagen.</p>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        page = ctx.page
        for match, block in page.iter_matches(lexicon.FEE_WORDS, 300):
            if len(block.text) > 300:
                continue
            if re.search(
                r"\b(?:geen|no|keine?|aucun[se]?|pas de|sans|nessun[ae]?|senza|sin|"
                r"ning[úu]n[oa]?)\b"
                r"[^.]{0,20}$",
                block.text[: match.start()],
                re.I,
            ):
                continue
            element = page.element_at(block.start + match.start() + 1)
            amounts = [a for a in find_amounts(block.text, page.lang) if a.value > 0]
            if _fine_print(element):
                yield Hit(
                    "an extra fee is disclosed only in fine print; show it with the price",
                    element,
                    snippet=block.text[:200],
                    severity="error",
                )
            elif not amounts:
                yield Hit(
                    "an extra fee is mentioned without its amount",
                    element,
                    snippet=block.text[:200],
                )
            return
