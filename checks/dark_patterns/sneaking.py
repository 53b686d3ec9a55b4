"""Sneaking: hidden costs and items sneaked into the basket (Mathur et al. 2019, "Sneaking").

Hidden costs surface late or in fine print (drip pricing); a sneaked item is put in the cart
for the shopper — "we've added travel insurance to your order". Both make the price shown
differ from the price paid; the EU Consumer Rights Directive forbids charging for an extra the
shopper did not expressly agree to.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.dark_patterns.phrases import el, he, phrases
from defenceline.checks.page import Block, Page, class_text
from defenceline.checks.registry import Context, Hit, register

__all__ = ["ADDED_FOR_YOU", "EXTRA_FEES", "SNEAKED"]

# Fees the shared lexicon does not name (its FEE_WORDS also tell the price finder what is not
# a product price): the small-print fees of ticket and booking shops, and the languages the
# lexicon does not cover (Hebrew, Russian, Polish, Swedish, Greek, Japanese).
EXTRA_FEES = phrases(
    r"\b(?:toeslag|bijkomende kosten|verwerkingskosten|betaalkosten|orderkosten|"
    r"bestelkosten|handlingkosten|afhandelingskosten)\b",
    r"\b(?:surcharge|additional fees?|extra fees?|order fee|small order fee|fulfil?ment fee|"
    r"packaging fee|payment fee|resort fee)\b",
    r"\b(?:zuschlag|zusatzgeb[üu]hr(?:en)?|mindermengenzuschlag|verpackungspauschale)\b",
    r"\b(?:suppl[ée]ment|frais suppl[ée]mentaires|frais de paiement|frais d'emballage)\b",
    r"\b(?:supplemento|costi aggiuntivi|spese aggiuntive|commission[ei])\b",
    r"\b(?:recargo|cargos adicionales|gastos adicionales|comisi[óo]n|comisiones)\b",
    rf"{he('דמי')}\s+{he('טיפול', 'שירות', 'הזמנה', 'אריזה', 'עמלה')}|{he('עמלת', 'עמלה')}\b|"
    rf"{he('תוספת')}\s+{he('תשלום')}",
    r"\b(?:сервисный сбор|комисси[яи]|плата за обслуживание|сбор за (?:обработку|оформление))\b",
    r"\b(?:op[łl]ata (?:serwisowa|manipulacyjna|za obs[łl]ug[ęe]|administracyjna)|prowizja)\b",
    r"\b(?:serviceavgift|expeditionsavgift|administrationsavgift|hanteringsavgift|fakturaavgift)\b",
    rf"\b(?:{el('χρέωση')} {el('υπηρεσίας')}|{el('προμήθεια')}|{el('έξοδα')} "
    rf"{el('διαχείρισης')})\b",
    r"\btaxa (?:de )?(?:conveni[êe]ncia|servi[çc]o|manuseio|processamento|administrativa|"
    r"embalagem)\b|\btarifa (?:de )?servi[çc]o\b",
    unspaced=(r"(?:事務|決済|代引き?|サービス|システム)手数料|サービス料",),
    needles=("手数料", "サービス料"),
)

# Up to N characters of one sentence; a dot between digits ("$1.98") does not end it.
_SPAN = r"(?:[^.\n]|(?<=\d)\.(?=\d))"

SNEAKED = phrases(
    r"\b(?:automatisch|standaard|alvast|ook)\s+(?:toegevoegd|meegestuurd|bijgevoegd)\b|"
    rf"\bwe hebben\b{_SPAN}{{0,80}}\b(?:toegevoegd|bijgevoegd)\b|"
    r"\b(?:is|zijn|wordt|worden) "
    r"(?:automatisch |standaard )?(?:aan|bij) (?:je|jouw|uw) (?:winkelwagen|bestelling|"
    r"mandje) toegevoegd\b",
    r"\b(?:automatically|also|already) added\b|\badded (?:automatically|for you|by default)\b|"
    rf"\bwe(?:'ve| have)? (?:also |automatically )?(?:added|included)\b{_SPAN}{{0,80}}\b(?:to|in) "
    r"(?:your|the) (?:cart|basket|bag|order)\b|\bincluded (?:automatically|by default)\b|"
    r"\bhas been added to your (?:cart|basket|bag|order) (?:automatically|for you|"
    r"by default)\b",
    r"\b(?:automatisch|bereits|auch) (?:hinzugef[üu]gt|dazugelegt|beigef[üu]gt)\b|\bwir haben\b"
    rf"{_SPAN}{{0,80}}\b(?:hinzugef[üu]gt|dazugelegt)\b|\bwurde (?:automatisch )?(?:ihrem|deinem) "
    r"warenkorb hinzugef[üu]gt\b",
    r"\bajout[ée]e?s? automatiquement\b|\bautomatiquement ajout[ée]e?s?\b|\bnous avons "
    r"(?:aussi |[ée]galement )?ajout[ée]\b|\bajout[ée]e?s? (?:par d[ée]faut|pour vous)\b",
    r"\baggiunt[oaie] automaticamente\b|\bautomaticamente aggiunt[oaie]\b|\babbiamo "
    r"(?:anche )?aggiunto\b|\baggiunt[oaie] (?:per te|di default|in automatico)\b|"
    r"\binclus[oaie] automaticamente\b",
    r"\b(?:a[ñn]adid|agregad|incluid)[oa]s? autom[áa]ticamente\b|\bautom[áa]ticamente "
    r"(?:a[ñn]adid|agregad|incluid)[oa]s?\b|\bhemos (?:a[ñn]adido|agregado|incluido)\b|"
    r"\ba[ñn]adid[oa]s? (?:por defecto|para ti)\b|\bagregad[oa]s? (?:por defecto|para ti)\b",
    rf"{he('הוספנו', 'צירפנו')}|"
    rf"{he('נוסף', 'נוספה', 'נוספו')}\s+{he('אוטומטית', 'לעגלה', 'להזמנה')}",
    r"\bавтоматически (?:добавлен[аоы]?|включ[её]н[аоы]?)\b|\bдобавлен[аоы]? автоматически\b",
    r"\bautomatycznie (?:dodan[aeyo]?|doliczon[aeyo]?)\b|\bdodan[aeyo]? automatycznie\b",
    r"\b(?:automatiskt|redan) (?:tillagd|tillagt|tillagda)\b|\blagts till\b[^.\n]{0,40}"
    r"\bautomatiskt\b",
    rf"\b{el('προστέθηκε')} {el('αυτόματα')}\b|\b{el('αυτόματα')} {el('προστέθηκε')}\b",
    r"\badicionad[oa]s? automaticamente\b|\bautomaticamente adicionad[oa]s?\b|"
    r"\b(?:adicionamos|inclu[íi]mos)\b",
    # "We added …" in the languages whose lists above do not say it.
    r"\bdodali[śs]my\b|\bvi har (?:lagt till|lagt|lagt in)\b|\bмы (?:добавили|включили)\b",
    rf"\b(?:{el('προσθέσαμε')}|{el('συμπεριλάβαμε')})\b",
    unspaced=(r"自動(?:的)?(?:で|に)追加",),
    needles=("追加",),
)

# "… was added to your cart", "your order includes …": said of what the shopper chose, too
# ("Wool sweater was added to your cart"), so these count only for an extra the shopper did not
# pick - a protection plan, insurance, a warranty, a donation - with a price.
ADDED_FOR_YOU = phrases(
    r"\b(?:aan|bij|in) (?:je|jouw|uw|de) (?:winkelwagen|winkelmand(?:je)?|bestelling|mandje) "
    r"(?:toegevoegd|gedaan|inbegrepen)\b|"
    r"\b(?:je|jouw|uw) bestelling (?:bevat|omvat|is inclusief)\b",
    r"\b(?:added|included) (?:to|in|with) (?:your|the) (?:cart|basket|bag|order)\b|"
    r"\b(?:was|were|has been|have been|is|are|got) (?:automatically |also )?added to (?:your|"
    r"the) (?:cart|basket|bag|order)\b|\byour (?:order|cart|basket) (?:now )?(?:includes|"
    r"contains|comes with)\b|"
    # A cart row's note on why the extra is there: "Added to protect your order".
    r"\badded to (?:protect|cover|insure|secure) (?:your|the) (?:order|parcel|package|"
    r"purchase|delivery|items?)\b",
    r"\b(?:wurde|wurden|ist|sind) (?:automatisch )?(?:ihrem|deinem|dem) (?:warenkorb|"
    r"einkaufswagen|bestellung) hinzugef[üu]gt\b|\b(?:ihre|deine) bestellung (?:enth[äa]lt|"
    r"beinhaltet|umfasst)\b|\b(?:im|in (?:ihrem|deinem)) (?:warenkorb|einkaufswagen) "
    r"(?:enthalten|inbegriffen)\b|\bin (?:ihrer|deiner) bestellung (?:enthalten|inbegriffen)\b",
    r"\b(?:a|ont) [ée]t[ée] ajout[ée]e?s? (?:automatiquement )?[àa] (?:votre|ton) (?:panier|"
    r"commande)\b|\bvotre commande (?:comprend|inclut|contient)\b|"
    r"\bajout[ée]e?s? (?:automatiquement )?[àa] (?:votre|ton) (?:panier|commande)\b",
    r"\b(?:[èe]|sono) stat[oaie] aggiunt[oaie] (?:automaticamente )?al (?:tuo |vostro )?"
    r"(?:carrello|ordine)\b|\bil tuo ordine (?:include|comprende|contiene)\b|"
    r"\baggiunt[oaie] (?:automaticamente )?al (?:tuo |vostro )?(?:carrello|ordine)\b",
    rf"\bse (?:ha|han) (?:a[ñn]adido|agregado|incluido)\b{_SPAN}{{0,60}}\ba (?:tu|su) "
    r"(?:carrito|cesta|pedido)\b|\b(?:ha sido|fue) (?:a[ñn]adid|agregad)[oa] a (?:tu|su) "
    r"(?:carrito|cesta|pedido)\b|\b(?:tu|su) pedido (?:incluye|contiene)\b|"
    r"\b(?:a[ñn]adid|agregad)[oa]s? (?:autom[áa]ticamente )?a (?:tu|su) (?:carrito|cesta|"
    r"pedido)\b",
    r"\b(?:został[aoy]?|zostały) (?:automatycznie )?dodan[aeyo]? do (?:twojego |twojej )?"
    r"(?:koszyka|zamówienia)\b|\btwoje zamówienie (?:zawiera|obejmuje)\b",
    r"\bhar lagts (?:till )?i (?:din |varu)?(?:varukorg|kundvagn|beställning)\b|\bdin "
    r"beställning (?:innehåller|inkluderar)\b",
    r"\bдобавлен[аоы]? в (?:вашу )?(?:корзину|заказ)\b|\bв (?:вашу )?(?:корзину|заказ) "
    r"(?:добавлен[аоы]?|включен[аоы]?)\b|\bваш заказ (?:включает|содержит)\b",
    rf"\b{el('προστέθηκε')} {el('στο')} {el('καλάθι')}\b|\b{el('η')} {el('παραγγελία')} "
    rf"{el('σας')} {el('περιλαμβάνει')}\b",
    r"\b(?:foi|foram) (?:adicionad|inclu[íi]d)[oa]s? (?:automaticamente )?(?:a|ao|no|na) "
    r"(?:seu |sua )?(?:carrinho|pedido|compra|sacola)\b|\bseu pedido "
    r"(?:inclui|cont[ée]m)\b",
    rf"{he('נוסף', 'נוספה', 'נוספו')}\s+{he('לסל', 'לעגלה', 'להזמנה')}|{he('ההזמנה')}\s+"
    rf"{he('שלך', 'שלכם')}\s+{he('כוללת')}",
    unspaced=(r"カートに追加しました|(?:ご注文|注文)には.{1,30}が含まれ",),
    needles=("カートに追加", "含まれ"),
)
_EXTRA_ITEM = re.compile(
    r"verzeker|bescherm|garantie|donatie|protection|insurance|insured|warranty|donation|"
    r"charity|versicher|schutz|spende|assurance|protezion|assicura|garanzi|donazion|"
    r"protecci[óo]n|seguro|garant[íi]a|donaci[óo]n|ochron|ubezpiecz|gwarancj|darowizn|skydd|"
    r"försäkr|garanti|страхов|защит|гаранти|пожертвов|ασφάλεια|προστασ|εγγύηση|δωρεά|carbon|"
    r"co2|klimaneutr|neutre en carbone|"
    r"prote[çc][ãa]o|doa[çc][ãa]o|ביטוח|הגנה|אחריות|תרומה|補償|保険|保証|寄付",
    re.I,
)

_NEGATION = re.compile(
    r"\b(?:geen|nooit|no|never|keine?|nie|aucun[se]?|pas de|jamais|sans|nessun[ae]?|mai|senza|"
    r"sin|nunca|ning[úu]n[oa]?|ללא|אין|без|bez|utan|inga|χωρίς|καμία)\b"
    r"[^.]{0,20}$",
    re.I,
)
# "No incluye gastos de gestión", "not including service fees": a negation that hides the fee.
_EXCLUDING = re.compile(r"inclu|compris|inbegr|contien|beinhalt|כולל", re.IGNORECASE)


def _negated(before: str) -> bool:
    """Whether the words before a fee deny it ("geen servicekosten"), not exclude it."""
    found = _NEGATION.search(before)
    return found is not None and not _EXCLUDING.search(found.group(0))


_FINE_PRINT_CLASS = re.compile(r"fine-?print|footnote|disclaimer|small-?print|legal|kleine", re.I)
_TINY_FONT = re.compile(r"font-size\s*:\s*(?:[0-9](?:\.\d+)?px|0?\.[0-6]\d*(?:em|rem))", re.I)


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


def _paid(page: Page, text: str) -> bool:
    """Whether the text names a price or a paid kind of extra: a protection plan, insurance or
    warranty is paid for even where its amount is written in a way the amount finder does not
    read ("1 340 тг")."""
    return (
        lexicon.PAID_EXTRA.search(text) is not None
        or _EXTRA_ITEM.search(text) is not None
        or any(a.value > 0 for a in find_amounts(text, page.lang))
    )


def _row_text(page: Page, block: Block) -> str:
    """A block with the blocks right around it (at most 80 characters away): the cart row an
    added-extra note belongs to."""
    blocks = page.blocks
    index = bisect.bisect_left(blocks, block.start, key=lambda b: b.start)
    parts = [block.text]
    start = block.start
    for before in reversed(blocks[max(0, index - 2) : index]):
        if start - before.end >= 80:
            break
        parts.insert(0, before.text)
        start = before.start
    nearby = page.block_after(block)
    if nearby is not None and nearby.start - block.end < 80:
        parts.append(nearby.text)
    return " ".join(parts)


@register("dark-hidden-costs")
def hidden_costs(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    found = [
        *page.iter_matches(lexicon.FEE_WORDS, 300),
        *EXTRA_FEES.matches(page, 300),
    ]
    found.sort(key=lambda pair: pair[1].start + pair[0].start())
    for match, block in found:
        if len(block.text) > 300 or _negated(block.text[: match.start()]):
            continue
        element = page.element_at(block.start + match.start() + 1)
        amounts = [a for a in find_amounts(block.text, page.lang) if a.value > 0]
        if amounts and element.find_parent("label") is not None:
            continue  # "Creditcard (+ € 1,50 toeslag)": the cost stands at the choice
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


@register("dark-sneak-into-basket")
def sneak_into_basket(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    found = [(match, block, True) for match, block in SNEAKED.matches(page, 300)]
    found += [(match, block, False) for match, block in ADDED_FOR_YOU.matches(page, 300)]
    found.sort(key=lambda item: item[1].start + item[0].start())
    for match, block, automatic in found:
        text = block.text
        if _negated(text[: match.start()]):
            continue  # "we never add anything to your cart automatically"
        # The note of a cart row ("Automatically added", "Ajoutée à votre panier") stands
        # after the extra's name and price: read the row, not the note alone.
        row = _row_text(page, block)
        if not automatic and not _EXTRA_ITEM.search(row):
            continue  # "Wool sweater was added to your cart": the shopper's own choice
        if not _paid(page, row):
            continue
        yield Hit.in_block(
            "an extra was added to the cart for the shopper; let them choose to add it",
            page,
            block,
            match.start(),
        )
        return
