"""defenceline.checks: checks product, cart and checkout pages against the defence-line
checklist and reports each finding with evidence.

The Python API mirrors the command line::

    from defenceline.checks import check_pages, render_html
    report = check_pages(["site/"], policy=load_policy("store.toml"))
    html = render_html(report)

`check_documents([(url, html), ...])` checks pages a web app rendered itself (no files, no
HTTP) into one report; `check_html` checks one page. Nothing here imports Flask.
"""

from __future__ import annotations

from defenceline.checks.baseline import apply_baseline, read_baseline, write_baseline
from defenceline.checks.config import CheckConfig, ConfigError, config_from_mapping, load_config
from defenceline.checks.engine import check_documents, check_html, check_page, check_pages
from defenceline.checks.facts import Facts, extract_facts
from defenceline.checks.formats import render_json, render_junit, render_sarif, render_text
from defenceline.checks.htmlreport import render_html
from defenceline.checks.page import Page
from defenceline.checks.registry import RULES, Rule
from defenceline.checks.report import Finding, PageReport, Report

__all__ = [
    "RULES",
    "CheckConfig",
    "ConfigError",
    "Facts",
    "Finding",
    "Page",
    "PageReport",
    "Report",
    "Rule",
    "apply_baseline",
    "check_documents",
    "check_html",
    "check_page",
    "check_pages",
    "config_from_mapping",
    "extract_facts",
    "load_config",
    "read_baseline",
    "render_html",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_text",
    "write_baseline",
]
