"""The words shops use, in Dutch, English, German, French, Italian and Spanish (and, for the
facts every product page states — buying, stock, price — also Hebrew, Russian, Greek, Japanese,
Portuguese, Polish and the Scandinavian languages).

Every text heuristic of the checker reads its vocabulary from here, so adding a language means
adding alternatives to these patterns, not touching a rule. Patterns are matched against one
block of visible text at a time (a paragraph, list item, table cell...), case-insensitively.
"""

from __future__ import annotations

import re

__all__ = [
    "BUY_BUTTON",
    "CART_EMPTY",
    "CART_HEADING",
    "CART_TITLE",
    "CHECKOUT_BUTTON",
    "CHECKOUT_HEADING",
    "CHECKOUT_TITLE",
    "CONFIRMSHAMING",
    "CONTACT",
    "COUNTDOWN_CLOCK",
    "COUNTDOWN_TEXT",
    "DECLINE_START",
    "DELIVERY_KEYWORD",
    "DELIVERY_TIME",
    "FEE_WORDS",
    "FREE",
    "GUEST_CHECKOUT",
    "HIGH_DEMAND",
    "INFO_HEADING",
    "LOW_STOCK",
    "MONTHS",
    "NEWSLETTER",
    "NOTIFY_ME",
    "OLD_PRICE_CLASS",
    "PAID_EXTRA",
    "PRICE_CLASS",
    "RATING",
    "RATING_STARS",
    "RELATED_HEADING",
    "RETURNS_KEYWORD",
    "RETURN_DAYS",
    "REVIEWS",
    "SALES_LINE",
    "SHIPPING_KEYWORD",
    "SHIPPING_LATER",
    "SHIPPING_ROW",
    "SOCIAL_PROOF",
    "SPEC_KEYS",
    "SPEC_NUMBERS",
    "STOCK_PHRASES",
    "TERMS",
    "TOTAL",
    "UNSPACED_SCRIPT",
    "UNSPACED_STOCK",
    "VAT",
]

_F = re.IGNORECASE | re.UNICODE


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), _F)


# --- buying ------------------------------------------------------------------------------------

BUY_BUTTON = _words(
    r"\b(?:(?:in|toevoegen aan|aan) (?:de |het |je |mijn )?(?:winkel(?:wagen|mand(?:je)?)|"
    r"mandje|boodschappenlijst))\b",
    r"\bbestel(?:len)?\b(?! voor)",
    r"\b(?:nu )?kopen\b",
    r"\badd to (?:cart|bag|basket|trolley)\b",
    r"\bbuy (?:it )?now\b",
    r"\b(?:pre-?order|reserveer)(?: now| nu)?\b",
    r"\bin den (?:warenkorb|einkaufswagen)\b",
    r"\b(?:jetzt )?kaufen\b",
    r"\bajouter au (?:panier|sac)\b",
    r"\bacheter\b",
    r"\baggiungi al carrello\b",
    r"\bacquista(?: ora)?\b",
    r"\ba[ñn]adir (?:al carrito|a la (?:cesta|bolsa))\b",
    r"\bcomprar(?: ahora)?\b",
    r"\badicionar ao (?:carrinho|cesto)\b",
    r"\bdo koszyka\b|\bkup teraz\b",
    r"\b(?:l[äa]gg|legg|l[æa]g) i (?:varukorg(?:en)?|handlekurv(?:en)?|kurv(?:en)?)\b",
    r"\bdo košíku\b|\bsepete ekle\b|\blisää ostoskoriin\b|\bkosárba\b|"
    r"\badaug[ăa] [îi]n co[șs]\b|\bu košaricu\b|\bv košarico\b",
    r"\bהוס(?:ף|פה|יפו) ל(?:סל|עגלה|עגלת)|\bלהזמנה\b|\bקנ(?:ה|ו) עכשיו\b",
    r"\b(?:добавить )?в корзину\b|\bкупить\b",
    r"\bπροσθήκη στο καλάθι\b|\bστο καλάθι\b|\bαγορά τώρα\b",
    r"カートに(?:入れる|追加)|今すぐ購入|購入手続き|購入する|予約する",
)
# A control that stands where the buy button would be on a product that cannot be bought now.
NOTIFY_ME = _words(
    r"\b(?:notify me|email me|let me know|alert me|get notified)\b",
    r"\b(?:houd me op de hoogte|mail (?:me|mij)|stuur (?:me|mij) (?:een|één) (?:e-?mail|bericht)|"
    r"herinner (?:me|mij))\b",
    # "when it is back in stock": a restock is waited for, so it is not in stock now
    r"\b(?:als|wanneer|zodra)\b[^.\n]{0,40}\bweer (?:op voorraad|leverbaar|beschikbaar)\b",
    r"\b(?:when|once|as soon as)\b[^.\n]{0,30}\b(?:back in stock|available again)\b",
    r"\b(?:wenn|sobald)\b[^.\n]{0,40}\bwieder (?:auf lager|verf[üu]gbar|lieferbar)\b",
    r"\b(?:quand|d[èe]s que|lorsque)\b[^.\n]{0,40}\b(?:de nouveau|[àa] nouveau) "
    r"(?:en stock|disponible)\b",
    r"\b(?:quando|appena)\b[^.\n]{0,40}\b(?:di nuovo|nuovamente) disponibile\b",
    r"\b(?:cuando|en cuanto)\b[^.\n]{0,40}\b(?:vuelva a estar disponible|de nuevo en stock)\b",
    r"\b(?:benachrichtig(?:en|ung|e mich)|erinnere mich|e-?mail bei verf[üu]gbarkeit)\b",
    r"\b(?:pr[ée]venez-moi|m'avertir|alertez-moi|[êe]tre (?:alert[ée]|pr[ée]venu))\b",
    r"\b(?:avvisami|avvisatemi)\b",
    r"\bpowiadom\b|\bbevaka\b|\bmeddela mig\b|\bgiv mig besked\b|\bavise-me\b|"
    r"\bhlídat dostupnost\b",
    r"\b(?:av[íi]same|av[íi]sarme|notif[íi]came|av[íi]senme)\b|\bavise-me\b|\bme avise\b",
    r"עדכנו אותי|הודיעו לי",
    r"\b(?:сообщить о поступлении|уведомить)\b",
    r"\bειδοποίησέ με\b|\bειδοποίηση\b",
    r"入荷(?:お知らせ|通知)|再入荷",
)

CHECKOUT_BUTTON = _words(
    r"\bafrekenen\b",
    r"\bdoorgaan naar (?:de )?(?:kassa|afrekenen|bestellen)\b",
    r"\bverder naar\b",
    r"\b(?:proceed to |go to )?check ?out\b",
    r"\bzur kasse\b",
    r"\bweiter zur\b",
    r"\bpasser (?:la )?commande\b",
    r"\bvalider (?:mon |le )?panier\b",
    r"\bprocedi (?:all'ordine|al pagamento|al checkout)\b",
    r"\btramitar pedido\b",
    r"\bfinalizar (?:compra|pedido)\b",
    r"\brealizar pedido\b",
)

CART_TITLE = _words(
    r"\b(?:winkel(?:wagen|mand(?:je)?)|mandje)\b",
    r"\b(?:shopping |your )?(?:cart|basket|bag)\b",
    r"\b(?:warenkorb|einkaufswagen)\b",
    r"\bpanier\b",
    r"\bcarrello\b",
    r"\b(?:carrito|cesta)\b",
)

CHECKOUT_TITLE = _words(
    r"\b(?:afrekenen|bestelgegevens|bezorggegevens|kassa)\b",
    r"\bcheck ?out\b",
    r"\b(?:kasse|bestellung abschließen|lieferadresse)\b",
    r"\b(?:paiement|adresse de livraison|finaliser)\b",
    r"\b(?:cassa|indirizzo di spedizione|pagamento)\b",
    r"\b(?:pago|dirección de envío|finalizar compra)\b",
)

# A heading that is nothing but "the cart" or "checkout" ("Winkelwagen (2)", "Your bag",
# "Mon panier", "Kasse"): a product called "Picnic basket" or "Cassa bluetooth" is not a cart.
_POSSESSIVE = (
    r"(?:(?:je|jouw|uw|mijn|your|my|ihr|dein|mein|votre|ton|mon|il tuo|il mio|tu|mi|su)\s+)?"
)
CART_HEADING = re.compile(
    r"^\W*" + _POSSESSIVE + r"(?:shopping\s+)?(?:winkel(?:wagen|mand(?:je)?)|mandje|"
    r"boodschappenmand|cart|basket|bag|trolley|warenkorb|einkaufswagen|panier|carrello|carrito|"
    r"cesta(?: de (?:la )?compra)?|carrinho|koszyk|varukorg(?:en)?|indkøbskurv|handlekurv|"
    r"корзина|καλάθι|סל(?: ה)?קניות|カート|ショッピングカート)(?!\w)[\s\d()\[\]:·-]*"
    r"(?:items?|artikel(?:en)?|articles?|articoli|"
    r"art[íi]culos|producten|produkte|products?)?[\s()]*\W*$",
    _F,
)
CHECKOUT_HEADING = re.compile(
    r"^\W*(?:(?:secure|veilig|sicher)\w*\s+)?(?:afrekenen|bestellen|kassa|bestelgegevens|"
    r"bezorggegevens|je gegevens|check ?out|checkout|your details|delivery details|kasse|"
    r"zur kasse|bestellung(?: abschlie(?:ß|ss)en)?|lieferadresse|paiement|commande|"
    r"finaliser (?:la|ma|votre) commande|validation de (?:la )?commande|cassa|pagamento|"
    r"completa (?:l'|il )?ordine|pago|finalizar (?:compra|pedido)|tramitar pedido)\b"
    r"[\s\d/:·-]*\W*$",
    _F,
)
# Headings of information pages: terms, privacy, contact, FAQ, about us, shipping and returns.
INFO_HEADING = re.compile(
    r"^\W*(?:(?:onze|our|unsere|nos|i nostri|nuestr[oa]s|de|die|les|le|la|i|las|los)\s+)?"
    r"(?:(?:algemene )?(?:voorwaarden|verkoopvoorwaarden|leveringsvoorwaarden)|"
    r"privacy(?:beleid|verklaring| policy| statement|erkl[äa]rung)?|cookie(?:beleid|verklaring|"
    r"s| policy|richtlinie)?|contact(?:eer ons| us)?|klantenservice|veelgestelde vragen|faq|"
    r"over ons|about(?: us)?|verzend(?:ing|en)? (?:en|&) retour(?:neren)?|verzending|retourneren|"
    r"retourbeleid|terms(?: (?:and|&) conditions| of (?:sale|service|use))?|shipping(?: "
    r"(?:and|&) returns| policy| information)?|delivery(?: information| policy)?|returns?"
    r"(?: policy)?|refund policy|frequently asked questions|help|impressum|agb|"
    r"allgemeine gesch[äa]ftsbedingungen|datenschutz(?:erkl[äa]rung)?|kontakt|[üu]ber uns|"
    r"versand(?: (?:und|&) (?:r[üu]ckgabe|lieferung))?|widerrufsbelehrung|r[üu]cksendungen|"
    r"hilfe|conditions g[ée]n[ée]rales(?: de vente)?|cgv|mentions l[ée]gales|"
    r"politique de (?:confidentialit[ée]|retour)|nous contacter|contactez-nous|qui sommes-nous|"
    r"livraison(?: et retours?)?|retours?|aide|termini e condizioni|condizioni (?:generali|"
    r"di vendita)|informativa (?:sulla )?privacy|contatt(?:i|aci)|chi siamo|spedizion[ei](?: e "
    r"resi)?|resi|domande frequenti|t[ée]rminos y condiciones|condiciones (?:generales|de venta)|"
    r"pol[íi]tica de (?:privacidad|devoluciones|cookies)|aviso legal|cont[áa]cto|contacta con "
    r"nosotros|qui[ée]nes somos|env[íi]os?(?: y devoluciones)?|devoluciones|preguntas "
    r"frecuentes|ayuda)\b\s*(?:[-–|:·]\s*[^\n]{0,40})?\W*$",
    _F,
)

CART_EMPTY = _words(
    r"\b(?:je|jouw|uw) (?:winkelwagen|winkelmand(?:je)?|mandje) is leeg\b",
    r"\byour (?:shopping )?(?:cart|basket|bag) is (?:currently )?empty\b",
    r"\b(?:ihr|dein) warenkorb ist leer\b",
    r"\bvotre panier est vide\b",
    r"\bil (?:tuo )?carrello [èe] vuoto\b",
    r"\btu (?:carrito|cesta) est[áa] vac[íi][oa]\b",
)

GUEST_CHECKOUT = _words(
    r"\bals gast\b",
    r"\bzonder (?:een )?account\b",
    r"\bguest\b",
    r"\bwithout (?:an )?account\b",
    r"\bohne (?:kunden)?konto\b",
    r"\bohne registrierung\b",
    r"\b(?:en tant qu'|comme )invit[ée]\b",
    r"\bsans (?:cr[ée]er de )?compte\b",
    r"\bcome ospite\b",
    r"\bsenza registrazione\b",
    r"\bcomo invitado\b",
    r"\bsin (?:registrarte|registro|cuenta)\b",
    r"כאורח|כאורחת|ללא הרשמה|בלי הרשמה|ללא חשבון",  # Hebrew: no \b, it joins prefixes to words
)

# --- price -------------------------------------------------------------------------------------

PRICE_CLASS = re.compile(r"pri[cj]|preis|prix|prezzo|precio|amount|cost", _F)
# "old" and "was" as words of a class name ("price--old", "was-price"), not inside "sold-out"
# or "canvas"; Shopware marks the current price "with-list-price" when an old one is shown.
OLD_PRICE_CLASS = re.compile(
    # (not Dawn's and Horizon's "price__regular": the box of a price that is not reduced)
    r"(?<![a-z])old|(?<![a-z])was(?![a-z])|compare|strike|(?<!price__)regular|"
    r"(?<!with-)list-?price|original|"
    r"before|"
    r"uvp|rrp|msrp|"
    r"crossed|previous|van-?prijs|streich|barr|ancien|prezzo-?pieno|tachado",
    _F,
)

VAT = _words(
    r"\b(?:incl\.?|inclusief|excl\.?|exclusief)\s*(?:\d+\s*%\s*)?btw\b",
    r"\bbtw\b",
    r"\b(?:incl\.?|including|excl\.?|excluding|plus)\s*(?:\d+\s*%\s*)?(?:vat|tax(?:es)?|gst)\b",
    r"\bvat\b",
    r"\b(?:inkl\.?|zzgl\.?|exkl\.?)\s*(?:\d+\s*%\s*)?(?:mwst|ust)\.?",
    r"\bmwst\b|\bmehrwertsteuer\b",
    r"\bttc\b|\bht\b|\btva\b",
    r"\biva\b",
)

TOTAL = _words(
    r"\btota(?:al|le|l)\b",
    r"\b(?:gesamt(?:summe|betrag|preis)?|summe|endbetrag)\b",
    r"\bto pay\b|\bte betalen\b|\bà payer\b|\bda pagare\b|\ba pagar\b",
    r"\bimporte total\b|\bmontant total\b",
)

FEE_WORDS = _words(
    r"\b(?:service|administratie|transactie|behandel|reserverings|boekings)kosten\b",
    r"\b(?:service|handling|processing|booking|convenience|admin(?:istration)?|platform)"
    r" (?:fee|charge|cost)s?\b",
    r"\b(?:service|bearbeitungs|buchungs|verwaltungs|transaktions)geb[üu]hr(?:en)?\b",
    r"\bfrais (?:de (?:dossier|service|gestion|traitement|r[ée]servation)|administratifs)\b",
    r"\b(?:costi|spese|commissioni?) (?:di (?:gestione|servizio|prenotazione|"
    r"elaborazione)|amministrative)\b",
    r"\b(?:gastos|cargos?|tarifa) (?:de (?:gesti[óo]n|servicio|tramitaci[óo]n|reserva))\b",
)

# --- shipping and delivery ---------------------------------------------------------------------

# Carriers: "by Royal Mail Tracked 48 (£3.50)", "PostNL € 4,95", "Colissimo à domicile : 6,90 €".
_CARRIERS = (
    r"royal mail|postnl|dhl|dpd|ups|gls|hermes|evri|colissimo|mondial relay|chronopost|bpost|"
    r"brt|seur|correos|poste italiane|sda|nacex|mrw|fedex|usps|parcelforce|budbee|homerr"
)
SHIPPING_KEYWORD = _words(
    r"\bverzend(?:kosten|ing)\b|\bbezorg(?:kosten|ing)\b|\bverzending\b|\bporto\b",
    r"\bgratis (?:verzonden|bezorgd|thuisbezorgd)\b",
    r"\bshipping\b|\bpostage\b|\bdelivery (?:cost|charge|fee)s?\b|\bfree delivery\b",
    r"\bversand(?:kosten)?(?:frei)?\b|\blieferkosten\b|\bporto\b|\bversandkostenfrei\b",
    r"\bfrais (?:de )?(?:port|livraison|d'exp[ée]dition|d’exp[ée]dition)\b",
    r"\blivraison (?:gratuite|offerte|standard|express)\b",
    r"\b(?:spese|costi) di (?:spedizione|consegna)\b|\bspedizione\b",
    r"\b(?:gastos|costes?|coste) de env[íi]o\b|\benv[íi]o\b",
    r"\b(?:(?:standard|express|next[- ]day|uk|eu) )?delivery\b(?=[^.\n]{0,45}(?:[€£$]|\bfree\b))",
    r"\b(?:levering|bezorging|lieferung|zustellung|livraison|consegna|entrega)\b"
    r"(?=[^.\n]{0,45}(?:[€£$]|\bgratis\b|\bkostenlos|\bgratuit|\boffert))",
    rf"\b(?:{_CARRIERS})\b(?=[^.\n]{{0,45}}(?:[€£$]|\bfree\b|\bgratis\b|\bkostenlos|\bgratuit))",
)

FREE = _words(
    r"\bgratis\b",
    r"\bfree\b",
    r"\bkostenlos(?:e|er|en)?\b|\bversandkostenfrei\b|\bfrei\b",
    r"\bgratuit(?:e|s)?\b|\boffert(?:e|s)?\b",
    r"\bgratuit[oa]\b",
    r"\bgratuito\b|\bsin coste\b|\bsin costo\b",
    r"\bbez op[łl]at\b|\bбесплатно\b|חינם",
    r"\b€\s?0[.,]00\b|(?<![\d,.])0[,.]00\b",
)

# A cart or checkout row about delivery costs: "Delivery (2-3 days) Free", "Versand 4,90 €".
SHIPPING_ROW = _words(
    r"\bverzend(?:kosten|ing)\b|\bbezorg(?:kosten|ing)\b|\bverzending\b|\blevering\b",
    r"\bshipping\b|\bdelivery\b|\bpostage\b|\bcarriage\b",
    r"\bversand(?:kosten)?\b|\blieferung\b|\blieferkosten\b|\bporto\b",
    r"\bfrais (?:de )?(?:port|livraison|d'exp[ée]dition)\b|\blivraison\b",
    r"\bspedizione\b|\bspese di (?:spedizione|consegna)\b|\bconsegna\b",
    r"\bgastos de env[íi]o\b|\benv[íi]o\b|\bentrega\b",
)

SHIPPING_LATER = _words(
    r"\b(?:wordt|worden) (?:berekend|bepaald) (?:bij|tijdens) (?:het )?(?:afrekenen|bestellen)\b",
    r"\b(?:calculated|determined|shown) (?:at|during) checkout\b",
    r"\b(?:wird|werden) (?:an|bei) der kasse berechnet\b|\bim checkout berechnet\b",
    r"\bcalcul[ée]s? (?:lors de|au moment de) (?:la commande|paiement)\b",
    r"\bcalcolat[ei] (?:al|durante il) (?:checkout|pagamento)\b",
    r"\bse calculan? (?:al|en el) (?:finalizar|pago|checkout)\b",
)

DELIVERY_KEYWORD = _words(
    r"\blevertijd\b|\bgeleverd\b|\bbezorgd\b|\bin huis\b|\bverzonden\b|\bbezorging\b|\blevering\b"
    r"|\bleverdatum\b|\bbezorgmoment\b",
    r"\bdeliver(?:y|ed|s)\b|\barrives?\b|\bships?\b|\bshipped\b|\bdispatch(?:ed|es)?\b"
    r"|\bget it\b",
    r"\bliefer(?:zeit|ung|bar|datum|termin)\b|\bgeliefert\b|\bzustellung\b|\bversand\b"
    r"|\bversendet\b|\bbei (?:dir|ihnen)\b",
    r"\blivr(?:aison|[ée]e?s?)\b|\bexp[ée]di(?:[ée]e?s?|tion)\b|\bre[çc]u(?:e|s)?\b",
    r"\bconsegn(?:a|ato|ata)\b|\bspedit[oaei]\b|\bspedizione\b|\bricevilo\b|\barriva\b",
    r"\bentrega(?:do|da)?\b|\benv[íi]o\b|\benviado\b|\brec[íi]belo\b|\bllega\b",
)

_WEEKDAYS = (
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|"
    r"lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo"
)
# Month names and their usual short forms in nl, en, de, fr, it, es and pt (a date such as
# "12 mei", "June 30", "31. August", "1er juillet", "15 de março"): one list for the delivery
# dates the facts read and the end dates a limited-time offer states.
MONTHS = (
    r"jan(?:uari|uary|uar|vier|eiro)?|gennaio|enero|"
    r"feb(?:ruari|ruary|ruar|braio|rero)?|f[ée]v(?:r(?:ier)?|ereiro)?|"
    r"m[äa]r(?:t|ch|z|s|zo|ço)|maart|"
    r"apr(?:il|ile)?|avr(?:il)?|abril|"
    r"mei|may|mai|mag(?:gio)?|mayo|maio|"
    r"jun(?:[ei]|io|ho)?|juin|giugno|"
    r"jul(?:[iy]|io|ho)?|juil(?:let)?|luglio|"
    r"aug(?:ustus|ust)?|ao[uû]t|agosto|"
    r"sep(?:t(?:ember|embre)?)?|sett(?:embre)?|septiembre|setembro|"
    r"o[ck]t(?:ober|obre|ubre)?|ottobre|outubro|"
    r"nov(?:ember|embre|iembre|embro)?|"
    r"de[cz](?:ember)?|d[ée]c(?:embre)?|dicembre|diciembre|dezembro"
)
DELIVERY_TIME = _words(
    r"\b\d+\s*(?:[-–]|tot|to|bis|à|a|al|e|y|-)?\s*\d*\s*"
    r"(?:werk)?dag(?:en)?\b|\b\d+\s*(?:[-–]\s*\d+\s*)?(?:business |working )?days?\b",
    r"\b\d+\s*(?:[-–]\s*\d+\s*)?(?:werk)?tag(?:e|en)?\b|\b\d+\s*(?:[-–]\s*\d+\s*)?"
    r"(?:jours?|giorni|giorno|d[íi]as?)(?: ouvr[ée]s| lavorativi| h[áa]biles| laborables)?\b",
    r"\b\d+\s*(?:[-–]\s*\d+\s*)?(?:h|u|uur|hours?|stunden|heures|ore|horas)\b",
    r"\b\d{1,2}\s*/\s*\d{1,2}\s*h\b",
    r"\b(?:morgen|overmorgen|vandaag|tomorrow|today|next[- ]day|heute|demain|aujourd'hui|"
    r"aujourd’hui|domani|oggi|ma[ñn]ana|hoy|[üu]bermorgen|n[äa]chste[nr]? werktag)\b",
    rf"\b(?:{_WEEKDAYS})\b",
    rf"\b\d{{1,2}}\.?\s*(?:{MONTHS})\b|\b(?:{MONTHS})\.?\s*\d{{1,2}}\b",
    r"(?<![€£$\d.,])\b(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])\b(?:[./-]\d{2,4})?"
    r"(?![.,]\d|\s?[€£$])",
    r"\b(?:weken|weeks?|wochen?|semaines?|settimane?|semanas?)\b",
)

# --- stock -------------------------------------------------------------------------------------

# (pattern, schema.org availability). Order matters: the first matching pattern wins, so
# negations and specific states come before plain "in stock".
# Scripts written without spaces between words (Japanese): no word boundaries, so the word
# index cannot find them; `UNSPACED_STOCK` lets a reader scan for them only on pages that use
# such a script.
_UNSPACED_OUT = re.compile(r"在庫切れ|在庫なし|品切れ|売り切れ|完売|販売終了")
_UNSPACED_PRE = re.compile(r"予約(?:受付|注文|販売|商品)|予約する")
_UNSPACED_BACK = re.compile(r"お取り寄せ|入荷待ち|入荷予定")
_UNSPACED_LIMITED = re.compile(r"残りわずか|残り\d+点")
_UNSPACED_IN = re.compile(r"在庫あり|在庫有り|在庫有|即納|在庫\s*\d+\s*[点個]|在庫数")
UNSPACED_STOCK = frozenset(
    [_UNSPACED_OUT, _UNSPACED_PRE, _UNSPACED_BACK, _UNSPACED_LIMITED, _UNSPACED_IN]
)
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# The "term" of stock phrases that are sales lines rather than statements of the stock.
SALES_LINE = "SalesLine"
STOCK_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Almost sold out (78% sold)": a sales line, not a statement of the stock (the product
    # can be bought); listed before the sold-out words it contains, and read as no statement.
    (
        _words(
            r"\b(?:bijna|vrijwel|nagenoeg) uitverkocht\b",
            r"\b(?:almost|nearly) (?:sold out|gone)\b|\bselling out fast\b",
            r"\b(?:fast|beinahe|nahezu) (?:ausverkauft|vergriffen)\b",
            r"\bpresque [ée]puis[ée]e?s?\b|\bbient[ôo]t [ée]puis[ée]e?s?\b",
            r"\bquasi esaurit[oaie]\b",
            r"\bcasi agotad[oa]s?\b|\bquase esgotad[oa]s?\b",
            r"\bprawie wyprzedan[ya]\b|\bnästan slutsåld\b|\bnæsten udsolgt\b|"
            r"\bnesten utsolgt\b",
            r"\bпочти распродан[оа]?\b|\bσχεδόν εξαντλ",
        ),
        SALES_LINE,
    ),
    (
        _words(
            r"\bniet (?:op voorraad|leverbaar|beschikbaar)\b|\buitverkocht\b|\btijdelijk "
            r"uitverkocht\b",
            r"\bout of stock\b|\bnot in stock\b|\bsold out\b|\bcurrently unavailable\b|"
            r"\bnot available\b|"
            r"\bno longer available\b",
            r"\bnicht (?:auf lager|verf[üu]gbar|lieferbar|vorr[äa]tig)\b|\bausverkauft\b|"
            r"\bvergriffen\b",
            r"\brupture de stock\b|\b[ée]puis[ée]e?\b|\bindisponible\b|\bplus disponible\b|"
            r"\bpas en stock\b",
            r"\besaurit[oa]\b|\bnon disponibile\b|\bnon (?:[èe] )?disponibile\b|\bterminat[oa]\b",
            r"\bagotad[oa]\b|\bsin (?:stock|existencias)\b|\bno disponible\b|\bfuera de stock\b",
            r"\besgotad[oa]\b|\bindispon[íi]vel\b|\bsem (?:stock|estoque)\b|\bfora de estoque\b|"
            r"\bniedost[ęe]pn[ya]\b|"
            r"\bwyprzedan[ya]\b|\bbrak w magazynie\b|\bbrak na stanie\b|\bslutsål[dt]\b|"
            r"\budsolgt\b|\butsolgt\b|\bej i lager\b|\bikke på lager\b|\bej i lager\b|"
            r"\bnení skladem\b|\bvyprodáno\b|\bnicht mehr verf[üu]gbar\b",
            r"\bאזל(?: מה?מלאי)?|\bלא (?:במלאי|זמין)\b|\bחסר במלאי\b",
            r"\bнет в наличии\b|\bраспродан[оа]?\b|\bзакончил(?:ся|ась|ось)\b|"
            r"\bотсутствует\b|\bнедоступ(?:ен|на|но)\b",
            r"\bεξαντλ(?:ήθηκε|ημένο)\b|\bμη διαθέσιμο\b|\bδεν είναι διαθέσιμο\b|"
            r"\bεκτός αποθέματος\b",
        ),
        "OutOfStock",
    ),
    (_UNSPACED_OUT, "OutOfStock"),
    (
        _words(
            r"\bpre-?order\b|\bvoorbestel(?:len|ling)?\b|\bverschijnt\b|\bvoorverkoop\b|"
            # (not "Reserveer in de winkel": a click-and-collect reservation of stock in a shop)
            r"\breserveer(?: nu)?\b(?! (?:in|bij) (?:de |onze |een )?(?:winkel|filiaal|vestiging))",
            r"\bvorbestell(?:en|ung|bar)\b|\bvorverkauf\b",
            r"\bpr[ée]-?commande\b|\bpr[ée]commander\b|\bpr[ée]vente\b",
            r"\bpreordina(?:re|zione)?\b|\bpre-?ordine\b|\bprevendita\b",
            r"\bpre-?(?:venta|reserva)\b|\breservar\b",
            r"\bpr[ée]-?venda\b|\bprzedsprzeda[żz]|\bf[öo]r(?:hands)?best[äa]ll|\bforudbestil|"
            r"\bforh[åa]ndsbestill|\bpředobjedn",
            r"\bהזמנה מוקדמת\b|\bבהזמנה מראש\b",
            r"\bпредзаказ\b|\bпредварительный заказ\b|\bожидается в продаже\b",
            r"\bπρο-?παραγγελία\b",
            # "available from <date>": not yet in stock, orderable ahead
            r"\bavailable from \d|\bverf[üu]gbar ab \d|\bbeschikbaar (?:vanaf|per) \d|"
            r"\bdisponible (?:à partir du|dès le|a partir del) \d|\bdisponibile dal \d|"
            r"\bdispon[íi]vel a partir de \d|\bdost[ęe]pn[ya] od \d|\bдоступ(?:ен|но) с \d",
        ),
        "PreOrder",
    ),
    (_UNSPACED_PRE, "PreOrder"),
    (
        _words(
            r"\bnabestel(?:d|ling)\b|\bwordt nabesteld\b|\bbackorder\b|\bback-?ordered\b",
            r"\bnachbestellt\b|\bwird nachgeliefert\b|\bbald wieder\b",
            r"\ben r[ée]approvisionnement\b|\bbient[ôo]t (?:de retour|disponible)\b",
            r"\bin (?:riassortimento|arrivo)\b|\bdi nuovo disponibile\b",
            r"\b(?:pr[óo]ximamente|en reposici[óo]n)\b",
            r"\bexpected (?:back|in stock)\b|\bback in stock (?:on|soon)\b|\bweer op voorraad "
            r"(?:op|vanaf)\b|\bavailable on backorder\b|\bon backorder\b|"
            r"\bavailable (?:to|for) order\b|\bships in \d+\s*[-–]\s*\d+ weeks\b",
            r"\bop voorraad bij (?:de |onze )?leverancier\b|\bin stock (?:at|with) (?:the |our )?"
            r"suppliers?\b|\bbeim lieferanten (?:auf lager|vorr[äa]tig)\b|\ben stock (?:chez le |"
            r")fournisseur\b|\bdisponibile (?:presso il|dal) fornitore\b|\ben stock en (?:el )?"
            r"proveedor\b|"
            r"\bsu ordinazione\b|\bbajo pedido\b|\bpor encargo\b|\bsur commande\b|"
            r"\bauf bestellung\b|\bop bestelling\b|\bsob encomenda\b|\bna zam[óo]wienie\b|"
            r"\bbeställningsvara\b|\bskaffevare\b",
            r"\bבהזמנה\b|\bבהזמנה מיוחדת\b",
            r"\bпод заказ\b|\bожидается поступление\b",
            r"\bκατόπιν παραγγελίας\b|\bσε αναμονή\b",
        ),
        "BackOrder",
    ),
    (_UNSPACED_BACK, "BackOrder"),
    (
        _words(
            r"\b(?:nog (?:maar )?|slechts |laatste )\d+\b.{0,20}\b(?:op voorraad|beschikbaar|"
            r"over|stuks?)\b|\blaatste (?:stuks?|exemplaren)\b|\bbeperkte voorraad\b",
            r"\bonly \d+ (?:left|remaining|in stock)\b|\blimited stock\b|\blow (?:in )?stock\b|"
            r"\bfew left\b|\blast (?:one|few|items?)\b",
            r"\bnur noch \d+\b|\bwenige (?:st[üu]ck |artikel )?(?:auf lager|verf[üu]gbar|"
            r"vorr[äa]tig)\b|\bnur noch wenige\b|\bnog (?:maar )?(?:enkele|een paar)\b|"
            r"\bonly a few (?:left|remaining)\b|\bplus que quelques\b|\bsolo pochi pezzi\b|"
            r"\bquedan pocas\b|"
            r"\bgeringer bestand\b",
            # (not "Plus que 74,99 € pour la livraison gratuite": an amount left to spend)
            r"\bplus que \d+\b(?![.,]\d|\s?[€$£])|\bplus qu'un\b|\bstock limit[ée]\b|"
            r"\bderniers? (?:articles?|exemplaires?)\b",
            r"\bsolo \d+ (?:rimast[ie]|disponibil[ie]|pezzi)\b|\bultimi pezzi\b|"
            r"\bscorte limitate\b",
            r"\bs[óo]lo quedan? \d+\b|\b[úu]ltimas unidades\b|\bstock limitado\b|"
            r"\bquedan \d+\b",
        ),
        "LimitedAvailability",
    ),
    (_UNSPACED_LIMITED, "LimitedAvailability"),
    (
        _words(
            r"\b(?:(?:direct|ruim|per direct) )?(?:op voorraad|leverbaar|uit voorraad leverbaar)\b",
            # (not "Available options", "available in 3 colours", "available for pick-up")
            r"\bin stock\b|\bavailable(?: now)?\b(?! (?:options?|colou?rs?|sizes?|variants?|"
            r"styles?|in|for|from|at|on|to|with)\b)|\bready to ship\b",
            r"\b(?:auf lager|lieferbar|sofort lieferbar|verf[üu]gbar|vorr[äa]tig)\b",
            r"\ben stock\b|\bdisponible\b|\ben magasin\b",
            r"\bdisponibil(?:e|it[àa] immediata)\b|\bin magazzino\b",
            r"\ben stock\b|\bdisponible\b|\ben existencias?\b|\bhay existencias\b|"
            r"\bquedan existencias\b",
            r"\bem stock\b|\bdispon[íi]vel\b|\bdost[ęe]pny\b|\bw magazynie\b|\bi lager\b|"
            r"\bpå lager\b",
            r"\bבמלאי\b|\bזמין\b",
            r"\bв наличии\b|\bесть в наличии\b",
            r"\bδιαθέσιμ(?:ο|α|η)\b|\bάμεσα διαθέσιμο\b|\bσε απόθεμα\b|\bδιαθεσιμότητα: άμεση\b",
        ),
        "InStock",
    ),
    (_UNSPACED_IN, "InStock"),
)

LOW_STOCK = _words(
    r"\b(?:nog (?:maar )?|slechts |laatste )(?P<n1>\d+)\b[^.\n]{0,25}\b(?:op voorraad|"
    r"beschikbaar|over|stuks?|verkrijgbaar|exempla(?:ar|ren))\b",
    r"\bonly (?P<n2>\d+) (?:left|remaining|in stock|available)\b|\b(?P<n3>\d+) left in stock\b",
    r"\bnur noch (?P<n4>\d+)\b",
    r"\bplus que (?P<n5>\d+)\b|\bil (?:ne )?reste (?:seulement )?(?P<n6>\d+)\b",
    r"\bsolo (?P<n7>\d+) (?:rimast[ie]|disponibil[ie]|pezzi)\b|\bne rimangono (?:solo )?"
    r"(?P<n8>\d+)\b",
    r"\bs[óo]lo quedan? (?P<n9>\d+)\b|\bquedan (?:s[óo]lo )?(?P<n10>\d+)\b",
    r"\bnog (?:maar )?(?:enkele|een paar|weinig)\b[^.\n]{0,25}\b(?:op voorraad|beschikbaar|over|"
    r"stuks?)\b|\bonly a few (?:left|remaining)\b|\bfew left\b|\b(?:nur )?noch wenige\b|"
    r"\bwenige (?:st[üu]ck |artikel )?(?:auf lager|verf[üu]gbar|vorr[äa]tig)\b|"
    r"\bplus que quelques\b|\bsolo (?:pochi|alcuni) pezzi\b|\bquedan pocas?\b|"
    r"\bpocas unidades\b|"
    r"\bbijna uitverkocht\b|\balmost (?:gone|sold out)\b|\bselling out\b|\bfast ausverkauft\b|"
    r"\bpresque [ée]puis[ée]\b|\bquasi esaurit[oa]\b|\bcasi agotad[oa]\b|"
    r"\blaatste (?:kans|stuks)\b|"
    r"\blast chance\b|\bletzte chance\b|\bderni[èe]re chance\b|\bultima occasione\b|"
    r"\b[úu]ltima oportunidad\b|\bhurry\b|\bschnell sein\b|\bwees er snel bij\b|"
    r"\bd[ée]p[êe]chez-vous\b|\baffrettati\b|\bdate prisa\b|\bvite\b(?= ?!)",
)

HIGH_DEMAND = _words(
    r"\bveel gevraagd\b|\bpopulair(?:e keuze)?\b.{0,20}\bnu\b|\bhardloper\b|\bgaat hard\b|"
    r"\bin (?:\d+ )?winkelwagen(?:s|tjes)\b",
    r"\bin high demand\b|\bselling fast\b|\bhot item\b|\btrending\b|\bpopular right now\b|"
    r"\bin \d+ (?:carts|baskets|bags)\b|\bin (?:other )?people's (?:carts|baskets|bags)\b",
    r"\bsehr gefragt\b|\bstark nachgefragt\b|\bbeliebt\b.{0,10}\bgerade\b|"
    r"\bin \d+ warenk[öo]rben\b",
    r"\btr[èe]s demand[ée]e?\b|\bforte demande\b|\bpart vite\b|\bdans \d+ paniers\b",
    r"\bmolto richiest[oa]\b|\balta richiesta\b|\bva a ruba\b|\bin \d+ carrelli\b",
    r"\bmuy solicitad[oa]\b|\balta demanda\b|\bse vende r[áa]pido\b|\ben \d+ carritos\b",
)

SOCIAL_PROOF = _words(
    r"\b\d+ (?:mensen|personen|bezoekers|klanten|anderen)\b[^.\n]{0,30}\b(?:bekijken|kijken|"
    r"bekeken|kochten|hebben .{0,15}gekocht|bestelden)\b",
    r"\b(?:iemand|klant) (?:uit|in) [A-Z][\w'-]+[^.\n]{0,60}\b(?:kocht|bestelde|gekocht|besteld)\b",
    r"\b\d+ (?:people|persons|visitors|shoppers|customers|others|users)\b[^.\n]{0,30}\b(?:are "
    r"(?:viewing|looking|watching)|viewed|bought|purchased|ordered|have this in)\b",
    r"\b(?:someone|a customer|a shopper) (?:in|from) [A-Z][\w'-]+[^.\n]{0,60}"
    r"\b(?:bought|purchased|ordered)\b",
    r"\b\d+ (?:personen|besucher|kunden|leute|andere)\b[^.\n]{0,30}\b(?:sehen|schauen|"
    r"betrachten|kauften|haben .{0,15}gekauft)\b",
    r"\bjemand aus [A-Z][\w'-]+[^.\n]{0,60}\b(?:kaufte|gekauft|bestellte|bestellt)\b",
    r"\b\d+ (?:personnes|visiteurs|clients)\b[^.\n]{0,30}\b(?:regardent|consultent|ont "
    r"(?:achet[ée]|consult[ée]|vu)|voient)\b",
    r"\bquelqu'un (?:de|à|a) [A-Z][\w'-]+[^.\n]{0,60}\b(?:achet[ée]|command[ée])\b",
    r"\b\d+ (?:persone|visitatori|clienti|utenti)\b[^.\n]{0,30}\b(?:stanno (?:guardando|"
    r"visualizzando)|hanno (?:acquistato|comprato|visto)|guardano)\b",
    r"\bqualcuno (?:da|a) [A-Z][\w'-]+[^.\n]{0,60}\b(?:acquistato|comprato|ordinato)\b",
    r"\b\d+ (?:personas|visitantes|clientes|usuarios)\b[^.\n]{0,30}\b(?:est[áa]n (?:viendo|"
    r"mirando)|han (?:comprado|visto)|compraron|ven)\b",
    r"\balguien (?:de|en) [A-Z][\w'-]+[^.\n]{0,60}\b(?:comprado|compr[óo]|pedido)\b",
    r"\b\d+\s*(?:x\s*)?(?:verkocht|gekocht|sold|bought|verkauft|gekauft|vendus?|venduti|"
    r"vendidos|comprados)\b[^.\n]{0,15}\b(?:laatste|afgelopen|last|past|letzten|derni[èe]res?|"
    r"ultime|[úu]ltimas?|vandaag|today|heute|aujourd'hui|oggi|hoy)\b",
)

COUNTDOWN_TEXT = _words(
    r"\b(?:aanbieding|actie|deal|korting|sale|uitverkoop)\b[^\n]{0,30}\b(?:eindigt|verloopt|"
    r"loopt af|nog)\b",
    r"\b(?:offer|deal|sale|discount|price|promotion)\b[^\n]{0,30}\b(?:ends|expires|ending)\b",
    r"\b(?:angebot|aktion|deal|rabatt|sale)\b[^\n]{0,30}\b(?:endet|l[äa]uft ab|nur noch)\b",
    r"\b(?:offre|promo(?:tion)?|vente|soldes?)\b[^\n]{0,30}\b(?:se termine|expire|"
    r"prend fin|termine)\b",
    r"\b(?:offerta|promozione|sconto|saldi)\b[^\n]{0,30}\b(?:termina|scade|finisce)\b",
    r"\b(?:oferta|promoci[óo]n|descuento|rebajas)\b[^\n]{0,30}\b(?:termina|acaba|expira|"
    r"finaliza)\b",
    # "Order within 2 hrs 14 mins", "Ordina entro 2 ore e 14 minuti" — a time left, not
    # "made to order, dispatched within 3–5 working days".
    r"\b(?:bestel|order|bestellen sie|commandez|ordina|pide|compra)\b[^\n]{0,25}"
    r"\b(?:binnen|within|innerhalb(?: de[rn])?|dans les|d'ici|entro|en las pr[óo]ximas)\s+"
    r"(?:(?:de|le|las|les)\s+)?(?:\d+\s*(?:h\b|hrs?\b|hours?\b|uur\b|u\b|std\b|stunden\b|"
    r"heures?\b|ore\b|horas?\b|min\b|mins\b|minut\w*)|\d{1,2}\s*:\s*\d{2})",
)

# A running clock: "00:14:59", "2u 14m 09s".
COUNTDOWN_CLOCK = re.compile(
    r"\b\d{1,2}\s*:\s*\d{2}\s*:\s*\d{2}\b"
    r"|\b\d{1,2}\s*(?:u|h|uur|std|hrs?)\.?\s*\d{1,2}\s*(?:m|min)\.?\s*\d{1,2}\s*(?:s|sec)\b",
    _F,
)

# --- returns, terms, contact, reviews -----------------------------------------------------------

RETURNS_KEYWORD = _words(
    r"\bretour(?:neren|recht|beleid|zending|termijn)?\b|\bbedenktijd\b|\bruilen\b|"
    r"\bterugsturen\b|\bherroeping",
    r"\breturns?\b|\brefunds?\b|\bexchange\b|\bmoney[- ]back\b|\bcooling[- ]off\b",
    r"\br[üu]ckgabe(?:recht)?\b|\br[üu]cksendung\b|\bwiderruf(?:srecht)?\b|\bumtausch\b|"
    r"\bretoure\b|\bzur[üu]cksenden\b",
    r"\bretours?\b|\br[ée]tractation\b|\brembours(?:ement|[ée])\b|\b[ée]change\b|"
    r"\bchanger d'avis\b",
    r"\bres[oi]\b|\brestituzione\b|\brecesso\b|\brimborso\b|\bcambio\b",
    r"\bdevoluci[óo]n(?:es)?\b|\bdesistimiento\b|\breembolso\b|\bcambios?\b",
)

RETURN_DAYS = _words(
    r"\b(?P<d1>\d{1,3})[ -]?(?:dagen|dag|days?|tage(?:n)?|jours|giorni|d[íi]as)\b",
    r"\b(?P<d2>\d{1,3})-day\b",
)

TERMS = _words(
    r"\balgemene (?:voorwaarden|verkoopvoorwaarden|leveringsvoorwaarden)\b|\bvoorwaarden\b",
    r"\bterms(?: (?:and|&) conditions| of (?:sale|service|use))?\b|\bconditions of sale\b|"
    r"\bt&cs?\b",
    r"\bagb\b|\ballgemeine gesch[äa]ftsbedingungen\b|\bgesch[äa]ftsbedingungen\b",
    r"\bcgv\b|\bconditions g[ée]n[ée]rales\b|\bmentions l[ée]gales\b",
    r"\btermini e condizioni\b|\bcondizioni (?:generali|di vendita)\b",
    r"\bt[ée]rminos y condiciones\b|\bcondiciones (?:generales|de (?:venta|compra))\b|"
    r"\bt[ée]rminos\b",
)

CONTACT = _words(
    r"\bcontact(?:eer|eren)?\b|\bklantenservice\b|\bklantendienst\b|\bbel ons\b|\bmail ons\b|"
    r"\bchat\b",
    r"\bcustomer (?:service|care|support)\b|\bhelp ?(?:desk|center|centre)\b|\bcall us\b|"
    r"\bemail us\b|\bsupport\b",
    r"\bkontakt(?:formular|ieren)?\b|\bkundenservice\b|\bkundendienst\b|\bhilfe\b",
    r"\bnous contacter\b|\bcontactez-nous\b|\bservice client\b|\baide\b",
    r"\bcontatt(?:i|aci)\b|\bassistenza(?: clienti)?\b|\bservizio clienti\b",
    r"\bcont[áa]ct(?:o|anos)\b|\batenci[óo]n al cliente\b|\bayuda\b",
)

REVIEWS = _words(
    r"\b(?:reviews?|beoordeling(?:en)?|recensies?|ervaringen)\b",
    r"\b(?:ratings?|customer reviews|testimonials)\b",
    r"\b(?:bewertung(?:en)?|rezension(?:en)?|kundenmeinungen)\b",
    r"\b(?:avis(?: clients)?|[ée]valuations?|notes? clients?)\b",
    r"\b(?:recensioni|valutazion[ei]|opinioni)\b",
    r"\b(?:opiniones|rese[ñn]as|valoraciones)\b",
)

# A rating written as a score out of five ("4,6 van 5", "4.8/5", "4,2 sur 5"); stars ("★") are
# looked for as characters.
RATING = re.compile(r"\b\d(?:[.,]\d)?\s*(?:/|van|out of|von|sur|su|de)\s*5\b", _F)
RATING_STARS = ("★", "☆")

# Headings over other products: related, recommended, recently viewed, bought together.
RELATED_HEADING = _words(
    r"\bgerelateerde? (?:producten|artikelen)\b|\bmisschien ook\b|\b(?:anderen|klanten) "
    r"(?:bekeken|kochten) ook\b|\bvaak samen gekocht\b|\bonlangs bekeken\b|"
    r"\bbekijk ook\b|\bdit vind je misschien\b",
    r"\brelated (?:products|items)\b|\byou (?:may|might) also like\b|\bcustomers (?:who "
    r"(?:bought|viewed) this )?also (?:bought|viewed|liked)\b|\brecently viewed\b|"
    r"\bfrequently bought together\b|\bcomplete the look\b|\bsimilar (?:products|items)\b|"
    r"\brecommended for you\b",
    r"\bdas k[öo]nnte (?:ihnen|dir) auch gefallen\b|\b[äa]hnliche (?:produkte|artikel)\b|"
    r"\bkunden kauften auch\b|\bpassend dazu\b|\bzuletzt angesehen\b|\bempfehlungen\b",
    r"\bvous aimerez (?:peut-[êe]tre )?aussi\b|\bproduits (?:similaires|associ[ée]s)\b|"
    r"\brécemment consultés\b|\bsouvent achet[ée]s ensemble\b",
    r"\bti (?:potrebbe|potrebbero) (?:interessare|piacere)\b|\bpotrebbe interessarti\b|"
    r"\bprodotti (?:correlati|simili)\b|\bvisti di recente\b|\bspesso comprati insieme\b",
    r"\btambi[ée]n te (?:puede|podr[íi]a) (?:gustar|interesar)\b|\bte puede interesar\b|"
    r"\bproductos (?:relacionados|similares)\b|\bvistos recientemente\b|"
    r"\bcomprados juntos\b",
)

# --- specifications ----------------------------------------------------------------------------

SPEC_KEYS: dict[str, re.Pattern[str]] = {
    "dimensions": _words(
        r"\bafmeting(?:en)?\b|\bmaat\b|\bmaten\b|\bformaat\b|\bhoogte\b|\bbreedte\b|\blengte\b|"
        r"\bdiepte\b|\binhoud\b",
        r"\bdimensions?\b|\bsize\b|\bheight\b|\bwidth\b|\blength\b|\bdepth\b|\bcapacity\b|"
        r"\bvolume\b",
        r"\babmessung(?:en)?\b|\bmaße\b|\bmasse\b|\bgrö(?:ß|ss)e\b|\bgro(?:ß|ss)e\b|"
        r"\bh[öo]he\b|\bbreite\b|"
        r"\bl[äa]nge\b|\btiefe\b",
        r"\btaille\b|\bhauteur\b|\blargeur\b|\blongueur\b|\bprofondeur\b|\bcontenance\b",
        r"\bdimensioni\b|\bmisur[ae]\b|\btaglia\b|\baltezza\b|\blarghezza\b|\blunghezza\b",
        r"\bmedidas?\b|\bdimensiones\b|\btalla\b|\baltura\b|\bancho\b|\blargo\b|\bcapacidad\b",
    ),
    "weight": _words(r"\bgewicht\b|\bweight\b|\bpoids\b|\bpeso\b"),
    "material": _words(
        r"\bmateria(?:al|l|le|ux|les)\b|\bmati[èe]res?\b|\bstof\b|\bsamenstelling\b|\bcomposition\b|"
        r"\bfabric\b|\bzusammensetzung\b|\bstoff\b|\btessuto\b|\bcomposizione\b|\btejido\b|"
        r"\bcomposici[óo]n\b",
        # The material itself, when the page names it without a "material" label.
        r"\b(?:kunststoff|plastic|plastique|plastica|pl[áa]stico|holz|hout|wood(?:en)?|bois|"
        r"legno|madera|metall?|metaal|m[ée]tal|metallo|aluminium|aluminum|alluminio|aluminio|"
        r"edelstahl|rvs|stainless steel|inox|acciaio|acero|acier|staal|stahl|steel|leder|leer|"
        r"leather|cuir|pelle|cuero|katoen|baumwolle|cotton|coton|cotone|algod[óo]n|polyester|"
        r"nylon|wol|wolle|wool|laine|lana|merino|linnen|leinen|linen|lin|lino|glas|glass|verre|"
        r"vetro|vidrio|keramiek|keramik|ceramic|c[ée]ramique|ceramica|cer[áa]mica|stoneware|"
        r"steengoed|porselein|porzellan|porcelain|porcelaine|porcellana|bamboe|bambus|bamboo|"
        r"bambou|bamb[úu]|silicone|silikon|rubber|gummi|caoutchouc|gomma|goma|tpe|eva)\b",
    ),
    "colour": _words(
        r"\bkleur(?:en)?\b|\bcolou?rs?\b|\bfarbe(?:n)?\b|\bcouleurs?\b|\bcolor[ei]\b|"
        r"\bcolores?\b",
    ),
}

# Measurements written without a label: "40 x 30 x 15 cm", "1,2 kg".
SPEC_NUMBERS: dict[str, re.Pattern[str]] = {
    "dimensions": re.compile(
        r"\b\d+(?:[.,]\d+)?\s*[x×]\s*\d+(?:[.,]\d+)?(?:\s*[x×]\s*\d+(?:[.,]\d+)?)?\s*(?:mm|cm|m)\b",
        _F,
    ),
    "weight": re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:kg|gram|grams|gramm|g|lbs?|oz)\b", _F),
}

# --- dark patterns -----------------------------------------------------------------------------

PAID_EXTRA = _words(
    # (Dutch and German write compounds: "Pakketverzekering", "Versandschutz")
    r"verzeker(?:ing|d)\b|\bgarantie(?:verlenging)?\b|\bcadeauverpakking\b|\binpakken\b|"
    r"(?:pakket|verzend)bescherming\b|"
    r"\bdonatie\b|\bdoneer\b|\bgoed doel\b|\bco2[- ]?compensatie\b|\bbeschermingsplan\b",
    r"\binsurance\b|\binsured\b|\bprotection plan\b|\b(?:extended )?warranty\b|"
    r"\b(?:package|parcel|shipping|shipment|route|delivery) protection\b|"
    r"\bgift ?wrap(?:ping)?\b|\bdonat(?:e|ion)\b|\bcharity\b|\bcarbon offset\b|\bpriority\b",
    r"versicherung\b|\bversichert\b|versandschutz\b|\bgarantieverl[äa]ngerung\b|\bgeschenkverpackung\b|"
    r"\bspende\b|\bspenden\b|\bklimaneutral\b",
    r"\bassurance\b|\bassur[ée]\b|\bextension de garantie\b|\bemballage cadeau\b|\bdon\b|"
    r"\bfaire un don\b|\bcompensation carbone\b",
    r"\bassicurazione\b|\bassicurat[oa]\b|\bestensione (?:di )?garanzia\b|"
    r"\bconfezione regalo\b|\bdonazione\b|\bdona(?:re)?\b",
    r"\bseguro\b|\basegurad[oa]\b|\bgarant[íi]a extendida\b|\bpapel de regalo\b|"
    r"\benvolver para regalo\b|\bdonaci[óo]n\b|\bdonar\b",
)

NEWSLETTER = _words(
    r"\bnieuwsbrief\b|\baanbiedingen (?:per|via) e-?mail\b|\bmarketing\b",
    r"\bnewsletter\b|\bsubscribe\b|\bpromotional e-?mails?\b|\bspecial offers\b|"
    r"\bmarketing e-?mails?\b",
    r"\bnewsletter\b|\bwerbung\b|\bangebote per e-?mail\b",
    r"\blettre d'information\b|\binfolettre\b|\boffres (?:promotionnelles|par e-?mail)\b",
    r"\bnewsletter\b|\bofferte (?:via|per) e-?mail\b|\bcomunicazioni (?:commerciali|"
    r"promozionali)\b",
    r"\bbolet[íi]n\b|\bofertas (?:por|v[íi]a) (?:e-?mail|correo)\b|\bcomunicaciones comerciales\b",
)

DECLINE_START = _words(
    r"^\s*(?:nee|neen)\b|^\s*ik (?:wil|hoef) (?:geen|niet)\b|^\s*liever niet\b",
    r"^\s*no\b|^\s*i (?:don't|do not|dont) (?:want|need|like|care)\b|^\s*i'?(?:ll| will) "
    r"(?:pass|skip)\b|^\s*i prefer\b|^\s*i'?d rather\b|^\s*skip\b|^\s*maybe later\b",
    r"^\s*nein\b|^\s*ich (?:will|m[öo]chte|brauche) (?:kein|nicht)\b|^\s*lieber nicht\b",
    r"^\s*non\b|^\s*je (?:ne )?(?:veux|souhaite) pas\b|^\s*je pr[ée]f[èe]re\b",
    r"^\s*no\b|^\s*non (?:voglio|mi interessa)\b|^\s*preferisco\b",
    r"^\s*no\b|^\s*no quiero\b|^\s*prefiero\b",
)

CONFIRMSHAMING = _words(
    r"\b(?:volle|hele) prijs\b|\bhoud(?:en)? niet van\b|\bgeef niet om\b|\bmis liever\b|"
    r"\bbetaal liever\b|\bwil geen (?:korting|voordeel|geld besparen)\b|\bhaat\b|"
    r"\bgeen (?:voordeel|korting|geld besparen)\b|\bblijf liever\b|\bniet slim\b",
    r"\bfull price\b|\bpay (?:more|full)\b|\b(?:don't|do not|dont) (?:like|want|care)"
    r"(?: about)? (?:saving|savings|money|deals|discounts|free|good)\b|\bhate\b|"
    r"\bmiss out\b|\bsaving money\b|\bi'?m not interested in (?:saving|deals|discounts)\b|"
    r"\brather pay\b|\bboring\b|\bdumb\b|\bstay (?:uninformed|ignorant)\b|\bno discount\b",
    r"\bvollen preis\b|\bmehr (?:zahlen|bezahlen)\b|\bverzichte (?:gerne |lieber )?auf\b|"
    r"\bspare nicht gern\b|\bkein(?:en)? rabatt\b|\bhasse\b|\bmag kein(?:e|en)? "
    r"(?:schn[äa]ppchen|rabatte)\b",
    r"\bplein tarif\b|\bprix fort\b|\bpayer plus\b|\bd[ée]teste\b|\bn'aime pas "
    r"(?:les )?(?:[ée]conomies|r[ée]ductions|bonnes affaires)\b|\bpas de r[ée]duction\b|"
    r"\brenonce (?:aux|[àa])\b",
    r"\bprezzo pieno\b|\bpagare di pi[ùu]\b|\bodio\b|\bnon mi piace risparmiare\b|"
    r"\bnessuno sconto\b|\brinuncio\b",
    r"\bprecio completo\b|\bpagar m[áa]s\b|\bodio\b|\bno me gusta ahorrar\b|"
    r"\bsin descuento\b|\brenuncio\b",
)
