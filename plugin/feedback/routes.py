"""Routes for help-centre feedback: ``POST {prefix}/api/v1/feedback`` (a "was this helpful?"
vote) and ``POST {prefix}/api/v1/pageviews`` (a page-view beacon)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, request

from defenceline.plugin.api.blueprint import Routes
from defenceline.plugin.api.problems import ApiProblem, validated
from defenceline.plugin.api.requests import json_body, parse_json
from defenceline.plugin.feedback.records import (
    FeedbackIn,
    PageViewIn,
    StorageFull,
    record_feedback,
    record_view,
)
from defenceline.plugin.state import state

__all__ = ["register"]


routes = Routes()
register = routes.add_to


@routes.post("/api/v1/feedback")
def feedback() -> Response:
    st = state()
    vote = validated(FeedbackIn, json_body())
    return _stored(lambda: record_feedback(st.storage, vote, st.now(), st.feedback_per_day))


def _stored(store: Callable[[], None]) -> Response:
    """204 once `store` has stored; 503 with Retry-After when today's allowance is used up."""
    try:
        store()
    except StorageFull as full:
        problem = ApiProblem(
            503, f"no more {full.what} are stored today; try again tomorrow", title="Full for today"
        )
        problem.headers["Retry-After"] = str(full.retry_after)
        raise problem from None
    return Response(status=204)


@routes.post("/api/v1/pageviews")
def pageview() -> Response:
    st = state()
    # Beacons arrive as text/plain (a "simple" request, no CORS pre-flight) holding JSON.
    data = parse_json(request.get_data(as_text=True) or "null")
    if not isinstance(data, dict):
        raise ApiProblem(422, "expected a JSON object with the page")
    view = validated(PageViewIn, data)
    return _stored(lambda: record_view(st.storage, view, st.now(), st.pages_per_day))
