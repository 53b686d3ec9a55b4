"""The help centre in a real browser (Chromium via Playwright, the `browser` fixture in
conftest), served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from defenceline import Policy
from tests.helpcentre_server import HelpCentreServer, serve_help_centre

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dutch_site(
    tmp_path_factory: pytest.TempPathFactory, demo_policy: Policy
) -> Iterator[HelpCentreServer]:
    server = serve_help_centre(tmp_path_factory.mktemp("browser-nl"), demo_policy, "nl")
    yield server
    server.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_search_for_a_word_from_an_faq_answer_suggests_that_page(
    dutch_site: HelpCentreServer, page: Any
) -> None:
    page.goto(dutch_site.url + "/")
    page.click("article label[for='__search']")
    # Material builds its search index in a web worker; a query typed before the index is
    # ready is dropped, so wait until the result list says it is ready for a query.
    page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta');
            return meta && meta.textContent.trim() !== '' && !/initiali/i.test(meta.textContent);
        }"""
    )
    # On a loaded machine the worker may still drop the first query: type it again until the
    # suggestion shows (bounded: at most four tries of ten seconds).
    result = page.locator(".md-search-result__item a[href*='faq/betalen']").first
    query = page.locator("input[data-md-component=search-query]")
    for attempt in range(4):
        query.fill("")
        query.press_sequentially("versleuteld", delay=30)  # real key events, as a shopper types
        try:
            result.wait_for(state="visible", timeout=10_000)
            break
        except Exception:
            if attempt == 3:
                raise
    assert "Betalen" in result.inner_text()


def test_helpful_click_reaches_the_feedback_endpoint(
    dutch_site: HelpCentreServer, page: Any
) -> None:
    page.goto(dutch_site.url + "/kb/bezorging/ander-adres/")
    block = page.locator(".dl-feedback")
    block.wait_for(state="visible")
    block.get_by_role("button", name="Ja").click()
    page.get_by_text("Bedankt voor je reactie!").wait_for()
    assert dutch_site.votes == [
        {
            "page": "kb/bezorging/ander-adres.md",
            "url": dutch_site.url + "/kb/bezorging/ander-adres/",
            "title": "Bezorgen op een ander adres",
            "helpful": True,
            "locale": "nl",
            "_content_type": "application/json",
        }
    ]


def test_not_helpful_offers_the_contact_channels(dutch_site: HelpCentreServer, page: Any) -> None:
    page.goto(dutch_site.url + "/faq/retourneren/")
    page.locator(".dl-feedback").get_by_role("button", name="Nee").click()
    channels = page.locator(".dl-feedback .dl-channels")
    channels.wait_for()
    assert channels.locator("a").all_inner_texts() == ["E-mail", "Telefoon", "Chat"]
    assert dutch_site.votes[-1]["helpful"] is False


def test_search_without_results_offers_contact_with_opening_hours(
    dutch_site: HelpCentreServer, page: Any
) -> None:
    page.goto(dutch_site.url + "/")
    page.click("article label[for='__search']")
    page.fill("input[data-md-component=search-query]", "qwxzvbnm")
    nudge = page.locator("#dl-nudge")
    nudge.wait_for(state="visible")
    assert nudge.get_attribute("data-dl-reason") == "search"
    chat = nudge.locator("[data-dl-kind=chat]").inner_text()
    assert "Chat" in chat and ("open tot" in chat or "nu gesloten" in chat)


def test_contact_nudge_appears_after_the_configured_time(
    browser: Any, tmp_path: Path, demo_policy: Policy
) -> None:
    server = serve_help_centre(tmp_path, demo_policy, "nl", nudge_seconds=1)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/faq/verzending/")
        nudge = page.locator("#dl-nudge")
        nudge.wait_for(state="visible", timeout=15000)
        assert nudge.get_attribute("data-dl-reason") == "time"
        assert "Kun je niet vinden wat je zoekt?" in nudge.inner_text()
        context.close()
    finally:
        server.close()


def test_hebrew_help_centre_renders_right_to_left(
    browser: Any, tmp_path: Path, demo_policy: Policy
) -> None:
    server = serve_help_centre(tmp_path, demo_policy, "he")
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/faq/returns/")
        assert page.evaluate("document.body.dir") == "rtl"
        assert (
            page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
        )
        assert page.locator(".dl-feedback button").first.inner_text() == "כן"
        context.close()
    finally:
        server.close()
