"""The HTML report: a page a store owner would rather look at than read.

One self-contained file (no scripts, no external assets), so it can be opened from disk, sent by
email, stored as a CI artifact or served by the demo shop at /_checks. Each page gets a score
dial, the facts the checker read (what a shopper sees) and its findings with their evidence,
worst first, each linking to the rule's documentation.
"""

from __future__ import annotations

from html import escape

from defenceline.checks.facts.provenance import origin_text
from defenceline.checks.report import SEVERITY_RANK, PageReport, Report

__all__ = ["render_html"]

_CSS = """
:root { --ok: #1e7e34; --mid: #b26a00; --bad: #c62828; --ink: #1f2328; --muted: #59636e;
  --line: #d8dee4; --bg: #f6f8fa; --card: #fff; font-family: system-ui, -apple-system,
  "Segoe UI", Roboto, sans-serif; color: var(--ink); }
body { margin: 0; background: var(--bg); }
header.top { background: #24292f; color: #fff; padding: 1.5rem 2rem; }
header.top h1 { margin: 0 0 .3rem; font-size: 1.5rem; }
header.top p { margin: 0; color: #d0d7de; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1.5rem; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: .75rem;
  padding: .8rem 1.2rem; min-width: 8rem; }
.tile b { display: block; font-size: 1.6rem; }
.tile.error b { color: var(--bad); } .tile.warning b { color: var(--mid); }
nav.pages ol { padding-left: 1.2rem; columns: 2; }
nav.pages a { color: inherit; }
section.page { background: var(--card); border: 1px solid var(--line); border-radius: .75rem;
  margin: 1.2rem 0; padding: 1.2rem 1.5rem; }
.page-head { display: flex; align-items: center; gap: 1.2rem; }
.dial { --p: 0; --c: var(--bad); width: 4.2rem; height: 4.2rem; border-radius: 50%;
  background: conic-gradient(var(--c) calc(var(--p) * 1%), #e6e9ed 0); display: grid;
  place-items: center; flex: none; }
.dial span { background: var(--card); width: 3.3rem; height: 3.3rem; border-radius: 50%;
  display: grid; place-items: center; font-weight: 700; font-size: 1.1rem; }
.page-head h2 { margin: 0; font-size: 1.1rem; word-break: break-all; }
.page-head .type { color: var(--muted); font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem;
  margin: 1rem 0; padding: .8rem 1rem; background: var(--bg); border-radius: .5rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.missing { color: var(--bad); font-style: italic; }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { border-top: 1px solid var(--line); padding: .7rem 0; }
.badge { display: inline-block; min-width: 4.2rem; text-align: center; border-radius: 1rem;
  padding: .05rem .5rem; font-size: .8rem; font-weight: 600; color: #fff; margin-right: .4rem; }
.badge.error { background: var(--bad); } .badge.warning { background: var(--mid); }
.badge.info { background: #57606a; }
.rule { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
.evidence { margin: .35rem 0 0 4.9rem; color: var(--muted); font-size: .88rem; }
.evidence code { background: var(--bg); padding: .05rem .3rem; border-radius: .25rem;
  word-break: break-all; }
.evidence q { display: block; margin-top: .2rem; color: var(--ink); }
.baselined { opacity: .6; }
.clean { color: var(--ok); font-weight: 600; }
.unreadable { border-left: .4rem solid var(--bad); }
.notes { color: var(--muted); font-size: .85rem; }
"""

_FACT_LABELS = (
    ("price", "Price"),
    ("availability", "Stock"),
    ("delivery_text", "Delivery"),
    ("shipping_text", "Shipping"),
    ("return_days", "Returns"),
    ("image_count", "Photos"),
)


def _colour(score: int) -> str:
    return "var(--ok)" if score >= 80 else "var(--mid)" if score >= 50 else "var(--bad)"


def _fact_value(key: str, facts: dict[str, object]) -> str:
    value = facts.get(key)
    if key == "price":
        if value is None:
            return '<span class="missing">not found</span>'
        return escape(f"{value} {facts.get('currency') or ''}".strip())
    if key == "return_days":
        return (
            escape(f"{value} days")
            if value is not None
            else '<span class="missing">not stated</span>'
        )
    if key == "image_count":
        return escape(str(value or 0))
    if value in (None, ""):
        return '<span class="missing">not stated</span>'
    return escape(str(value))


def _page_section(index: int, page: PageReport) -> str:
    anchor = f"page-{index}"
    if page.error is not None:
        return (
            f'<section class="page unreadable" id="{anchor}"><div class="page-head">'
            f"<h2>{escape(page.target)}</h2></div><p>Could not be checked: "
            f"{escape(page.error)}</p></section>"
        )
    score = page.score or 0
    facts = page.facts or {}
    parts = [
        f'<section class="page" id="{anchor}"><div class="page-head">',
        f'<div class="dial" style="--p: {score}; --c: {_colour(score)}" '
        f'role="img" aria-label="score {score} of 100"><span>{score}</span></div>',
        f"<div><h2>{escape(page.target)}</h2>",
        f'<div class="type">{escape(str(page.page_type))} page'
        + (f" · {escape(str(facts.get('name')))}" if facts.get("name") else "")
        + "</div></div></div>",
    ]
    if page.page_type == "product":
        parts.append('<dl class="facts">')
        for key, label in _FACT_LABELS:
            where = origin_text(facts, key)
            origin = f' <small class="from">from {escape(where)}</small>' if where else ""
            parts.append(f"<dt>{label}</dt><dd>{_fact_value(key, facts)}{origin}</dd>")
        parts.append("</dl>")
    findings = sorted(page.findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.rule))
    if not findings:
        parts.append('<p class="clean">No findings: this page passes every check.</p>')
    else:
        parts.append('<ul class="findings">')
        for finding in findings:
            css = " baselined" if finding.baselined else ""
            parts.append(
                f'<li class="{finding.severity}{css}"><span class="badge {finding.severity}">'
                f"{finding.severity}</span>{escape(finding.message)} "
                f'<a class="rule" href="{escape(finding.help)}">{escape(finding.rule)}</a>'
                + (" <em>(baselined)</em>" if finding.baselined else "")
            )
            if finding.selector or finding.snippet:
                parts.append('<div class="evidence">')
                if finding.selector:
                    parts.append(f"<code>{escape(finding.selector)}</code>")
                if finding.snippet:
                    parts.append(f"<q>{escape(finding.snippet)}</q>")
                parts.append("</div>")
            parts.append("</li>")
        parts.append("</ul>")
    extras = [f"suppressed {s['rule']}: {s['reason']}" for s in page.suppressed] + page.notes
    if extras:
        parts.append(
            '<p class="notes">' + "<br>".join(escape(str(extra)) for extra in extras) + "</p>"
        )
    parts.append("</section>")
    return "".join(parts)


def render_html(report: Report, title: str = "Page check") -> str:
    """The whole report as one HTML document."""
    summary = report.summary()
    average = summary["average_score"]
    order = sorted(
        range(len(report.pages)),
        key=lambda i: (report.pages[i].score is not None, report.pages[i].score or 0),
    )
    tiles = [
        ("pages", summary["pages"], ""),
        ("average score", average if average is not None else "–", ""),
        ("errors", summary["error"], "error"),
        ("warnings", summary["warning"], "warning"),
        ("info", summary["info"], ""),
    ]
    if summary["unreadable"]:
        tiles.append(("unreadable", summary["unreadable"], "error"))
    head = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<header class="top"><h1>{escape(title)}</h1><p>What a careful shopper reads on '
        "your pages — and what is missing or misleading. Worst pages first.</p></header><main>"
    )
    body = ['<div class="summary">']
    for label, value, css in tiles:
        body.append(f'<div class="tile {css}"><b>{escape(str(value))}</b>{escape(label)}</div>')
    body.append("</div>")
    if len(report.pages) > 1:
        body.append('<nav class="pages"><ol>')
        for index in order:
            page = report.pages[index]
            score = "–" if page.score is None else str(page.score)
            body.append(
                f'<li><a href="#page-{index}">{escape(page.target)}</a> ({escape(score)})</li>'
            )
        body.append("</ol></nav>")
    for index in order:
        body.append(_page_section(index, report.pages[index]))
    return head + "".join(body) + "</main></body></html>\n"
