"""``/_checks``: the demo checks its own pages with `defenceline.checks`, as a shop would in
CI, and shows the HTML report; ``/_checks/slecht-voorbeeld`` does the same for a page built to
break the rules (fake countdown, invented scarcity, made-up viewers, a pre-ticked paid extra,
a shaming "no thanks" and costs that appear only at the end)."""

from __future__ import annotations

import time

from flask import Blueprint, Flask, Response, current_app, render_template

from defenceline.checks import check_documents, render_html
from defenceline.demoshop.protection import inline_hashes_csp
from defenceline.plugin import state

__all__ = ["selfcheck"]

selfcheck = Blueprint("selfcheck", __name__)

_CACHE_SECONDS = 60
_cache: dict[str, tuple[float, str]] = {}


def _own_pages(app: Flask) -> list[str]:
    """The home page, every product page (each variant); `_render` adds the cart with
    something in it and the checkout. Information pages are not what the checklist is for."""
    with app.app_context():
        catalogue = state().catalogue
        products = catalogue.all()  # type: ignore[attr-defined]
    paths = ["/"]
    paths += [f"/product/{p.product_id or p.sku}?sku={p.sku}" for p in products]
    return paths


def _render(paths: list[str], cart_sku: str | None) -> list[tuple[str, str]]:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    client = app.test_client()
    documents = []
    if cart_sku:
        # Straight into the checking client's session: a form post would need its CSRF token,
        # and the cart needs no tracking to be looked at.
        with client.session_transaction() as session:
            session["cart"] = {cart_sku: 1}
        paths = [*paths, "/cart", "/checkout"]
    for path in paths:
        response = client.get(path)
        documents.append((f"http://127.0.0.1{path}", response.get_data(as_text=True)))
    return documents


def _report(key: str, paths: list[str], cart_sku: str | None, title: str) -> str:
    cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < _CACHE_SECONDS:
        return cached[1]
    st = state()
    report = check_documents(_render(paths, cart_sku), policy=st.policy)
    html = render_html(report, title=title)
    _cache[key] = (time.monotonic(), html)
    return html


@selfcheck.get("/_checks")
def own_pages() -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    html = _report(
        "own", _own_pages(app), "BELL-CHR", "Trapkracht: de eigen pagina's gecontroleerd"
    )
    return Response(html, mimetype="text/html")


@selfcheck.get("/_checks/slecht-voorbeeld")
def bad_example_report() -> Response:
    html = _report("bad", ["/slecht-voorbeeld"], None, "Zo niet: de slechte voorbeeldpagina")
    return Response(html, mimetype="text/html")


@selfcheck.get("/slecht-voorbeeld")
def bad_example() -> Response:
    """The bad page keeps its inline countdown script and style (they are the point), allowed
    by their hashes only: the page is a fixed template with no request data in it."""
    html = render_template("bad_example.html")
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = inline_hashes_csp(html)
    return response
