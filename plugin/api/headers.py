"""Security headers on every response of the plugin's routes.

* ``X-Content-Type-Options: nosniff`` everywhere: a JSON answer that echoes a shopper's input
  is never sniffed into HTML or script.
* ``Referrer-Policy`` everywhere (``strict-origin-when-cross-origin``; the pages behind email
  links send ``no-referrer``, so their token never leaks to the next site).
* A framing policy on HTML: ``X-Frame-Options: SAMEORIGIN``, so no third-party page can frame
  a widget or a page to trick a click.
* The plugin's own pages (restore, unsubscribe, confirm) get a complete Content-Security-
  Policy, `PAGE_POLICY`: nothing inline, nothing from elsewhere, ``frame-ancestors 'self'``.
  A fragment gets none of its own: it becomes part of the shop's page, whose policy rules, and
  a host app that adds its policy only where none is set must not find one there already.

The widgets, fragments and web components need nothing a strict policy forbids —
``default-src 'self'`` with no ``'unsafe-inline'`` for scripts or styles: no inline scripts,
event handlers or style attributes (the free-shipping bar is a ``<progress>``); structured
data is a ``<script type="application/ld+json">`` block, which is data, never run.

A header a view (or the host app) already set is left alone, so a shop can send its own.
"""

from __future__ import annotations

from flask import Response

__all__ = ["PAGE_POLICY", "add_security_headers", "no_store"]

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'"
)


def add_security_headers(response: Response) -> Response:
    """The headers above, on `response` (an ``after_request`` function)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def no_store(response: Response) -> Response:
    """`response` marked never to be cached: stock, prices and dates change under it."""
    response.headers["Cache-Control"] = "no-store"
    return response
