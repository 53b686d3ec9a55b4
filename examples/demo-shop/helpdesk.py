"""The demo's help centre: scaffolded from the policy and the manifesto, built with MkDocs at
start-up (in the background, so the shop is up at once), and served at ``/help/``.

Its "Was this helpful?" votes and page views go to the demo's own storefront plugin, and the
stats the plugin exports order the knowledge base the next time the demo builds it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from defenceline.helpcentre import build_site, create_help_centre
from defenceline.plugin import state
from defenceline.plugin.feedback.records import export_stats

__all__ = ["HelpDesk"]


@dataclass
class HelpDesk:
    """Where the demo's help centre is, and how its build went."""

    source: Path
    site: Path
    status: str = "building"  # then "ready" or "failed"; "off" when the demo runs without it
    messages: list[str] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def build(self, app: Flask, policy_path: Path, manifesto: Path) -> None:
        try:
            with app.app_context():
                st = state()
                if not self.source.exists():
                    create_help_centre(
                        self.source,
                        st.policy,
                        policy_path,
                        language=st.policy.shop.default_locale,
                        manifesto_path=manifesto,
                    )
                stats = self.source.parent / "helpcentre-stats.json"
                stats.write_text(json.dumps(export_stats(st.storage)), encoding="utf-8")
                result = build_site(
                    self.source,
                    self.site,
                    policy_path,
                    plugin_url=st.url_prefix,
                    stats_path=stats,
                    strict=True,
                )
            self.messages = list(result.messages)
            self.status = "ready" if result.ok else "failed"
        except Exception as exc:  # a demo must keep serving the shop whatever happens here
            self.messages = [f"{type(exc).__name__}: {exc}"]
            self.status = "failed"
        finally:
            self.done.set()

    def start(self, app: Flask, policy_path: Path, manifesto: Path, background: bool) -> None:
        if background:
            threading.Thread(
                target=self.build, args=(app, policy_path, manifesto), daemon=True
            ).start()
        else:
            self.build(app, policy_path, manifesto)
