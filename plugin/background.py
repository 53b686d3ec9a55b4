"""Plugin work outside a shopper's request - ``flask defenceline send-due``, the background
sender, `DefenceLine.stock_changed` from a cron job - runs in the context a request would
have had.

The shop's catalogue adapter is the shop's code: it may use ``db.session`` (needs an app
context) and ``url_for(..., _external=True)`` (needs a request, or ``SERVER_NAME``). So the
plugin calls it inside an app context and a request context whose base URL is
`DEFENCELINE_PUBLIC_URL`: absolute URLs then name the public shop, never ``localhost``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask, current_app, has_app_context, has_request_context

from defenceline.plugin.state import state

__all__ = ["background_context"]


@contextlib.contextmanager
def background_context(app: Flask | None = None) -> Iterator[None]:
    """Inside a request: nothing to do. Outside one: push `app`'s (default: the current
    app's) app context if needed and a request context for the shop's public URL."""
    if has_request_context():
        yield
        return
    if app is None:
        if not has_app_context():
            raise RuntimeError(
                "defenceline needs an app outside requests: call it in an app context "
                "(with app.app_context(): ...) or pass app=..."
            )
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    with contextlib.ExitStack() as stack:
        if not has_app_context():
            stack.enter_context(app.app_context())
        public_url = state(app).email.public_url
        # Without a public URL, Flask builds the base from SERVER_NAME, as url_for would.
        stack.enter_context(app.test_request_context("/", base_url=public_url))
        yield
