"""The plugin's endpoints under the host's CSRF protection (Flask-WTF's `CSRFProtect`,
Flask-SeaSurf).

Most Flask shops switch CSRF protection on for every POST. It guards against one attack: a
page on another site making the shopper's browser post a form *with the shopper's cookies*, so
the request acts with the authority of the shopper's session. The plugin's write endpoints
take their authority from somewhere else, so a CSRF token adds nothing to them and breaks
their callers; `CSRF_FREE_ENDPOINTS` lists them, each with its reason:

* **bearer-authenticated** (machine to machine): the authority is the ``Authorization``
  header, which a browser never adds to a cross-site request;
* **JSON only, with a content-type check**: the view answers 415 to anything but
  ``application/json``; a cross-site form can only send form encodings or ``text/plain``, and a
  cross-site script that sets ``application/json`` needs a CORS pre-flight the plugin grants
  only to `DEFENCELINE_CORS_ORIGINS`. None of these read the session either;
* **signed links from emails** (RFC 8058 one-click unsubscribe, the stock-alert confirmation
  button): the authority is the unguessable signed token in the URL - the same kind of secret
  a CSRF token is - and mailbox providers post one-click unsubscribes without any cookie;
* **the page-view beacon**: an anonymous counter sent with ``navigator.sendBeacon`` as
  ``text/plain``; it reads no cookie and acts for no one, and it is rate-limited per client.

Everything else keeps the host's CSRF protection - the host's own routes, and any plugin
route not listed here (a future one acting on a browser session is protected by default;
``tests/test_host_shop.py`` fails until a new write endpoint is classified).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

__all__ = ["CSRF_FREE_ENDPOINTS", "csrf_extensions", "exempt_from_host_csrf"]

CSRF_FREE_ENDPOINTS: dict[str, str] = {
    "defenceline.update_stock": "bearer",
    "defenceline.track_cart_view": "bearer",
    "defenceline.order_cart_view": "bearer",
    "defenceline.cart_restore_view": "bearer",
    "defenceline.record_order_view": "bearer",
    "defenceline.record_shipment_view": "bearer",
    "defenceline.record_event_view": "bearer",
    "defenceline.cart_quote": "json",
    "defenceline.cart_summary_fragment": "json",
    "defenceline.stock_alert_view": "json",
    "defenceline.feedback": "json",
    "defenceline.unsubscribe_page": "signed link (RFC 8058 one-click)",
    "defenceline.confirm_page": "signed link",
    "defenceline.pageview": "anonymous beacon",
}


def csrf_extensions(app: Flask) -> list[Any]:
    """The CSRF extensions on `app`: Flask-WTF registers itself as ``extensions["csrf"]``;
    Flask-SeaSurf registers only its ``before_request`` hook, so it is found there."""
    found: list[Any] = []
    candidates = [app.extensions.get("csrf")]
    candidates += [
        getattr(hook, "__self__", None) for hook in app.before_request_funcs.get(None, [])
    ]
    for candidate in candidates:
        if (
            candidate is not None
            and type(candidate).__name__ in {"CSRFProtect", "SeaSurf"}
            and callable(getattr(candidate, "exempt", None))
            and not any(candidate is known for known in found)
        ):
            found.append(candidate)
    return found


def exempt_from_host_csrf(app: Flask) -> Callable[[], None]:
    """Exempt `CSRF_FREE_ENDPOINTS` from whatever CSRF extension `app` has, whichever was set
    up first: now, and once more before the first request (as a hook that runs before the CSRF
    extension's own check). Returns that hook."""
    done: list[Any] = []

    def exempt() -> None:
        for extension in csrf_extensions(app):
            if any(extension is seen for seen in done):
                continue
            for endpoint in CSRF_FREE_ENDPOINTS:
                view = app.view_functions.get(endpoint)
                if view is not None:
                    extension.exempt(view)
            done.append(extension)

    exempt()
    app.before_request_funcs.setdefault(None, []).insert(0, exempt)
    return exempt
