"""The help centre passes axe-core's WCAG 2.0/2.1 A and AA rules, in nl, en and he.

The demo shop's help centre is built in each language, served on 127.0.0.1 and audited in
Chromium with axe-core (bundled by axe-playwright-python) on every page type: home, FAQ,
knowledge base, category, article, contact, manifesto, blog; on a phone-sized screen; with the
search dialog open, after "No" on "Was this helpful?", and with the contact nudge showing. A
violation fails the test with axe's rule id, impact and the offending elements.

The result of the last run is written as JSON to ``build/a11y/helpcentre-axe.json`` (or to
``$DEFENCELINE_A11Y_REPORT``), so a shop can publish its own result (docs/helpcentre/index.md).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

from defenceline import Policy
from tests.helpcentre_server import DEMO, HelpCentreServer, serve_help_centre

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(os.environ.get("DEFENCELINE_A11Y_REPORT") or ROOT / "build/a11y/helpcentre-axe.json")

# WCAG 2.0 and 2.1, levels A and AA: what the European Accessibility Act (EN 301 549) asks.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files these under best practice, but a screen-reader user meets them on every page:
# a named search dialog and every part of the page inside one well-formed set of landmarks.
BEST_PRACTICE_RULES = [
    "aria-dialog-name",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "landmark-unique",
    "region",
    "page-has-heading-one",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in BEST_PRACTICE_RULES},
    "resultTypes": ["violations"],
}

# Each page type, by its path in each scaffold language.
PAGES: dict[str, dict[str, str]] = {
    "home": {"nl": "", "en": "", "he": ""},
    "faq": {"nl": "faq/verzending/", "en": "faq/shipping/", "he": "faq/shipping/"},
    "knowledge base": {"nl": "kb/", "en": "kb/", "he": "kb/"},
    "category": {"nl": "kb/bezorging/", "en": "kb/delivery/", "he": "kb/delivery/"},
    "article": {
        "nl": "kb/bezorging/ander-adres/",
        "en": "kb/delivery/another-address/",
        "he": "kb/delivery/another-address/",
    },
    "contact": {"nl": "contact/", "en": "contact/", "he": "contact/"},
    "manifesto": {"nl": "manifesto/", "en": "manifesto/", "he": "manifesto/"},
    "blog": {"nl": "blog/", "en": "blog/", "he": "blog/"},
}
LANGUAGES = ["nl", "en", "he"]
# The demo shop's own manifesto where it has one in that language; Hebrew gets the scaffold's.
MANIFESTOS = {
    "nl": DEMO / "manifesto" / "manifesto.nl.md",
    "en": DEMO / "manifesto" / "manifesto.en.md",
}

_results: list[dict[str, Any]] = []


@pytest.fixture(scope="module")
def sites(
    tmp_path_factory: pytest.TempPathFactory, demo_policy: Policy
) -> Iterator[dict[str, HelpCentreServer]]:
    base = tmp_path_factory.mktemp("a11y")
    servers = {
        language: serve_help_centre(base, demo_policy, language, manifesto=MANIFESTOS.get(language))
        for language in LANGUAGES
    }
    yield servers
    for server in servers.values():
        server.close()
    _write_report()


@pytest.fixture(scope="module")
def axe() -> Any:
    return Axe()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def open_page(
        url: str, language: str, *, width: int = 1280, height: int = 800, nudge: bool = False
    ) -> Any:
        context = browser.new_context(
            locale={"nl": "nl-NL", "en": "en-GB", "he": "he-IL"}[language],
            timezone_id="Europe/Amsterdam",
            viewport={"width": width, "height": height},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if nudge:
            # The contact nudge shows after the configured seconds (45 in the scaffold): the
            # page is served with one second instead, so the widget itself shows it.
            def one_second(route: Any) -> None:
                response = route.fetch()
                body = response.text().replace('"nudge_seconds": 45', '"nudge_seconds": 1')
                route.fulfill(response=response, body=body)

            page.route(url, one_second)
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


def audit(axe: Any, page: Any, language: str, name: str) -> list[dict[str, Any]]:
    """axe-core's violations on `page`, recorded for the report."""
    response = axe.run(page, options=AXE_OPTIONS).response
    violations: list[dict[str, Any]] = response["violations"]
    _results.append(
        {
            "language": language,
            "page": name,
            "url": page.url,
            "violations": [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "helpUrl": v["helpUrl"],
                    "nodes": [
                        {"target": node["target"], "html": node["html"]} for node in v["nodes"]
                    ],
                }
                for v in violations
            ],
            "axe_version": response.get("testEngine", {}).get("version"),
        }
    )
    return violations


def explain(violations: list[dict[str, Any]]) -> str:
    """Violations as a reader fixes them: rule, impact, what it asks, and where."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {' '.join(node['html'].split())[:160]}")
    return "\n".join(lines)


def _write_report() -> None:
    if not _results:
        return
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "tool": "axe-core",
        "axe_version": next((r["axe_version"] for r in _results if r["axe_version"]), None),
        "checked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tags": WCAG_TAGS,
        "best_practice_rules": BEST_PRACTICE_RULES,
        "pages": len(_results),
        "violations": sum(len(r["violations"]) for r in _results),
        "results": [{k: v for k, v in r.items() if k != "axe_version"} for r in _results],
    }
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_wcag_violation(
    sites: dict[str, HelpCentreServer],
    axe: Any,
    open_page: Callable[..., Any],
    kind: str,
    language: str,
) -> None:
    page = open_page(f"{sites[language].url}/{PAGES[kind][language]}", language)
    violations = audit(axe, page, language, kind)
    assert not violations, f"{language} {kind} ({page.url}):\n{explain(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_on_a_phone_screen_have_no_wcag_violation(
    sites: dict[str, HelpCentreServer], axe: Any, open_page: Callable[..., Any], language: str
) -> None:
    for kind in ("home", "article"):
        url = f"{sites[language].url}/{PAGES[kind][language]}"
        page = open_page(url, language, width=360, height=740)
        # The drawer holds the navigation on a phone: audit it open, as a shopper uses it.
        page.locator("label.md-header__button[for='__drawer']").click()
        page.locator(".md-sidebar--primary").wait_for(state="visible")
        violations = audit(axe, page, language, f"{kind} (phone, menu open)")
        assert not violations, f"{language} {kind} on a phone:\n{explain(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_open_search_dialog_has_no_wcag_violation(
    sites: dict[str, HelpCentreServer], axe: Any, open_page: Callable[..., Any], language: str
) -> None:
    page = open_page(f"{sites[language].url}/{PAGES['faq'][language]}", language)
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    query.press_sequentially({"nl": "retour", "en": "return", "he": "החזרה"}[language])
    page.locator(".md-search__output").wait_for(state="visible")
    violations = audit(axe, page, language, "search dialog open")
    assert not violations, f"{language} search dialog:\n{explain(violations)}"
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label"), "the search dialog has no accessible name"


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_and_contact_nudge_have_no_wcag_violation(
    sites: dict[str, HelpCentreServer], axe: Any, open_page: Callable[..., Any], language: str
) -> None:
    url = f"{sites[language].url}/{PAGES['article'][language]}"
    page = open_page(url, language, nudge=True)
    # "No" opens the contact channels in the feedback block.
    page.locator(".dl-feedback button[data-dl-helpful=false]").click()
    page.locator(".dl-feedback .dl-channels").wait_for()
    page.locator("#dl-nudge").wait_for(state="visible")
    violations = audit(axe, page, language, "article after 'No', contact nudge open")
    assert not violations, f"{language} feedback block:\n{explain(violations)}"
