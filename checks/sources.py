"""Turning TARGET arguments into pages: files, directories, sitemaps and http(s) URLs.

Nothing here raises for a bad target: a missing file, a 404, a timeout, an oversized page or a
redirect loop becomes a `Source` with an `error` that names the target and says what went
wrong, and the run goes on with the other pages. Fetching is concurrent but bounded (the
`[checks.fetch]` settings), and a sitemap may list other sitemaps (a sitemap index).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
from bs4 import BeautifulSoup

from defenceline.checks.config import FetchSettings

__all__ = ["HTML_SUFFIXES", "Source", "expand_targets", "fetch", "read_source"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_MAX_SITEMAP_URLS = 50_000
_MAX_SITEMAP_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Source:
    """One page to check: a file to read, fetched bytes, or the reason it cannot be had."""

    target: str
    path: str | None = None
    data: bytes | None = None
    charset: str | None = None
    url: str | None = None
    error: str | None = None


def _is_url(target: str) -> bool:
    return bool(re.match(r"^https?://", target, re.IGNORECASE))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def read_source(source: Source, max_bytes: int) -> tuple[bytes, str | None]:
    """The bytes of a source (reading its file if needed); raises ValueError with the reason."""
    if source.error is not None:
        raise ValueError(source.error)
    if source.data is not None:
        return source.data, source.charset
    assert source.path is not None
    path = Path(source.path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValueError(
                f"the page is {_megabytes(size)}; the limit is {_megabytes(max_bytes)} "
                "(max_page_bytes in [checks])"
            )
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1), None
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except IsADirectoryError:
        raise ValueError("is a directory") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(f"cannot read the file: {exc.strerror or exc}") from None


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def fetch(client: httpx.Client, url: str, settings: FetchSettings) -> Source:
    """GET one URL within the limits; the result carries the bytes or a clear error."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                return Source(url, url=url, error=f"HTTP {response.status_code} {reason}".strip())
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                return Source(
                    url,
                    url=url,
                    error=f"the page is {_megabytes(int(declared))}; the limit is "
                    f"{_megabytes(settings.max_bytes)}",
                )
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > settings.max_bytes:
                    return Source(
                        url,
                        url=url,
                        error=f"the page is larger than the limit of "
                        f"{_megabytes(settings.max_bytes)}",
                    )
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            final = str(response.url)
            return Source(url, data=b"".join(chunks), charset=_charset(content_type), url=final)
    except httpx.TooManyRedirects:
        return Source(
            url, url=url, error=f"too many redirects (more than {settings.max_redirects})"
        )
    except httpx.TimeoutException:
        return Source(url, url=url, error=f"timed out after {settings.timeout:g} s")
    except httpx.ConnectError as exc:
        return Source(url, url=url, error=f"cannot connect: {exc}")
    except httpx.InvalidURL as exc:
        return Source(url, url=url, error=f"not a valid URL: {exc}")
    except httpx.HTTPError as exc:
        return Source(url, url=url, error=f"{type(exc).__name__}: {exc}")


def _client(settings: FetchSettings) -> httpx.Client:
    return httpx.Client(
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        timeout=httpx.Timeout(settings.timeout),
        headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml"},
        limits=httpx.Limits(max_connections=settings.concurrency),
    )


def _sitemap_locations(data: bytes, base: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) listed in a sitemap or sitemap index."""
    soup = BeautifulSoup(data, "lxml-xml")
    pages: list[str] = []
    nested: list[str] = []
    for loc in soup.find_all("loc"):
        url = urljoin(base, loc.get_text().strip())
        parent = loc.parent.name if loc.parent is not None else ""
        (nested if parent == "sitemap" else pages).append(url)
        if len(pages) >= _MAX_SITEMAP_URLS:
            break
    return pages, nested


def _looks_like_sitemap(target: str, data: bytes | None = None) -> bool:
    if re.search(r"sitemap[^/]*\.xml(?:\.gz)?$|\.xml$", target.split("?")[0], re.IGNORECASE):
        return True
    head = (data or b"")[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def expand_targets(
    targets: Iterable[str],
    settings: FetchSettings,
    progress: Callable[[int], None] | None = None,
) -> list[Source]:
    """Every page the targets name, in order; URLs are fetched (concurrently, within limits)."""
    ordered: list[Source | str] = []  # a str is a URL still to fetch
    pending_sitemaps: list[tuple[str, int]] = []
    seen: set[str] = set()

    def add_url(url: str) -> None:
        if url not in seen:
            seen.add(url)
            ordered.append(url)

    for target in targets:
        if _is_url(target):
            if _looks_like_sitemap(target):
                pending_sitemaps.append((target, 0))
            else:
                add_url(target)
            continue
        path = Path(target)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in HTML_SUFFIXES
            )
            if not files:
                ordered.append(Source(target, error="the directory contains no .html files"))
            ordered.extend(Source(str(p), path=str(p)) for p in files)
        elif path.is_file() and _looks_like_sitemap(target):
            try:
                data = path.read_bytes()
            except OSError as exc:
                ordered.append(Source(target, error=f"cannot read the sitemap: {exc.strerror}"))
                continue
            pages, nested = _sitemap_locations(data, path.resolve().as_uri())
            if not pages and not nested:
                ordered.append(Source(target, error="the sitemap lists no <loc> URLs"))
            for url in pages:
                if url.startswith("file:"):
                    local = url.removeprefix("file://")
                    ordered.append(Source(local, path=local))
                else:
                    add_url(url)
            pending_sitemaps.extend((url, 1) for url in nested)
        elif path.exists():
            ordered.append(Source(target, path=target))
        else:
            ordered.append(Source(target, error="no such file or directory"))

    if not pending_sitemaps and not any(isinstance(item, str) for item in ordered):
        return [item for item in ordered if isinstance(item, Source)]
    with _client(settings) as client:
        while pending_sitemaps:
            url, depth = pending_sitemaps.pop(0)
            fetched = fetch(client, url, settings)
            if fetched.error is not None or fetched.data is None:
                ordered.append(Source(url, error=f"sitemap: {fetched.error}"))
                continue
            if not _looks_like_sitemap("", fetched.data):
                ordered.append(Source(url, error="sitemap: the response is not a sitemap"))
                continue
            pages, nested = _sitemap_locations(fetched.data, fetched.url or url)
            for page_url in pages:
                add_url(page_url)
            if depth < _MAX_SITEMAP_DEPTH:
                pending_sitemaps.extend((n, depth + 1) for n in nested)
        urls = [item for item in ordered if isinstance(item, str)]
        fetched_by_url: dict[str, Source] = {}
        if urls:
            with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
                for source in pool.map(lambda u: fetch(client, u, settings), urls):
                    fetched_by_url[source.target] = source
                    if progress is not None:
                        progress(1)
    return [fetched_by_url[item] if isinstance(item, str) else item for item in ordered]
