"""Safe publishing: build the help centre aside, then swap it in only when the build succeeded.

A failed build (a missing policy, a misspelt variable, a check that fails in strict mode) must
never leave the live site half updated. `build_site` builds into a temporary folder next to the
destination and, only when MkDocs finished without errors (and, in strict mode, without
warnings), moves the old site out and the new one in with two renames on the same file system:
the destination is always either the complete old site or the complete new one.

This is also the function an application calls at start-up (the demo shop does) to serve a
fresh help centre.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BuildResult", "build_site"]


@dataclass
class BuildResult:
    """What a build did: `ok`, the `site_dir` it (would have) replaced, and every warning and
    error MkDocs and the checks reported, as lines that name file and line where known."""

    ok: bool
    site_dir: Path
    messages: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip()
        level = "ERROR" if record.levelno >= logging.ERROR else "WARNING"
        self.lines.append(f"{level}: {text}")


def build_site(
    source_dir: str | Path,
    site_dir: str | Path,
    policy_path: str | Path | None = None,
    *,
    plugin_url: str | None = None,
    stats_path: str | Path | None = None,
    strict: bool = True,
) -> BuildResult:
    """Build the help centre in `source_dir` (with its mkdocs.yml) into `site_dir`.

    `policy_path`, `plugin_url` and `stats_path` override the defenceline plugin's `policy`,
    `plugin_url` and `stats` settings (an application knows where its own policy, storefront
    plugin and stats export are). With `strict` (the default) any warning fails the build.
    `site_dir` is replaced only when the build succeeds; never raises for bad input.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    source = Path(source_dir)
    target = Path(site_dir).resolve()
    result = BuildResult(False, target)
    config_file = source / "mkdocs.yml"
    if not config_file.is_file():
        result.messages.append(
            f"ERROR: {config_file}: not found; expected a help centre folder with mkdocs.yml"
        )
        return result
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        try:
            config = load_config(config_file=str(config_file), site_dir=str(staging), strict=strict)
            plugin = config.plugins.get("defenceline")
            if plugin is not None:
                if policy_path is not None:
                    plugin.config["policy"] = str(Path(policy_path).resolve())
                if plugin_url is not None:
                    plugin.config["plugin_url"] = plugin_url
                if stats_path is not None:
                    plugin.config["stats"] = str(Path(stats_path).resolve())
            build(config)
        except (Abort, ConfigurationError) as exc:
            message = str(getattr(exc, "message", "") or exc).strip()
            if message and not any(message in line for line in collect.lines):
                collect.lines.append(f"ERROR: {message}")
        except SystemExit as exc:  # a plugin that exits instead of raising
            collect.lines.append(f"ERROR: the build stopped (exit status {exc.code})")
        except Exception as exc:  # a plugin crashing on content: report it, never half-publish
            collect.lines.append(f"ERROR: the build failed: {type(exc).__name__}: {exc}")
        else:
            result.ok = True
    finally:
        logger.removeHandler(collect)
        result.messages = collect.lines
    if not result.ok:
        shutil.rmtree(staging, ignore_errors=True)
        return result
    _swap_in(staging, target)
    return result


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with renames, so readers see the old or the new site."""
    staging.chmod(0o755)  # mkdtemp makes the folder private; a published site is not
    if not target.exists():
        staging.rename(target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)  # put the old site back
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
