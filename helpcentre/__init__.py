"""defenceline.helpcentre: the shop's help centre, built with MkDocs + Material from Markdown,
with the store policy's facts injected.

- `create_help_centre` makes a ready help centre (`defenceline helpcentre new`);
- `check_site` runs the checks in plain Python (`defenceline helpcentre check`);
- `build_site` builds and publishes atomically (`defenceline helpcentre build`), and is what an
  application calls at start-up to serve a fresh help centre;
- the MkDocs plugin is `defenceline.helpcentre.plugin.DefenceLinePlugin` (`plugins: -
  defenceline`), the mkdocs-macros module `defenceline.helpcentre.facts`.
"""

from __future__ import annotations

from defenceline.helpcentre.checks import CheckReport, Finding, check_site
from defenceline.helpcentre.publish import BuildResult, build_site
from defenceline.helpcentre.scaffold import ScaffoldError, create_help_centre

__all__ = [
    "BuildResult",
    "CheckReport",
    "Finding",
    "ScaffoldError",
    "build_site",
    "check_site",
    "create_help_centre",
]
