"""Routes for help-centre feedback: ``POST {prefix}/api/v1/feedback`` (a "was this helpful?"
vote) and ``POST {prefix}/api/v1/pageviews`` (a page-view beacon)."""

from __future__ import annotations

from flask import Blueprint, Response, request
from pydantic import ValidationError

from defenceline.plugin.api.problems import ApiProblem, validation_problem
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


def register(blueprint: Blueprint) -> None:
    """Add the feedback routes to the plugin's blueprint."""
    blueprint.post("/api/v1/feedback")(feedback)
    blueprint.post("/api/v1/pageviews")(pageview)


def feedback() -> Response:
    st = state()
    try:
        vote = FeedbackIn.model_validate(json_body())
    except ValidationError as exc:
        raise validation_problem(exc) from None
    try:
        record_feedback(st.storage, vote, st.now(), st.feedback_per_day)
    except StorageFull as full:
        raise _full(full) from None
    return Response(status=204)


def _full(full: StorageFull) -> ApiProblem:
    problem = ApiProblem(
        503, f"no more {full.what} are stored today; try again tomorrow", title="Full for today"
    )
    problem.headers["Retry-After"] = str(full.retry_after)
    return problem


def pageview() -> Response:
    st = state()
    # Beacons arrive as text/plain (a "simple" request, no CORS pre-flight) holding JSON.
    data = parse_json(request.get_data(as_text=True) or "null")
    if not isinstance(data, dict):
        raise ApiProblem(422, "expected a JSON object with the page")
    try:
        view = PageViewIn.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc) from None
    try:
        record_view(st.storage, view, st.now(), st.pages_per_day)
    except StorageFull as full:
        raise _full(full) from None
    return Response(status=204)
