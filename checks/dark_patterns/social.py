"""Social proof: counts of viewers and buyers, and activity notifications (Mathur et al. 2019).

"14 people are viewing this", "23 sold in the last 24 hours" (counts), and the toast that pops
up with "Anna from Berlin purchased … 5 minutes ago" (activity notifications, the "Sales Pop"
kind of widget). The FTC's 2022 staff report lists false activity messages among the design
elements that induce false beliefs; many such widgets draw their numbers and names from a
list or Math.random. A page whose script randomises them is an error; otherwise a warning to
verify. Reviews, ratings and "verified purchase" badges are not activity notifications.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import Tag

from defenceline.checks.dark_patterns.phrases import el, he, phrases, random_near, random_windows
from defenceline.checks.page import Block, class_text
from defenceline.checks.registry import Context, Hit, register

__all__ = ["ACTIVITY", "PURCHASED", "VIEWER_COUNTS"]

# Counts of people doing something now, or of sales in a recent window.
_RECENT = (
    r"(?:laatste|afgelopen|last|past|letzten|vergangenen|derni[èe]re?s?|ultime|ultim[oa]|"
    r"[úu]ltim[oa]s?|vandaag|today|heute|aujourd'hui|oggi|hoy|hoje|this (?:week|month)|deze week|"
    r"diese woche|cette semaine|questa settimana|esta semana)"
)
VIEWER_COUNTS = phrases(
    r"\b\d+ (?:mensen|personen|bezoekers|klanten|anderen|shoppers|kopers)\b[^.\n]{0,30}"
    r"\b(?:bekijken|kijken|bekeken|kochten|bestelden|hebben [^.\n]{0,15}(?:gekocht|besteld|"
    r"bekeken)|zijn (?:dit|nu)[^.\n]{0,15}aan het bekijken)\b",
    rf"\b\d+\s*(?:x|keer)?\s*(?:verkocht|gekocht|bekeken|besteld)\b[^.\n]{{0,20}}\b{_RECENT}\b|"
    rf"\b(?:vandaag|deze week) (?:al )?\d+\s*(?:x|keer) (?:verkocht|gekocht|bekeken|besteld)\b|"
    r"\bbekeken door \d+\b",
    r"\b(?:sehen|schauen|betrachten) sich (?:gerade |jetzt )?\d+ (?:weitere |andere )?(?:personen|"
    r"kunden|besucher|leute|nutzer)\b|\b(?:kijken|bekijken) (?:nu |er )?\d+ (?:andere )?"
    r"(?:anderen|mensen|personen|bezoekers|klanten)\b|\b(?:consultent|regardent) "
    r"(?:actuellement )?\d+ personnes\b|"
    r"\b\d+ (?:other |more )?(?:people|persons|visitors|shoppers|customers|others|users|"
    r"buyers)\b[^.\n]{0,30}"
    r"\b(?:are (?:viewing|looking|watching|browsing|checking|eyeing|considering)|viewing|"
    r"looking at|watching|eyeing|"
    r"viewed|bought|purchased|ordered|have (?:bought|purchased|viewed))\b",
    # "2K+ bought in past month": marketplaces round the count and add a unit.
    rf"\b\d[\d,.]*\s*[kKmM]?\+?\s*(?:x\s*)?(?:sold|bought|purchased|orders?|sales|views?)\b"
    rf"[^.\n]{{0,20}}\b{_RECENT}\b|\b(?:viewed|bought|purchased|sold) \d+ times\b|"
    r"\bviewed by \d+\b|"
    rf"\b(?:bought|purchased|ordered|viewed|loved) by (?:over |more than )?\d[\d,.]*\+? "
    rf"(?:people|customers|shoppers|others)\b[^.\n]{{0,20}}\b{_RECENT}\b|"
    r"\b\d+ (?:people|others) (?:are )?(?:viewing|looking at) (?:this|it) (?:right )?now\b|"
    # By what it is made of: a count of people and a "now" or a recent window.
    r"\b\d[\d,.]*\+?\s+(?:other )?(?:people|shoppers|customers|visitors|others|users|buyers)\b"
    r"[^.\n]{0,40}\b(?:right now|currently|at the moment|in the (?:last|past) (?:\d+ )?(?:hours?|"
    r"minutes?|days?|24h))\b|\b(?:currently|right now|at the moment)\b[^.\n]{0,30}\b\d+\s+"
    r"(?:other )?(?:people|shoppers|customers|visitors|others|users)\b|"
    r"\b(?:recently|just) (?:purchased|bought|ordered) by (?:over |more than )?\d[\d,.]*\+? "
    r"(?:people|customers|shoppers|others)\b|"
    r"\b\d+ (?:people|shoppers|customers|others) (?:have )?added (?:this|it) to their "
    r"(?:wish ?lists?|favou?rites)\b|\balready (?:sold|bought|ordered) \d[\d,.]* times\b|"
    r"\b(?:bereits|schon) \d+[-\s]?mal (?:verkauft|gekauft|bestellt)\b|"
    r"\badded to (?:cart|basket|bag|carts) \d+ times\b|\b\d+ (?:people |"
    r"shoppers )?added (?:this |it )?"
    r"to (?:their )?(?:cart|basket|bag)s? (?:today|in the (?:last|past))\b",
    r"\b\d+ (?:weitere |andere )?(?:personen|besucher|kunden|leute|andere|nutzer|k[äa]ufer)\b"
    r"[^.\n]{0,30}"
    r"\b(?:sehen|schauen|betrachten|kauften|bestellten|haben [^.\n]{0,15}(?:gekauft|bestellt|"
    r"angesehen))\b",
    rf"\b\d+\s*(?:x|mal)?\s*(?:verkauft|gekauft|bestellt|angesehen)\b[^.\n]{{0,20}}"
    rf"\b{_RECENT}\b|\b(?:heute|diese woche) (?:schon |bereits )?\d+\s*(?:x|mal) "
    r"(?:verkauft|gekauft|bestellt|angesehen)\b",
    r"\b\d+ (?:personnes|visiteurs|clients|acheteurs|internautes)\b[^.\n]{0,30}"
    r"\b(?:regardent|consultent|ont (?:achet[ée]|consult[ée]|vu|command[ée])|voient|"
    r"sont en train de|ach[eè]tent)\b",
    rf"\b\d+\s*(?:vendus?|achet[ée]s?|ventes?|command[ée]s|commandes)\b[^.\n]{{0,25}}"
    rf"\b{_RECENT}\b|\b(?:vu|achet[ée]|vendu) \d+ fois\b",
    r"\b\d+ (?:persone|visitatori|clienti|utenti|acquirenti)\b[^.\n]{0,30}"
    r"\b(?:stanno (?:guardando|visualizzando|osservando)|hanno (?:acquistato|comprato|visto|"
    r"ordinato)|guardano|stanno acquistando)\b",
    rf"\b\d+\s*(?:venduti|vendute|acquistati|ordini|vendite)\b[^.\n]{{0,25}}\b{_RECENT}\b|"
    r"\b(?:visto|venduto|acquistato) \d+ volte\b",
    r"\b\d+ (?:personas|visitantes|clientes|usuarios|compradores)\b[^.\n]{0,30}"
    r"\b(?:est[áa]n (?:viendo|mirando|comprando)|han (?:comprado|visto|pedido)|compraron|"
    r"ven|miran)\b",
    rf"\b\d+\s*(?:vendid[oa]s|comprad[oa]s|ventas|pedidos)\b[^.\n]{{0,25}}\b{_RECENT}\b|"
    r"\b(?:visto|vendido|comprado) \d+ veces\b",
    r"\b\d+ (?:pessoas|visitantes|clientes|usu[áa]rios|compradores)\b[^.\n]{0,30}"
    r"\b(?:est[ãa]o (?:vendo|olhando|visualizando|comprando)|(?:j[áa] )?compraram|viram|"
    r"pediram|encomendaram|v[êe]em)\b",
    rf"\b\d+\s*(?:vendid[oa]s|comprad[oa]s|vendas|pedidos|encomendas)\b[^.\n]{{0,25}}"
    rf"\b{_RECENT}\b|\b(?:visto|vendido|comprado) \d+ vezes\b",
    rf"\b\d+\s+{he('אנשים', 'לקוחות', 'גולשים', 'משתמשים', 'קונים', 'צופים', 'מבקרים')}"
    r"[^.\n]{0,30}"
    rf"{he('צופים', 'רואים', 'מסתכלים', 'קנו', 'רכשו', 'הזמינו', 'צפו')}|"
    rf"{he('נמכרו', 'נרכשו', 'נצפה', 'נצפו', 'הוזמנו')}\s+(?:(?:מעל|כבר|יותר מ-?)\s*)?\d+"
    r"[^.\n]{0,30}"
    rf"{he('היום', 'האחרונות', 'האחרונים', 'האחרונה', 'השבוע')}|"
    rf"\d+\s+{he('רכישות', 'הזמנות', 'צפיות')}[^.\n]{{0,25}}{he('היום', 'האחרונות', 'האחרונים')}",
    # Russian, Polish, Swedish, Greek.
    r"\b\d+ (?:человек\w*|покупател\w*|посетител\w*)\b[^.\n]{0,30}\b(?:смотр\w*|просматрива\w*|"
    r"купил\w*|заказал\w*)\b|\b(?:сейчас )?смотрят\s*:?\s*\d+\b|\b\d+\s+(?:покуп\w*|"
    r"заказ\w*|продаж\w*|продан\w*)\b[^.\n]{0,25}\b(?:за (?:последн\w* )?\d*\s*(?:час\w*|"
    r"сут\w*|дн\w*|недел\w*)|сегодня)\b",
    r"\b\d+ (?:os[óo]b|osoby|klient[óo]w|klienci|"
    r"u[żz]ytkownik[óo]w)\b[^.\n]{0,30}\b(?:ogl[ąa]da\w*|"
    r"przegl[ąa]da\w*|kupi[łl]\w*|zam[óo]wi[łl]\w*)\b|\b\d+\s+(?:sprzedan\w*|zam[óo]wie[ńn]\w*|"
    r"kupion\w*)\b[^.\n]{0,25}\b(?:w ci[ąa]gu|w ostatnich|ostatni\w*|dzi[śs]|dzisiaj)\b",
    r"\b\d+ (?:personer|kunder|bes[öo]kare|andra)\b[^.\n]{0,30}\b(?:tittar|k[öo]pte|har k[öo]pt|"
    r"best[äa]llde)\b|\b\d+\s+(?:s[åa]lda|k[öo]pta|k[öo]p|best[äa]llningar)\b[^.\n]{0,25}"
    r"\b(?:senaste|idag|i dag)\b",
    rf"\b\d+ (?:{el('άτομα')}|{el('πελάτες')}|"
    rf"{el('επισκέπτες')})\b[^.\n]{{0,30}}\b(?:{el('βλέπουν')}|"
    rf"{el('κοιτάζουν')}|{el('αγόρασαν')}|{el('παρήγγειλαν')})\b|\b\d+\s+(?:{el('αγορές')}|"
    rf"{el('πωλήσεις')}|{el('παραγγελίες')})\b[^.\n]{{0,25}}\b(?:{el('τελευταίες')}|"
    rf"{el('τελευταίο')}|"
    rf"{el('σήμερα')})\b",
    # The verb first: "Сейчас этот товар просматривают 9 человек", "Teraz ogląda 7 osób".
    r"\b(?:просматрива\w*|смотр\w*) (?:сейчас )?\d+ (?:человек\w*|покупател\w*|посетител\w*)\b|"
    r"\b(?:ogl[ąa]da\w*|przegl[ąa]da\w*) (?:teraz )?\d+ (?:os[óo]b|osoby|u[żz]ytkownik\w*)\b|"
    r"\b(?:tittar|kollar) (?:just nu )?\d+ (?:personer|kunder|andra)\b",
    rf"\b(?:{el('βλέπουν')}|{el('κοιτάζουν')}) \d+ (?:{el('άτομα')}|{el('πελάτες')})\b",
    # "Продано 63 шт. за последние 24 часа", "Sprzedano 40 szt. w ciągu 24 h".
    r"\b(?:продано|куплено|заказано) \d+\b[^\n]{0,25}\b(?:за|сегодня)\b|\b(?:sprzedano|kupiono|"
    r"zam[óo]wiono) \d+\b[^\n]{0,25}\b(?:w ci[ąa]gu|w ostatnich|dzi[śs])\b|\b(?:s[åa]lt|k[öo]pt) "
    r"\d+\b[^.\n]{0,25}\b(?:senaste|idag)\b",
    rf"\b(?:{el('πουλήθηκαν')}|{el('αγοράστηκαν')}) \d+\b[^.\n]{{0,25}}\b(?:{el('τελευταίες')}|"
    rf"{el('σήμερα')})\b",
    # By what it is made of, the participle last: "Über 500 Mal in den letzten 30 Tagen
    # gekauft", "al 300 keer in de afgelopen week besteld".
    rf"\b\d[\d,.]*\+?\s*(?:x|mal|keer|times|fois|volte|veces)\b[^.\n]{{0,15}}\b{_RECENT}\b"
    r"[^.\n]{0,25}\b(?:gekauft|verkauft|bestellt|angesehen|gekocht|verkocht|besteld|bekeken|"
    r"bought|sold|purchased|ordered|viewed|achet[ée]s?|vendus?|command[ée]s?|acquistat[oi]|"
    r"vendut[oi]|ordinat[oi]|comprad[oa]s?|vendid[oa]s?|pedid[oa]s?)\b",
    # A count of buyers in a recent window without a verb: "Über 5.000 Käufer in den letzten
    # 30 Tagen", "plus de 300 clients ces derniers jours".
    r"\b\d[\d.,]*\+?\s+(?:tevreden |zufriedene? |satisfaits? |soddisfatti |satisfechos )?"
    r"(?:personen|kopers|klanten|mensen|käufer|kunden|acheteurs|clients|personnes|acquirenti|"
    r"clienti|persone|compradores|clientes|personas)\b[^.\n]{0,30}\b(?:in de (?:laatste|"
    r"afgelopen)|in den (?:letzten|vergangenen)|(?:au cours )?des derni[eè]re?s|ces derniers|"
    r"negli ultimi|nelle ultime|en (?:los|las) [úu]ltim[oa]s)\b",
    # Sales so far: "Déjà 2 340 vendus", "Bereits über 800 verkauft", "Al 1.200+ keer verkocht".
    r"\b(?:already|bereits|schon|d[ée]j[àa]|gi[àa])\s+(?:(?:over|more than|über|mehr als|"
    r"plus de|oltre)\s+)?\d[\d.,\s]*\+?\s*(?:x\s+|mal\s+|fois\s+|volte\s+)?(?:sold|bought|"
    r"ordered|verkauft|gekauft|bestellt|vendus?|achet[ée]s|command[ée]s|vendut[io]|"
    r"acquistat[io])\b|\b\d[\d.,]*\+?\s+keer (?:verkocht|gekocht|besteld)\b",
    gate=r"\d",  # every count has its number
    unspaced=(
        r"\d+\s*人が(?:この商品を|この商品)?(?:閲覧|見て|チェック)",
        r"\d+\s*(?:人|件)が購入",
        r"過去\s*\d+\s*(?:時間|日)で\s*\d+\s*(?:個|点|件|人)",
    ),
    needles=("人が", "が購入", "過去"),
)

# Hebrew purchase verbs (he/she bought, purchased, ordered) and units of recent time.
_HE_BUY = he("קנה", "קנתה", "רכש", "רכשה", "הזמין", "הזמינה")
_HE_UNITS = he("דקות", "דקה", "שעות", "שעה", "שניות")

# Activity notifications: someone (a name, "someone", "a customer") just did something.
_BUY_VERB = (
    r"(?:just )?(?:bought|purchased|ordered|added|signed up|subscribed|"
    r"kocht|heeft [^.\n]{0,40}(?:gekocht|besteld)|bestelde|kaufte|hat [^.\n]{0,40}"
    r"(?:gekauft|bestellt)|bestellte|a (?:achet[ée]|command[ée])|vient d'acheter|"
    r"ha (?:acquistato|comprato|ordinato)|compr[óo]|ha (?:comprado|pedido)|acaba de comprar)"
)
_AGO = (
    r"(?:\d+|a|an|one|een|ein(?:e|er)?|un[ea]?)\s*(?:seconds?|minutes?|mins?|hours?|hrs?|"
    r"seconden|minuten|minuut|uur|sekunden|stunden?|secondes?|heures?|secondi|minuti|ore|"
    r"segundos|minutos|horas?)\s+(?:ago|geleden|her)\b|\b(?:vor|il y a|hace|fa)\s+"
    r"(?:\d+|einer?|une?|un)\s*(?:sekunden|minuten|stunden?|secondes?|minutes?|heures?|"
    r"segundos|minutos|horas?)\b|\b(?:\d+|un(?:a|')?)\s*(?:secondi|minuti|ore|minuto|ora) fa\b|"
    r"\bh[áa]\s+(?:\d+|um|uma)\s*(?:segundos?|minutos?|horas?)\b|"
    # Russian, Polish, Swedish, Greek: "5 минут назад", "5 minut temu", "för 5 minuter sedan",
    # "πριν από 5 λεπτά".
    r"\b\d+\s*(?:секунд\w*|минут\w*|час\w*)\s+назад\b|\b\d+\s*(?:sekund\w*|minut\w*|"
    r"godzin\w*)\s+temu\b|\bf[öo]r\s+\d+\s*(?:sekunder|minuter|timmar|timme)\s+sedan\b|"
    rf"\b{el('πριν')}\s+(?:{el('από')}\s+)?\d+\s*(?:{el('δευτερόλεπτα')}|{el('λεπτά')}|"
    rf"{el('ώρες')})\b"
)
ACTIVITY = phrases(
    # "Someone in Utrecht just bought", "Iemand uit Utrecht kocht", "A customer from Leeds".
    rf"\b(?:someone|somebody|a (?:customer|shopper|visitor|buyer))\b[^.\n]{{0,40}}\b{_BUY_VERB}",
    rf"\b(?:iemand|een (?:klant|bezoeker|koper))\b[^.\n]{{0,40}}\b{_BUY_VERB}",
    rf"\b(?:jemand|ein(?:e)? (?:kunde|kundin|besucher|k[äa]ufer))\b[^.\n]{{0,40}}\b{_BUY_VERB}",
    rf"\b(?:quelqu'un|un(?:e)? (?:client(?:e)?|acheteur|visiteur))\b[^.\n]{{0,40}}\b{_BUY_VERB}",
    rf"\b(?:qualcuno|un(?:a)? (?:cliente|acquirente|visitatore))\b[^.\n]{{0,40}}\b{_BUY_VERB}",
    rf"\b(?:alguien|un(?:a)? (?:cliente|comprador(?:a)?|visitante))\b[^.\n]{{0,40}}\b{_BUY_VERB}",
    r"\b(?:algu[ée]m|uma? (?:cliente|compradora?|visitante))\b[^.\n]{0,40}\b(?:acabou de "
    r"(?:comprar|pedir|encomendar)|comprou|pediu|encomendou)\b",
    # "Anna from Berlin purchased … 5 minutes ago": a purchase verb and a recent time.
    rf"\b(?:bought|purchased|ordered|gekocht|besteld|kocht|bestelde|gekauft|bestellt|kaufte|"
    rf"achet[ée]|command[ée]|acquistato|comprato|ordinato|comprado|compr[óo]|pedido|comprou|"
    rf"encomendou|"
    rf"купил\w*|заказал\w*|оформил\w* заказ|kupi[łl]\w*|zam[óo]wi[łl]\w*|z[łl]o[żz]y[łl]\w* "
    rf"zam[óo]wienie|k[öo]pte|best[äa]llde|"
    rf"{el('αγόρασε')}|{el('παρήγγειλε')})\b"
    rf"[^\n]{{0,80}}(?:{_AGO})",
    # "just bought", "zojuist gekocht", "hat gerade gekauft", "vient d'acheter".
    r"\b(?:from|in|uit|aus|de|da|à|di|en) [^\W\d_][\w'-]+[^.\n]{0,60}\b(?:just|zojuist|net|"
    r"gerade|soeben)\b[^.\n]{0,30}\b(?:bought|purchased|ordered|gekocht|besteld|gekauft|"
    r"bestellt)\b|\bvient d'acheter\b|\bha appena (?:acquistato|comprato|ordinato)\b|"
    r"\bacaba de (?:comprar|pedir|adquirir)\b|\bacabou de (?:comprar|pedir|encomendar)\b",
    r"\bкто-то\b[^.\n]{0,40}\b(?:купил\w*|заказал\w*|приобр\w*)|\b(?:kto[śs]|klient\w*)\b"
    r"[^.\n]{0,40}\b(?:kupi[łl]\w*|zam[óo]wi[łl]\w*)|\bn[åa]gon\b[^.\n]{0,40}\b(?:k[öo]pte|"
    r"best[äa]llde)\b",
    rf"\b{el('κάποιος')}\b[^.\n]{{0,40}}\b(?:{el('αγόρασε')}|{el('παρήγγειλε')})\b",
    rf"{he('מישהו', 'מישהי', 'לקוח', 'לקוחה')}[^.\n]{{0,40}}"
    rf"{_HE_BUY}|"
    rf"{_HE_BUY}[^\n]{{0,80}}{he('לפני')}\s+\d*\s*"
    rf"{_HE_UNITS}|"
    rf"{he('הרגע')}\s+{_HE_BUY}",
    # Every purchase notification has its verb: skip blocks without one before the long list.
    gate=(
        r"(?i)bought|purchas|order|added|signed up|subscrib|kocht|bestel|kauf|achet|command|"
        r"acquist|compr|ordinat|pedid|купил|заказ|оформил|kupi|zam[óo]wi|z[łl]o[żz]y|k[öo]pte|"
        r"best[äa]ll|αγόρασ|αγορασ|παρήγγειλ|παρηγγειλ|קנה|קנתה|רכש|הזמין|הזמינה"
    ),
    unspaced=(
        r"さんが[^。\n]{0,30}(?:購入|注文)しました",
        r"様が[^。\n]{0,30}(?:購入|注文)しました",
        r"\d+\s*(?:分|時間|秒)前に(?:購入|注文)",
    ),
    needles=("さんが", "様が", "前に"),
)

# A toast split over elements: "Anna in Berlin purchased" / "Linen Shirt" / "5 minutes ago".
PURCHASED = phrases(
    r"\b(?:just )?(?:bought|purchased|ordered)\b|\badded (?:this|it|one) to (?:his|her|their) "
    r"(?:cart|basket|bag)\b|\b(?:kocht|bestelde|gekocht|besteld)\b|"
    r"\b(?:kaufte|gekauft|bestellt|bestellte)\b|\b(?:a )?(?:achet[ée]|command[ée])\b|"
    r"\b(?:ha )?(?:acquistato|comprato|ordinato)\b|\b(?:compr[óo]|ha comprado|pidi[óo])\b|"
    r"\b(?:comprou|encomendou|acabou de comprar)\b",
    r"\b(?:купил\w*|заказал\w*|оформил\w* заказ|kupi[łl]\w*|zam[óo]wi[łl]\w*|k[öo]pte|"
    r"best[äa]llde)\b",
    rf"\b(?:{el('αγόρασε')}|{el('παρήγγειλε')})\b",
    rf"{_HE_BUY}",
)
_AGO_TEXT = re.compile(
    rf"(?:{_AGO})|{he('לפני')}\s+\d*\s*{_HE_UNITS}",
    re.IGNORECASE,
)

# "I bought this 2 hours ago and…": the shopper's own words in a review, not a notification.
_FIRST_PERSON = re.compile(
    r"(?:^|[\s,.!?])(?:i|we|ik|wij|we|ich|wir|j'ai|nous|io|ho|abbiamo|yo|he|hemos|אני|"
    r"קניתי|הזמנתי)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_REVIEW_CLASS = re.compile(
    r"review|rating|testimonial|beoordeling|bewertung|avis|recensi|rese", re.I
)
_VIEWER_WORDS = re.compile(
    r"viewers?|watching|viewing|people|visitors|bekijken|kijken|mensen|personen|besucher|"
    r"personnes|persone|personas|bought|purchased|kocht|gekauft|achet|acquist|compr|"
    r"someone|iemand|jemand|quelqu|qualcuno|alguien|recent_?sales|live_?visitors|sold|"
    r"names|cities|אנשים|צופים|רכש|קנה",
    re.I,
)
_SOCIAL_CLASS = re.compile(
    r"social-?proof|recent-?(?:sales|purchase|order)|live-?(?:visitors|viewers)|"
    r"people-?viewing|viewers|fomo|sales-?pop|purchase-?notification|sold-?count",
    re.I,
)


def _in_review(ctx: Context, offset: int) -> bool:
    node: Any = ctx.page.element_at(offset)
    for _ in range(6):
        if not isinstance(node, Tag) or node.name in ("body", "html", "main"):
            return False
        if _REVIEW_CLASS.search(class_text(node) + " " + str(node.get("id") or "")):
            return True
        if node.name == "blockquote" or node.get("itemprop") in ("review", "reviewBody"):
            return True
        node = node.parent
    return False


def _randomised(ctx: Context) -> bool:
    return any(random_near(code, _VIEWER_WORDS) for _, code in ctx.page.inline_scripts)


@register("dark-social-proof")
def social_proof(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    randomised = _randomised(ctx)
    for match, block in VIEWER_COUNTS.matches(page, 300):
        if _in_review(ctx, block.start + match.start()):
            continue
        if randomised:
            yield Hit.in_block(
                "count of viewers or buyers drawn from Math.random",
                page,
                block,
                match.start(),
                severity="error",
            )
        else:
            yield Hit.in_block(
                "count of viewers or buyers ('people are viewing / sold today'); verify "
                "that it is real, or remove it",
                page,
                block,
                match.start(),
            )
        return
    notification = _activity_notification(ctx, randomised)
    if notification is not None:
        yield notification
        return
    for script, code in page.inline_scripts:
        if any(
            VIEWER_COUNTS.search(window) or ACTIVITY.search(window)
            for window in random_windows(code, _VIEWER_WORDS, 400)
        ):
            yield Hit(
                "a script shows counts of viewers or buyers drawn from Math.random",
                script,
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
                    "a social-proof widget fed by random numbers",
                    tag,
                    severity="error",
                )
                return


def _notification_hit(
    ctx: Context, block: Block, match: re.Match[str], snippet: str, example: str, randomised: bool
) -> Hit | None:
    """The finding for a purchase notification, or None when it is a shopper's own words."""
    offset = block.start + match.start()
    if _in_review(ctx, offset) or _FIRST_PERSON.search(block.text[: match.start()]):
        return None
    return Hit(
        "purchase notification drawn from Math.random"
        if randomised
        else f"purchase notification ({example}); verify that it reports real purchases, or "
        "remove it",
        ctx.page.element_at(offset),
        snippet=snippet[:200],
        severity="error" if randomised else None,
    )


def _activity_notification(ctx: Context, randomised: bool) -> Hit | None:
    """A purchase notification: "Someone in Utrecht just bought …", or a toast whose parts
    say who bought what how long ago ("Anna in Berlin purchased" · "Linen Shirt" · "5 minutes
    ago")."""
    page = ctx.page
    for match, block in ACTIVITY.matches(page, 300):
        hit = _notification_hit(
            ctx, block, match, block.text, "'someone just bought …'", randomised
        )
        if hit is not None:
            return hit
    for match, block in PURCHASED.matches(page, 120):
        # The same toast: this block or one of the next two says how long ago.
        parts = [block]
        for _ in range(2):
            after = page.block_after(parts[-1])
            if after is None or after.start - block.end > 200:
                break
            parts.append(after)
        if not any(_AGO_TEXT.search(part.text) for part in parts):
            continue
        snippet = " · ".join(part.text for part in parts)
        hit = _notification_hit(
            ctx, block, match, snippet, "'… purchased … 5 minutes ago'", randomised
        )
        if hit is not None:
            return hit
    return None
