"""Scarcity: low-stock and high-demand messages (Mathur et al. 2019, "Scarcity").

"Only 2 left", "nog maar 3", "in high demand", "in 14 winkelwagens": useful when true, a
misleading practice when invented (the Dutch ACM: scarcity messages must be true). The page
proves the claim false when it contradicts the structured data's stock, contradicts itself,
or draws its number from Math.random — an error. A claim the markup bears out is honest
information; any other claim is a warning to verify. Honest stock statements ("Op voorraad",
"3 in stock" as WooCommerce prints it) are not claims of scarcity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from defenceline.checks.dark_patterns.phrases import (
    Phrases,
    el,
    he,
    in_navigation,
    is_a_name,
    phrases,
    random_near,
    random_windows,
)
from defenceline.checks.dark_patterns.social import VIEWER_COUNTS
from defenceline.checks.page import Block, Page
from defenceline.checks.registry import Context, Hit, register

__all__ = ["HIGH_DEMAND", "LOW_STOCK", "STOCK_CLAIMS"]

_N = r"(?P<n{}>\d{{1,3}})"


def _numbered(*alternatives: str) -> list[str]:
    """Number the `{n}` groups of the alternatives n1, n2... so each claim's count is read."""
    counter = iter(range(1, 200))
    return [
        re.sub(r"\{n\}", lambda _m: _N.format(next(counter)), alternative)
        for alternative in alternatives
    ]


LOW_STOCK = phrases(
    *_numbered(
        r"\b(?:nog (?:maar |slechts |ongeveer )?|slechts |maar |laatste )\s*{n}\b[^.\n]{0,25}"
        r"\b(?:op voorraad|beschikbaar|over|stuks?|verkrijgbaar|leverbaar|exempla(?:ar|ren)|"
        r"in (?:het )?magazijn|artikelen)\b",
        r"\bnog (?:maar )?{n} (?:stuks?|exempla(?:ar|ren)|in je maat)\b",
        r"\b(?:only|just) {n} (?:left|remaining|remain|in stock|available|more)\b|"
        r"\b(?:only|just) {n} (?:items?|pieces?|units?|pairs?|tickets?|seats?|rooms?) "
        r"(?:left|remaining|available|in stock)\b|\b{n} left in stock\b|"
        r"\b(?:only|just) {n} left\b|\bhurry[,!]? (?:only )?{n} left\b|\b{n} left at this price\b|"
        # "Only 2 of this item left", "Hurry, just 3 pieces remain at this price".
        r"\b(?:only|just|hurry|last)\b[^.\n]{0,20}?\b{n}\b[^.\n\d,;:—–-]{0,20}\b(?:left|remain\w*|"
        r"in stock)\b|"
        r"\b{n} (?:items?|pieces?|units?|pairs?) left\b|\blast {n} (?:in stock|left|available|"
        r"remaining)\b|^\W*{n} (?:left|remaining)\W*$|\b(?:less|fewer) than {n} "
        r"(?:left|remaining|in stock|available)\b",
        r"\bnur noch {n}\b|\b(?:noch|nur) {n} (?:st[üu]ck|artikel|exemplare?)\b[^.\n]{0,20}"
        r"\b(?:auf lager|verf[üu]gbar|vorr[äa]tig|da|übrig)\b|\bletzte {n} (?:st[üu]ck|artikel)\b",
        r"\bplus que {n}\b|\bil (?:ne )?(?:nous )?reste (?:seulement |plus que |plus qu'|que |"
        r"uniquement )?"
        r"{n}\b|\b(?:seulement|uniquement) {n} (?:en stock|restants?|disponibles?|articles?|"
        r"pi[èe]ces?|exemplaires?)\b|\bderniers? {n} (?:articles?|exemplaires?|pi[èe]ces?)\b",
        r"\bsolo {n} (?:rimast[ie]|disponibil[ie]|pezzi|articoli|in magazzino|in stock)\b|"
        r"\b(?:ne )?rimangono (?:solo |soltanto )?{n}\b|\b(?:ne )?rimane (?:solo )?{n}\b|"
        r"\bultim[ie] {n} (?:disponibili|rimast[ie]|in magazzino)\b|"
        r"\bultimi {n} (?:pezzi|articoli)\b|\bsoltanto {n} (?:pezzi|disponibili)\b",
        r"\bs[óo]lo (?:nos )?quedan? {n}\b|\bquedan (?:s[óo]lo |solamente |[úu]nicamente )?{n}\b|"
        r"\b(?:[úu]ltimas|s[óo]lo) {n} (?:unidades|piezas|disponibles|en stock)\b|"
        r"\bqueda (?:s[óo]lo )?{n}\b",
        rf"{he('נותרו', 'נשארו', 'נותר', 'נשאר')}\s+(?:{he('רק')}\s+)?{{n}}\b|"
        rf"\bרק\s+{{n}}\s+{he('יחידות', 'פריטים', 'זוגות')}\s+{he('נותרו', 'נשארו', 'במלאי')}|"
        rf"\bרק\s+{{n}}\s+{he('נותרו', 'נשארו', 'במלאי')}|"
        rf"{{n}}\s+{he('יחידות', 'פריטים')}\s+{he('אחרונות', 'אחרונים', 'במלאי', 'נותרו')}",
        # Russian, Polish, Swedish, Greek.
        r"\b(?:осталось|остался|осталась) (?:всего |только )?{n}\b|\b(?:всего|только) {n} "
        r"(?:шт|штук|штуки|товар\w*)\b",
        r"\bostatni(?:e|a|ch)? {n} (?:sztuk[ia]?|egzemplarz\w*)\b|"
        r"\b(?:zosta[łl]o|zosta[łl]y|zosta[łl]a) (?:tylko |jeszcze )?{n}\b|\btylko {n} "
        r"(?:szt|sztuk|sztuki)\b",
        r"\b(?:endast|bara|enbart) {n} (?:kvar|st kvar|i lager)\b|\b{n} kvar i lager\b",
        rf"\b{el('μόνο')} {{n}} {el('τεμάχια')}|\b{el('απομένουν')} (?:{el('μόνο')} )?{{n}}\b|"
        rf"\b{el('μόνο')} {{n}} {el('διαθέσιμα')}|\b(?:{el('έμειναν')}|"
        rf"{el('έμεινε')}) (?:{el('μόνο')} )?"
        rf"{{n}}\b",
        # Portuguese: "Restam apenas 2 unidades", "Últimas 3 peças", "só resta 1".
        r"\b(?:s[óo] |apenas |somente )?(?:restam|resta|sobraram|sobrou)(?: s[óo]| apenas| "
        r"somente)? {n}\b|\b(?:apenas|somente|s[óo]) {n} (?:unidades?|pe[çc]as?|itens|"
        r"dispon[íi]ve(?:l|is)|em estoque|no estoque|restantes?)\b|\b[úu]ltim[oa]s {n} "
        r"(?:unidades|pe[çc]as|itens|dispon[íi]veis)\b",
    ),
    r"\bnog (?:maar )?(?:enkele|een paar|weinig)\b[^.\n]{0,25}\b(?:op voorraad|beschikbaar|"
    r"over|stuks?|exemplaren)\b|\blaatste (?:stuks|exemplaren|exemplaar|paar stuks)\b|"
    r"\bbeperkte (?:voorraad|oplage|aantallen)\b|\bbijna uitverkocht\b|\bvoorraad (?:is )?bijna "
    r"op\b",
    r"\bonly a few (?:left|remaining|in stock)\b|\bjust a few left\b|\bfew left\b|"
    r"\bfew (?:units|items|pieces|pairs|sizes) left\b|"
    r"\b(?:only|just) (?:one|two|three|four|five|a couple|a handful) (?:left|remaining|"
    r"available|in stock|more)\b|\bselling (?:quickly|out)\b|\blast one\b!|"
    r"\bnog (?:maar )?(?:één|een|twee|drie) (?:over|op voorraad|beschikbaar|stuks?)\b|"
    r"\bnur noch (?:eins|ein(?:e|en)?|zwei|drei)\b|\bplus qu'(?:un|une)\b|"
    r"\bsolo (?:uno|una|due|tre) (?:rimast[oaie]|disponibil[ei]|pezz[oi])\b|"
    r"\bs[óo]lo (?:queda|quedan) (?:uno|una|dos|tres)\b|"
    r"\blow (?:in )?stock\b|\blimited (?:stock|quantit(?:y|ies)|availability|supply)\b|"
    r"\b(?:almost|nearly) (?:gone|sold out)\b|\bselling out\b|\bstock is running (?:low|out)\b|"
    r"\b(?:stock|supply|supplies|quantities|quantity) (?:is|are) (?:very )?limited\b|"
    # Wording no list foresees, by what it is made of: a scarcity word near a stock word.
    r"\b(?:stock|inventory|supply|supplies|quantities)\b[^.\n]{0,15}\b(?:low|limited|scarce|"
    r"running (?:low|out)|nearly gone|almost gone|dwindling)(?![\w-])|\b(?:scarce|"
    r"dwindling)\b[^.\n]"
    r"{0,10}\b(?:stock|inventory|supply|supplies)\b|"
    r"\blow (?:inventory|stock levels?)\b|"
    r"\brunning (?:low|out of stock)\b|\bselling (?:faster|quicker) than\b|"
    r"\b(?:is|are) selling fast\b|\bgaat (?:erg |heel )?snel\b|\bvliegt (?:de deur uit|weg)\b|"
    r"\b(?:schnell|bald|fast) vergriffen\b|\bvictime de son succ[èe]s\b|\bbient[ôo]t en "
    r"rupture\b|\bse (?:est[áa]n? )?vendiendo (?:muy )?(?:r[áa]pido|deprisa)\b|"
    r"\b(?:ultimo|ultima) (?:pezzo|disponibile|rimast[oa])\b|\b[úu]ltim[oa] (?:en stock|"
    r"disponible|unidad)\b|\bletzte[sn]? (?:exemplar|st[üu]ck)\b|\bdernier (?:article|"
    r"exemplaire)\b|\blast (?:one|few|items?|pieces?|pairs?) "
    r"(?:left|in stock|available|remaining)\b|\bnearly sold out\b|\bgoing fast\b",
    r"\b(?:nur )?noch wenige\b|\bwenige (?:st[üu]ck |artikel )?(?:auf lager|verf[üu]gbar|"
    r"vorr[äa]tig|da)\b|\bfast ausverkauft\b|\bgeringer bestand\b|\bbegrenzte (?:st[üu]ckzahl|"
    r"menge|verf[üu]gbarkeit)\b|\bletzte (?:st[üu]cke|exemplare)\b|\blimitierte st[üu]ckzahl\b|"
    r"\bbestand (?:ist )?(?:knapp|fast aufgebraucht)\b",
    r"\bplus que quelques\b|\bstock limit[ée]\b|\bquantit[ée]s? limit[ée]e?s?\b|"
    r"\bderniers? (?:articles?|exemplaires?|pi[èe]ces?)\b|\bpresque [ée]puis[ée]e?\b|"
    r"\bbient[ôo]t [ée]puis[ée]e?\b|\bstock presque [ée]puis[ée]\b",
    r"\bsolo (?:pochi|alcuni) pezzi\b|\bpochi pezzi\b|\bultimi pezzi\b|\bscorte limitate\b|"
    r"\bquantit[àa] limitata\b|\bdisponibilit[àa] limitata\b|\bquasi esaurit[oa]\b|"
    r"\bin esaurimento\b",
    r"\bquedan (?:muy )?pocas?\b|\bnog maar een handjevol\b|\bpocas unidades\b|"
    r"\b[úu]ltimas unidades\b|\bstock limitado\b|"
    r"\b(?:unidades|cantidades?) limitadas?\b|\bcasi agotad[oa]s?\b|\bse est[áa] agotando\b",
    rf"{he('מלאי')}\s+{he('מוגבל', 'אחרון', 'אוזל')}|{he('כמות')}\s+{he('מוגבלת')}|"
    rf"{he('אחרונים', 'אחרונות')}\s+{he('במלאי')}|{he('כמעט')}\s+{he('אזל', 'נגמר')}|"
    rf"{he('עומד', 'עומדת', 'עומדים')}\s+{he('לאזול', 'להיגמר')}|{he('יחידות')}\s+"
    rf"{he('אחרונות')}",
    r"\b(?:осталось|остались) (?:совсем )?мало\b|\bпоследн(?:ий|ие|яя) (?:экземпляр\w*|штук\w*|"
    r"размер\w*)\b|\bограниченн(?:ое|ым) количеств\w*\b|\bпочти (?:распродан\w*|закончил\w*)\b|"
    r"\b(?:товар|запас\w*) (?:на складе )?заканчива\w*\b",
    r"\bostatni(?:e|a)? (?:sztuk[ia]|egzemplarz\w*)\b|\bograniczona (?:ilo[śs][ćc]|liczba)\b|"
    r"\bprawie wyprzedan\w*\b|\bnisk(?:i|ie) stan\w*\b|\b(?:produkt|towar|zapas\w*) "
    r"(?:si[ęe] )?ko[ńn]cz\w*\b|"
    r"\bzosta[łl]o (?:niewiele|kilka sztuk)\b",
    r"\bf[åa] kvar\b|\bn[äa]stan slut(?:s[åa]ld)?\b|\bbegr[äa]nsat antal\b|\bsista "
    r"(?:exemplaren|exemplaret)\b|\bl[åa]gt lagersaldo\b",
    rf"\b{el('τελευταία')} {el('τεμάχια')}\b|\b{el('περιορισμένο')} {el('απόθεμα')}\b|"
    rf"\b{el('σχεδόν')} {el('εξαντλήθηκε')}\b|\b{el('λίγα')} {el('τεμάχια')}\b",
    r"\bestoque (?:baixo|limitado|acabando)\b|\bquase esgotad[oa]s?\b|\b[úu]ltimas (?:unidades|"
    r"pe[çc]as)\b|\bpoucas unidades\b|\b(?:est[áa] )?acabando r[áa]pido\b|\bo estoque est[áa] "
    r"(?:acabando|no fim)\b|\bquantidades? limitadas?\b",
    unspaced=tuple(
        _numbered(
            r"残り\s*{n}\s*(?:点|個|枚|着|足|本|名|席|部屋|品)",
            r"残り(?:わずか|僅か|少し|少量)|在庫(?:わずか|僅少|残りわずか)|在庫残り\s*{n}",
            r"(?:ラスト|最後の)\s*(?:1|ひとつ|一点|1点)|売り切れ間近|完売間近|品薄|"
            # "数量限定モデル" names a product line, like "Limited Edition".
            r"数量限定(?!モデル|カラー|版|エディション)",
            r"あと\s*{n}\s*(?:点|個|枚)",
        )
    ),
    needles=("残り", "在庫", "ラスト", "最後の", "売り切れ", "完売", "品薄", "数量限定", "あと"),
)

HIGH_DEMAND = phrases(
    r"\bveel gevraagd\b|\bpopulair\b[^.\n]{0,20}\b(?:nu|op dit moment|momenteel)\b|"
    r"\bgaat (?:erg )?hard\b|\bhardloper\b|\bvliegt de deur uit\b|"
    r"\bin \d+ (?:andere )?winkelwagen(?:s|tjes)\b|"
    # A count of carts by its parts: "al 9x in een winkelwagen", "3 mal im Warenkorb".
    r"\b\d+\s*(?:x|keer|times|mal|fois|volte|veces)\s+(?:in|im|dans|nel|en)\s+(?:een |a |"
    r"einem |un |una |uno |le |il |la )?(?:winkelwagen|winkelmand|mandje|cart|basket|bag|"
    r"warenkorb|panier|carrello|cesta|carrito)\w*|\b\d+ (?:mensen|anderen|klanten|shoppers) "
    r"hebben (?:dit|deze|het)[^.\n]{0,20}\bin (?:hun|de|het) (?:winkelwagen|mandje)",
    r"\bin high demand\b|\bhigh demand\b|\bselling fast\b|\bsells? out (?:fast|quickly)\b|"
    r"\bhot item\b|"
    r"\bpopular right now\b|\bin \d+ (?:other )?(?:people's |shoppers' )?"
    r"(?:carts|baskets|bags)\b|\bin (?:other )?(?:people's|shoppers') (?:carts|baskets|bags)\b|"
    r"\b\d+ (?:people|others|shoppers|customers) (?:have|added) "
    r"(?:this|it)[^.\n]{0,20}\b(?:in|to) (?:their|the) (?:carts?|baskets?|bags?)\b|"
    # The carts counted after the verb: "This has been added to 38 carts today".
    r"\b(?:added|put) (?:in|to|into) \d+ (?:other )?(?:carts|baskets|bags)\b",
    r"\bsehr gefragt\b|\bstark nachgefragt\b|\bhohe nachfrage\b|\bheiß begehrt\b|"
    r"\bbeliebt\b[^.\n]{0,10}\bgerade\b|\bin \d+ (?:anderen )?warenk[öo]rben\b|"
    r"\bverkauft sich schnell\b|\bgeht weg wie\b|\b\d+ (?:personen|kunden|leute) haben "
    r"(?:das|diesen|dieses|diese|es)[^.\n]{0,20}\bim warenkorb\b",
    r"\btr[èe]s demand[ée]e?\b|\bforte demande\b|\bpart vite\b|\bse vend vite\b|"
    r"\bpartent vite\b|\bdans \d+ (?:autres )?paniers\b|\b\d+ personnes (?:l'ont|ont "
    r"(?:ce produit|cet article)) dans leur panier\b|\bs'arrache\b",
    r"\bmolto richiest[oa]\b|\balta richiesta\b|\bva a ruba\b|\bvanno a ruba\b|\bsi vende "
    r"(?:velocemente|in fretta)\b|\bin \d+ (?:altri )?carrelli\b|\b\d+ persone (?:l'hanno|"
    r"hanno questo (?:prodotto|articolo)) nel carrello\b",
    r"\bmuy solicitad[oa]\b|\balta demanda\b|\bse vende r[áa]pido\b|\bse venden r[áa]pido\b|"
    r"\ben \d+ (?:otros )?carritos\b|\b\d+ personas (?:lo tienen|tienen este (?:producto|"
    r"art[íi]culo)) en (?:su|el) carrito\b",
    rf"{he('ביקוש')}\s+{he('גבוה', 'רב', 'ער')}|{he('נמכר', 'נמכרים', 'נמכרת')}\s+"
    rf"{he('מהר', 'במהירות')}|{he('חוטפים')}\b|{he('עגלות')}\s+{he('אחרות')}|"
    rf"\d+\s+{he('עגלות', 'סלים')}|"
    # "11 אנשים הוסיפו אותו לעגלה": a count of people who put it in their cart.
    rf"\d+\s+{he('אנשים', 'לקוחות', 'גולשים', 'קונים')}[^.\n]{{0,20}}{he('הוסיפו')}"
    rf"[^.\n]{{0,20}}{he('עגלה', 'עגלת', 'סל', 'העגלה')}",
    r"\bпользуется (?:большим |повышенным )?спросом\b|\bбыстро (?:раскупают|заканчивается)\b|"
    r"\bв \d+ корзин\w*\b|\bвысокий спрос\b",
    r"\bdu[żz]e zainteresowanie\b|\bszybko si[ęe] sprzedaje\b|\bw \d+ koszykach\b|"
    r"\bcieszy si[ęe] du[żz]ym zainteresowaniem\b",
    r"\bs[äa]ljer (?:snabbt|slut)\b|\bh[öo]g efterfr[åa]gan\b|\bi \d+ varukorgar\b|"
    r"\bpopul[äa]r just nu\b",
    rf"\b{el('μεγάλη')} {el('ζήτηση')}\b|\b{el('πωλείται')} {el('γρήγορα')}\b|"
    rf"\b{el('σε')} \d+ {el('καλάθια')}\b",
    r"\bmuito procurad[oa]s?\b|\balta procura\b|\bvendendo (?:muito )?r[áa]pido\b|\bem \d+ "
    r"(?:outros )?carrinhos\b|\b\d+ pessoas (?:est[ãa]o com|t[êe]m) (?:ele|ela|este "
    r"(?:produto|item)|esta pe[çc]a) no carrinho\b",
    unspaced=(r"注文殺到|人気急上昇|売れ行き好調|\d+\s*人がカートに(?:入れ|追加)",),
    needles=("注文殺到", "人気急上昇", "売れ行き", "カート"),
)

STOCK_CLAIMS = phrases(
    LOW_STOCK.pattern.pattern,
    HIGH_DEMAND.pattern.pattern,
    unspaced=tuple(p.unspaced.pattern for p in (LOW_STOCK, HIGH_DEMAND) if p.unspaced),
    needles=LOW_STOCK.needles + HIGH_DEMAND.needles,
)

_MONEY_AFTER = re.compile(r"[.,]\d|\s?(?:[€£$¥₪]|eur\b|euro|₪|ש\"ח|שקל)", re.IGNORECASE)
# After the number: a clock's minutes or a unit of time ("Quedan 05:44:10", "נותרו 1 ימים").
_CLOCK_AFTER = re.compile(
    r"\s*:\s*\d{2}|\s*(?:h|days?|dagen|tage?n?|jours?|giorni|d[íi]as|hours?|uur|stunden?|heures?|"
    r"ore|horas?|min\w*|ימים|יום|שעות|שעה|דקות|дн\w*|день|час\w*|dni|dzie[ńn]|godz\w*|dag\w*|"
    r"tim\w*|ημέρ\w*|ώρ\w*|λεπτ\w*)\b|\s*(?:時間|分|秒|日)",
    re.IGNORECASE,
)
_ONLY = re.compile(
    r"\b(?:only|just|hurry|maar|slechts|laatste|nur|letzte|seulement|uniquement|que|plus|"
    r"derniers?|solo|soltanto|ultimi|s[óo]lo|[úu]ltimas|solamente|[úu]nicamente|less|fewer|"
    r"всего|только|tylko|jeszcze|endast|bara|enbart|μόνο|μονο|apenas|somente|s[óo]|restam|"
    r"resta)\b|רק",
    re.IGNORECASE,
)
_STOCK_WORDS = re.compile(
    r"stock|left|remaining|voorraad|lager|qty|quantity|inventory|items?_?left|pieces|"
    r"stuks|restant|disponib|rimast|quedan|estoque|unidades|pe[çc]as|מלאי",
    re.I,
)


def _counts_money(match: re.Match[str], text: str) -> bool:
    """Whether the number in a "plus que 15 / nur noch 15" match is an amount of money
    ("Plus que 15,50 € pour la livraison offerte"), not a number of items left."""
    for name, value in match.groupdict().items():
        if value and value.isdigit():
            return _MONEY_AFTER.match(text, match.end(name)) is not None
    return False


def _numbers(match: re.Match[str]) -> set[int]:
    return {int(v) for v in match.groupdict().values() if v and v.isdigit()}


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


# Stock levels that shop platforms embed in the page's product state (Shopify's product JSON,
# WooCommerce variation data, Magento and headless storefronts' stock fields).
_PLATFORM_STOCK = re.compile(
    r'"(?:inventory_quantity|inventoryQuantity|stock_quantity|stockQuantity|max_qty|'
    r'quantityAvailable|quantity_available|stockLevel|stock_level|availableStock)"\s*:\s*"?(\d{1,6})'
)
# The page's own stock statement with a number next to its stock word: "Op voorraad: 140",
# "In stock (36)", "36 in stock" — not "In stock, ships in 2-3 days".
_STOCK_NUMBER = re.compile(
    r"(?:stock|voorraad|lager|magazzino|existencias|disponibles?|magazynie|наличии|במלאי)"
    r"\W{0,3}(\d{1,6})\b|\b(\d{1,6})\s*(?:in stock|op voorraad|auf lager|en stock|in magazzino|"
    r"en existencias|stuks|st[üu]ck|pcs|pieces|units|items|pi[èe]ces|pezzi|unidades|шт|sztuk|"
    r"יחידות)",
    re.IGNORECASE,
)


def _stock_levels(ctx: Context) -> tuple[list[int], str]:
    """The real stock the page states elsewhere, and where: the structured data's
    inventoryLevel, the platform's product state, or the page's own stock statement."""
    levels = _inventory_levels(ctx.page)
    if levels:
        return levels, "the structured data's inventoryLevel"
    source = ctx.page.source if isinstance(ctx.page.source, str) else ""
    platform = [int(value) for value in _PLATFORM_STOCK.findall(source)[:50]]
    if platform:
        return platform, "the shop platform's product data"
    stock = getattr(ctx.facts, "visible_stock", None)
    text = getattr(stock, "text", "") or ""
    if text and not (LOW_STOCK.search(text) or HIGH_DEMAND.search(text)):
        stated = [int(a or b) for a, b in _STOCK_NUMBER.findall(text)]
        if stated:
            return stated, f"the page's stock statement ({text[:60]!r})"
    return [], ""


def _counts_time(match: re.Match[str], text: str) -> bool:
    """Whether the number is the hours of a clock ("Quedan 05:44:10"): a countdown's."""
    return any(
        value and _CLOCK_AFTER.match(text, match.end(name))
        for name, value in match.groupdict().items()
    )


def _in_link(element: Any) -> bool:
    return bool(element.name == "a" or element.find_parent("a"))


def _plain_count(match: re.Match[str]) -> bool:
    """A count of ten or more without "only" ("Nog 14 op voorraad"): stock information."""
    numbers = _numbers(match)
    return bool(numbers) and min(numbers) >= 10 and not _ONLY.search(match.group(0))


def _claims(page: Page, vocabulary: Phrases) -> list[tuple[re.Match[str], Block]]:
    found = []
    for match, block in vocabulary.matches(page, 300):
        text = block.text
        if _counts_money(match, text) or _counts_time(match, text):
            continue
        if vocabulary is LOW_STOCK and _plain_count(match):
            continue  # "Nog 14 op voorraad" informs; "In 11 winkelwagentjes" still pushes
        if vocabulary is HIGH_DEMAND and VIEWER_COUNTS.search(text):
            continue  # "8 shoppers added this to their bag in the last hour": social proof
        # A heading that says "quantités limitées" claims scarcity; only a menu or a link
        # ("Last one standing" as a product name) names something.
        element = page.element_at(block.start + match.start())
        if not (is_a_name(page, match, block) and (in_navigation(element) or _in_link(element))):
            found.append((match, block))
    return found


@register("dark-scarcity-claim")
def scarcity_claim(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    claims = _claims(page, LOW_STOCK) + _claims(page, HIGH_DEMAND)
    if not claims:
        for script, code in page.inline_scripts:
            windows = random_windows(code, _STOCK_WORDS)
            if any(LOW_STOCK.search(window) for window in windows):
                yield Hit(
                    "a script writes a randomised stock claim into the page",
                    script,
                    severity="error",
                )
                return
        return
    # Only a page with a claim needs to know whether its scripts invent stock levels.
    randomised = any(random_near(code, _STOCK_WORDS) for _, code in page.inline_scripts)
    claims.sort(key=lambda claim: claim[1].start)
    numbers: set[int] = set()
    for match, _block in claims:
        numbers |= _numbers(match)
    levels, source = _stock_levels(ctx)
    markup = ctx.facts.markup.availability or ctx.facts.platform.availability
    _match, block = claims[0]
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
            f"the page claims {', '.join(map(str, sorted(numbers)))} left but {source} "
            f"says {', '.join(map(str, sorted(set(levels))))}",
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
    elif levels and numbers and numbers <= set(levels):
        yield Hit(
            f"the low-stock claim matches {source}: honest if both come from live stock; "
            "verify that they do",
            element,
            snippet=snippet,
        )
    elif (
        ctx.policy is not None
        and numbers
        and max(numbers) <= ctx.policy.low_stock_threshold
        and LOW_STOCK.search(snippet)
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
