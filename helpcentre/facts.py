"""The store policy's facts as help-centre variables, formatted for the site's locale.

A help page never writes "€ 4,95" or "30 dagen": it writes ``{{ shipping.rate }}`` or
``{{ returns.window }}``, and this module fills them in from `store.toml`, formatted by Babel
for the site's language. Change the policy and every page follows; the FAQ can never
contradict the cart.

`site_facts(policy, locale)` is plain Python (the checks and tests use it directly). The rest
of the module is the mkdocs-macros adapter: list ``defenceline.helpcentre.facts`` under the
macros plugin's ``modules:`` and `define_env` registers the variables and the helper macros
(`shipping_table()`, `cutoff_sentence()`, `contact_hours()`, `payment_list()`).
mkdocs-macros variables are also what MkDocs' successor engines read, so the pages stay
portable.

In a page every value is markup, made safe where it is made (`Formatter(markup=True)`):
text written in store.toml is HTML-escaped (and its Markdown link and emphasis characters
neutralised), so ``name = "<script>…"`` shows as text; amounts, times and dates are isolated
for the bidi algorithm (``<bdi>``), and phone numbers are isolated left-to-right
(``<bdi dir="ltr">``), so a Hebrew page shows "+31 20 123 4567", not
"4567 123 20 31+"; a contact value is a link only with an ``http(s):``, ``mailto:`` or ``tel:``
address (`safe_href`). `site_facts` without ``markup`` gives the plain text (the checks and the
browser widgets use that).

Variables (every amount, day, time and list is a formatted string unless noted):

``shop``       name, url, country, country_name, locale, currency
``shipping``   zones (list, see below), countries, home (the zone of the shop's own country),
               and that zone's rate, free_from, transit and carrier as shortcuts
``zone``       name, countries (list), countries_text, carrier, rate, free_shipping_from
               (None when there is none), transit, transit_min, transit_max (ints),
               delivery_days, express (list of name, rate, transit, text)
``returns``    window_days (int), window, cost, is_free (bool), method, conditions,
               countries_text
``payment``    methods (list of name, surcharge, text), names, text
``contact``    channels (list of kind, label, value, href, hours_text, response, hours),
               email, phone, chat (the value of the first channel of that kind, or None)
``warehouse``  country_name, timezone, cutoff (weekday -> time), cutoff_text, handling_days
               (int), closures (list of dates)
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.dates import format_date, format_interval, format_time, get_day_names
from babel.dates import get_time_format as babel_time_format
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit
from markupsafe import escape

from defenceline.helpcentre.messages import Messages, messages_for
from defenceline.money import format_money
from defenceline.policy import WEEKDAYS, ContactChannel, OpeningHours, Policy, Zone
from defenceline.regions import country_name

if TYPE_CHECKING:
    from mkdocs_macros.plugin import MacrosPlugin

__all__ = [
    "Formatter",
    "contact_hours",
    "cutoff_sentence",
    "define_env",
    "payment_list",
    "safe_href",
    "shipping_table",
    "site_facts",
]

# Markdown characters that turn text into a link, emphasis, code or a table cell; in a value
# from store.toml they are written as character references, which Markdown shows as they are.
_MARKDOWN_SPECIALS = str.maketrans({char: f"&#{ord(char)};" for char in "\\`*_[]|"})
_SAFE_HREF = re.compile(r"(?i)(?:https?|mailto|tel):[^\s\x00-\x1f\x7f]+")


def safe_href(href: str) -> str | None:
    """`href` when it is an ``http(s):``, ``mailto:`` or ``tel:`` address, else None.

    A contact value becomes a link only then: ``javascript:``, ``data:`` and the like (and any
    address with spaces or control characters, which browsers strip and then obey) never do,
    even when a policy file that skipped validation hands them to the help centre.
    """
    return href if _SAFE_HREF.fullmatch(href) else None


def markdown_text(value: str) -> str:
    """Text from store.toml as Markdown that renders exactly that text: HTML-escaped, and
    Markdown's link, emphasis and code characters written as character references."""
    return str(escape(value)).translate(_MARKDOWN_SPECIALS)


class Formatter:
    """Formats the policy's values for one locale; every help-centre number goes through it."""

    def __init__(self, policy: Policy, locale: str, *, markup: bool = False) -> None:
        self.policy = policy
        self.locale = locale
        # Plain text for the checks and the browser widgets; Markdown-safe markup for pages.
        self.markup = markup
        self.messages: Messages = messages_for(locale)
        self._day_names = get_day_names("wide", locale=locale)
        self._twelve_hour = "h" in str(babel_time_format("short", locale=locale).pattern)

    def text(self, value: str) -> str:
        """A value written in store.toml (a name, a carrier, a condition), safe in a page."""
        return markdown_text(value) if self.markup else value

    def isolated(self, value: str, *, ltr: bool = False) -> str:
        """A formatted number, amount, date or time (or, with `ltr`, a phone number, address
        or code) kept whole inside right-to-left text."""
        if not self.markup:
            return value
        if ltr:
            return f'<bdi dir="ltr">{markdown_text(value)}</bdi>'
        return f"<bdi>{markdown_text(value)}</bdi>"

    def money(self, amount: Decimal) -> str:
        """An amount in the shop's currency ("€ 4,95" in nl, "€4.95" in en)."""
        return self.isolated(format_money(amount, self.policy.shop.currency, self.locale))

    def cost(self, amount: Decimal) -> str:
        """An amount, or the word for free when it is zero."""
        return self.messages.get("free") if amount == 0 else self.money(amount)

    def percent(self, value: Decimal) -> str:
        return self.isolated(
            format_percent(value / 100, locale=self.locale, decimal_quantization=False)
        )

    def number(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self.locale)

    def time(self, value: dt.time) -> str:
        return self.isolated(format_time(value, "short", locale=self.locale))

    def time_range(self, hours: OpeningHours) -> str:
        skeleton = "hm" if self._twelve_hour else "Hm"
        return self.isolated(
            format_interval(hours.opens, hours.closes, skeleton, locale=self.locale)
        )

    def date(self, value: dt.date) -> str:
        return self.isolated(format_date(value, "long", locale=self.locale))

    def days(self, count: int) -> str:
        """A number of calendar days ("30 dagen")."""
        return self._unit(count, "duration-day")

    def hours(self, count: int) -> str:
        return self._unit(count, "duration-hour")

    def _unit(self, count: int, unit: str) -> str:
        # CLDR leaves some locales' long unit names to inheritance that Babel does not follow
        # (nl prints "30 duration-day"); the short form is then the locale's own word.
        text = str(format_unit(count, unit, "long", locale=self.locale))
        if unit in text:
            text = str(format_unit(count, unit, "short", locale=self.locale))
        return text

    def transit(self, low: int, high: int) -> str:
        if low == high:
            key = "transit_one" if low == 1 else "transit_many"
            return self.messages.get(key, n=self.number(low))
        return self.messages.get("transit_range", min=self.number(low), max=self.number(high))

    def weekday(self, name: str) -> str:
        return str(self._day_names[WEEKDAYS.index(name)])

    def weekdays(self, names: Iterable[str]) -> str:
        """Weekdays as a reader says them: runs of three or more as a range
        ("maandag t/m vrijdag"), the rest listed ("zaterdag en zondag")."""
        indexes = sorted({WEEKDAYS.index(name) for name in names})
        runs: list[list[int]] = []
        for index in indexes:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        parts: list[str] = []
        for run in runs:
            if len(run) >= 3:
                parts.append(
                    self.messages.get(
                        "day_range",
                        first=self.weekday(WEEKDAYS[run[0]]),
                        last=self.weekday(WEEKDAYS[run[-1]]),
                    )
                )
            else:
                parts.extend(self.weekday(WEEKDAYS[i]) for i in run)
        return self.join(parts)

    def join(self, items: Iterable[str]) -> str:
        """Items as a list in a sentence ("a, b en c")."""
        values = list(items)
        return format_list(values, locale=self.locale) if values else ""

    def countries(self, codes: Iterable[str]) -> list[str]:
        return [self.text(country_name(code, self.locale)) for code in codes]


# --- the variables ------------------------------------------------------------------------------


def site_facts(policy: Policy, locale: str, *, markup: bool = False) -> dict[str, Any]:
    """Every variable a help page may use, formatted for `locale` (see the module docstring):
    plain text, or with `markup` safe to place in a page's Markdown."""
    fmt = Formatter(policy, locale, markup=markup)
    zones = [_zone_facts(fmt, zone) for zone in policy.shipping.zones]
    home_zone = policy.zone_for(policy.shop.country) or policy.shipping.zones[0]
    home = zones[policy.shipping.zones.index(home_zone)]
    return {
        "shop": {
            "name": fmt.text(policy.shop.name),
            "url": fmt.text(policy.shop.url),
            "country": fmt.text(policy.shop.country),
            "country_name": fmt.text(country_name(policy.shop.country, locale)),
            "locale": locale,
            "currency": fmt.text(policy.shop.currency),
        },
        "shipping": {
            "zones": zones,
            "countries": fmt.join(fmt.countries(policy.shipping.countries)),
            "home": home,
            "rate": home["rate"],
            "free_from": home["free_shipping_from"],
            "transit": home["transit"],
            "carrier": home["carrier"],
        },
        "returns": _returns_facts(fmt),
        "payment": _payment_facts(fmt),
        "contact": _contact_facts(fmt),
        "warehouse": _warehouse_facts(fmt),
    }


def _zone_rate(fmt: Formatter, zone: Zone) -> str:
    if zone.rate is not None:
        return fmt.cost(zone.rate)
    parts: list[str] = []
    for tier in zone.tiers:
        rate = fmt.cost(tier.rate)
        if tier.max_weight is not None:
            parts.append(
                fmt.messages.get("up_to_weight", rate=rate, weight=fmt.number(tier.max_weight))
            )
        elif tier.max_value is not None:
            parts.append(
                fmt.messages.get("below_value", rate=rate, amount=fmt.money(tier.max_value))
            )
        else:
            parts.append(fmt.messages.get("otherwise", rate=rate))
    return fmt.join(parts)


def _zone_facts(fmt: Formatter, zone: Zone) -> dict[str, Any]:
    countries = fmt.countries(zone.countries)
    express = []
    for option in zone.express:
        transit = fmt.transit(option.transit_days.min, option.transit_days.max)
        rate = fmt.money(option.rate)
        name = fmt.text(option.name)
        express.append(
            {
                "name": name,
                "rate": rate,
                "transit": transit,
                "carrier": fmt.text(option.carrier or zone.carrier),
                "text": fmt.messages.get("express_option", name=name, rate=rate, transit=transit),
            }
        )
    return {
        "name": fmt.text(zone.name),
        "countries": countries,
        "countries_text": fmt.join(countries),
        "carrier": fmt.text(zone.carrier),
        "rate": _zone_rate(fmt, zone),
        "free_shipping_from": (
            fmt.money(zone.free_shipping_from) if zone.free_shipping_from is not None else None
        ),
        "transit": fmt.transit(zone.transit_days.min, zone.transit_days.max),
        "transit_min": zone.transit_days.min,
        "transit_max": zone.transit_days.max,
        "delivery_days": fmt.weekdays(zone.delivery_weekdays),
        "express": express,
    }


def _returns_facts(fmt: Formatter) -> dict[str, Any]:
    returns = fmt.policy.returns
    return {
        "window_days": returns.window_days,
        "window": fmt.days(returns.window_days),
        "cost": fmt.cost(returns.cost),
        "is_free": returns.is_free,
        "method": fmt.text(returns.method),
        "conditions": fmt.text(returns.conditions),
        "countries_text": fmt.join(fmt.countries(fmt.policy.return_countries)),
    }


def _payment_facts(fmt: Formatter) -> dict[str, Any]:
    methods = []
    for method in fmt.policy.payment_methods:
        name = fmt.text(method.name)
        surcharge = fmt.money(method.surcharge) if method.surcharge else None
        percent = fmt.percent(method.surcharge_percent) if method.surcharge_percent else None
        if surcharge:
            text = fmt.messages.get("surcharge", name=name, amount=surcharge)
        elif percent:
            text = fmt.messages.get("surcharge_percent", name=name, percent=percent)
        else:
            text = name
        methods.append(
            {
                "name": name,
                "surcharge": surcharge,
                "surcharge_percent": percent,
                "text": text,
            }
        )
    return {
        "methods": methods,
        "names": fmt.join(str(m["name"]) for m in methods),
        "text": fmt.join(str(m["text"]) for m in methods),
    }


def _channel_href(channel: ContactChannel) -> str | None:
    if channel.kind == "email":
        href = f"mailto:{channel.value}"
    elif channel.kind == "phone":
        href = "tel:" + re.sub(r"[^\d+]", "", channel.value)
    else:
        href = channel.value
    return safe_href(href)


def channel_hours(fmt: Formatter, channel: ContactChannel) -> list[dict[str, str]]:
    """Opening hours grouped by identical times: [{"days": "maandag t/m vrijdag",
    "hours": "09:00–17:00"}, ...], in weekday order."""
    groups: dict[tuple[dt.time, dt.time], list[str]] = {}
    for day in WEEKDAYS:
        hours = channel.hours.get(day)
        if hours is not None:
            groups.setdefault((hours.opens, hours.closes), []).append(day)
    ordered = sorted(groups.items(), key=lambda item: WEEKDAYS.index(item[1][0]))
    return [
        {"days": fmt.weekdays(days), "hours": fmt.time_range(channel.hours[days[0]])}
        for _, days in ordered
    ]


def _contact_facts(fmt: Formatter) -> dict[str, Any]:
    channels: list[dict[str, Any]] = []
    for channel in fmt.policy.contact:
        hours = channel_hours(fmt, channel)
        hours_text = (
            fmt.join(f"{group['days']} {group['hours']}" for group in hours)
            if hours
            else fmt.messages.get("any_time")
        )
        channels.append(
            {
                "kind": channel.kind,
                "label": (
                    fmt.text(channel.label)
                    if channel.label
                    else fmt.messages.get(f"contact_{channel.kind}")
                ),
                # Digits and spaces only: right-to-left text would reverse the groups.
                "value": (
                    fmt.isolated(channel.value, ltr=True)
                    if channel.kind == "phone"
                    else fmt.text(channel.value)
                ),
                "href": _channel_href(channel),
                "hours": hours,
                "hours_text": hours_text,
                "response": (
                    fmt.messages.get("response_within", duration=fmt.hours(channel.response_hours))
                    if channel.response_hours
                    else None
                ),
            }
        )
    first: dict[str, str | None] = {"email": None, "phone": None, "chat": None}
    for fact in channels:
        first[fact["kind"]] = first[fact["kind"]] or fact["value"]
    return {"channels": channels, **first}


def _warehouse_facts(fmt: Formatter) -> dict[str, Any]:
    warehouse = fmt.policy.warehouse
    by_time: dict[dt.time, list[str]] = {}
    for day in WEEKDAYS:
        if day in warehouse.cutoff:
            by_time.setdefault(warehouse.cutoff[day], []).append(day)
    ordered = sorted(by_time.items(), key=lambda item: WEEKDAYS.index(item[1][0]))
    return {
        "country_name": fmt.text(country_name(warehouse.country, fmt.locale)),
        "timezone": fmt.text(warehouse.timezone),
        "cutoff": {day: fmt.time(time) for day, time in warehouse.cutoff.items()},
        "cutoff_text": fmt.join(f"{fmt.weekdays(days)} {fmt.time(time)}" for time, days in ordered),
        "handling_days": warehouse.handling_days,
        "closures": [fmt.date(day) for day in sorted(warehouse.closures)],
    }


# --- helper macros ------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def shipping_table(policy: Policy, locale: str) -> str:
    """A Markdown table of every zone: destination, carrier, cost, free-from, delivery time,
    and the faster options when any zone has them."""
    fmt = Formatter(policy, locale, markup=True)
    msg = fmt.messages
    zones = [_zone_facts(fmt, zone) for zone in policy.shipping.zones]
    with_express = any(zone["express"] for zone in zones)
    header = [
        msg.get("table_destination"),
        msg.get("table_carrier"),
        msg.get("table_rate"),
        msg.get("table_free_from"),
        msg.get("table_transit"),
    ]
    if with_express:
        header.append(msg.get("table_express"))
    rows = []
    for zone in zones:
        row = [
            zone["countries_text"],
            zone["carrier"],
            zone["rate"],
            zone["free_shipping_from"] or msg.get("not_offered"),
            zone["transit"],
        ]
        if with_express:
            row.append(fmt.join(e["text"] for e in zone["express"]) or msg.get("not_offered"))
        rows.append(row)
    return _table(header, rows)


def cutoff_sentence(policy: Policy, locale: str) -> str:
    """When an order still leaves today, as one or two sentences for the shipping FAQ."""
    fmt = Formatter(policy, locale, markup=True)
    warehouse = policy.warehouse
    by_time: dict[dt.time, list[str]] = {}
    for day in WEEKDAYS:
        if day in warehouse.cutoff:
            by_time.setdefault(warehouse.cutoff[day], []).append(day)
    ordered = sorted(by_time.items(), key=lambda item: WEEKDAYS.index(item[1][0]))
    times = fmt.join(
        fmt.messages.get("cutoff_part", time=fmt.time(time), days=fmt.weekdays(days))
        for time, days in ordered
    )
    text = fmt.messages.get("cutoff_sentence", times=times)
    if warehouse.handling_days:
        text += " " + fmt.messages.get(
            "handling_sentence", days=fmt.transit(warehouse.handling_days, warehouse.handling_days)
        )
    upcoming = [day for day in sorted(warehouse.closures) if day >= dt.date.today()]
    if upcoming:
        text += " " + fmt.messages.get(
            "closures_sentence", dates=fmt.join(fmt.date(day) for day in upcoming)
        )
    return text


def contact_hours(policy: Policy, locale: str, kind: str | None = None) -> str:
    """A Markdown table of the contact channels (or only those of `kind`) with their hours."""
    fmt = Formatter(policy, locale, markup=True)
    msg = fmt.messages
    rows = []
    for channel in _contact_facts(fmt)["channels"]:
        if kind is not None and channel["kind"] != kind:
            continue
        reach = channel["value"]
        if channel["href"] is not None:
            href = escape(channel["href"].replace("|", "%7C"))
            reach = f'<a href="{href}">{reach}</a>'
        hours = channel["hours_text"]
        if channel["response"]:
            hours = f"{hours} ({channel['response']})"
        rows.append([channel["label"], reach, hours])
    return _table([msg.get("table_channel"), msg.get("table_reach"), msg.get("table_hours")], rows)


def payment_list(policy: Policy, locale: str) -> str:
    """A Markdown bullet list of payment methods with their surcharges."""
    facts = _payment_facts(Formatter(policy, locale, markup=True))
    return "\n".join(f"- {method['text']}" for method in facts["methods"])


# --- mkdocs-macros adapter ----------------------------------------------------------------------


def _plugin_error(message: str) -> Exception:
    from mkdocs.exceptions import PluginError

    return PluginError(message)


def site_policy_path(config: Any) -> Path:
    """The policy file named by the `defenceline` plugin's ``policy`` option (or, without that
    plugin, ``extra: {defenceline: {policy: ...}}``), relative to mkdocs.yml."""
    base = Path(config.config_file_path or ".").resolve().parent
    plugin = config.plugins.get("defenceline")
    path: str | None = None
    if plugin is not None:
        path = plugin.config.get("policy")
    if not path:
        extra = config.extra.get("defenceline") or {}
        path = extra.get("policy") if isinstance(extra, dict) else None
    if not path:
        raise _plugin_error(
            f"{config.config_file_path}: no store policy configured; expected "
            "`plugins: - defenceline: policy: path/to/store.toml`"
        )
    return (base / path).resolve()


def site_locale(config: Any, policy: Policy) -> str:
    """The site's locale: the defenceline plugin's ``locale`` option, else the theme's
    language, else the shop's default locale."""
    from defenceline.regions import normalise_locale

    plugin = config.plugins.get("defenceline")
    tag = plugin.config.get("locale") if plugin is not None else None
    if not tag:
        theme_language = config.theme.get("language") if config.theme else None
        tag = theme_language or policy.shop.default_locale
    try:
        return normalise_locale(str(tag))
    except ValueError as exc:
        raise _plugin_error(f"{config.config_file_path}: {exc}") from None


def define_env(env: MacrosPlugin) -> None:
    """mkdocs-macros entry point: the policy's facts as variables, plus the helper macros."""
    from defenceline.policyfile import PolicyError, load_policy

    try:
        policy = load_policy(site_policy_path(env.conf))
    except PolicyError as exc:
        raise _plugin_error(exc.format()) from None
    locale = site_locale(env.conf, policy)
    env.variables.update(site_facts(policy, locale, markup=True))

    def bind(function: Callable[..., str]) -> Callable[..., str]:
        def macro(*args: Any, **kwargs: Any) -> str:
            return function(policy, locale, *args, **kwargs)

        macro.__name__ = function.__name__
        macro.__doc__ = function.__doc__
        return macro

    for function in (shipping_table, cutoff_sentence, contact_hours, payment_list):
        env.macro(bind(function), function.__name__)  # type: ignore[no-untyped-call]


_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def _body_offset(source: str) -> int:
    """Lines before the Markdown body MkDocs hands to plugins (front matter, blank lines)."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return 0
    rest = source[match.end() :]
    return source[: match.end()].count("\n") + (len(rest) - len(rest.lstrip("\n")))


def _template_line(error: BaseException) -> int | None:
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def on_pre_page_macros(env: MacrosPlugin) -> None:
    """Render the page once with undefined variables as errors, before mkdocs-macros does.

    mkdocs-macros reports a failed render as a warning with a Python traceback pasted into the
    page. A store owner needs the file, the line and the name that is wrong, and a failed
    build: this raises a PluginError saying exactly that.
    """
    from jinja2 import StrictUndefined

    markdown = env.markdown
    if not env.has_j2(markdown):
        return
    page = env.page
    variables = dict(env.variables)
    variables.update(page.meta or {})
    try:
        env.env.overlay(undefined=StrictUndefined).from_string(markdown).render(**variables)
    except Exception as error:
        line = _template_line(error)
        where = page.file.src_uri
        if line is not None:
            source = page.file.content_string if page.file.abs_src_path else markdown
            where += f":{line + _body_offset(source)}"
        message = getattr(error, "message", None) or str(error)
        if type(error).__name__ == "UndefinedError":
            text = (
                markdown.splitlines()[line - 1] if line and line <= markdown.count("\n") + 1 else ""
            )
            message = _undefined_message(message, text)
        raise _plugin_error(f"{where}: {message}") from None


def _undefined_message(message: str, line: str) -> str:
    """Jinja's "'SuperDict object' has no attribute 'rte'" as "unknown variable shipping.rte"."""
    name = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    if not name:
        return message
    attribute = name.group(1) or name.group(2)
    expression = re.search(rf"[\w.\[\]'\"]*\b{re.escape(attribute)}\b", line)
    shown = expression.group(0) if expression else attribute
    return (
        f"unknown variable {shown!r}; the policy's facts are shop, shipping, returns, payment, "
        "contact and warehouse (see docs/helpcentre/facts.md)"
    )
