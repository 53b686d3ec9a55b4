"""Misdirection: confirmshaming, pre-selected options and trick questions (Mathur et al. 2019).

Confirmshaming words the decline option so that declining feels foolish ("No thanks, I don't
like saving money"), in a button, a link or the text of a pop-up. Pre-selected options tick a
paid extra or a marketing opt-in for the shopper — the EU Consumer Rights Directive (art. 22)
forbids inferring consent to extra payments from them. Trick questions phrase an opt-out so
that ticking the box does the opposite of what a quick reader expects ("Untick this box if
you do not wish to not receive…").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.dark_patterns.phrases import el, he, phrases
from defenceline.checks.page import Page, ancestors, class_text
from defenceline.checks.registry import Context, Hit, register

__all__ = ["DECLINE", "SHAMING", "TRICK_QUESTION"]

# The decline option's opening: "No thanks", "Nee, bedankt", "Nein danke", "לא תודה". Only
# searched in blocks that already hold a shaming phrase, so it needs no trigger words.
DECLINE = re.compile(
    "|".join(
        (
            r"\b(?:nee|neen)\b|\bik (?:wil|hoef|ga) (?:geen|niet|liever)\b|\bliever niet\b|"
            r"\bnee,? bedankt\b|\bik sla\b|\bik betaal liever\b|\bik mis\b",
            r"\bno\b|\bnope\b|\bnah\b|\bi (?:don'?t|do not) (?:want|need|like|care)\b|"
            r"\bi'?(?:ll| will) (?:pass|skip|stay|keep|pay)\b|\bi prefer\b|\bi'?d (?:rather|"
            r"prefer)\b|"
            r"\bskip\b|\bmaybe later\b|\bnot (?:now|today|interested)\b|\bi'?m (?:not|fine|good|"
            r"ok)\b|"
            r"\bi (?:like|love|enjoy) paying\b",
            r"\bnein\b|\bich (?:will|m[öo]chte|brauche) (?:kein|nicht|lieber)\b|\blieber nicht\b|"
            r"\bich verzichte\b|\bich zahle\b|\bich bezahle\b|\bich mag\b",
            r"\bnon\b|\bje (?:ne )?(?:veux|souhaite) pas\b|\bje pr[ée]f[èe]re\b|"
            r"\bje n'ai pas besoin\b|"
            r"\bje renonce\b|\bpas (?:maintenant|int[ée]ress[ée])\b|\bje n'aime pas\b|"
            r"\bje paierai\b",
            r"\bno\b|\bnon (?:voglio|mi interessa|mi piace|ho bisogno)\b|\bpreferisco\b|"
            r"\brinuncio\b|"
            r"\bno,? grazie\b",
            r"\bno\b|\bno quiero\b|\bprefiero\b|\brenuncio\b|\bno me (?:gusta|interesa)\b|"
            r"\bno,? gracias\b",
            rf"\bלא\b|{he('אוותר', 'מוותר', 'מוותרת', 'מעדיף', 'מעדיפה')}",
            r"\bнет\b|\bnie\b|\bnej\b|\bόχι\b|\bοχι\b|いいえ|結構です",
            r"\bn[ãa]o\b|\bprefiro\b|\bdispenso\b|\babro m[ãa]o\b",
        )
    ),
    re.IGNORECASE,
)

# What makes a decline option shame: the shopper calls themselves foolish for declining.
SHAMING = phrases(
    r"\bbetaal\w*\b[^.\n]{0,20}\b(?:volle|hele|normale) prijs\b|"
    r"\bhoud?(?:en)? niet van\b[^.\n]{0,25}"
    r"\b(?:besparen|korting|voordeel|aanbiedingen|geld|cadeaus|gratis)\b|"
    r"\bgeef niet om\b|\bmis (?:liever|graag)\b|\bbetaal liever\b|\bbetaal graag (?:meer|"
    r"te veel|de volle)\b|\bwil geen (?:korting|voordeel|geld besparen|gratis|cadeau)\b|"
    r"\b(?:hoef|wil) (?:niet|geen) (?:te )?(?:besparen|korting|voordeel)\b|"
    r"\bblijf liever\b|\bniet slim\b|\bhaat (?:besparen|korting|aanbiedingen)\b|"
    r"\bmis (?:mijn|de|deze) (?:korting|voordeel|kans)\b|\bsla (?:mijn |de )?(?:korting|"
    r"voordeel|deal) over\b|\bzie (?:mijn|de) korting (?:graag )?gaan\b",
    r"\bpay(?:ing)? (?:the )?full price\b|\b(?:i'?d|i'?ll|i) (?:rather |happily |gladly )?"
    r"pay (?:more|full|extra|double)\b|\bpaying (?:more|full|extra)\b|\blike to pay (?:more|full|"
    r"extra)\b|\bnot into (?:saving|deals|discounts|bargains)\b|\b(?:don'?t|do not) deserve "
    r"(?:a |the |my )?(?:discount|deal|reward|treat|savings)\b|\bprefer (?:to )?"
    r"pay(?:ing)? (?:more|full|extra|retail)\b|\bpay retail\b|"
    r"\b(?:don'?t|do not) (?:like|want|care)(?: about| for)? (?:to )?(?:saving|savings|"
    r"save|money|deals?|discounts?|free|good|looking|style|my health|rewards|perks|"
    r"bargains|offers)\b|\bhate (?:saving|savings|deals|discounts|free|money)\b|"
    r"\bmiss out\b|\bmissing out\b|\bi'?m not interested in (?:saving|deals|discounts|"
    r"free|money)\b|\brather (?:pay|miss|spend|stay)\b|\bstay (?:uninformed|ignorant|"
    r"boring|behind)\b|\bno (?:discount|savings) for me\b|\bgive up my\b|\bleave money on\b|"
    r"\bwaste (?:my )?money\b|\bi'?m (?:rich|fine paying)\b|\bdon'?t need (?:to save|"
    r"savings|discounts?|a discount|money)\b|\blike paying\b|\benjoy paying\b|"
    # By what it is made of: "no" then "I" refusing something good ("No thanks, I don't want
    # to get 20% off", "Nah, I won't take the free gift").
    r"\b(?:no|nope|nah)\b[^.\n]{0,20}\bi\b[^.\n]{0,20}\b(?:don'?t|do not|won'?t|will not|"
    r"hate|prefer not)\b[^.\n]{0,25}(?:\bsav\w*|\bdiscount\w*|\bdeals?\b|\bmoney\b|"
    r"\bfree\b|\boffers?\b|\brewards?\b|\bperks?\b|\bbargains?\b|\bgifts?\b|% off\b)|"
    r"\b(?:don'?t|do not) (?:want|need) (?:my |a |the |your )?(?:\d+ ?% off|free shipping|"
    r"free gift|reward)\b|\brather not (?:save|get|have|win|claim|receive|take)\b|"
    # Declining what is free means choosing to pay for it: "No, I prefer to pay for shipping".
    r"\bprefer (?:to )?pay(?:ing)? for (?:the |my )?(?:shipping|delivery|postage|returns)\b|"
    r"\b(?:stick (?:with|to)|stay(?: at| with)?) "
    r"(?:the )?full price\b|\b(?:don'?t|do not) (?:want|need|care) to look (?:good|great|"
    r"my best)\b|"
    r"\bwithout (?:my|the) discount\b|\bforfeit\b|\bpass on (?:savings|the discount|"
    r"free|my discount|this deal)\b",
    r"\b(?:lieber|gerne|gern) (?:den )?(?:vollen preis|mehr) (?:zahlen|bezahlen)\b|"
    r"\b(?:zahlen|bezahlen) (?:lieber|gerne) (?:den vollen preis|mehr)\b|\bverzichte (?:gerne |"
    r"lieber )?auf\b|\bauf (?:meine?n? |den |die |das |diesen? )?(?:vorteile?|rabatt|"
    r"gutschein|ersparnis|geschenk|sparvorteil|preisvorteil|angebot)\w* verzichten\b|"
    r"\bspare nicht gern\b|\bmag (?:kein(?:e|en)? |nicht )(?:schn[äa]ppchen|rabatte?|sparen|"
    r"geld sparen|gutscheine|geschenke)\b|\bzahle (?:gerne |lieber )?(?:mehr|den vollen|"
    r"voll)\b|\bbrauche (?:keinen rabatt|kein geld|nicht zu sparen)\b|\bwill (?:nicht "
    r"sparen|keinen rabatt|kein geld sparen)\b|\bm[öo]chte (?:nicht sparen|keinen rabatt|"
    r"kein geld sparen|nichts sparen)\b|\bhasse (?:sparen|rabatte|schn[äa]ppchen)\b",
    r"\bpayer (?:le |au )?(?:plein tarif|prix fort|prix plein)\b|\bpayer plus\b|"
    r"\bn'aime pas (?:les )?(?:[ée]conomies|r[ée]ductions|bonnes affaires|[ée]conomiser|"
    r"cadeaux|promos)\b|\bd[ée]teste (?:[ée]conomiser|les (?:promos|r[ée]ductions))\b|"
    r"\brenonce (?:aux|[àa]) (?:mes |ma |mon |la |le |l')?(?:r[ée]duction|remise|"
    r"[ée]conomies|avantages?|cadeau)\b|\bpas besoin (?:d'[ée]conomiser|de r[ée]duction)\b|"
    r"\bveux pas (?:[ée]conomiser|de r[ée]duction|profiter)\b|\bpr[ée]f[èe]re payer\b",
    r"\bpagare (?:il )?prezzo pieno\b|\bpagare di pi[ùu]\b|\bpago volentieri di pi[ùu]\b|"
    r"\bodio (?:risparmiare|gli sconti)\b|\bnon mi piac(?:e|ciono) (?:risparmiare|"
    r"(?:gli |le |i )?(?:sconti|offerte|regali|promozioni))\b|"
    r"\bnon (?:voglio|mi interessa) (?:risparmiare|(?:lo |uno )?sconto)\b|"
    r"\brinuncio (?:al(?:lo)?|a|ai) (?:mio |mia )?(?:sconto|risparmio|vantaggi|regalo)\b|"
    r"\bpreferisco pagare\b",
    r"\bpagar (?:el )?precio (?:completo|total|lleno)\b|\bpagar m[áa]s\b|\bodio (?:ahorrar|"
    r"los descuentos)\b|"
    r"\bno me gustan? (?:ahorrar|(?:los |las )?(?:descuentos|ofertas|regalos|promociones|"
    r"rebajas))\b|\bno quiero "
    r"(?:ahorrar|(?:mi |un )?descuento)\b|\brenuncio a (?:mi |el |la )?(?:descuento|ahorro|"
    r"regalo|ventajas)\b|\bprefiero pagar\b|\bno me interesa ahorrar\b",
    r"\bpagar (?:o )?pre[çc]o (?:cheio|integral|total)\b|\bpagar (?:mais|a mais|mais caro|pelo "
    r"frete)\b|\bprefiro pagar\b|\bn[ãa]o gosto de (?:economizar|poupar|descontos?|"
    r"promo[çc][õo]es|presentes|brindes)\b|"
    r"\bn[ãa]o quero (?:economizar|poupar|(?:o |meu |um )?desconto)\b|"
    r"\bodeio (?:economizar|poupar|descontos)\b|\babro m[ãa]o (?:do|da|de) (?:meu |minha )?"
    r"(?:desconto|cupom|brinde|frete gr[áa]tis)\b",
    rf"{he('לשלם')}\s+{he('יותר', 'מחיר')}|"
    rf"\bלא\s+{he('אוהב', 'אוהבת')}\s+{he('לחסוך', 'הנחות', 'מבצעים')}|\bלא\s+"
    rf"{he('רוצה', 'צריך', 'צריכה')}\s+"
    rf"{he('לחסוך', 'הנחה', 'הנחות')}|{he('מוותר', 'מוותרת', 'אוותר')}\s+{he('על')}\s+"
    rf"{he('ההנחה', 'הנחה', 'החיסכון', 'המתנה', 'ההטבה')}",
    r"\bне люблю (?:скидки|экономить|выгод\w*|подарки)\b|\bне хочу (?:экономить|скидк\w*|"
    r"подар\w*)\b|\b(?:предпочитаю|лучше) (?:платить|заплачу) (?:полную цену|больше)\b|"
    r"\bзаплачу полную цену\b|\bотказываюсь от (?:скидки|подарка|выгоды)\b",
    r"\bnie lubi[ęe] (?:oszcz[ęe]dza[ćc]|rabat[óo]w|zni[żz]ek|promocji)\b|\bnie chc[ęe] "
    r"(?:oszcz[ęe]dza[ćc]|rabatu|zni[żz]ki)\b|\bwol[ęe] (?:p[łl]aci[ćc]|zap[łl]aci[ćc]) "
    r"(?:pe[łl]n[ąa] cen[ęe]|wi[ęe]cej)\b|\brezygnuj[ęe] z (?:rabatu|prezentu|zni[żz]ki)\b",
    r"\bgillar inte att spara\b|\bvill inte (?:spara|ha rabatt)\b|\bbetalar (?:hellre|g[äa]rna) "
    r"(?:fullpris|mer|fullt pris)\b|\bavst[åa]r (?:fr[åa]n )?(?:min )?rabatt\b",
    rf"\b{el('δεν')} {el('μου')} {el('αρέσει')} {el('να')} (?:{el('εξοικονομώ')}|"
    rf"{el('κερδίζω')})\b|"
    rf"\b{el('προτιμώ')} {el('να')} {el('πληρώσω')} (?:\w+ ){{0,2}}(?:{el('τιμή')}|"
    rf"{el('περισσότερα')})\b|\b{el('δεν')} {el('θέλω')} {el('έκπτωση')}\b",
    unspaced=(
        r"(?:節約|割引|お得)(?:したくない|はいらない|はいりません|は要りません|は不要|に興味がない|"
        r"しなくていい)",
    ),
    needles=("節約", "割引", "お得"),
)

TRICK_QUESTION = phrases(
    r"\bvink (?:dit|het) (?:vakje|hokje) (?:niet )?(?:aan|uit) (?:als|indien) (?:je|u) "
    r"(?:geen|niet)\b|"
    r"\b(?:niet|geen) aan(?:vinken|gevinkt) (?:als|indien) (?:je|u) (?:geen|niet)\b|"
    r"\bals (?:je|u) (?:geen|niet)\b[^.\n]{0,40}\b(?:niet wilt|geen)\b[^.\n]{0,40}"
    r"\bvink\w*\b",
    r"\b(?:un)?(?:check|tick|select|mark) (?:this|the) box (?:if|unless) you (?:do not|don'?t|"
    r"would not|wouldn'?t|prefer not)\b|\b(?:un)?(?:check|tick|select|mark) here if you "
    r"(?:do not|don'?t|would not|wouldn'?t|(?:would )?prefer not)\b|\bnot to not\b|"
    r"\b(?:uncheck|untick|deselect) (?:this|the) box if "
    r"you\b|\bif you (?:do not|don'?t) (?:wish|want) (?:not )?to (?:not )?(?:receive|hear|"
    r"be (?:contacted|informed))\b[^.\n]{0,60}\b(?:check|tick|select|uncheck|untick)\b|"
    r"\b(?:do not|don'?t) (?:un)?(?:check|tick) (?:this|the) box if you (?:do not|don'?t)\b",
    r"\b(?:kreuzen sie|markieren sie|w[äa]hlen sie) (?:dieses|das) (?:feld|k[äa]stchen) "
    r"(?:nicht )?an,? (?:wenn|falls) sie (?:keine|nicht)\b|\bentfernen sie (?:das|den) "
    r"(?:h[äa]kchen|haken),? (?:wenn|falls) sie (?:kein\w*|nicht)\b|\b(?:wenn|falls) sie "
    r"(?:keine|nicht)\b[^.\n]{0,40}\b(?:nicht )?(?:erhalten|informiert) (?:m[öo]chten|wollen)"
    r"[^.\n]{0,30}\b(?:an|ab)(?:kreuzen|w[äa]hlen)\b",
    r"\b(?:cochez|d[ée]cochez) (?:cette|la) case si vous ne (?:souhaitez|voulez|d[ée]sirez) "
    r"pas\b|\bsi vous ne (?:souhaitez|voulez) pas (?:ne pas )?recevoir\b[^.\n]{0,40}"
    r"\b(?:cochez|d[ée]cochez)\b",
    r"\b(?:seleziona|spunta|deseleziona|togli la spunta)(?:re)? (?:questa|la) casella se non "
    r"(?:desideri|vuoi|desidera|vuole)\b|\bse non (?:desideri|vuoi) (?:non )?ricevere\b"
    r"[^.\n]{0,40}\b(?:seleziona|spunta|deseleziona)\b",
    r"\b(?:marca|desmarca|selecciona) (?:esta|la) casilla si no (?:deseas|quieres|desea|"
    r"quiere)\b|\bsi no (?:deseas|quieres) (?:no )?recibir\b[^.\n]{0,40}\b(?:marca|desmarca)\b",
    rf"{he('סמנו', 'סמן', 'סמני', 'הסירו', 'הסר')}[^.\n]{{0,30}}{he('אם')}\s+"
    rf"(?:{he('אינכם', 'אינך', 'אינך')}|"
    rf"{he('לא')})\s+{he('מעוניינים', 'מעוניין', 'מעוניינת', 'רוצה', 'רוצים')}",
    # The same shape - tick or untick the box "if you do not want" - in the other languages.
    r"\b(?:отметьте|снимите|поставьте)\b[^.\n]{0,40}\bесли (?:вы )?не (?:хотите|желаете)\b",
    r"\b(?:zaznacz|odznacz)\b[^.\n]{0,30}\bjeśli nie (?:chcesz|chcecie|życzysz)\b",
    r"\b(?:kryssa i|bocka i|markera|avmarkera)\b[^.\n]{0,30}\bom du inte (?:vill|önskar)\b",
    rf"\b(?:{el('επιλέξτε')}|{el('αποεπιλέξτε')}|{el('τσεκάρετε')})\b[^.\n]{{0,30}}"
    rf"\b{el('αν')} {el('δεν')} (?:{el('θέλετε')}|{el('επιθυμείτε')})\b",
    r"\b(?:marque|desmarque|selecione)\b[^.\n]{0,30}\bse (?:voc[êe] )?n[ãa]o (?:deseja|quer)\b",
    unspaced=(r"(?:ない|しない)ことを希望しない場合は.{0,6}(?:チェック|選択)",),
    needles=("希望しない",),
)

_NO_THANKS_OPTION = re.compile(
    r"^\s*(?:geen|none|no|kein[e]?|aucun[e]?|nessun[oa]?|ninguno|ninguna|sin|zonder|without|"
    r"ohne|sans|senza|ללא|בלי)\b",
    re.I,
)
_OPT_OUT_WORDS = re.compile(
    r"onthoud|remember|merken|souvenir|ricorda|recordar|zelfde|same as|gleich|identique|"
    r"stessa|misma|voorwaarden|terms|agb|cgv|condizioni|condiciones|privacy|זכור|תנאי",
    re.I,
)
_SUBSCRIPTION = re.compile(
    r"\babonnement\b|\babonneer\b|\bsubscri(?:be|ption)\b|\babo\b|\babonnieren\b|"
    r"\babbonamento\b|\babbonati\b|\bsuscripci[óo]n\b|\bsuscr[íi]bete\b|מנוי",
    re.I,
)
# Marketing opt-ins the shared newsletter words do not name: "Email me with news and offers".
_MARKETING = re.compile(
    r"\b(?:news|offers|deals|promotions|updates) (?:and|&) (?:offers|news|deals|promotions|"
    r"updates)\b|\bemail me\b|\bkeep me (?:updated|posted|informed)\b|\bexclusive offers\b|"
    r"\b(?:acties|aanbiedingen) per e-?mail\b|\bhoud me op de hoogte\b|\bangebote und "
    r"neuigkeiten\b|\bbons plans\b|\bnovit[àa] e offerte\b|\bofertas y novedades\b|"
    r"\b(?:aanbiedingen|nieuws|acties|offers|deals|news|promotions|angebote|neuigkeiten|offres|"
    r"nouveaut[ée]s|offerte|novit[àa]|ofertas|novedades)\b[^.\n]{0,30}\b(?:per|via|by|par|por|"
    r"tramite) e-?mail\b|ניוזלטר|דיוור|(?:מבצעים|עדכונים|הטבות)[^.\n]{0,20}במייל|עדכונים ומבצעים",
    re.IGNORECASE,
)
_DIALOG_CLASS = re.compile(r"modal|popup|pop-up|dialog|lightbox|exit-?intent", re.IGNORECASE)
_CONTROL_NAMES = frozenset(["a", "button", "label", "summary"])


def label_text(page: Page, field: Tag) -> str:
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


def _decline_context(tag: Tag) -> bool:
    """Whether `tag` is (inside) a control — a link, a button, a close or dismiss element.

    A dialog's body text ("Don't miss out on 10% off!") is not its decline option; a decline
    option in a dialog either is a control or opens with a decline ("No thanks, …")."""
    node: Any = tag
    for _ in range(6):
        if not isinstance(node, Tag) or node.name in ("body", "html", "main"):
            return False
        if node.name == "label" and node.find("input", type=("checkbox", "radio")):
            # A box's label is a consent question, not a way out ("Uncheck this box if you
            # would prefer not to miss out"): the trick-question rule reads those.
            return False
        if node.name in _CONTROL_NAMES or node.get("role") in ("button", "link"):
            return True
        label = class_text(node)
        if "close" in label or "dismiss" in label or "decline" in label or "btn" in label:
            return True
        node = node.parent
    return False


def _hidden_dialog_controls(page: Page) -> Iterator[tuple[Tag, str]]:
    """The links and buttons of pop-ups that are hidden until a script opens them: a
    newsletter or exit-intent dialog is in the page from the start, shown later."""
    for tag in page.elements("dialog", "div", "section", "aside"):
        if not page.is_hidden(tag):
            continue
        attrs = tag.attrs
        if not (
            tag.name == "dialog"
            or attrs.get("role") in ("dialog", "alertdialog")
            or "aria-modal" in attrs
            or _DIALOG_CLASS.search(class_text(tag))
        ):
            continue
        for control in tag.find_all(("a", "button"), limit=12):
            text = " ".join(control.get_text(" ").split())
            if 0 < len(text) <= 160:
                yield control, text


@register("dark-confirmshaming")
def confirmshaming(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    for match, block in SHAMING.matches(page, 200):
        element = page.element_at(block.start + match.start())
        declines = DECLINE.search(block.text[: match.end()]) is not None
        if not declines and not _decline_context(element):
            continue
        if not declines and len(block.text) > 80:
            continue  # a paragraph with a link in it, not a decline option
        yield Hit(
            f"decline option shames the shopper: {block.text[:120]!r}",
            element,
            snippet=block.text[:200],
        )
        return
    for tag in page.elements("input"):
        if str(tag.get("type", "")).lower() not in ("button", "submit", "reset"):
            continue
        value = str(tag.get("value") or "")
        if len(value) <= 160 and SHAMING.search(value):
            yield Hit(f"decline option shames the shopper: {value!r}", tag, snippet=value)
            return
    for tag, text in _hidden_dialog_controls(page):
        if SHAMING.search(text):
            yield Hit(f"decline option of a pop-up shames the shopper: {text!r}", tag, snippet=text)
            return


# Boxes of other products ("Frequently bought together", bundles): their ticked items go into
# the cart only through the box's own "add all" button, not with the product the shopper buys.
_OTHER_PRODUCTS_BOX = re.compile(
    r"frequently|bought-?together|fbt|bundle|cross-?sell|upsell|recommend", re.IGNORECASE
)


def _picks_other_product(field: Tag) -> bool:
    for node in ancestors(field, 6):
        if _OTHER_PRODUCTS_BOX.search(class_text(node)):
            return True
        if node.name == "label" and node.find("a", href=True) is not None:
            return True  # the option links to another product's page
    return False


@register("dark-preselected-addon")
def preselected_addon(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    for field in page.elements("input"):
        kind = str(field.get("type", "")).lower()
        if kind not in ("checkbox", "radio") or not field.has_attr("checked"):
            continue
        label = label_text(page, field)
        if not label or (_OPT_OUT_WORDS.search(label) and not lexicon.PAID_EXTRA.search(label)):
            continue
        if kind == "radio" and _NO_THANKS_OPTION.search(label):
            continue
        names_extra = (
            lexicon.PAID_EXTRA.search(label) is not None or _SUBSCRIPTION.search(label) is not None
        )
        if not names_extra and _picks_other_product(field):
            # "Frequently bought together": added only by that box's own button. A
            # warranty or a protection plan in an upsell box is no other product.
            continue
        paid = names_extra or any(a.value > 0 for a in find_amounts(label, page.lang))
        if kind == "radio" and not (paid and _has_free_sibling(page, field, names_extra)):
            continue
        if paid:
            yield Hit(f"pre-ticked paid extra: {label[:120]!r}", field, snippet=label[:200])
        elif lexicon.NEWSLETTER.search(label) or _MARKETING.search(label):
            yield Hit(f"pre-ticked marketing opt-in: {label[:120]!r}", field, snippet=label[:200])
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


def _has_free_sibling(page: Page, field: Tag, names_extra: bool) -> bool:
    """Whether the radio group offers a choice without the extra: "Geen verzekering"; or,
    when the checked option names an extra (insurance, gift wrap, a subscription...), any
    option that does not ("Eenmalige aankoop" next to the checked "Abonnement")."""
    name = field.get("name")
    for other in page.elements("input"):
        if other is field or other.get("name") != name:
            continue
        label = label_text(page, other)
        if _NO_THANKS_OPTION.search(label) or lexicon.FREE.search(label):
            return True
        if (
            names_extra
            and label
            and not lexicon.PAID_EXTRA.search(label)
            and not _SUBSCRIPTION.search(label)
        ):
            return True
    return False


@register("dark-trick-question")
def trick_question(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    for match, block in TRICK_QUESTION.matches(page, 300):
        yield Hit.in_block(
            "a consent question phrased as an opt-out or with a double negative; ask "
            "plainly and let the shopper tick to agree",
            page,
            block,
            match.start(),
        )
        return
