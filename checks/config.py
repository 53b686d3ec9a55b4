"""The checker's configuration: the `[checks]` table of store.toml, or a TOML file of its own.

```toml
[checks]
min_images = 3                     # product-images: photos a product page should show
min_image_px = 500                 # product-images: the longest side of the largest version
help_base_url = "https://docs.example.com/defenceline/rules/"   # default: docs/rules/
rules = { "reviews-present" = "off", "breadcrumbs" = "info" }   # off or a severity

[checks.selectors]                 # where your own template shows these (wins over heuristics)
price = ".product-info .price"
stock = ".stock-status"
delivery = ".delivery-promise"
shipping = ".shipping-note"
returns = ".returns-note"
images = ".product-gallery img"

[checks.required_specs]            # specification keys per product category
default = ["dimensions", "material"]
"Fietstassen" = ["dimensions", "weight", "material", "colour"]

[checks.fetch]                     # http(s) targets and sitemaps
deadline = 30                      # seconds per page in total (redirects and reads)
allow_private = false              # true: also fetch loopback and private addresses
max_urls = 50000                   # URLs taken from all sitemaps together
```

The policy model keeps `[checks]` as a free-form dict (the core does not know the checker);
it is validated here, and every problem names the file and the key.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

import soupsieve
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from defenceline.inputfiles import InputFileError, Problem, parse_toml, read_text

__all__ = [
    "SPEC_KEYS",
    "CheckConfig",
    "ConfigError",
    "FetchSettings",
    "Selectors",
    "config_from_mapping",
    "load_config",
]

SPEC_KEYS = ("dimensions", "weight", "material", "colour")
RuleSetting = Literal["off", "error", "warning", "info"]
SpecKey = Literal["dimensions", "weight", "material", "colour"]
# Where a finding's `help` link points: the rule's page in this project's documentation, as a
# path relative to the project (docs/rules/<rule>.md). The project has no public home yet, so
# no host is assumed; a team that publishes the docs sets `help_base_url` to that address.
DEFAULT_HELP_BASE = "docs/rules/"


def _css_selector(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        soupsieve.compile(value)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"not a valid CSS selector: {first_line}") from None
    return value


Selector = Annotated[str | None, AfterValidator(_css_selector)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selectors(_Model):
    """CSS selectors for where the shop's own template shows each fact."""

    price: Selector = None
    stock: Selector = None
    delivery: Selector = None
    shipping: Selector = None
    returns: Selector = None
    images: Selector = None

    def as_dict(self) -> dict[str, str | None]:
        return self.model_dump()


class FetchSettings(_Model):
    """Limits for fetching http(s) targets and reading sitemaps.

    A page is untrusted input and so is every server: each limit bounds what one target can
    cost (time, memory, requests), and `allow_private` is off so that a page or a redirect
    cannot make the checker read the network it runs in (see docs/security.md).
    """

    # Seconds one network operation (connect, one read) may wait.
    timeout: Annotated[float, Field(gt=0, le=300)] = 20.0
    # Seconds one page may take in total: every redirect, every read. A server that drips one
    # byte at a time never hits `timeout`, so this is the bound that holds.
    deadline: Annotated[float, Field(gt=0, le=3600)] = 30.0
    concurrency: Annotated[int, Field(ge=1, le=64)] = 4
    max_redirects: Annotated[int, Field(ge=0, le=30)] = 5
    max_bytes: Annotated[int, Field(ge=1024)] = 15_000_000
    user_agent: str = "defenceline-check/0.1 (+store page checker)"
    # Loopback, private, link-local and other non-public addresses are refused unless this is
    # on (to check a shop running on this machine or the local network).
    allow_private: bool = False
    # Sitemaps: URLs taken from all sitemaps of one run together, how deep sitemap indexes
    # may nest, and the most bytes one sitemap may have (after decompression).
    max_urls: Annotated[int, Field(ge=1, le=10_000_000)] = 50_000
    max_sitemap_depth: Annotated[int, Field(ge=0, le=10)] = 3
    max_sitemap_bytes: Annotated[int, Field(ge=1024)] = 50_000_000


class CheckConfig(_Model):
    """Everything a shop can tune; the defaults suit a typical European webshop."""

    rules: dict[str, RuleSetting] = {}
    min_images: Annotated[int, Field(ge=0, le=50)] = 3
    min_image_px: Annotated[int, Field(ge=0, le=10_000)] = 500
    required_specs: dict[str, list[SpecKey]] = {"default": ["dimensions", "material"]}
    selectors: Selectors = Selectors()
    fetch: FetchSettings = FetchSettings()
    max_page_bytes: Annotated[int, Field(ge=1024)] = 15_000_000
    help_base_url: str = DEFAULT_HELP_BASE

    @model_validator(mode="before")
    @classmethod
    def _allow_private_at_top(cls, data: Any) -> Any:
        """`allow_private = true` may sit in `[checks]` itself: it means the fetch setting."""
        if not isinstance(data, dict) or "allow_private" not in data:
            return data
        data = dict(data)
        value = data.pop("allow_private")
        if not isinstance(value, bool):
            raise ValueError(f"allow_private: expected true or false, got {value!r}")
        fetch = data.get("fetch", {})
        if isinstance(fetch, FetchSettings):
            data["fetch"] = fetch.model_copy(update={"allow_private": value or fetch.allow_private})
        elif isinstance(fetch, dict):
            data["fetch"] = {**fetch, "allow_private": fetch.get("allow_private", value)}
        return data

    def setting(self, rule_id: str) -> RuleSetting | None:
        return self.rules.get(rule_id)

    def required_for(self, category: str | None) -> list[str]:
        """Required specification keys for a category (case-insensitive), else the default."""
        if category:
            wanted = category.strip().lower()
            for name, keys in self.required_specs.items():
                if name.lower() == wanted or wanted.endswith(" > " + name.lower()):
                    return list(keys)
                if wanted.rsplit(">", 1)[-1].strip() == name.lower():
                    return list(keys)
        return list(self.required_specs.get("default", []))


class ConfigError(InputFileError, ValueError):
    """Problems in the checker's configuration, each naming the file and the key."""

    def format(self) -> str:
        return "\n".join(problem.format(self.file) for problem in self.problems)


def _location(prefix: str, loc: tuple[int | str, ...]) -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def config_from_mapping(data: Any, source: str, prefix: str = "[checks]") -> CheckConfig:
    """Validate a `[checks]` mapping; raise ConfigError listing every problem."""
    from defenceline.checks.registry import RULES  # rules import config; resolve lazily

    if not isinstance(data, dict):
        message = f"expected a table, got {type(data).__name__}"
        raise ConfigError(source, [Problem(message, path=prefix)])
    problems: list[Problem] = []
    try:
        config = CheckConfig.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            where = _location(prefix, tuple(error["loc"]))
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                known = ", ".join(CheckConfig.model_fields)
                message = f"unknown setting; expected one of {known}"
            problems.append(Problem(message, path=where))
        raise ConfigError(source, problems) from None
    for rule_id in config.rules:
        if rule_id not in RULES:
            close = difflib.get_close_matches(rule_id, list(RULES), n=1)
            hint = (
                f"; did you mean {close[0]!r}?" if close else f"; known rules: {', '.join(RULES)}"
            )
            where = f"{prefix}.rules.{rule_id}"
            problems.append(Problem(f"unknown rule {rule_id!r}{hint}", path=where))
    if problems:
        raise ConfigError(source, problems)
    return config


def load_config(path: str | Path) -> CheckConfig:
    """Read a checker config file: a TOML file with a `[checks]` table (or the keys at top)."""
    file = Path(path)
    data = parse_toml(read_text(file, ConfigError), str(file), ConfigError)
    if "checks" in data:
        return config_from_mapping(data["checks"], str(file))
    return config_from_mapping(data, str(file), prefix="")
