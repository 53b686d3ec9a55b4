"""A built help centre served on 127.0.0.1, for the browser tests of the help centre.

The site is served under the path of its `site_url` ("/help/" for the scaffold), as a shop
publishes it: MkDocs' 404 page links its assets by that path. The storefront plugin's
feedback endpoint is stood in for by the server, which records each POST to
{url}/api/v1/feedback: the request the plugin must accept is documented in
`defenceline.helpcentre.widgets`.
"""

from __future__ import annotations

import json
import posixpath
import re
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from defenceline import Policy
from defenceline.helpcentre import build_site, create_help_centre
from defenceline.helpcentre.audit import SiteHandler

__all__ = ["DEMO", "DEMO_POLICY", "HelpCentreServer", "serve_help_centre"]

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-shop"
DEMO_POLICY = DEMO / "store.toml"


class _Handler(SiteHandler):
    """The site's files under its path prefix, as the audit serves them, plus the feedback
    endpoint that records votes."""

    def do_POST(self) -> None:
        if self.path != self.prefix + "/api/v1/feedback":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        body["_content_type"] = self.headers.get("Content-Type")
        self.server.votes.append(body)  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()


class HelpCentreServer:
    """Serves the folder `root` at `url` (origin + `prefix`, e.g. "/help") until `close()`."""

    def __init__(self, root: Path, prefix: str = "") -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        handler = type("Handler", (_Handler,), {"prefix": prefix})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
        self.httpd.votes = []  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def votes(self) -> list[dict[str, Any]]:
        return self.httpd.votes  # type: ignore[attr-defined, no-any-return]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_help_centre(
    base: Path,
    policy: Policy,
    language: str,
    *,
    nudge_seconds: int = 45,
    manifesto: Path | None = None,
) -> HelpCentreServer:
    """Scaffold the demo shop's help centre in `language` under `base`, build it with the
    feedback endpoint on the same origin (as in the demo shop) and serve it."""
    source = base / f"src-{language}"
    create_help_centre(source, policy, DEMO_POLICY, language=language, manifesto_path=manifesto)
    if nudge_seconds != 45:
        config = source / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace(
                "  - defenceline:\n", f"  - defenceline:\n      nudge_seconds: {nudge_seconds}\n"
            ),
            encoding="utf-8",
        )
    site_url = re.search(r'^site_url: "(.*)"$', (source / "mkdocs.yml").read_text(), re.M)
    assert site_url is not None, "the scaffold's mkdocs.yml sets site_url"
    prefix = posixpath.normpath(urlsplit(site_url.group(1)).path).rstrip("/")
    server = HelpCentreServer(base / f"site-{language}", prefix)
    result = build_site(source, server.root, plugin_url=server.url)
    if not result.ok:
        server.close()
        raise AssertionError("\n".join(result.messages))
    return server
