"""Renderings of the report: JSON (canonical), text, JUnit XML and SARIF 2.1.0.

Each renderer takes a `Report` and returns a string. Text is for people in a terminal (colour
only when the output is a terminal — `click.echo` strips the codes otherwise), JUnit for CI
dashboards (one test case per rule per page) and SARIF for code-scanning UIs. The HTML report
lives in `htmlreport.py`.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit
from xml.etree import ElementTree

import click

from defenceline.checks.facts.provenance import origin_text
from defenceline.checks.registry import RULES
from defenceline.checks.report import SEVERITY_RANK, PageReport, Report

__all__ = ["FORMATS", "render_json", "render_junit", "render_sarif", "render_text"]

FORMATS = ("text", "json", "junit", "sarif", "html")
_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


# --- text --------------------------------------------------------------------------------------


def _facts_line(page: PageReport) -> str:
    facts = page.facts or {}
    bits = []
    if facts.get("price"):
        bits.append(f"price {facts['price']} {facts.get('currency') or ''}".strip())
        where = origin_text(facts, "price")
        bits[-1] += f" (from {where})" if where else ""
    if facts.get("availability"):
        bits.append(str(facts["availability"]))
        where = origin_text(facts, "availability")
        bits[-1] += f" (from {where})" if where else ""
    if facts.get("delivery_text"):
        bits.append(f"delivery “{facts['delivery_text'][:60]}”")
    if facts.get("shipping_text"):
        bits.append(f"shipping “{facts['shipping_text'][:60]}”")
    if facts.get("return_days") is not None:
        bits.append(f"returns {facts['return_days']} days")
    bits.append(f"{facts.get('image_count', 0)} photos")
    return " · ".join(bits)


def render_text(report: Report, verbose: bool = False) -> str:
    """Findings grouped per page, worst first; facts under each page; a summary at the end."""
    lines: list[str] = []
    for page in report.pages:
        if page.error is not None:
            lines.append(
                f"{click.style(page.target, bold=True)}  "
                f"{click.style('could not be checked', fg='red')}: {page.error}"
            )
            lines.append("")
            continue
        score = page.score if page.score is not None else 0
        colour = "green" if score >= 80 else "yellow" if score >= 50 else "red"
        lines.append(
            f"{click.style(page.target, bold=True)}  {page.page_type}  "
            f"score {click.style(str(score), fg=colour, bold=True)}/100"
        )
        findings = sorted(page.findings, key=lambda f: -SEVERITY_RANK[f.severity])
        width = max((len(f.rule) for f in findings), default=0)
        for finding in findings:
            if finding.severity == "info" and not verbose:
                continue
            label = click.style(f"{finding.severity:<7}", fg=_COLOURS[finding.severity])
            base = " (baselined)" if finding.baselined else ""
            lines.append(f"  {label} {finding.rule:<{width}}  {finding.message}{base}")
            if finding.selector or finding.snippet:
                evidence = finding.selector or ""
                if finding.snippet:
                    evidence += f"  “{finding.snippet[:90]}”"
                lines.append(f"  {'':7} {'':<{width}}  {click.style(evidence, dim=True)}")
        hidden = sum(1 for f in findings if f.severity == "info")
        if hidden and not verbose:
            lines.append(click.style(f"  + {hidden} info (use --verbose to show)", dim=True))
        for item in page.suppressed:
            lines.append(
                click.style(
                    f"  suppressed {item['rule']} ({item['findings']}): {item['reason']}", dim=True
                )
            )
        for note in page.notes:
            lines.append(click.style(f"  note: {note}", dim=True))
        lines.append(click.style(f"  facts: {_facts_line(page)}", dim=True))
        lines.append("")
    summary = report.summary()
    parts = [
        f"{summary['pages']} page{'s' if summary['pages'] != 1 else ''}",
        click.style(f"{summary['error']} errors", fg="red" if summary["error"] else None),
        click.style(f"{summary['warning']} warnings", fg="yellow" if summary["warning"] else None),
        f"{summary['info']} info",
    ]
    if summary["baselined"]:
        parts.append(f"{summary['baselined']} baselined")
    if summary["unreadable"]:
        parts.append(click.style(f"{summary['unreadable']} unreadable", fg="red"))
    if summary["average_score"] is not None:
        parts.append(f"average score {summary['average_score']}")
    lines.append(", ".join(parts))
    return "\n".join(lines) + "\n"


# --- JUnit -------------------------------------------------------------------------------------


def render_junit(report: Report, fail_on: str = "error") -> str:
    """One <testsuite> per page and one <testcase> per rule: failed, passed or skipped."""
    root = ElementTree.Element("testsuites", name="defenceline check")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    threshold = SEVERITY_RANK.get(fail_on, 99)
    for page in report.pages:
        suite = ElementTree.SubElement(root, "testsuite", name=page.target)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if page.error is not None:
            case = ElementTree.SubElement(suite, "testcase", classname=page.target, name="page")
            error = ElementTree.SubElement(case, "error", message=page.error, type="unreadable")
            error.text = page.error
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            suppressed = {item["rule"]: item["reason"] for item in page.suppressed}
            for rule_id in RULES:
                case = ElementTree.SubElement(
                    suite, "testcase", classname=page.target, name=rule_id, time="0"
                )
                counts["tests"] += 1
                if rule_id in suppressed:
                    ElementTree.SubElement(
                        case, "skipped", message=f"suppressed: {suppressed[rule_id]}"
                    )
                    counts["skipped"] += 1
                    continue
                if rule_id not in page.checked_rules:
                    ElementTree.SubElement(
                        case, "skipped", message=f"does not apply to this {page.page_type} page"
                    )
                    counts["skipped"] += 1
                    continue
                findings = [f for f in page.findings if f.rule == rule_id]
                failing = [
                    f
                    for f in findings
                    if not f.baselined and SEVERITY_RANK[f.severity] >= threshold
                ]
                text = "\n".join(
                    f"[{f.severity}] {f.message}"
                    + (f"\n  at {f.selector}" if f.selector else "")
                    + (f"\n  {f.snippet}" if f.snippet else "")
                    + (" (baselined)" if f.baselined else "")
                    for f in findings
                )
                if failing:
                    failure = ElementTree.SubElement(
                        case, "failure", message=failing[0].message, type=failing[0].severity
                    )
                    failure.text = text + f"\nhelp: {failing[0].help}"
                    counts["failures"] += 1
                elif findings:
                    ElementTree.SubElement(case, "system-out").text = text
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        if page.facts:  # what the checker read and where, as JUnit suite properties
            properties = ElementTree.Element("properties")
            for name, value in page.facts.items():
                if name not in ("provenance", "sources") and value not in (None, ""):
                    where = origin_text(page.facts, name)
                    text = f"{value} (from {where})" if where else str(value)
                    ElementTree.SubElement(properties, "property", name=name, value=text)
            suite.insert(0, properties)
    for key, value in totals.items():
        root.set(key, str(value))
    ElementTree.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(root, encoding="unicode")
        + "\n"
    )


# --- SARIF -------------------------------------------------------------------------------------


def _is_absolute_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.scheme == "file")


def _artifact_uri(target: str) -> str:
    return target.replace("\\", "/")


def render_sarif(report: Report) -> str:
    """A SARIF 2.1.0 log: one run, every rule in the driver, one result per finding."""
    rule_ids = list(RULES)
    help_by_rule = {item["id"]: item.get("help") for item in report.rules}
    driver_rules = []
    for rule_id in rule_ids:
        rule = RULES[rule_id]
        entry: dict[str, object] = {
            "id": rule_id,
            "name": "".join(part.capitalize() for part in rule_id.split("-")),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.why},
            "help": {"text": f"{rule.summary}\n\n{rule.why}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"tags": ["dark-pattern" if rule_id.startswith("dark-") else "ux"]},
        }
        help_link = help_by_rule.get(rule_id)
        if help_link and _is_absolute_uri(help_link):
            # SARIF's helpUri is an absolute URI; the default docs/rules/<rule>.md path is
            # not one, so the rule's full help text above stands on its own.
            entry["helpUri"] = help_link
        driver_rules.append(entry)
    results = []
    notifications = []
    for page in report.pages:
        uri = _artifact_uri(page.target)
        if page.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{page.target}: {page.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
            continue
        for finding in page.findings:
            location: dict[str, object] = {
                "physicalLocation": {"artifactLocation": {"uri": uri}},
            }
            if finding.snippet:
                location["physicalLocation"] = {
                    "artifactLocation": {"uri": uri},
                    "region": {"snippet": {"text": finding.snippet}},
                }
            if finding.selector:
                location["logicalLocations"] = [
                    {"fullyQualifiedName": finding.selector, "kind": "element"}
                ]
            results.append(
                {
                    "ruleId": finding.rule,
                    "ruleIndex": rule_ids.index(finding.rule),
                    "level": _SARIF_LEVEL[finding.severity],
                    "message": {"text": finding.message},
                    "locations": [location],
                    "partialFingerprints": {
                        "defencelineEvidence/v1": f"{finding.rule}|{finding.selector or ''}"
                    },
                    "baselineState": "unchanged" if finding.baselined else "new",
                }
            )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "defenceline",
                        "version": report.tool_version or "0",
                        "rules": driver_rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "results": results,
                # The facts read per page, each with its provenance (source and selector).
                "properties": {
                    "facts": {page.target: page.facts for page in report.pages if page.facts}
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
