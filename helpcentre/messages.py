"""The help centre's own sentences, per language.

Everything the help centre writes for a shopper (a shipping table's headers, the cut-off
sentence, "Was this helpful?", the contact nudge) comes from this catalogue, so a shop gets its
help centre in its own language. Numbers, prices, dates, weekday names and lists are never
written here: Babel formats them for the locale, and these templates only place them.

A language missing a key falls back to English, so a new language can be added one key at a
time; `missing_keys` tells a translator what is left.
"""

from __future__ import annotations

from babel import Locale

__all__ = ["LANGUAGES", "Messages", "messages_for", "missing_keys"]

_EN: dict[str, str] = {
    "free": "free",
    "transit_one": "{n} business day",
    "transit_many": "{n} business days",
    "transit_range": "{min}–{max} business days",
    "day_range": "{first} to {last}",
    "up_to_weight": "{rate} up to {weight} kg",
    "below_value": "{rate} for orders below {amount}",
    "otherwise": "{rate} otherwise",
    "express_option": "{name}: {rate} extra, {transit}",
    "surcharge": "{name} ({amount} surcharge)",
    "surcharge_percent": "{name} ({percent} surcharge)",
    "response_within": "reply within {duration}",
    "any_time": "any time",
    "closed": "closed",
    "cutoff_sentence": (
        "Order before {times} and we ship your parcel the same day. "
        "Orders placed later leave on the next working day."
    ),
    "cutoff_part": "{time} on {days}",
    "handling_sentence": "Your parcel leaves our warehouse {days} after that.",
    "closures_sentence": "Our warehouse is also closed on {dates}.",
    "table_destination": "Destination",
    "table_carrier": "Carrier",
    "table_rate": "Shipping cost",
    "table_free_from": "Free from",
    "table_transit": "Delivery time",
    "table_express": "Faster",
    "table_channel": "Channel",
    "table_hours": "Opening hours",
    "table_reach": "Reach us at",
    "not_offered": "—",
    "contact_email": "Email",
    "contact_phone": "Phone",
    "contact_chat": "Chat",
    "feedback_question": "Was this helpful?",
    "feedback_yes": "Yes",
    "feedback_no": "No",
    "feedback_thanks": "Thank you for your feedback!",
    "feedback_failed": "Sorry, your answer could not be sent. Please try again later.",
    "feedback_sorry": "Sorry this did not help. Our team is happy to answer your question:",
    "nudge_title": "Can't find what you are looking for?",
    "nudge_text": "Ask us directly:",
    "nudge_close": "Close",
    "open_until": "open until {time}",
    "opens_at": "opens {day} at {time}",
    "closed_now": "closed now",
    "kb_reviewed": "Last reviewed {date}",
    "kb_articles": "{count} articles",
    "kb_article": "{count} article",
    "kb_empty": "No articles in this category yet.",
    "kb_popular": "Most read",
    "kb_title": "Knowledge base",
    "site_name": "{shop} help centre",
    "search_dialog": "Search the help centre",
    "header_label": "Header",
    "tabs_label": "Tabs",
    "post_details": "About this post",
}

_NL: dict[str, str] = {
    "free": "gratis",
    "transit_one": "{n} werkdag",
    "transit_many": "{n} werkdagen",
    "transit_range": "{min}–{max} werkdagen",
    "day_range": "{first} t/m {last}",
    "up_to_weight": "{rate} tot {weight} kg",
    "below_value": "{rate} bij bestellingen onder {amount}",
    "otherwise": "anders {rate}",
    "express_option": "{name}: {rate} extra, {transit}",
    "surcharge": "{name} (toeslag {amount})",
    "surcharge_percent": "{name} (toeslag {percent})",
    "response_within": "antwoord binnen {duration}",
    "any_time": "altijd",
    "closed": "gesloten",
    "cutoff_sentence": (
        "Bestel je vóór {times}, dan versturen we je pakket dezelfde dag. "
        "Bestellingen daarna gaan de volgende werkdag de deur uit."
    ),
    "cutoff_part": "{time} op {days}",
    "handling_sentence": "Je pakket verlaat ons magazijn {days} daarna.",
    "closures_sentence": "Ons magazijn is ook gesloten op {dates}.",
    "table_destination": "Bestemming",
    "table_carrier": "Vervoerder",
    "table_rate": "Verzendkosten",
    "table_free_from": "Gratis vanaf",
    "table_transit": "Levertijd",
    "table_express": "Sneller",
    "table_channel": "Kanaal",
    "table_hours": "Openingstijden",
    "table_reach": "Bereikbaar via",
    "not_offered": "—",
    "contact_email": "E-mail",
    "contact_phone": "Telefoon",
    "contact_chat": "Chat",
    "feedback_question": "Was dit nuttig?",
    "feedback_yes": "Ja",
    "feedback_no": "Nee",
    "feedback_thanks": "Bedankt voor je reactie!",
    "feedback_failed": "Je reactie kon niet worden verstuurd. Probeer het later nog eens.",
    "feedback_sorry": "Jammer dat dit niet hielp. We beantwoorden je vraag graag zelf:",
    "nudge_title": "Kun je niet vinden wat je zoekt?",
    "nudge_text": "Vraag het ons direct:",
    "nudge_close": "Sluiten",
    "open_until": "open tot {time}",
    "opens_at": "opent {day} om {time}",
    "closed_now": "nu gesloten",
    "kb_reviewed": "Laatst nagekeken op {date}",
    "kb_articles": "{count} artikelen",
    "kb_article": "{count} artikel",
    "kb_empty": "Nog geen artikelen in deze categorie.",
    "kb_popular": "Meest gelezen",
    "kb_title": "Kennisbank",
    "site_name": "{shop} klantenservice",
    "search_dialog": "Zoeken in de klantenservice",
    "header_label": "Paginakop",
    "tabs_label": "Tabbladen",
    "post_details": "Over dit bericht",
}

_DE: dict[str, str] = {
    "free": "kostenlos",
    "transit_one": "{n} Werktag",
    "transit_many": "{n} Werktage",
    "transit_range": "{min}–{max} Werktage",
    "day_range": "{first} bis {last}",
    "up_to_weight": "{rate} bis {weight} kg",
    "below_value": "{rate} bei Bestellungen unter {amount}",
    "otherwise": "sonst {rate}",
    "express_option": "{name}: {rate} Aufpreis, {transit}",
    "surcharge": "{name} ({amount} Aufpreis)",
    "surcharge_percent": "{name} ({percent} Aufpreis)",
    "response_within": "Antwort innerhalb von {duration}",
    "any_time": "jederzeit",
    "closed": "geschlossen",
    "cutoff_sentence": (
        "Bestellen Sie vor {times}, versenden wir Ihr Paket noch am selben Tag. "
        "Spätere Bestellungen gehen am nächsten Werktag raus."
    ),
    "cutoff_part": "{time} am {days}",
    "handling_sentence": "Ihr Paket verlässt unser Lager {days} danach.",
    "closures_sentence": "Unser Lager ist außerdem am {dates} geschlossen.",
    "table_destination": "Ziel",
    "table_carrier": "Versanddienst",
    "table_rate": "Versandkosten",
    "table_free_from": "Kostenlos ab",
    "table_transit": "Lieferzeit",
    "table_express": "Schneller",
    "table_channel": "Kanal",
    "table_hours": "Öffnungszeiten",
    "table_reach": "Erreichbar über",
    "not_offered": "—",
    "contact_email": "E-Mail",
    "contact_phone": "Telefon",
    "contact_chat": "Chat",
    "feedback_question": "War das hilfreich?",
    "feedback_yes": "Ja",
    "feedback_no": "Nein",
    "feedback_thanks": "Danke für Ihr Feedback!",
    "feedback_failed": "Ihre Antwort konnte nicht gesendet werden. Bitte später erneut versuchen.",
    "feedback_sorry": "Schade, dass das nicht geholfen hat. Wir beantworten Ihre Frage gern:",
    "nudge_title": "Nicht gefunden, was Sie suchen?",
    "nudge_text": "Fragen Sie uns direkt:",
    "nudge_close": "Schließen",
    "open_until": "geöffnet bis {time}",
    "opens_at": "öffnet {day} um {time}",
    "closed_now": "jetzt geschlossen",
    "kb_reviewed": "Zuletzt geprüft am {date}",
    "kb_articles": "{count} Artikel",
    "kb_article": "{count} Artikel",
    "kb_empty": "Noch keine Artikel in dieser Kategorie.",
    "kb_popular": "Am meisten gelesen",
    "kb_title": "Wissensdatenbank",
    "site_name": "{shop} Hilfe-Center",
    "search_dialog": "Im Hilfe-Center suchen",
    "header_label": "Kopfzeile",
    "tabs_label": "Registerkarten",
    "post_details": "Über diesen Beitrag",
}

_HE: dict[str, str] = {
    "free": "חינם",
    "transit_one": "יום עסקים {n}",
    "transit_many": "{n} ימי עסקים",
    "transit_range": "{min}–{max} ימי עסקים",
    "day_range": "{first} עד {last}",
    "up_to_weight": "{rate} עד {weight} ק״ג",
    "below_value": "{rate} להזמנות מתחת ל־{amount}",
    "otherwise": "אחרת {rate}",
    "express_option": "{name}: תוספת {rate}, {transit}",
    "surcharge": "{name} (תוספת {amount})",
    "surcharge_percent": "{name} (תוספת {percent})",
    "response_within": "מענה תוך {duration}",
    "any_time": "בכל עת",
    "closed": "סגור",
    "cutoff_sentence": (
        "הזמנה לפני {times} יוצאת אליכם באותו היום. הזמנות מאוחרות יותר יוצאות ביום העבודה הבא."
    ),
    "cutoff_part": "{time} ב{days}",
    "handling_sentence": "החבילה יוצאת מהמחסן {days} לאחר מכן.",
    "closures_sentence": "המחסן סגור גם בתאריכים {dates}.",
    "table_destination": "יעד",
    "table_carrier": "חברת שילוח",
    "table_rate": "דמי משלוח",
    "table_free_from": "חינם החל מ־",
    "table_transit": "זמן אספקה",
    "table_express": "מהיר יותר",
    "table_channel": "ערוץ",
    "table_hours": "שעות פעילות",
    "table_reach": "איך פונים",
    "not_offered": "—",
    "contact_email": "דוא״ל",
    "contact_phone": "טלפון",
    "contact_chat": "צ׳אט",
    "feedback_question": "האם זה עזר?",
    "feedback_yes": "כן",
    "feedback_no": "לא",
    "feedback_thanks": "תודה על המשוב!",
    "feedback_failed": "לא הצלחנו לשלוח את התשובה. נסו שוב מאוחר יותר.",
    "feedback_sorry": "חבל שזה לא עזר. נשמח לענות לכם ישירות:",
    "nudge_title": "לא מצאתם את מה שחיפשתם?",
    "nudge_text": "שאלו אותנו ישירות:",
    "nudge_close": "סגירה",
    "open_until": "פתוח עד {time}",
    "opens_at": "נפתח ביום {day} בשעה {time}",
    "closed_now": "סגור כעת",
    "kb_reviewed": "נבדק לאחרונה ב־{date}",
    "kb_articles": "{count} מאמרים",
    "kb_article": "מאמר {count}",
    "kb_empty": "אין עדיין מאמרים בקטגוריה זו.",
    "kb_popular": "הנקראים ביותר",
    "kb_title": "מאגר ידע",
    "site_name": "מרכז העזרה של {shop}",
    "search_dialog": "חיפוש במרכז העזרה",
    "header_label": "כותרת עליונה",
    "tabs_label": "לשוניות",
    "post_details": "על הפוסט",
}

_CATALOGUE: dict[str, dict[str, str]] = {"en": _EN, "nl": _NL, "de": _DE, "he": _HE}

LANGUAGES: tuple[str, ...] = tuple(_CATALOGUE)
"""Languages with a complete catalogue."""


class Messages:
    """The sentences for one locale; `get(key, **values)` fills in Babel-formatted values."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.language = Locale.parse(locale).language
        self._own = _CATALOGUE.get(self.language, {})

    def get(self, key: str, /, **values: object) -> str:
        """The sentence `key` in this language (English when untranslated), filled in."""
        template = self._own.get(key) or _EN[key]
        return template.format(**values) if values else template

    def as_dict(self, keys: list[str]) -> dict[str, str]:
        """Unfilled templates for `keys`, for the browser script to fill in."""
        return {key: self._own.get(key) or _EN[key] for key in keys}


def messages_for(locale: str) -> Messages:
    """The catalogue for `locale` ("nl_BE" uses the Dutch sentences)."""
    return Messages(locale)


def missing_keys(language: str) -> list[str]:
    """Keys a translator still has to write for `language`."""
    own = _CATALOGUE.get(language, {})
    return [key for key in _EN if key not in own]
