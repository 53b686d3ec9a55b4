"""Security headers on every response of the plugin's routes.

* ``X-Content-Type-Options: nosniff`` everywhere: a JSON answer that echoes a shopper's input
  is never sniffed into HTML or script.
* ``Referrer-Policy`` everywhere (``strict-origin-when-cross-origin``; the pages behind email
  links send ``no-referrer``, so their token never leaks to the next site).
* A framing policy on HTML: ``X-Frame-Options: SAMEORIGIN`` and ``Content-Security-Policy:
  frame-ancestors 'self'``, so no third-party page can frame a widget or a page to trick a
  click. A fragment is inserted into the shop's own page, which brings its own policy.
* The plugin's own pages (restore, unsubscribe, confirm) get a complete policy, `PAGE_POLICY`:
  nothing inline, nothing from elsewhere.

The widgets, fragments and web components need nothing a strict policy forbids —
``default-src 'self'`` with no ``'unsafe-inline'`` for scripts or styles: no inline scripts,
event handlers or style attributes (the free-shipping bar is a ``<progress>``); structured
data is a ``<script type="application/ld+json">`` block, which is data, never run.

A header a view (or the host app) already set is left alone, so a shop can send its own.
"""

from __future__ import annotations

from flask import Response

__all__ = ["FRAMING_POLICY", "PAGE_POLICY", "add_security_headers"]

FRAMING_POLICY = "frame-ancestors 'self'"

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
        headers.setdefault("Content-Security-Policy", FRAMING_POLICY)
    return response
