"""The plugin's blueprint: what every route shares — problem documents for errors, the body
limit, security headers and CORS. Each feature adds its own routes to it (`register`), and the
extension registers it under `DEFENCELINE_URL_PREFIX`.

One blueprint per app: a Flask blueprint takes no new routes once an app has registered it, so
`make_blueprint` builds a fresh one each time `DefenceLine.init_app` runs, and a feature keeps
its routes in a `Routes` table, declared on its views, to add to each new blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from defenceline.plugin.api.headers import add_security_headers
from defenceline.plugin.api.problems import ApiProblem, problem_response
from defenceline.plugin.state import state

__all__ = ["Routes", "make_blueprint"]

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


class Routes:
    """A feature's routes, declared on its views as on a blueprint::

        routes = Routes()

        @routes.get("/api/v1/stock/<dl_sku:sku>")
        def stock(sku: str) -> Response: ...

    and added to each app's blueprint by `add_to`. The endpoint is the view's name.
    """

    def __init__(self) -> None:
        self._rules: list[tuple[str, Callable[..., Any], tuple[str, ...]]] = []

    def route(self, rule: str, *methods: str) -> Callable[[ViewT], ViewT]:
        """Route `rule` to the decorated view for `methods` (``"GET"``, ``"POST"``, ...); GET
        when none is named, as Flask's own `route`."""

        def declare(view: ViewT) -> ViewT:
            self._rules.append((rule, view, methods or ("GET",)))
            return view

        return declare

    def get(self, rule: str) -> Callable[[ViewT], ViewT]:
        return self.route(rule, "GET")

    def post(self, rule: str) -> Callable[[ViewT], ViewT]:
        return self.route(rule, "POST")

    def put(self, rule: str) -> Callable[[ViewT], ViewT]:
        return self.route(rule, "PUT")

    def add_to(self, blueprint: Blueprint) -> None:
        """Add every declared route to `blueprint`, in the order declared."""
        for rule, view, methods in self._rules:
            blueprint.add_url_rule(rule, view_func=view, methods=list(methods))


def make_blueprint() -> Blueprint:
    """A new ``defenceline`` blueprint with the shared handlers and no routes yet."""
    # The import name is the plugin package, so `templates/` and `static/` are found beside it.
    blueprint = Blueprint(
        "defenceline",
        "defenceline.plugin",
        static_folder="static",
        static_url_path="/static",
        template_folder="templates",
    )
    blueprint.after_request(add_security_headers)
    blueprint.before_request(_limit_request_body)
    blueprint.register_error_handler(ApiProblem, _problem)
    blueprint.register_error_handler(HTTPException, _http_error)
    blueprint.after_request(_cross_origin)
    return blueprint


def _limit_request_body() -> None:
    request.max_content_length = state().max_body_bytes


def _problem(error: ApiProblem) -> Response:
    return problem_response(
        error.status, error.detail, error.title, headers=error.headers, **error.extra
    )


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    detail = error.description or error.name
    if status == 413:
        detail = f"the request body is larger than {state().max_body_bytes} bytes"
    return problem_response(status, detail, error.name)


def _cross_origin(response: Response) -> Response:
    """Let the configured origins (say, a help centre on another host) call the API."""
    origin = request.headers.get("Origin")
    allowed = state().cors_origins
    if origin and (origin in allowed or "*" in allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
    return response
