"""Urgency: countdown timers and limited-time messages (Mathur et al. 2019, "Urgency").

A countdown to a real deadline (an order cut-off, a sale that really ends on Sunday) is
information; one computed from page-load time, given as a duration, or that restarts at zero
is invented — the EU's Unfair Commercial Practices Directive blacklists falsely stating that an
offer is available only for a very limited time. The page proves the trick only in its script;
otherwise the finding is a warning to verify. A limited-time message without a clock ("today
only", "nur heute", "רק היום") cannot be verified from the page: always a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.dark_patterns.phrases import el, he, is_a_name, phrases
from defenceline.checks.dark_patterns.scarcity import STOCK_CLAIMS
from defenceline.checks.dark_patterns.social import VIEWER_COUNTS
from defenceline.checks.page import Block, Page, class_text
from defenceline.checks.registry import Context, Hit, register

__all__ = ["COUNTDOWN_PHRASES", "LIMITED_TIME"]

# A time left: "2 hrs 14 mins", "2 Std. 14 Min.", "09:58", "02:14:33", "10 minutes", "3 דקות".
_UNIT = (
    r"(?:h|hrs?|hours?|uur|u|std|stunden?|heures?|ore|horas?|min|mins|minut\w*|m|sec\w*|s|"
    r"sek\w*|seg\w*|secondi|dagen|days?|tage?n?|jours?|giorni|d[íi]as|dias?|d|j|"
    r"שעות|שעה|דקות|דקה|שניות|ימים|יום|ч|час\w*|мин\w*|сек\w*|дн\w*|день|godz\w*|dni|dzie[ńn]|"
    r"tim\w*|dag\w*|dygn|ώρ\w*|λεπτ\w*|δευτ\w*|ημέρ\w*|μέρ\w*)\.?"
)
_DURATION = (
    rf"(?:\d{{1,2}}\s*:\s*\d{{2}}(?:\s*:\s*\d{{2}})?|\d{{1,3}}\s*{_UNIT}(?![\w])"
    rf"(?:[\s,]*(?:and|en|und|et|e|y|ו|и|i|och|και)?\s*\d{{1,3}}\s*{_UNIT}(?![\w])){{0,3}})"
)
# Hours, minutes and seconds only: "30 days left" is a returns period, not a countdown.
# (Not a bare "m", "s" or "u": "nog 2 m op voorraad" is fabric by the metre.)
_SHORT_UNIT = (
    r"(?:h|hrs?|hours?|uur|std|stunden?|heures?|ore|horas?|min|mins|minut\w*|sec\w*|"
    r"sek\w*|seg\w*|secondi|שעות|שעה|דקות|דקה|שניות|ч|час\w*|мин\w*|сек\w*|godz\w*|tim\w*|"
    r"ώρ\w*|λεπτ\w*|δευτ\w*)\.?"
)
_SHORT = (
    rf"(?:\d{{1,2}}\s*:\s*\d{{2}}(?:\s*:\s*\d{{2}})?|\d{{1,3}}\s*{_SHORT_UNIT}(?![\w])|"
    rf"\d{{1,2}}\s*[uh]\s*\d{{1,2}}\s*m(?:in)?\b)"
)

COUNTDOWN_PHRASES = phrases(
    # An offer that ends: "Aanbieding eindigt over", "Offer ends in 02:14:33".
    r"\b(?:aanbieding|actie|deal|korting|sale|uitverkoop|prijs)\b[^\n]{0,30}\b(?:eindigt|"
    r"verloopt|loopt af)\b",
    r"\b(?:offer|deal|sale|discount|price|promotion|promo|coupon|code|savings?)\b[^\n]{0,30}"
    r"\b(?:ends|expires|ending|expiring)\b",
    r"\b(?:angebot|aktion|deal|rabatt|sale|preis|gutschein)\b[^\n]{0,30}\b(?:endet|l[äa]uft "
    r"(?:in|ab|noch)|gilt noch)\b",
    r"\b(?:offre|promo(?:tion)?|vente|soldes?|remise|r[ée]duction|prix)\b[^\n]{0,30}"
    r"\b(?:se termine|expire|prend fin|termine|finit)\b",
    r"\b(?:offerta|promozione|promo|sconto|saldi|prezzo)\b[^\n]{0,30}\b(?:termina|scade|"
    r"finisce)\b",
    r"\b(?:oferta|promoci[óo]n|promo|descuento|rebajas|precio)\b[^\n]{0,30}\b(?:termina|"
    r"acaba|expira|finaliza|caduca)\b",
    r"\b(?:oferta|promo[çc][ãa]o|promo|desconto|liquida[çc][ãa]o|pre[çc]o|cupom|black "
    r"friday)\b[^\n]{0,30}\b(?:termina|acaba|expira|encerra|vence)\b",
    # Something that ends or expires in a time left: "ends in 02:14:33", "endet in 2 Std.".
    rf"\b(?:ends?|ending|expires?|expiring|closes?|eindigt|verloopt|sluit|endet|l[äa]uft ab|"
    rf"se termine|expire|termine|prend fin|termina|scade|finisce|acaba|expira|finaliza|caduca|"
    rf"encerra)\s+(?:in|within|over|binnen|dans|tra|fra|en|em)\s+{_DURATION}",
    rf"{he('מסתיים', 'מסתיימת', 'נגמר', 'נגמרת', 'פג', 'יסתיים')}\s+{he('בעוד')}\s+{_DURATION}",
    # The noun: "Fin de l'offre dans 3 j 14 h", "Ende des Angebots in 2 Std.".
    rf"\b(?:fin de (?:l'offre|la promo(?:tion)?|la vente|l'op[ée]ration|des soldes)|ende "
    rf"(?:des angebots|der aktion|des sales)|fine (?:dell')?offerta|fin de la (?:oferta|"
    rf"promoci[óo]n)|einde (?:van de )?(?:actie|aanbieding|deal)|end of (?:the )?(?:sale|"
    rf"offer|deal))\s*:?\s*(?:in|dans|tra|fra|en|over)?\s*{_DURATION}",
    rf"{he('מבצע', 'הצעה', 'הנחה')}[^\n]{{0,30}}{he('מסתיים', 'מסתיימת', 'נגמר', 'יסתיים')}",
    # Russian, Polish, Swedish, Greek: "Акция закончится через 2 ч", "До конца акции: 02:14:33",
    # "Oferta kończy się za 02:14:33", "Erbjudandet slutar om 3 tim", "Η προσφορά λήγει σε 2 ώρες".
    rf"\b(?:заканчивается|закончится|завершится|истекает|истечет|истечёт)\s+через\s+{_DURATION}|"
    rf"\bдо (?:конца|окончания) (?:акции|распродажи|предложения|скидки)\b[^\n]{{0,20}}{_DURATION}|"
    rf"\b(?:ko[ńn]czy si[ęe]|wygasa|up[łl]ywa)\s+za\s+{_DURATION}|\bdo ko[ńn]ca "
    rf"(?:promocji|oferty|wyprzeda[żz]y)\b[^\n]{{0,20}}{_DURATION}|\b(?:slutar|"
    rf"upph[öo]r)\s+om\s+{_DURATION}|\b(?:kampanjen|erbjudandet|rean) (?:slutar|tar slut) om\b|"
    rf"\b(?:{el('λήγει')}|{el('τελειώνει')})\s+(?:{el('σε')}|{el('σε')} )\s*{_DURATION}|"
    rf"\b(?:осталось|pozosta[łl]o|tid kvar|{el('απομένουν')})\s*:?\s*{_SHORT}",
    # A reservation that lapses: "your order is reserved for 09:58 minutes".
    rf"\b(?:reserved|held|saved|kept|locked|frozen|guaranteed)\s+(?:for\s+(?:you\s+)?)?"
    rf"(?:for\s+)?(?:the\s+next\s+)?"
    rf"{_DURATION}",
    rf"\b(?:gereserveerd|vastgehouden)\s+(?:voor\s+(?:je|jou|u)\s+)?(?:voor|gedurende|nog)\s+"
    rf"{_DURATION}",
    rf"\b(?:reserviert|gesichert)\s+(?:f[üu]r\s+(?:dich|sie)\s+)?(?:f[üu]r|noch)\s+{_DURATION}",
    rf"\br[ée]serv[ée]e?s?\s+(?:pour\s+vous\s+)?(?:pendant|pour|encore)\s+{_DURATION}",
    rf"\b(?:riservat[oaie]|bloccat[oaie])\s+(?:per\s+te\s+)?(?:per|ancora)\s+{_DURATION}",
    rf"\breservad[oa]s?\s+(?:para\s+(?:ti|voc[êe])\s+)?(?:durante|por|otros|mais)\s+"
    rf"{_DURATION}",
    rf"{he('שמור', 'שמורה', 'שמורים', 'נשמר', 'נשמרת', 'שמורות')}[^\n]{{0,20}}"
    rf"(?:{he('למשך')}\s+|ל-?\s*){_DURATION}",
    # A clock labelled as time left: "Nog 02:14:33", "Noch 2 Std. 14 Min.", "Time left: 09:58".
    rf"\b(?:time left|time remaining|remaining time|only|still|nog|nog maar|resterende tijd|"
    rf"noch|restzeit|verbleibende zeit|encore|plus que|temps restant|ancora|mancano|"
    rf"tempo rimanente|quedan|tiempo restante|restam|faltam|tempo restante)\s*:?\s*{_SHORT}",
    rf"{_SHORT}\s+(?:left|remaining|resterend|verbleibend|übrig|restant(?:es)?|"
    rf"rimanenti|restantes)\b",
    rf"{he('נותרו', 'נשארו', 'נותר', 'נשאר', 'זמן')}\s*:?\s*{_SHORT}",
    # "Only 2 days left!", "2 days left to save": days count only with an "only" or a purpose.
    r"\b(?:only|just) \d{1,2} (?:days?|hours?) left\b|\b\d{1,2} (?:days?|hours?) left "
    r"(?:to (?:save|order|buy|shop|get)|in (?:the|this) sale|at this price)\b|"
    r"\bnog (?:maar )?\d{1,2} dag(?:en)? (?:te gaan|geldig)\b|\bnur noch \d{1,2} tage?\b|"
    r"\bplus que \d{1,2} jours?\b|\bsolo \d{1,2} giorni\b|\bs[óo]lo quedan \d{1,2} d[íi]as\b",
    rf"\bprices? (?:increases?|goes up|rises?|will (?:increase|go up|rise)) in {_DURATION}",
    rf"\b(?:only|available|valid|offer|deal|price|discount|sale|free|shipping)\b[^\n]{{0,30}}"
    rf"\bfor the next "
    rf"{_SHORT}",
    # Amazon-style deal progress: "72% claimed".
    r"\b\d{1,3}\s?% (?:claimed|geclaimd|beansprucht|r[ée]clam[ée]s?|richiesto|reclamado)\b",
    # "Order within 2 hrs 14 mins", "Ordina entro 2 ore e 14 minuti" — a time left, not
    # "made to order, dispatched within 3–5 working days".
    # A clock after an article is a time of day ("entro le 14:00"), not a time left.
    r"\b(?:bestel|order|bestellen sie|bestelle|commandez|commande|ordina|pide|p[íi]delo|"
    r"compra|c[óo]mpralo|buy|koop|kaufe)\b[^\n]{0,25}\b(?:binnen|within|in|innerhalb(?: de[rn]|"
    r" von)?|dans les|d'ici|entro|en las pr[óo]ximas|en)\s+(?:(?:(?:de|le|las|les|the next)\s+)?"
    r"\d+\s*(?:h\b|hrs?\b|hours?\b|uur\b|u\b|std\b|stunden\b|heures?\b|ore\b|horas?\b|"
    r"min\b|mins\b|minut\w*)|\d{1,2}\s*:\s*\d{2}\b(?!\s*(?:uur|u|h|hrs|uhr|heures)\b))",
    rf"{he('הזמינו', 'הזמן', 'הזמיני')}\s+{he('תוך', 'בתוך', 'בעוד')}\s+"
    r"(?:\d|(?:שעתיים|שעה|חצי שעה)(?!\w))",
    # The verb after the time left, as German and Dutch subordinate clauses put it: "wenn du
    # innerhalb von 4 Std. 9 Min. bestellst", "als je binnen 2 uur bestelt".
    rf"\b(?:innerhalb(?: von| der n[äa]chsten)?|binnen|within|in the next)\s+{_SHORT}"
    r"[^\n]{0,30}\b(?:bestellst|bestellen|bestellt|bestelt|bestel|besteld|order|place your "
    r"order)\b",
    # Every countdown shows a number (a clock or a time left): blocks without one are skipped.
    gate=r"\d",
    unspaced=(
        r"(?:終了|締め切り|締切)まで(?:あと|残り)?\s*\d",
        r"残り時間",
        r"あと\s*\d+\s*(?:時間|分|秒)",
        r"\d+\s*時間\s*(?:\d+\s*分)?以内に(?:ご)?注文",
    ),
    needles=("まで", "残り時間", "あと", "以内に"),
)

# A running clock: "00:14:59", "2u 14m 09s".
_CLOCK = re.compile(
    r"\b\d{1,2}\s*:\s*\d{2}\s*:\s*\d{2}\b"
    r"|\b\d{1,2}\s*(?:u|h|uur|std|hrs?)\.?\s*\d{1,2}\s*(?:m|min)\.?\s*\d{1,2}\s*(?:s|sec)\b",
    re.IGNORECASE,
)

LIMITED_TIME = phrases(
    r"\b(?:alleen|enkel|slechts) (?:vandaag|dit weekend|vannacht|nu|deze week)\b|"
    r"\b(?:geldt|geldig|loopt) (?:maar|slechts|nog maar) (?:kort|even|heel even)\b|"
    r"\bwacht niet te lang\b|\bslechts \d{1,2} (?:uur|dagen)\b|"
    r"\bvandaag (?:alleen|nog|pas)\b|\btijdelijke? (?:aanbieding|actie|korting|prijs|deal)\b|"
    r"\b(?:voor|gedurende) (?:een )?(?:korte|beperkte) tijd\b|\bbeperkte tijd\b|"
    r"\blaatste kans\b|\bwees er snel bij\b|\bnu of nooit\b|\bmis (?:het|deze "
    r"(?:deal|aanbieding|kans)) niet\b|\b(?:eindigt|stopt|verloopt) (?:vandaag|vannacht|"
    r"om middernacht|binnenkort|snel|morgen)\b|\blaatste uren\b|\bnog maar even\b|"
    r"\b(?:voor|slechts|maar|alleen) (?:(?:voor )?een )?korte tijd\b|"
    # "While you still can": the offer is said to be about to go, without a date.
    r"\b(?:nu|zolang) het nog kan\b|\bwhile you (?:still )?can\b|\bsolange (?:es|du) "
    r"noch (?:geht|kannst)\b|\btant qu'il est encore temps\b|\bfinch[ée] sei in tempo\b|"
    r"\bmientras (?:puedas|a[úu]n puedas)\b",
    r"\btoday only\b|\bonly today\b|\bone day only\b|\b(?:24|48|72) hours only\b|"
    r"\b(?:this weekend|tonight|this week) only\b|\bonly (?:this weekend|tonight)\b|"
    r"\blimited[- ]time\b|\blimited offer\b|\bfor a limited time\b|\bfor a short time(?: only)?\b|"
    r"\blast chance\b|\blast call\b|\bfinal hours\b|\bhurry\b|\bdon'?t miss (?:out|it|this)\b|"
    r"\bdon'?t wait\b|\b(?:sale|offer|deal|promotion) (?:wraps up|is almost over)\b|"
    r"\b(?:won'?t|will not) last(?: long)?\b|\bduurt niet lang\b|\bnicht mehr lange\b|"
    r"\bne durera pas\b|\bnon durer[àa]\b|\bno durar[áa]\b|"
    r"\blast day to (?:save|shop|order|buy|get)\b|\b\d{1,2}-hours? (?:flash )?(?:sale|deal|"
    r"event)\b|"
    r"\b(?:ends|expires|ending)\b[^.\n]{0,25}\b(?:tonight|at midnight)\b|"
    r"\bact (?:now|fast)\b|\bbefore it'?s (?:too late|gone)\b|\b(?:ends|expires) "
    r"(?:soon|today|tonight|tomorrow|at midnight)\b|\bprice (?:goes|will go) up\b|"
    r"\bonly (?:until|till) (?:midnight|tonight|the end of the day)\b|"
    r"\bonly for \d{1,2} (?:hours|days)\b|\bfor \d{1,2} hours only\b|\bnow or never\b|"
    r"\bwhile (?:it|they) lasts?\b|\b(?:only )?available (?:only )?today\b|"
    r"\bends? (?:at )?midnight\b|\bprice (?:increases|rises|goes up) (?:soon|tomorrow|on|in)\b|"
    r"\bdeal of the day\b|\bdaily deal\b",
    r"\bnur \d{1,2} (?:stunden|tage)\b|\bnur (?:noch )?(?:heute|morgen|dieses wochenende|"
    r"diese woche|f[üu]r kurze zeit)\b|"
    r"\bheute nur\b|\b(?:f[üu]r )?kurze zeit\b|\bzeitlich begrenzt\w*\b|\bbegrenzte zeit\b|"
    r"\bletzte chance\b|\bschnell sein\b|\bschnell zugreifen\b|\bjetzt zuschlagen\b|"
    r"\bnicht verpassen\b|\b(?:endet|gilt nur) (?:heute|bald|morgen|um mitternacht|bis "
    r"mitternacht)\b|\bletzte stunden\b|\bnur f[üu]r kurze\b",
    r"\bpendant \d{1,2} ?(?:h|heures|jours) seulement\b|\baujourd'hui seulement\b|"
    r"\bseulement aujourd'hui\b|\buniquement aujourd'hui\b|"
    r"\boffre limit[ée]e\b|\b(?:[àa]|pour une) dur[ée]e limit[ée]e\b|\btemps limit[ée]\b|"
    r"\bpour (?:un )?temps limit[ée]\b|\bderni[èe]re chance\b|\bd[ée]p[êe]chez-vous\b|"
    r"\bne (?:la |le |les )?(?:ratez|manquez) pas\b|\b(?:se termine|finit|expire) (?:ce soir|"
    r"bient[ôo]t|aujourd'hui|demain|[àa] minuit)\b|\bderni[èe]res heures\b|\bjusqu'[àa] "
    r"minuit\b|\bce week-end seulement\b",
    r"\bsolo per \d{1,2} (?:ore|giorni)\b|\bsolo (?:per )?oggi\b|\boggi soltanto\b|"
    r"\bsoltanto oggi\b|\bofferta limitata\b|"
    r"\bofferta a tempo\b|\btempo limitato\b|\bper (?:un )?(?:tempo limitato|poco tempo)\b|"
    r"\bultima (?:occasione|possibilit[àa]|chiamata)\b|\baffrettati\b|\baffrettatevi\b|"
    r"\bnon (?:fartel[ao]|lasciartel[ao]) scappare\b|\bnon perdere\b|\b(?:termina|scade|finisce) "
    r"(?:oggi|stasera|a mezzanotte|presto|domani)\b|\bultime ore\b|\bsolo questo weekend\b",
    r"\bs[óo]lo (?:durante |por )?\d{1,2} (?:horas|d[íi]as)\b|\bs[óo]lo (?:por )?hoy\b|"
    r"\bhoy s[óo]lo\b|\b[úu]nicamente hoy\b|\boferta limitada\b|"
    r"\b(?:oferta )?por tiempo limitado\b|\btiempo limitado\b|\bpor poco tiempo\b|"
    r"\b[úu]ltima (?:oportunidad|ocasi[óo]n|llamada)\b|\bdate prisa\b|\bdaos prisa\b|"
    r"\bno te lo pierdas\b|\bno (?:la|lo) dejes escapar\b|\b(?:termina|acaba|expira) "
    r"(?:hoy|esta noche|a medianoche|pronto|ma[ñn]ana)\b|\b[úu]ltimas horas\b|"
    r"\bs[óo]lo este fin de semana\b",
    r"\b(?:s[óo]|somente|apenas) (?:hoje|amanh[ãa]|neste fim de semana|este fim de semana|"
    r"por \d{1,2} (?:horas|dias))\b|\bhoje s[óo]\b|\boferta (?:por tempo )?limitada\b|"
    r"\b(?:por|durante) (?:um )?tempo limitado\b|\bpor pouco tempo\b|\b[úu]ltima "
    r"(?:chance|oportunidade)\b|\b[úu]ltimas horas\b|\bcorra\b|\bn[ãa]o (?:perca|deixe "
    r"passar)\b|\baproveite antes que (?:acabe|termine)\b|\b(?:termina|acaba|encerra) "
    r"(?:hoje|amanh[ãa]|[àa] meia-noite|em breve)\b|\bs[óo] at[ée] (?:hoje|[àa] "
    r"meia-noite)\b|\boferta rel[âa]mpago\b",
    rf"{he('היום')}\s+{he('בלבד')}|\bרק\s+{he('היום', 'הערב', 'הלילה', 'בסופ״ש', 'בסוף השבוע')}|"
    rf"{he('לזמן')}\s+{he('מוגבל')}|{he('זמן')}\s+{he('מוגבל')}|{he('הזדמנות')}\s+"
    rf"{he('אחרונה')}|{he('מהרו', 'מהרי')}\b|{he('אל')}\s+{he('תפספסו', 'תפספסי', 'תפספס')}|"
    rf"{he('מסתיים', 'מסתיימת', 'נגמר', 'נגמרת')}\s+{he('היום', 'הלילה', 'בחצות', 'בקרוב')}|"
    rf"{he('שעות')}\s+{he('אחרונות')}|{he('עד')}\s+{he('חצות')}",
    r"\bтолько (?:до конца (?:дня|недели|акции)|до полуночи)\b|\bтолько сегодня\b|"
    r"\bтолько (?:до|в эти) выходны\w*\b|\bограниченное предложение\b|"
    r"\bпредложение ограничено\b|\bограниченное время\b|\bспешите\b|\bуспей(?:те)? купить\b|"
    r"\bпоследний шанс\b|\bне упустите\b|\b(?:заканчивается|закончится) (?:сегодня|завтра|скоро)\b",
    r"\btylko do (?:ko[ńn]ca dnia|p[óo][łl]nocy)\b|\btylko (?:dzi[śs]|dzisiaj|w ten weekend|"
    r"przez \d+ (?:godzin|dni))\b|\boferta ograniczona "
    r"czasowo\b|\bograniczon\w* czasowo\b|\bostatnia szansa\b|\bpospiesz si[ęe]\b|"
    r"\bnie przegap\b|\bko[ńn]czy si[ęe] (?:dzi[śs]|jutro|wkr[óo]tce)\b",
    r"\b(?:endast|bara) (?:idag|i dag|i helgen)\b|\btidsbegr[äa]nsat\w*\b|\bbegr[äa]nsat "
    r"erbjudande\b|\bsista chansen\b|\bskynda\b|\bmissa inte\b|\bslutar (?:idag|ikv[äa]ll|snart)\b",
    rf"\b{el('μόνο')} {el('σήμερα')}\b|\b{el('περιορισμένη')} {el('προσφορά')}\b|\b{el('για')} "
    rf"{el('περιορισμένο')} {el('χρόνο')}\b|\b{el('τελευταία')} {el('ευκαιρία')}\b|"
    rf"\b{el('βιαστείτε')}\b|\b{el('λήγει')} {el('σήμερα')}\b",
    unspaced=(
        r"本日限り|今日だけ|今だけ|期間限定|お見逃しなく|ラストチャンス|急いで|本日終了|"
        r"まもなく終了|間もなく終了",
    ),
    needles=(
        "本日",
        "今日だけ",
        "今だけ",
        "期間限定",
        "お見逃し",
        "ラストチャンス",
        "急いで",
        "終了",
    ),
)

# A stated end date: "31.08.2026", "31 August", "June 30", "30/06".
_END_DATE = re.compile(
    rf"\b\d{{1,2}}[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?\b|\b\d{{1,2}}(?:st|nd|rd|th|"
    rf"er)?\.?\s+(?:de\s+)?"
    rf"(?:{lexicon.MONTHS})\b|\b(?:{lexicon.MONTHS})\s+\d{{1,2}}\b",
    re.IGNORECASE,
)
# Japanese units are followed by more word characters ("2時間以内"), so no lookahead there.
_TIME_LEFT = re.compile(rf"{_SHORT}|\d{{1,3}}\s*(?:時間|分|秒)|\d{{1,2}}:\d{{2}}", re.IGNORECASE)
_DURATION_LEFT = re.compile(_DURATION, re.IGNORECASE)
# A clock that is a time of day, not a time left: "at 11:59 PM", "om 00:00", "um 18 Uhr".
_TIME_OF_DAY = re.compile(
    r"\b(?:at|om|um|à|alle|a las|by|before|until|tot|bis|avant|jusqu'à|entro le|antes de las|"
    r"до|kl\.?)\s+\d{1,2}(?::\d{2}\s*(?:[ap]\.?m\.?|uhr|h)?|\s*(?:[ap]\.?m\.?|uhr)\b)|"
    r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?(?![a-z])",
    re.IGNORECASE,
)
_NOT_A_DEAL = re.compile(
    r"\bsess(?:ie|ion|ione|i[óo]n)\b|\bsitzung\b|\bingelogd|\blogged in\b|\bangemeldet\b|"
    r"\bconnect[ée]\b|\bconnesso\b|\bconectado\b|\bהתחברות\b|\bסשן\b|\b(?:dagen|days|tage|jours|"
    r"giorni|d[íi]as|ימים) (?:om|to|zum|pour|per|para) (?:te )?(?:retour|return|r[üu]ck|reso|"
    r"devol)|\bretour|\breturn|\br[üu]cksend|\bd[ée]lai de r[ée]tractation",
    re.IGNORECASE,
)
_TIMER_CLASS = re.compile(r"countdown|count-down|timer|deadline|clock|aftellen", re.I)
# Case-sensitive on purpose: the literal "data-" lets `re` skip through a large page quickly
# (ten times faster than ignoring case), and attribute names are written in lower case.
_TIMER_ATTRIBUTE_HINT = re.compile(
    r"data-(?:countdown|timer|minutes|seconds|hours|duration|time-?left|remaining|expires|ttl)"
)
_RELATIVE_TIMER_ATTR = re.compile(
    r"^data-(?:countdown-)?(?:minutes|seconds|hours|duration|time-?left|remaining|"
    r"countdown-(?:minutes|seconds|duration)|expires-in|ttl)$",
    re.I,
)
_NOW_PLUS = re.compile(
    r"(?:Date\.now\(\s*\)|new\s+Date\(\s*\)\s*(?:\.getTime\(\s*\))?|\+new\s+Date\(\s*\)|"
    r"performance\.now\(\s*\))\s*\+\s*(?:[\d_.\s*()]+|\w+\s*\*)"
    r"|\.set(?:Minutes|Hours|Seconds)\(\s*\w+\.get(?:Minutes|Hours|Seconds)\(\s*\)\s*\+",
)
_TIMER_CALLS = ("setInterval", "setTimeout", "requestAnimationFrame")
_WHOLE_SCRIPT = 6000
# Words near a timer call that make it a deadline (lower case; matched as substrings).
_TIMER_WORDS = (
    "countdown",
    "timer",
    "deadline",
    "expire",
    "endsat",
    "ends_at",
    "endat",
    "end_at",
    "endtime",
    "remaining",
    "timeleft",
    "time_left",
    "hurry",
    "offer",
    "aftellen",
    "minutes",
    "seconds",
)
_RESET = re.compile(
    r"(?:<=?\s*0|===?\s*0)\s*\)?\s*\{?[^;{}]{0,120}?(?:=\s*(?:Date\.now|new Date)|"
    r"=\s*\d{2,}|reset|restart|start(?:Timer|Countdown)\()"
    # x = x > 0 ? x - 1 : 600  (count down, then start again)
    r"|>\s*0\s*\?\s*[^:;]{1,60}:\s*(?:\d|\(|[\w.]+\s*\*)",
    re.I,
)
_SHORT_CLOCK = re.compile(r"\d{1,2}\s*:\s*\d{2}")
# A block that is nothing but a time left: "00 Days 07 Hours 22 Mins 51 Secs", "02:14:33".
_CLOCK_ONLY = re.compile(rf"\s*{_DURATION}\s*$", re.IGNORECASE)


def _clock_blocks(page: Page) -> Iterator[Block]:
    """Short blocks that show a running clock ("00:14:58")."""
    for block in page.blocks:
        if len(block.text) <= 250 and ":" in block.text and _CLOCK.search(block.text):
            yield block


def counts_down(text: str) -> bool:
    """Whether a block with a countdown phrase shows a time left: "Sale ends in 02:14:33" does,
    "Sale ends tonight" (a limited-time message) and "Die Aktion endet am 31. August" (a stated
    end) do not, nor does a session that expires ("Je sessie verloopt over 10 minuten")."""
    if _NOT_A_DEAL.search(text):
        return False
    left = _TIME_LEFT.search(_TIME_OF_DAY.sub(" ", text))
    if left:
        return True
    return _DURATION_LEFT.search(_TIME_OF_DAY.sub(" ", text)) is not None and not _END_DATE.search(
        text
    )


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


def _timer_code(code: str) -> list[str]:
    """The parts of a script that can hold a countdown: a short script whole, and around each
    timer call of a long one. A framework bundle of several hundred KB calls setTimeout in
    many places; running the reset and page-load patterns over all of it costs more than
    parsing the page."""
    if len(code) <= _WHOLE_SCRIPT:
        return [code] if any(call in code for call in _TIMER_CALLS) else []
    parts: list[str] = []
    for call in _TIMER_CALLS:  # str.find: a plain scan, much faster than a regex here
        position = code.find(call)
        while position >= 0 and len(parts) < 40:
            parts.append(code[max(0, position - 400) : position + 400])
            position = code.find(call, position + 400)
    return parts


def _scripted_countdown(page: Page) -> Hit | None:
    """An error when the page's own script shows the deadline is not real."""
    for script, code in page.inline_scripts:
        for part in _timer_code(code):
            lower = part.lower()
            if not any(word in lower for word in _TIMER_WORDS):
                continue  # a timer that is not about a deadline (an animation, a debounce)
            derived = _NOW_PLUS.search(part)
            if derived:
                return Hit(
                    "the countdown's deadline is computed from page-load time "
                    f"({derived.group(0).strip()[:60]}): every visitor gets a fresh deadline",
                    _timer_element(page) or script,
                    severity="error",
                )
            if _RESET.search(part):
                return Hit(
                    "the countdown restarts when it reaches zero: the deadline is not real",
                    _timer_element(page) or script,
                    severity="error",
                )
    source = page.source if isinstance(page.source, str) else ""
    if not _TIMER_ATTRIBUTE_HINT.search(source):
        return None
    for name in ("div", "span", "p", "time", "strong"):
        for tag in page.elements(name):
            for attribute in tag.attrs:
                if _RELATIVE_TIMER_ATTR.match(attribute) and (
                    _timer_label(tag) or "countdown" in attribute or "timer" in attribute
                ):
                    return Hit(
                        f"the countdown is given as a duration ({attribute}="
                        f"{tag.get(attribute)!r}), so it starts anew on every page load",
                        tag,
                        severity="error",
                    )
    return None


@register("dark-countdown-timer")
def countdown_timer(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    scripted = _scripted_countdown(page)
    if scripted is not None:
        yield scripted
        return
    # Worded ("ends in 2 hours") first, then a bare running clock ("00:14:58").
    shown = "a countdown or deadline"
    worded = (b for _m, b in COUNTDOWN_PHRASES.matches(page, 250) if counts_down(b.text))
    block = next(worded, None) or next(_phrase_before_clock(page), None)
    if block is None and page.has_clock:
        shown, block = "a running clock", next(_clock_blocks(page), None)
    if block is not None:
        yield Hit.in_block(
            f"the page shows {shown}; verify that it counts to a real deadline that is the "
            "same for every visitor",
            page,
            block,
        )
        return
    element = _showing_timer(page)
    if element is not None:
        yield Hit(
            "the page shows a countdown timer; verify that it counts to a real deadline",
            element,
        )


def _with_clock_after(page: Page, block: Block) -> str:
    """A countdown phrase's text, with the clock that follows it in its own elements ("Sale
    ends in" · "00 Days 07 Hours 22 Mins"): timer apps put the digits and their unit labels
    in a widget after the phrase, often one element per number and per unit ("07" · "Hours" ·
    "22" · "Minutes"). Only following blocks that together are nothing but a time left are
    joined."""
    clock, found, end = "", "", block.end
    after = page.block_after(block)
    while after is not None and after.start - end <= 2 and len(clock) + len(after.text) < 80:
        clock = f"{clock} {after.text}".strip()
        if _CLOCK_ONLY.match(clock):
            found = clock
        end = after.end
        after = page.block_after(after)
    return f"{block.text} {found}" if found else block.text


def _phrase_before_clock(page: Page) -> Iterator[Block]:
    """Countdown phrases without digits of their own whose next block is the clock."""
    blocks = page.blocks
    for index in range(1, len(blocks)):
        text = blocks[index].text
        # Cheap tests first: a clock block is short and starts with its first digit.
        if len(text) > 80 or not text[:1].isdigit():
            continue
        before = blocks[index - 1]
        if (
            len(before.text) <= 250
            and COUNTDOWN_PHRASES.pattern.search(before.text)
            and counts_down(_with_clock_after(page, before))
        ):
            yield before


def _clock_in_same_widget(page: Page, element: Tag) -> bool:
    """Whether the short widget holding a limited-time phrase also shows a time left, split from
    it by a line break or its own spans ("OFFER EXPIRES IN<br><span>00</span>:<span>14</span>"):
    the countdown rule reports that one."""
    span = page.span_of(element)
    if span is None or span[1] - span[0] > 250:
        return False
    text = page.text[span[0] : span[1]]
    return COUNTDOWN_PHRASES.search(text) is not None and counts_down(text)


@register("dark-limited-time")
def limited_time(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    for match, block in LIMITED_TIME.matches(page, 250):
        if is_a_name(page, match, block):
            continue
        # The more specific finding wins: a countdown, a stock claim or a count of buyers
        # in the same block ("Hurry, only 2 left!") is reported by its own rule.
        text = block.text
        element = page.element_at(block.start + match.start())
        if (
            (COUNTDOWN_PHRASES.search(text) and counts_down(_with_clock_after(page, block)))
            or _clock_in_same_widget(page, element)
            or STOCK_CLAIMS.search(text)
            or VIEWER_COUNTS.search(text)
            or lexicon.NEWSLETTER.search(text)
        ):
            continue  # a newsletter's "don't miss out" is an invitation, not a deadline
        yield Hit(
            "the page makes a limited-time claim; verify that the offer really ends when "
            "it says, and say when",
            element,
            snippet=block.text[:200],
        )
        return
