"""The words that tell the promise checks what a number in a sentence is about.

Numbers, units and currencies come from libraries: Babel (CLDR) gives each language's words
for days, hours and weeks (including Hebrew's dual forms such as יומיים, "two days") and the
currency's symbol and names; text2num turns spelled-out numbers into digits ("dertig dagen" is
30 days). What no library holds is which words signal a *topic* — returns, shipping, dispatch,
delivery, replies — so those live here, one `Vocabulary` per language.

Each entry is a regular-expression fragment matched case-insensitively at the start of a word,
so a stem such as ``retour`` also finds "retourneren" and "retourlabel". Hebrew attaches
prepositions and the article to the next word (והחזרה, "and the return"), so its entries may
be preceded by up to three of those prefix letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

__all__ = ["LANGUAGES", "Vocabulary", "vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    returns: tuple[str, ...]
    shipping: tuple[str, ...]
    free: tuple[str, ...]
    not_free: tuple[str, ...]  # phrases where the "free" word does not mean "at no cost"
    dispatch: tuple[str, ...]
    same_day: tuple[str, ...]
    delivery: tuple[str, ...]
    reply: tuple[str, ...]
    contact: tuple[str, ...]  # opening hours: "call us from 9:00 to 17:00" is no cut-off
    # Words right before "N <hour word>" that make it a clock time ("voor 16 uur"), for
    # languages whose hour word is also the duration word.
    clock_before: tuple[str, ...] = ()
    clock_after: tuple[str, ...] = ()  # words after a number that make it a clock time
    range_words: tuple[str, ...] = ("-", "–")
    prefix: str = ""  # letters a word may carry in front of a topic word (Hebrew)
    extra_day_words: tuple[str, ...] = ()  # day words CLDR lacks (Hebrew construct ימי)

    def pattern(self, words: tuple[str, ...]) -> regex.Pattern[str]:
        return _compile(words, self.prefix)


@cache
def _compile(words: tuple[str, ...], prefix: str) -> regex.Pattern[str]:
    if not words:
        return regex.compile(r"(?!)")
    body = "|".join(sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){prefix}(?:{body})", regex.IGNORECASE)


LANGUAGES: dict[str, Vocabulary] = {
    "nl": Vocabulary(
        returns=(
            "retour",
            "terugstur",
            "terug te sturen",
            "terugzend",
            "terug sturen",
            "ruil",
            "omruil",
            "bedenktijd",
            "herroep",
            "geld terug",
            "terugbetaal",
            "terugbetaling",
        ),
        shipping=(
            "verzend",
            "verzending",
            "verzonden",
            "bezorgkosten",
            "leveringskosten",
            "porto",
            "verstuur",
        ),
        free=("gratis", "kosteloos", "zonder kosten", "zonder extra kosten", "voor niets"),
        not_free=(),
        dispatch=(
            "bestel",
            "besteld",
            "verzonden",
            "verstuurd",
            "verzenden",
            "versturen",
            "de deur uit",
            "vertrek",
            "ingepakt",
        ),
        same_day=(
            r"dezelfde dag",
            r"zelfde dag",
            r"vandaag nog",
            r"vandaag (?:verzonden|verstuurd)",
            r"nog dezelfde dag",
            r"diezelfde dag",
        ),
        delivery=(
            "geleverd",
            "bezorgd",
            "levering",
            "bezorging",
            "levertijd",
            "in huis",
            "op de mat",
            "in je brievenbus",
            "in de brievenbus",
            "ontvang",
            "aankom",
        ),
        reply=(
            "antwoord",
            "reactie",
            "reageer",
            "reageren",
            "beantwoord",
            "horen van ons",
            "terug van ons",
        ),
        contact=("bel", "telefo", "chat", "bereikbaar", "geopend", "open", "spreekuur"),
        clock_before=("voor", "vóór", "om", "tot", "uiterlijk", "na", "vanaf"),
        range_words=("-", "–", "tot", "à", "a"),
    ),
    "en": Vocabulary(
        returns=(
            "return",
            "refund",
            r"send (?:it |them |your order |the item |items )?back",
            "exchange",
            "money back",
            "cooling-off",
            "cooling off",
        ),
        shipping=("shipping", "postage", "delivery cost", "delivery charge", "delivery fee"),
        free=("free", "no charge", "at no cost", "on us", "without charge"),
        not_free=("feel free", "free to ", "hassle-free", "worry-free", "stress-free"),
        dispatch=(
            "order",
            "ship",
            "dispatch",
            "sent",
            "send",
            "leaves",
            "leave our",
            "packed",
            "goes out",
        ),
        same_day=(
            r"same[- ]day",
            r"ships? today",
            r"(?:dispatched|sent|shipped) today",
            r"the day you order",
            r"leaves? (?:us |our warehouse )?today",
        ),
        delivery=(
            "deliver",
            "arriv",
            "at your door",
            "on your doormat",
            "in your letterbox",
            "in your mailbox",
            "receive",
            "lead time",
        ),
        reply=("repl", "respond", "response", "answer", "hear back", "get back to you"),
        contact=("call", "phone", "chat", "reach", "open", "available"),
        clock_after=("am", "pm", "a.m.", "p.m.", "o'clock"),
        range_words=("-", "–", "to", "or"),
    ),
    "de": Vocabulary(
        returns=(
            "rückgabe",
            "rücksend",
            "retour",
            "zurücksend",
            "zurückschick",
            "zurückgeben",
            "umtausch",
            "umtausch",
            "widerruf",
            "rückerstatt",
            "geld zurück",
        ),
        shipping=("versand", "porto", "lieferkosten", "zustellkosten", "versendet"),
        free=("kostenlos", "gratis", "versandkostenfrei", "kostenfrei", "ohne kosten"),
        not_free=(),
        dispatch=(
            "bestell",
            "versand",
            "verschickt",
            "versendet",
            "verschicken",
            "versenden",
            "verlässt",
            "gepackt",
        ),
        same_day=(
            r"am (?:selben|gleichen) tag",
            r"noch heute",
            r"heute (?:versandt|verschickt)",
            r"taggleich",
        ),
        delivery=(
            "geliefert",
            "lieferung",
            "zugestellt",
            "zustellung",
            "lieferzeit",
            "bei dir",
            "bei ihnen",
            "ankomm",
            "erhält",
            "erhältst",
        ),
        reply=("antwort", "beantwort", "reagier", "rückmeldung", "melden uns"),
        contact=("anruf", "telefon", "chat", "erreichbar", "geöffnet", "ruf"),
        clock_after=("uhr",),
        range_words=("-", "–", "bis"),
    ),
    "he": Vocabulary(
        returns=("החזר", "להחזיר", "החלפ", "להחליף", "ביטול עסקה", "זיכוי"),
        shipping=("משלוח", "דמי משלוח"),
        free=("חינם", "בחינם", "ללא עלות", "ללא תשלום"),
        not_free=(),
        dispatch=("הזמנ", "נשלח", "יוצא", "יוצאת", "שולח", "שולחים"),
        same_day=("באותו יום", "באותו היום", "עוד היום"),
        delivery=("יגיע", "מגיע", "אספקה", "יסופק", "עד הבית", "עד הדלת"),
        reply=("תשובה", "נענה", "עונים", "נחזור", "מענה", "מגיבים"),
        contact=("טלפון", "צ'אט", "זמינים", "פתוחים", "התקשר"),
        clock_before=("עד", "לפני", "עד השעה", "לפני השעה"),
        range_words=("-", "–", "עד"),
        prefix="[ובהלמשכ]{0,3}",
        extra_day_words=("ימי",),
    ),
}


def _union() -> Vocabulary:
    def merged(name: str) -> tuple[str, ...]:
        out: list[str] = []
        for vocab in LANGUAGES.values():
            out.extend(getattr(vocab, name))
        return tuple(dict.fromkeys(out))

    fields = (
        "returns", "shipping", "free", "not_free", "dispatch", "same_day", "delivery",
        "reply", "contact", "clock_before", "clock_after", "range_words", "extra_day_words",
    )  # fmt: skip
    return Vocabulary(**{name: merged(name) for name in fields}, prefix="[ובהלמשכ]{0,3}")


def vocabulary(language: str) -> Vocabulary:
    """The vocabulary for a Babel locale ("nl_BE" uses "nl"); every language's words at once
    for a language without its own vocabulary."""
    base = language.split("_")[0]
    found = LANGUAGES.get(base)
    return found if found is not None else _UNION


_UNION = _union()
