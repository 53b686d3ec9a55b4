"""How the demo protects its shoppers and its own admin pages, as a shop copying it should.

* **CSRF**: every form and every script-sent POST of the demo carries Flask-WTF's token
  (``csrf_token()`` in forms, the ``csrf-token`` meta tag for scripts). The plugin exempts
  exactly its own endpoints whose authority is not the session cookie (bearer-token and
  JSON-only APIs, the signed links in emails such as RFC 8058 one-click unsubscribe); nothing
  else is exempt (docs/embedding.md, "CSRF").
* **Session cookie**: ``SameSite=Lax`` and ``HttpOnly``; ``Secure`` when the shop is served
  over https. It holds only the cart, its opaque id, the chosen destination and payment
  method and the CSRF secret; a shopper's name and email go to the plugin's tracked cart on
  the server.
* **Security headers**: a strict Content-Security-Policy on the demo's own pages (everything
  from this origin, no inline script or style), ``nosniff``, no framing, no referrer to other
  sites.
* **Admin pages** (``/_outbox``, ``/_checks``, ``/_promise``) show shoppers' addresses,
  working links and the shop's own delivery figures; they answer only requests from this
  machine unless the demo is started with ``--expose-admin``.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect  # type: ignore[import-untyped]

__all__ = ["ADMIN_PREFIXES", "STRICT_CSP", "inline_hashes_csp", "protect"]

# The demo's own pages: every resource from this origin (no data: URLs either), nothing
# inline; `form-action` keeps forms posting here; `frame-ancestors` stops clickjacking.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Pages other parts render with inline `<style>` (the outbox viewer shows emails, whose styles
# are inline by necessity; the checker's report; the self-contained promise report): no script
# at all, styles allowed. They are loopback-only admin pages.
_ADMIN_CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'; frame-src 'self'"
)
# The help centre is a Material for MkDocs site, whose pages carry inline scripts (theme
# configuration, search); it keeps to this origin but needs 'unsafe-inline' until the help
# centre builds without them.
_HELP_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
ADMIN_PREFIXES = ("/_outbox", "/_checks", "/_promise")


def protect(app: Flask, *, expose_admin: bool, secure_cookie: bool) -> CSRFProtect:
    """Switch on CSRF protection, cookie flags, security headers and the admin-page guard."""
    app.config.update(
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=secure_cookie,
        # A token for the session's lifetime: a shopper who leaves the cart open for an hour
        # can still change a quantity. The token is bound to the session, which is what counts.
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf = CSRFProtect(app)

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[Response | str, int]:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error="csrf", message=error.description), 400
        return render_template("expired.html"), 400

    if not expose_admin:
        app.before_request(_admin_only_from_this_machine)
    app.after_request(_security_headers)
    return csrf


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _admin_only_from_this_machine() -> tuple[str, int, dict[str, str]] | None:
    """403 for an admin page requested from another machine (remote_addr is the socket peer:
    the demo runs without a proxy, so it cannot be forged by a header)."""
    path = request.path
    admin = any(path == prefix or path.startswith(prefix + "/") for prefix in ADMIN_PREFIXES)
    if admin and not _is_loopback(request.remote_addr):
        body = (
            f"{path} is only served to this machine (it shows shoppers' addresses); "
            "start the demo with --expose-admin to show it to others.\n"
        )
        return body, 403, {"Content-Type": "text/plain; charset=utf-8"}
    return None


def _page_policy(path: str) -> tuple[str, str]:
    """The Content-Security-Policy and X-Frame-Options for an HTML page at `path`."""
    if path.startswith("/help/"):
        return _HELP_CSP, "DENY"
    if any(path.startswith(prefix) for prefix in ADMIN_PREFIXES):
        return _ADMIN_CSP, "SAMEORIGIN"
    return STRICT_CSP, "DENY"


def _security_headers(response: Response) -> Response:
    """Headers for every response; a view (or the plugin) that set its own keeps them."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html" and "Content-Security-Policy" not in headers:
        policy, framing = _page_policy(request.path)
        headers["Content-Security-Policy"] = policy
        headers.setdefault("X-Frame-Options", framing)
    return response


_INLINE = re.compile(r"<(script|style)(?![^>]*\ssrc=)[^>]*>(.*?)</\1>", re.S | re.I)


def inline_hashes_csp(html: str) -> str:
    """`STRICT_CSP` that also allows exactly the inline blocks of `html`, by their hashes.

    Only for a page built from a fixed template with no request data in it (the bad-example
    page): hashing whatever a page contains would also allow an injected script.
    """
    sources: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        sources[kind.lower()].append(f"'sha256-{digest}'")
    policy = STRICT_CSP
    for kind, hashes in sources.items():
        if hashes:
            policy = policy.replace(f"{kind}-src 'self'", f"{kind}-src 'self' {' '.join(hashes)}")
    return policy
