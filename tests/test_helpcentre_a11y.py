"""The help centre passes axe-core's WCAG 2.0/2.1 A and AA rules, in nl, en and he.

The demo shop's help centre is built in each language, served on 127.0.0.1 and audited in
Chromium with axe-core (bundled by axe-playwright-python, run by `defenceline.helpcentre.audit`)
on every page: home, FAQ, knowledge base, category, article, contact, manifesto, blog and its
posts; on a phone-sized screen with the menu open; with the search dialog open, after "No" on
"Was this helpful?", and with the contact nudge showing. A violation fails the test with axe's
rule id, impact and the offending elements.

The result of the last run is written as JSON to ``build/a11y/helpcentre-axe.json`` (or to
``$DEFENCELINE_A11Y_REPORT``); `defenceline helpcentre a11y SITE` writes the same report for a
shop's own help centre (docs/helpcentre/index.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from defenceline import Policy
from defenceline.helpcentre.audit import (
    PageAudit,
    audit_page,
    explain,
    report_path,
    site_pages,
    write_report,
)
from tests.helpcentre_server import DEMO, HelpCentreServer, serve_help_centre

pytestmark = pytest.mark.browser

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

_audits: list[PageAudit] = []


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
    if _audits:
        write_report(_audits, report_path())


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


def audited(page: Any, language: str, name: str) -> PageAudit:
    """axe-core's result on `page` as it is now, recorded for the report."""
    audit = audit_page(page, name, language=language)
    _audits.append(audit)
    return audit


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_no_wcag_violation(
    sites: dict[str, HelpCentreServer], open_page: Callable[..., Any], language: str
) -> None:
    paths = site_pages(sites[language].root)
    # Every page type the issue names is among them (and every blog post, the 404 page ...).
    assert {PAGES[kind][language] for kind in PAGES} <= set(paths)
    assert any(path.startswith("blog/20") for path in paths) and "404.html" in paths
    page = open_page(sites[language].url + "/", language)
    failing = []
    for path in paths:
        page.goto(f"{sites[language].url}/{path}")
        kind = next((k for k in PAGES if PAGES[k][language] == path), "page")
        audit = audited(page, language, f"{kind} /{path}")
        if audit.violations:
            failing.append(explain(audit))
    assert not failing, f"{language}: axe-core violations\n" + "\n".join(failing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_on_a_phone_screen_have_no_wcag_violation(
    sites: dict[str, HelpCentreServer], open_page: Callable[..., Any], language: str
) -> None:
    for kind in ("home", "article"):
        url = f"{sites[language].url}/{PAGES[kind][language]}"
        page = open_page(url, language, width=360, height=740)
        # The drawer holds the navigation on a phone: audit it open, as a shopper uses it.
        page.locator("label.md-header__button[for='__drawer']").click()
        page.locator(".md-sidebar--primary").wait_for(state="visible")
        audit = audited(page, language, f"{kind} (phone, menu open)")
        assert not audit.violations, explain(audit)


@pytest.mark.parametrize("language", LANGUAGES)
def test_open_search_dialog_has_no_wcag_violation(
    sites: dict[str, HelpCentreServer], open_page: Callable[..., Any], language: str
) -> None:
    page = open_page(f"{sites[language].url}/{PAGES['faq'][language]}", language)
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    query.press_sequentially({"nl": "retour", "en": "return", "he": "החזרה"}[language])
    page.locator(".md-search__output").wait_for(state="visible")
    audit = audited(page, language, "search dialog open")
    assert not audit.violations, explain(audit)
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label"), "the search dialog has no accessible name"


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_and_contact_nudge_have_no_wcag_violation(
    sites: dict[str, HelpCentreServer], open_page: Callable[..., Any], language: str
) -> None:
    url = f"{sites[language].url}/{PAGES['article'][language]}"
    page = open_page(url, language, nudge=True)
    # "No" opens the contact channels in the feedback block.
    page.locator(".dl-feedback button[data-dl-helpful=false]").click()
    page.locator(".dl-feedback .dl-channels").wait_for()
    page.locator("#dl-nudge").wait_for(state="visible")
    audit = audited(page, language, "article after 'No', contact nudge open")
    assert not audit.violations, explain(audit)


def test_hebrew_phone_number_reads_left_to_right_in_the_browser(
    sites: dict[str, HelpCentreServer], open_page: Callable[..., Any]
) -> None:
    page = open_page(f"{sites['he'].url}/contact/", "he")
    phone = page.locator("a[href^='tel:']")
    assert page.evaluate("document.body.dir") == "rtl"
    # In the rendered line the digits run left to right: "+31" is left of "4567".
    box = phone.evaluate(
        """a => {
            const text = a.firstChild.firstChild ? a.firstChild.firstChild : a.firstChild;
            const range = document.createRange();
            const value = text.textContent;
            const at = (i, n) => { range.setStart(text, i); range.setEnd(text, i + n);
                                   return range.getBoundingClientRect().left; };
            return {plus: at(0, 3), last: at(value.length - 4, 4)};
        }"""
    )
    assert box["plus"] < box["last"]


def test_audit_command_reports_a_violation_with_rule_and_element(
    sites: dict[str, HelpCentreServer], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(sites["en"].root, site)
    contact = site / "contact" / "index.html"
    html = contact.read_text(encoding="utf-8")
    contact.write_text(
        html.replace("</article>", '<p><img src="parcel.png" id="no-alt"></p></article>', 1),
        encoding="utf-8",
    )
    report = tmp_path / "a11y.json"
    # A process of its own, as a shop runs it (Playwright's sync API is one per process).
    command = ["helpcentre", "a11y", str(site), "--report", str(report)]
    result = subprocess.run(
        [sys.executable, "-c", "from defenceline.cli import main; main()", *command],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "image-alt (critical)" in result.stderr and "#no-alt" in result.stderr
    assert "1 violation(s)" in result.stdout
    saved = json.loads(report.read_text(encoding="utf-8"))
    assert saved["violations"] == 1 and saved["pages"] == len(site_pages(site))
    failing = [r for r in saved["results"] if r["violations"]]
    assert [r["page"] for r in failing] == ["contact/"]
    assert failing[0]["violations"][0]["nodes"][0]["target"] == ["#no-alt"]
