"""``flask defenceline promise-report``: was the delivery promise kept, and what can the shop
promise? As a text table, as JSON (``--json``) and as a page with charts (``--html FILE``).

The report is built once (`build_report`) from the delivery history and the calibration and
rendered three ways, so the three never disagree. The page is self-contained (inline SVG and
CSS, no script, nothing fetched) so it can be mailed or opened from disk; each chart has a
title and a description for screen readers and the table it was drawn from beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path
from typing import Any

import click
import numpy as np
from flask.cli import AppGroup, with_appcontext

from defenceline.plugin.cliparams import state_or_exit
from defenceline.plugin.shipping.accuracy import accuracy, accuracy_by
from defenceline.plugin.shipping.calibration import SATURDAY, measure_lanes
from defenceline.plugin.shipping.history import DeliveryHistory, read_history, weekday_of
from defenceline.policy import Policy

__all__ = [
    "build_report",
    "promise_report_command",
    "register",
    "render_html",
    "render_text",
]

REPORT_DAYS = 365


def build_report(history: DeliveryHistory, policy: Policy) -> dict[str, Any]:
    """The report as JSON-ready data: accuracy over the whole `history`, calibration over
    its last ``window_days``."""
    settings = policy.shipping.calibration
    calibration = {(lane.zone, lane.carrier): lane for lane in measure_lanes(history, policy)}
    by_lane = {
        (g.key["zone"], g.key["carrier"]): g for g in accuracy_by(history, "zone", "carrier")
    }
    lanes = []
    for key, lane in calibration.items():
        group = by_lane.get(key)
        measured = (
            group.accuracy.to_dict()
            if group
            else accuracy(history.where(np.zeros(len(history), dtype=bool))).to_dict()
        )
        lanes.append({"zone": key[0], "carrier": key[1], **measured, **lane.to_dict()})
    saturday_rows = weekday_of(history.latest) == SATURDAY
    saturday = [
        {
            **g.to_dict(),
            "promised": calibration[(str(g.key["zone"]), str(g.key["carrier"]))].saturday,
        }
        for g in accuracy_by(history.where(saturday_rows), "zone", "carrier")
        if (str(g.key["zone"]), str(g.key["carrier"])) in calibration
    ]
    return {
        "as_of": str(history.as_of),
        "shipments": len(history),
        "target": settings.target,
        "mode": settings.mode,
        "window_days": settings.window_days,
        "min_samples": settings.min_samples,
        "overall": accuracy(history).to_dict(),
        "lanes": lanes,
        "saturday": saturday,
        "by_weekday": [g.to_dict() for g in accuracy_by(history, "zone", "carrier", "weekday")],
        "by_month": [g.to_dict() for g in accuracy_by(history, "zone", "carrier", "month")],
        "cells": [g.to_dict() for g in accuracy_by(history, "zone", "carrier", "weekday", "month")],
    }


# --- text ----------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _days(value: dict[str, int] | None) -> str:
    return "-" if not value else f"{value['min']}-{value['max']}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def render_text(report: dict[str, Any]) -> str:
    """A readable report for a terminal."""
    overall = report["overall"]
    parts = [
        f"Delivery promise kept, as of {report['as_of']}: {_percent(overall['on_time_rate'])} "
        f"on time over {report['shipments']} shipments "
        f"({overall['in_transit']} still in transit, counted as censored).",
        f"Target {_percent(report['target'])}; calibration over the last "
        f"{report['window_days']} days, at least {report['min_samples']} shipments per lane; "
        f"mode: {report['mode']}.",
        "",
        "Lanes (zone x carrier)",
        _table(
            [
                "zone",
                "carrier",
                "shipments",
                "in transit",
                "on time",
                "days late",
                "promised days",
                "calibrated",
                "would be on time",
                "Saturday",
            ],
            [
                [
                    lane["zone"],
                    lane["carrier"],
                    str(lane["shipments"]),
                    str(lane["in_transit"]),
                    _percent(lane["on_time_rate"]),
                    "-" if lane["days_late"] is None else f"{lane['days_late']:.1f}",
                    _days(lane["policy_transit_days"]),
                    _days(lane["calibrated_transit_days"])
                    + ("" if lane["basis"] == "lane" else f" ({lane['basis']})"),
                    _percent(lane["calibrated_on_time_rate"]),
                    ("promised" if lane["saturday_promised"] else "not promised")
                    + f" ({_percent(lane['saturday_on_time_rate'])})",
                ]
                for lane in report["lanes"]
            ],
        ),
    ]
    suggestions = [lane for lane in report["lanes"] if lane["suggestion"]]
    if report["mode"] == "report" and suggestions:
        parts += ["", "Suggested transit days for store.toml ([[shipping.zones]]):"]
        for lane in suggestions:
            rates = ", ".join(
                f"max {k}: {_percent(v)}" for k, v in lane["on_time_rate_by_max"].items()
            )
            parts.append(f"  {lane['zone']} ({lane['carrier']}): {lane['suggestion']}  [{rates}]")
    for field in ("weekday", "month"):
        rows = [
            [g["zone"], g["carrier"], g[field], str(g["shipments"]), _percent(g["on_time_rate"])]
            for g in report[f"by_{field}"]
        ]
        parts += [
            "",
            f"By dispatch {field}",
            _table(["zone", "carrier", field, "shipments", "on time"], rows),
        ]
    return "\n".join(parts) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem}
.tiles{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}
.tiles li{border:1px solid #bbb;border-radius:.5rem;padding:.75rem 1rem;min-width:12rem}
.tiles strong{display:block;font-size:1.8rem}
svg{max-width:100%;height:auto}svg text{font:13px system-ui,sans-serif;fill:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.25rem .6rem;text-align:left;
border-bottom:1px solid #ccc}td.n{text-align:right;font-variant-numeric:tabular-nums}
details{margin-bottom:1rem}figure{margin:1rem 0}figcaption{font-weight:600}
.scroll{overflow-x:auto}
.ok{fill:#1f6f43}.miss{fill:#b3261e}.target{stroke:#1b1b1b;
stroke-dasharray:4 3}code{background:#f2f2f2;padding:0 .25rem}
"""
_BAR = 22
_WIDTH = 640
_LABEL = 230


def _rate_bars(
    chart_id: str, title: str, description: str, rows: list[tuple[str, float | None]], target: float
) -> str:
    """Horizontal bars of on-time rates with the target marked: green at or above, red below.
    The axis starts a little below the lowest rate (its start is labelled), so that 94% and
    96% look different; a full 0-100% axis would draw them alike."""
    known = [rate for _, rate in rows if rate is not None]
    low = max(0.0, float(np.floor((min([*known, target]) - 0.05) * 10)) / 10)
    height = _BAR * len(rows) + 34
    scale = (_WIDTH - _LABEL - 60) / (1.0 - low)

    def x(rate: float) -> float:
        return _LABEL + (max(rate, low) - low) * scale

    bars = []
    for n, (label, rate) in enumerate(rows):
        y = 10 + n * _BAR
        kind = "ok" if rate is not None and rate >= target else "miss"
        end = x(rate) if rate is not None else _LABEL
        bars.append(
            f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="{kind}" x="{_LABEL}" y="{y + 3}" width="{end - _LABEL:.1f}" '
            f'height="{_BAR - 6}"/><text x="{end + 6:.1f}" y="{y + 15}">{_percent(rate)}</text>'
        )
    bottom = height - 4
    return (
        f'<figure><figcaption id="{chart_id}-t">{escape(title)}</figcaption>'
        f'<svg viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">'
        f"<title>{escape(title)}</title>"
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
        + "".join(bars)
        + f'<line class="target" x1="{x(target):.1f}" x2="{x(target):.1f}" y1="4" '
        f'y2="{height - 18}"/>'
        f'<text x="{x(target):.1f}" y="{bottom}" text-anchor="middle">target '
        f"{_percent(target)}</text>"
        f'<text x="{_LABEL}" y="{bottom}">{_percent(low)}</text></svg></figure>'
    )


def _lateness_chart(chart_id: str, lane: dict[str, Any]) -> str:
    """Columns: arrivals by days after the promised latest day (0 and less: on time)."""
    counts = {int(k): v for k, v in lane["lateness"].items()}
    if not counts:
        return ""
    days = list(range(min(counts), max(counts) + 1))
    top = max(counts.values())
    column = min(40, (_WIDTH - 40) // len(days))
    height = 180
    parts = []
    for n, day in enumerate(days):
        value = counts.get(day, 0)
        h = (height - 50) * value / top
        x = 20 + n * column
        kind = "ok" if day <= 0 else "miss"
        parts.append(
            f'<rect class="{kind}" x="{x}" y="{height - 30 - h:.1f}" width="{column - 4}" '
            f'height="{h:.1f}"/><text x="{x + (column - 4) / 2}" y="{height - 12}" '
            f'text-anchor="middle">{day:+d}</text>'
        )
    late = sum(v for k, v in counts.items() if k > 0)
    description = (
        f"Of {sum(counts.values())} parcels that arrived, {late} came after the promised "
        f"latest day. Columns by days after that day; zero and below were on time."
    )
    title = f"{lane['zone']} ({lane['carrier']}): parcels by days after the promised latest day"
    return (
        f'<figure><figcaption id="{chart_id}-t">{escape(title)}</figcaption>'
        f'<svg viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d"><title>{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(parts) + "</svg></figure>"
    )


def _html_table(caption: str, headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    # A wide table scrolls in its own focusable box on a phone instead of widening the page.
    return (
        f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _fallback(caption: str, headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    return (
        f"<details><summary>The numbers: {escape(caption)}</summary>"
        f"{_html_table(caption, headers, rows, numeric)}</details>"
    )


def render_html(report: dict[str, Any], shop: str) -> str:
    """A self-contained page with charts (inline SVG), each with its numbers as a table."""
    target = report["target"]
    overall = report["overall"]
    lanes = report["lanes"]
    lane_name = [f"{lane['zone']} ({lane['carrier']})" for lane in lanes]
    sections = [
        f"<h1>Delivery promise kept: {escape(shop)}</h1>",
        f"<p>Up to {escape(report['as_of'])}, measured against the window promised when each "
        "order was placed. Parcels still in transit count as far as they are known (Kaplan–Meier): "
        "neither late nor ignored.</p>",
        '<ul class="tiles">'
        f"<li>On time<strong>{_percent(overall['on_time_rate'])}</strong>target "
        f"{_percent(target)}</li>"
        f"<li>Shipments<strong>{report['shipments']}</strong>{overall['in_transit']} in "
        "transit</li>"
        f"<li>Late parcels came<strong>{overall['days_late'] or 0:.1f} days</strong>late on "
        "average</li></ul>",
        "<h2>On time per lane</h2>",
        _rate_bars(
            "lanes",
            "On-time rate per lane",
            "; ".join(
                f"{name}: {_percent(lane['on_time_rate'])}"
                for name, lane in zip(lane_name, lanes, strict=True)
            )
            + f". Target {_percent(target)}.",
            [(name, lane["on_time_rate"]) for name, lane in zip(lane_name, lanes, strict=True)],
            target,
        ),
        _fallback(
            "on time per lane",
            ["lane", "shipments", "arrived", "in transit", "on time", "days late (mean)"],
            [
                [
                    name,
                    str(lane["shipments"]),
                    str(lane["delivered"]),
                    str(lane["in_transit"]),
                    _percent(lane["on_time_rate"]),
                    "-" if lane["days_late"] is None else f"{lane['days_late']:.1f}",
                ]
                for name, lane in zip(lane_name, lanes, strict=True)
            ],
            {1, 2, 3, 4, 5},
        ),
    ]
    saturday = report["saturday"]
    if saturday:
        sections += [
            "<h2>Parcels promised for a Saturday</h2>",
            _rate_bars(
                "saturday",
                "On-time rate of parcels promised for a Saturday",
                "; ".join(
                    f"{g['zone']} ({g['carrier']}): {_percent(g['on_time_rate'])}, "
                    + ("still promised" if g["promised"] else "no longer promised")
                    for g in saturday
                ),
                [(f"{g['zone']} ({g['carrier']})", g["on_time_rate"]) for g in saturday],
                target,
            ),
            _fallback(
                "Saturday promises",
                ["lane", "shipments", "on time", "Saturday promised"],
                [
                    [
                        f"{g['zone']} ({g['carrier']})",
                        str(g["shipments"]),
                        _percent(g["on_time_rate"]),
                        "yes" if g["promised"] else "no",
                    ]
                    for g in saturday
                ],
                {1, 2},
            ),
        ]
    for n, (name, lane) in enumerate(zip(lane_name, lanes, strict=True)):
        sections += [f"<h2>{escape(name)}</h2>", _lateness_chart(f"late{n}", lane)]
        charts, tables = [], []
        for field in ("month", "weekday"):
            groups = [
                g
                for g in report[f"by_{field}"]
                if (g["zone"], g["carrier"]) == (lane["zone"], lane["carrier"])
            ]
            charts.append(
                _rate_bars(
                    f"{field}{n}",
                    f"{name}: on-time rate by dispatch {field}",
                    "; ".join(f"{g[field]}: {_percent(g['on_time_rate'])}" for g in groups),
                    [(g[field], g["on_time_rate"]) for g in groups],
                    target,
                )
            )
            tables.append(
                _fallback(
                    f"{name} by {field}",
                    [field, "shipments", "on time"],
                    [[g[field], str(g["shipments"]), _percent(g["on_time_rate"])] for g in groups],
                    {1, 2},
                )
            )
        sections += charts + tables
    sections += ["<h2>What the shop can promise</h2>", _calibration_section(report, lane_name)]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Delivery promise report: {escape(shop)}</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(sections)}</main></body></html>\n"
    )


def _calibration_section(report: dict[str, Any], lane_name: list[str]) -> str:
    lanes = report["lanes"]
    intro = (
        f"<p>From the last {report['window_days']} days: per lane, the transit days by which "
        f"{_percent(report['target'])} of parcels arrived (at least {report['min_samples']} "
        "shipments a lane, else the whole zone). "
        + (
            'The delivery estimate uses them now (<code>mode = "apply"</code>).</p>'
            if report["mode"] == "apply"
            else "To use them, write them in store.toml or set "
            '<code>[shipping.calibration] mode = "apply"</code>.</p>'
        )
    )
    rows = [
        [
            name,
            _days(lane["policy_transit_days"]),
            _percent(lane["policy_transit_on_time_rate"]),
            _days(lane["calibrated_transit_days"]),
            _percent(lane["calibrated_on_time_rate"]),
            lane["basis"],
            "yes" if lane["saturday_promised"] else "no",
            lane["suggestion"] or "keep the policy's days",
        ]
        for name, lane in zip(lane_name, lanes, strict=True)
    ]
    table = _html_table(
        "Transit days: the policy's and the calibrated, with the share each would have kept",
        [
            "lane",
            "policy days",
            "on time with them",
            "calibrated days",
            "on time with them",
            "measured on",
            "promise Saturday",
            "store.toml",
        ],
        rows,
        {2, 4},
    )
    return intro + table


# --- the command ---------------------------------------------------------------------------------


@click.command("promise-report")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the report as a page with charts to FILE.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3 * 366),
    default=REPORT_DAYS,
    show_default=True,
    help="Measure the shipments dispatched in this many days before now.",
)
@with_appcontext
def promise_report_command(as_json: bool, html_file: Path | None, days: int) -> None:
    """How often the promised delivery window was kept, per lane, weekday, month and for
    Saturdays, and the transit days the shop's deliveries support ([shipping.calibration])."""
    st = state_or_exit()
    policy = st.policy
    now = st.now()
    since = now - dt.timedelta(days=days)
    with st.storage.engine.connect() as connection:
        history = read_history(connection, policy.warehouse.timezone, as_of=now, since=since)
    report = build_report(history, policy)
    if html_file is not None:
        try:
            html_file.write_text(render_html(report, policy.shop.name), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(
                f"{html_file}: cannot write the page: {exc.strerror}"
            ) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report), nl=False)
        if html_file is not None:
            click.echo(f"The page with charts: {html_file}")


def register(group: AppGroup) -> None:
    """Add ``promise-report`` to the plugin's ``flask defenceline`` group."""
    group.add_command(promise_report_command)
