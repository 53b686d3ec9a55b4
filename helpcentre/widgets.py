"""The shopper-facing extras: "Was this helpful?" and the contact nudge.

Both are small, dependency-free browser code (``assets/helpcentre.js`` and ``.css``) driven by a
JSON configuration that the plugin writes into every page. The configuration carries the
contact channels with their opening hours per weekday (in the warehouse's time zone, which the
browser evaluates with `Intl`, so "chat open until 21:00" is true whenever it is read) and the
sentences in the site's language.

The feedback request. With ``plugin_url`` set, a vote is sent as::

    POST {plugin_url}/api/v1/feedback
    Content-Type: application/json

    {"page": "kb/delivery/track-your-parcel.md",   # the page's source path: the stats key
     "url": "https://help.example/kb/delivery/track-your-parcel/",
     "title": "Track your parcel",
     "helpful": true,                               # false for "No"
     "locale": "nl"}

Any 2xx answer counts as stored. Without ``plugin_url`` the widget stays hidden.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from defenceline.helpcentre.facts import Formatter
from defenceline.policy import WEEKDAYS, Policy

__all__ = ["FEEDBACK_PATH", "PAGEVIEWS_PATH", "client_config", "config_script", "feedback_block"]

FEEDBACK_PATH = "/api/v1/feedback"
# Page views feed the same stats file as the votes; sent as a beacon holding {"page": src}.
PAGEVIEWS_PATH = "/api/v1/pageviews"

_BROWSER_MESSAGES = [
    "feedback_question",
    "feedback_yes",
    "feedback_no",
    "feedback_thanks",
    "feedback_failed",
    "feedback_sorry",
    "nudge_title",
    "nudge_text",
    "nudge_close",
    "open_until",
    "opens_at",
    "closed_now",
    "any_time",
]


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def client_config(
    policy: Policy, locale: str, plugin_url: str | None, nudge_seconds: int
) -> dict[str, Any]:
    """Everything the browser script needs, as JSON-ready data."""
    fmt = Formatter(policy, locale)
    channels = []
    from defenceline.helpcentre.facts import site_facts

    facts = site_facts(policy, locale)["contact"]["channels"]
    for channel, fact in zip(policy.contact, facts, strict=True):
        hours = {
            str(WEEKDAYS.index(day)): {
                "opens": _hhmm(h.opens),
                "closes": _hhmm(h.closes),
                "closes_text": fmt.time(h.closes),
                "opens_text": fmt.time(h.opens),
            }
            for day, h in channel.hours.items()
        }
        channels.append(
            {
                "kind": channel.kind,
                "label": fact["label"],
                "value": channel.value,
                "href": fact["href"],
                "hours": hours,
                "response": fact["response"],
            }
        )
    endpoint = plugin_url.rstrip("/") + FEEDBACK_PATH if plugin_url else None
    views = plugin_url.rstrip("/") + PAGEVIEWS_PATH if plugin_url else None
    return {
        "locale": locale,
        "timezone": policy.warehouse.timezone,
        "feedback_url": endpoint,
        "view_url": views,
        "nudge_seconds": nudge_seconds,
        "channels": channels,
        "day_names": [fmt.weekday(day) for day in WEEKDAYS],
        "messages": fmt.messages.as_dict(_BROWSER_MESSAGES),
    }


def config_script(config: dict[str, Any]) -> str:
    """The configuration as an inert JSON script element (safe against "</script>")."""
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="dl-helpcentre-config">{data}</script>'


def feedback_block(
    page_src: str, title: str, enabled: bool, question: str, yes: str, no: str
) -> str:
    """The "Was this helpful?" block appended to an article or FAQ page."""
    hidden = "" if enabled else " hidden"
    return (
        # A section named by its question: a region inside the page's main landmark (an
        # <aside> there would be a complementary landmark nested in main).
        f'<section class="dl-feedback" aria-labelledby="dl-feedback-question" '
        f'data-dl-page="{html.escape(page_src)}" data-dl-title="{html.escape(title)}"{hidden}>'
        f'<p class="dl-feedback__question" id="dl-feedback-question">{html.escape(question)}</p>'
        f'<button type="button" class="md-button dl-feedback__vote" data-dl-helpful="true">'
        f"{html.escape(yes)}</button> "
        f'<button type="button" class="md-button dl-feedback__vote" data-dl-helpful="false">'
        f"{html.escape(no)}</button>"
        f'<p class="dl-feedback__status" role="status" aria-live="polite"></p>'
        "</section>"
    )
