"""The plugin's state for one Flask app, and `state()` to find it.

Its own module so that every feature can reach the state without importing the extension,
which imports every feature to register its routes and commands.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from flask_limiter import Limiter

from defenceline.delivery import DeliveryCalibration
from defenceline.manifesto import Manifesto
from defenceline.plugin.catalogue import Catalogue
from defenceline.plugin.emails.settings import EmailSettings, default_email_settings
from defenceline.plugin.storage import Storage
from defenceline.policy import Policy
from defenceline.policyfile import PolicyError, load_policy

__all__ = ["EXTENSION_KEY", "DefenceLineState", "state"]

EXTENSION_KEY = "defenceline"
POLICY_RECHECK_SECONDS = 2.0


@dataclass
class DefenceLineState:
    """Everything the plugin keeps for one Flask app."""

    policy_path: Path
    storage: Storage
    catalogue: Catalogue
    url_prefix: str
    api_token: str | None
    default_country: str
    max_body_bytes: int
    clock: Callable[[], dt.datetime] | None
    _last_good_policy: Policy = field(repr=False)
    manifestos: list[Manifesto] = field(default_factory=list)
    cors_origins: frozenset[str] = frozenset()
    email: EmailSettings = field(default_factory=default_email_settings)
    limiter: Limiter | None = None
    feedback_per_day: int = 10_000
    pages_per_day: int = 10_000
    # ``[shipping.calibration] mode = "apply"``: the estimator's calibrated lanes for a policy
    # (computed ahead by the shipping feature; None in report mode or before the first run).
    promise_calibration: Callable[[Policy], DeliveryCalibration | None] | None = None
    _policy_checked: float = field(default=0.0, repr=False)

    @property
    def policy(self) -> Policy:
        """The store policy; an edited `store.toml` takes effect without a restart.

        The file is looked at (one `stat`) at most every `POLICY_RECHECK_SECONDS`. If the
        edited file is invalid, the last valid policy stays in force (and the error is
        logged), so a typo never takes the widgets down.
        """
        now = time.monotonic()
        if now - self._policy_checked < POLICY_RECHECK_SECONDS:
            return self._last_good_policy
        self._policy_checked = now
        try:
            self._last_good_policy = load_policy(self.policy_path)
        except PolicyError as exc:
            current_app.logger.error("defenceline: keeping the last valid policy: %s", exc)
        return self._last_good_policy

    def now(self) -> dt.datetime:
        """The current moment (aware); `DEFENCELINE_CLOCK` replaces it in tests and demos."""
        if self.clock is not None:
            moment = self.clock()
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return dt.datetime.now(dt.UTC)


def state(app: Flask | None = None) -> DefenceLineState:
    """The plugin's state for `app` (default: the current app)."""
    app = app or current_app
    try:
        found: DefenceLineState = app.extensions[EXTENSION_KEY]
    except KeyError:
        raise RuntimeError(
            "defenceline is not set up on this app: call DefenceLine(app) or "
            "ext.init_app(app) first"
        ) from None
    return found
