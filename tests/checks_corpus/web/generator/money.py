"""Markets and the ways their shops write money.

A market is a country's language, currency and domain. A money style is one way a shop there
writes an amount: the symbol or code and where it stands, the decimal and grouping marks, Indian
lakh grouping, no decimals for yen (or for kronor and roubles when the shop drops them), a
trailing ",-". The styles are the ones the platforms' money formats and Babel's CLDR patterns
produce (Shopify's `{{amount_with_comma_separator}}`, WooCommerce's separator settings,
Magento's and PrestaShop's Intl formatting).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True)
class Market:
    locale: str  # Babel/CLDR locale of the shop
    lang: str  # the page's language (key in locales.LANGUAGES)
    currency: str  # ISO 4217
    tld: str
    country: str
    rate: Decimal  # roughly how many units of the currency buy one euro's worth
    phone: str


MARKETS: tuple[Market, ...] = (
    Market("nl_NL", "nl", "EUR", "nl", "NL", Decimal(1), "020 808 4411"),
    Market("nl_BE", "nl", "EUR", "be", "BE", Decimal(1), "03 808 44 11"),
    Market("en_GB", "en", "GBP", "co.uk", "GB", Decimal("0.86"), "0161 496 0734"),
    Market("en_US", "en", "USD", "com", "US", Decimal("1.08"), "(415) 555-0142"),
    Market("de_DE", "de", "EUR", "de", "DE", Decimal(1), "030 901820"),
    Market("de_AT", "de", "EUR", "at", "AT", Decimal(1), "01 5892 200"),
    Market("de_CH", "de", "CHF", "ch", "CH", Decimal("0.95"), "044 668 18 00"),
    Market("fr_FR", "fr", "EUR", "fr", "FR", Decimal(1), "01 84 88 19 20"),
    Market("it_IT", "it", "EUR", "it", "IT", Decimal(1), "02 3057 4410"),
    Market("es_ES", "es", "EUR", "es", "ES", Decimal(1), "910 78 44 20"),
    Market("es_MX", "es", "MXN", "com.mx", "MX", Decimal("19.5"), "55 4161 2200"),
    Market("pl_PL", "pl", "PLN", "pl", "PL", Decimal("4.3"), "22 307 44 10"),
    Market("sv_SE", "sv", "SEK", "se", "SE", Decimal("11.4"), "08-505 822 00"),
    Market("nb_NO", "en", "NOK", "no", "NO", Decimal("11.6"), "+47 21 93 44 10"),
    Market("da_DK", "en", "DKK", "dk", "DK", Decimal("7.46"), "+45 33 18 44 10"),
    Market("he_IL", "he", "ILS", "co.il", "IL", Decimal("4.0"), "03-7630020"),
    Market("ru_RU", "ru", "RUB", "ru", "RU", Decimal("100"), "+7 495 120-44-10"),
    Market("el_GR", "el", "EUR", "gr", "GR", Decimal(1), "210 300 4410"),
    Market("ja_JP", "ja", "JPY", "jp", "JP", Decimal("160"), "03-4578-1010"),
    Market("en_IN", "en", "INR", "in", "IN", Decimal("90"), "+91 80 4718 2200"),
    Market("en_CA", "en", "CAD", "ca", "CA", Decimal("1.47"), "(416) 555-0188"),
    Market("en_AU", "en", "AUD", "com.au", "AU", Decimal("1.65"), "(02) 9000 4410"),
)

# Markets the third batch adds: a new language (Portuguese), currencies the first two batches
# never wrote (BRL, CLP, COP, ZAR, NZD, SGD, HKD, KZT) - several of them sharing "$" - and
# the Swiss market in French and Italian.
MARKETS_3: tuple[Market, ...] = (
    *MARKETS,
    Market("pt_BR", "pt", "BRL", "com.br", "BR", Decimal("5.9"), "(11) 4003-4410"),
    Market("pt_PT", "pt", "EUR", "pt", "PT", Decimal(1), "21 340 4410"),
    Market("es_CL", "es", "CLP", "cl", "CL", Decimal("1010"), "+56 2 2940 4410"),
    Market("es_CO", "es", "COP", "com.co", "CO", Decimal("4400"), "+57 601 508 4410"),
    Market("en_ZA", "en", "ZAR", "co.za", "ZA", Decimal("19.8"), "021 300 4410"),
    Market("en_NZ", "en", "NZD", "co.nz", "NZ", Decimal("1.8"), "09 300 4410"),
    Market("en_SG", "en", "SGD", "com.sg", "SG", Decimal("1.45"), "+65 6300 4410"),
    Market("en_HK", "en", "HKD", "com.hk", "HK", Decimal("8.4"), "+852 3000 4410"),
    Market("ru_KZ", "ru", "KZT", "kz", "KZ", Decimal("540"), "+7 727 300 4410"),
    Market("fr_CH", "fr", "CHF", "ch", "CH", Decimal("0.95"), "022 300 44 10"),
    Market("it_CH", "it", "CHF", "ch", "CH", Decimal("0.95"), "091 300 44 10"),
)

# Markets the fourth batch uses: the Dutch and Belgian shops a Dutch store owner competes with
# (counted three times and twice: they are most of the batch), their German, Austrian, Swiss,
# French, Irish and British neighbours, Italy and Spain, and Danish - a language the checker
# reads facts in but no batch had written (batches 1-3 sold to Denmark in English).
MARKETS_4: tuple[Market, ...] = (
    Market("nl_NL", "nl", "EUR", "nl", "NL", Decimal(1), "020 808 4411"),
    Market("nl_NL", "nl", "EUR", "nl", "NL", Decimal(1), "030 760 2210"),
    Market("nl_NL", "nl", "EUR", "nl", "NL", Decimal(1), "010 340 8870"),
    Market("nl_BE", "nl", "EUR", "be", "BE", Decimal(1), "03 808 44 11"),
    Market("nl_BE", "nl", "EUR", "be", "BE", Decimal(1), "09 224 31 70"),
    Market("fr_BE", "fr", "EUR", "be", "BE", Decimal(1), "02 808 44 11"),
    Market("de_DE", "de", "EUR", "de", "DE", Decimal(1), "030 901820"),
    Market("de_DE", "de", "EUR", "de", "DE", Decimal(1), "089 2154 770"),
    Market("de_AT", "de", "EUR", "at", "AT", Decimal(1), "01 5892 200"),
    Market("de_CH", "de", "CHF", "ch", "CH", Decimal("0.95"), "044 668 18 00"),
    Market("fr_FR", "fr", "EUR", "fr", "FR", Decimal(1), "01 84 88 19 20"),
    Market("en_IE", "en", "EUR", "ie", "IE", Decimal(1), "01 437 0221"),
    Market("en_GB", "en", "GBP", "co.uk", "GB", Decimal("0.86"), "0161 496 0734"),
    Market("it_IT", "it", "EUR", "it", "IT", Decimal(1), "02 3057 4410"),
    Market("es_ES", "es", "EUR", "es", "ES", Decimal(1), "910 78 44 20"),
    Market("da_DK", "da", "DKK", "dk", "DK", Decimal("7.46"), "33 18 44 10"),
    Market("da_DK", "da", "DKK", "dk", "DK", Decimal("7.46"), "86 12 40 55"),
)
# The fifth batch's markets: the fourth's without Danish (the dark-pattern rules do not claim
# Danish, and this batch is about persuasion as much as about prices).
MARKETS_5: tuple[Market, ...] = tuple(m for m in MARKETS_4 if m.lang != "da")

NBSP = "\u00a0"
NNBSP = "\u202f"


@dataclass(frozen=True, slots=True)
class MoneyStyle:
    currency: str
    symbol: str
    before: bool
    space: str  # between symbol and number
    decimal: str
    group: str
    decimals: int  # 0 or the currency's minor digits
    indian: bool = False
    suffix: str = ""  # after everything: " EUR", ",-"
    # Swiss shops write a whole amount as "49.–": the dash stands for the zero cents.
    dash_whole: bool = False
    # What stands for the zero cents: the Swiss "49.–", the Dutch and German "24,-".
    whole_mark: str = "–"

    def number(self, amount: Decimal | int) -> str:
        amount = Decimal(str(amount))
        quantum = Decimal(1).scaleb(-self.decimals)
        value = amount.quantize(quantum, rounding=ROUND_HALF_UP)
        whole, _, cents = f"{value:f}".partition(".")
        if self.dash_whole and self.decimals and set(cents) == {"0"}:
            cents = self.whole_mark
        return _group(whole, self.group, self.indian) + (
            self.decimal + cents if self.decimals else ""
        )

    def format(self, amount: Decimal | int) -> str:
        number = self.number(amount)
        if self.before:
            return f"{self.symbol}{self.space}{number}{self.suffix}"
        return f"{number}{self.space}{self.symbol}{self.suffix}"

    def parts(self, amount: Decimal) -> tuple[str, str, str]:
        """(whole part with grouping, decimal mark, cents) for split-price markup."""
        number = self.number(amount)
        if self.decimals:
            whole, cents = number.rsplit(self.decimal, 1)
            return whole, self.decimal, cents
        return number, "", ""


def _group(whole: str, mark: str, indian: bool) -> str:
    if len(whole) <= 3:
        return whole
    if not indian:
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        return mark.join(groups)
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return mark.join([*groups, tail])


def _styles(currency: str) -> list[MoneyStyle]:
    """Ways shops in a currency's markets write it (several per currency, all seen in the wild)."""
    m = MoneyStyle
    table: dict[str, list[MoneyStyle]] = {
        "EUR": [
            m("EUR", "€", True, " ", ",", ".", 2),
            m("EUR", "€", True, "", ",", ".", 2),
            m("EUR", "€", False, NBSP, ",", ".", 2),
            m("EUR", "€", False, " ", ",", NNBSP, 2),
            m("EUR", "EUR", True, " ", ",", ".", 2),
            m("EUR", "€", True, "", ".", ",", 2),
        ],
        "GBP": [
            m("GBP", "£", True, "", ".", ",", 2),
            m("GBP", "£", True, "", ".", ",", 2, suffix=" GBP"),
        ],
        "USD": [
            m("USD", "$", True, "", ".", ",", 2),
            m("USD", "$", True, "", ".", ",", 2, suffix=" USD"),
        ],
        "CHF": [
            m("CHF", "CHF", True, " ", ".", "'", 2),
            m("CHF", "CHF", True, NBSP, ".", "’", 2),
            m("CHF", "CHF", False, " ", ".", "'", 2),
            m("CHF", "Fr.", True, " ", ".", "'", 2),
        ],
        "MXN": [
            m("MXN", "$", True, "", ".", ",", 2),
            m("MXN", "$", True, "", ".", ",", 2, suffix=" MXN"),
        ],
        "PLN": [m("PLN", "zł", False, " ", ",", " ", 2), m("PLN", "zł", False, NBSP, ",", NBSP, 2)],
        "SEK": [
            m("SEK", "kr", False, " ", ",", " ", 2),
            m("SEK", "kr", False, " ", ",", " ", 0),
            m("SEK", "SEK", False, " ", ",", " ", 0),
        ],
        "NOK": [
            m("NOK", "kr", True, " ", ",", " ", 2),
            m("NOK", "kr", True, " ", ",", " ", 0, suffix=",-"),
            m("NOK", "kr", False, " ", ",", " ", 0),
        ],
        "DKK": [
            m("DKK", "kr.", False, " ", ",", ".", 2),
            m("DKK", "kr.", True, " ", ",", ".", 2),
            m("DKK", "DKK", False, " ", ",", ".", 2),
        ],
        "ILS": [
            m("ILS", "₪", True, "", ".", ",", 2),
            m("ILS", "₪", False, " ", ".", ",", 2),
            m("ILS", "₪", True, "", ".", ",", 0),
        ],
        "RUB": [
            m("RUB", "₽", False, " ", ",", " ", 0),
            m("RUB", "₽", False, NBSP, ",", NBSP, 2),
            m("RUB", "руб.", False, " ", ",", " ", 0),
        ],
        "JPY": [
            m("JPY", "¥", True, "", ".", ",", 0),
            m("JPY", "円", False, "", ".", ",", 0),
            m("JPY", "￥", True, "", ".", ",", 0),
        ],
        "INR": [
            m("INR", "₹", True, "", ".", ",", 0, indian=True),
            m("INR", "₹", True, " ", ".", ",", 2, indian=True),
            m("INR", "Rs.", True, " ", ".", ",", 2, indian=True),
        ],
        "CAD": [
            m("CAD", "$", True, "", ".", ",", 2),
            m("CAD", "$", True, "", ".", ",", 2, suffix=" CAD"),
            m("CAD", "CA$", True, "", ".", ",", 2),
        ],
        "AUD": [
            m("AUD", "$", True, "", ".", ",", 2),
            m("AUD", "$", True, "", ".", ",", 2, suffix=" AUD"),
            m("AUD", "A$", True, "", ".", ",", 2),
        ],
    }
    for code, styles in _styles_3().items():
        table.setdefault(code, styles)  # the earlier batches keep their own CHF styles
    return table[currency]


def _styles_3() -> dict[str, list[MoneyStyle]]:
    """The third batch's currencies, as their shops write them (CLDR and the platforms' own
    formats: Shopify's "R$ {{amount_with_comma_separator}}", WooCommerce's settings)."""
    m = MoneyStyle
    return {
        "BRL": [
            m("BRL", "R$", True, " ", ",", ".", 2),
            m("BRL", "R$", True, NBSP, ",", ".", 2),
            m("BRL", "R$", True, "", ",", ".", 2),
        ],
        # Chilean and Colombian pesos: "$" like the dollar, "." groups thousands and there are
        # no decimals, so "$12.990" is twelve thousand, not twelve.
        "CLP": [m("CLP", "$", True, "", ",", ".", 0), m("CLP", "$", True, " ", ",", ".", 0)],
        "COP": [
            m("COP", "$", True, " ", ",", ".", 0),
            m("COP", "$", True, "", ",", ".", 0, suffix=" COP"),
        ],
        "ZAR": [
            m("ZAR", "R", True, " ", ",", " ", 2),
            m("ZAR", "R", True, "", ".", ",", 2),
            m("ZAR", "R", True, NBSP, ",", NBSP, 2),
        ],
        "NZD": [m("NZD", "$", True, "", ".", ",", 2), m("NZD", "NZ$", True, "", ".", ",", 2)],
        "SGD": [m("SGD", "$", True, "", ".", ",", 2), m("SGD", "S$", True, "", ".", ",", 2)],
        "HKD": [m("HKD", "HK$", True, "", ".", ",", 2), m("HKD", "$", True, "", ".", ",", 2)],
        "KZT": [m("KZT", "₸", False, " ", ",", " ", 0), m("KZT", "тг", False, NBSP, ",", NBSP, 0)],
        "CHF": [
            m("CHF", "CHF", True, " ", ".", "’", 2, dash_whole=True),
            m("CHF", "CHF", False, " ", ".", "'", 2),
            m("CHF", "Fr.", True, " ", ".", "’", 2, dash_whole=True),
        ],
    }


def _styles_4(market: Market) -> list[MoneyStyle] | None:
    """The fourth batch's: Dutch and German shops write a whole euro amount as "€ 24,-" or
    "24,- €" (Lightspeed's and JTL's price formats allow it, many themes do it); Danish shops
    "249,- kr." or "kr. 249,95"."""
    m = MoneyStyle
    if market.currency == "EUR" and market.lang in ("nl", "de"):
        before = market.lang == "nl"
        return [
            m("EUR", "€", before, " " if before else NBSP, ",", ".", 2),
            m("EUR", "€", before, " " if before else NBSP, ",", ".", 2, dash_whole=True,
              whole_mark="-"),
            m("EUR", "€", True, NBSP, ",", ".", 2, dash_whole=True, whole_mark="-"),
        ]  # fmt: skip
    if market.currency == "DKK":
        return [
            m("DKK", "kr.", False, " ", ",", ".", 2, dash_whole=True, whole_mark="-"),
            m("DKK", "kr.", True, " ", ",", ".", 2),
            m("DKK", "DKK", False, " ", ",", ".", 2),
        ]
    return None


def money_style(
    rng: random.Random, market: Market, third: bool = False, fourth: bool = False
) -> MoneyStyle:
    styles = _styles(market.currency)
    fourth_styles = _styles_4(market) if fourth else None
    if fourth_styles:
        return rng.choice(fourth_styles)
    if third and market.currency == "CHF":
        styles = _styles_3()["CHF"]
    if market.currency == "EUR" and market.lang in ("de", "fr", "it", "es", "el"):
        # Continental shops put the euro sign after the number far more often than before it.
        styles = [s for s in styles if not s.before] + styles[:1]
    if market.currency == "EUR" and market.lang == "en":
        styles = styles[-1:]
    return rng.choice(styles)


def minor_digits(currency: str) -> int:
    # Chile's peso has none; Colombia's and Kazakhstan's have two on paper but none in use.
    return 0 if currency in ("JPY", "CLP", "COP", "KZT") else 2


def shop_amount(rng: random.Random, euros: Decimal, market: Market) -> Decimal:
    """A price as a shop in this market would set it: 29.95, 349.00, ¥12,800, ₹1,29,900."""
    raw = euros * market.rate
    if market.currency == "JPY":
        return (raw / 100).quantize(Decimal(1)) * 100 or Decimal(100)
    if market.currency in ("CLP", "COP", "KZT"):
        return (raw / 10).quantize(Decimal(1)) * 10 - 10 or Decimal(990)
    if market.currency in ("INR", "RUB"):
        step = Decimal(100) if raw > 5000 else Decimal(10)
        return ((raw / step).quantize(Decimal(1)) * step - 1).quantize(Decimal("0.01"))
    if market.currency in ("SEK", "NOK", "DKK", "MXN"):
        return ((raw / 10).quantize(Decimal(1)) * 10 - 1).quantize(Decimal("0.01"))
    ending = rng.choice([Decimal("0.95"), Decimal("0.99"), Decimal("0.00"), Decimal("0.50")])
    whole = raw.quantize(Decimal(1))
    if ending == 0:
        return whole.quantize(Decimal("0.01"))
    return (whole - 1 + ending).quantize(Decimal("0.01")) if whole > 1 else ending
