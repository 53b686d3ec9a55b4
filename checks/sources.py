"""Turning TARGET arguments into pages: files, directories, sitemaps and http(s) URLs.

Nothing here raises for a bad target: a missing file, a 404, a timeout, an oversized page, a
refused address or a redirect loop becomes a `Source` with an `error` that names the target
and says what went wrong, and the run goes on with the other pages.

Two steps, so that memory does not grow with the number of pages:

1. `plan_targets` turns the targets into a plan: local files (not read yet), URLs still to
   fetch, and error entries. Sitemaps are read here: each one once, sitemap indexes at most
   `max_sitemap_depth` deep, at most `max_urls` URLs from all sitemaps together, gzip
   sitemaps decompressed within `max_sitemap_bytes`. A local sitemap may name pages inside its
   own folder only, and http(s) pages.
2. `iter_sources` yields the plan's pages as they arrive: a few URLs are fetched at a time
   (`concurrency`), and a page's bytes live only until the caller has checked it.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpx
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from defenceline.checks.config import FetchSettings
from defenceline.checks.fetching import Fetched, TooLarge, fetch, inflate, megabytes, open_client

__all__ = [
    "HTML_SUFFIXES",
    "PlanItem",
    "Source",
    "expand_targets",
    "iter_sources",
    "plan_targets",
    "read_source",
]

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Source:
    """One page to check: a file to read, what fetching its URL gave, or the reason it cannot
    be had."""

    target: str
    path: str | None = None
    fetched: Fetched | None = None
    error: str | None = None

    @property
    def url(self) -> str | None:
        """The fetched page's URL after redirects, which its links resolve against (None for a
        file)."""
        return self.fetched.final_url if self.fetched is not None else None


# A plan entry: a Source (a local file, or an error) or a URL still to fetch.
PlanItem = Source | str


def _is_url(target: str) -> bool:
    return bool(re.match(r"^https?://", target, re.IGNORECASE))


def _is_page_file(path: Path) -> bool:
    """An HTML file, or a gzip-compressed one (`page.html.gz`)."""
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(HTML_SUFFIXES)


def _file_path(url: str) -> Path | None:
    """The local path a `file:` URL names (percent-escapes decoded), None if not local."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path))


def read_source(source: Source, max_bytes: int) -> tuple[bytes, str | None]:
    """The bytes of a source (reading its file if needed); raises ValueError with the reason."""
    if source.error is not None:
        raise ValueError(source.error)
    if source.fetched is not None:
        return source.fetched.body(), source.fetched.charset
    assert source.path is not None
    return _read_file(Path(source.path), max_bytes, "max_page_bytes in [checks]"), None


def _read_file(path: Path, max_bytes: int, setting: str) -> bytes:
    """A file's bytes, gzip files decompressed, never more than `max_bytes`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValueError(
                f"the file is {megabytes(size)}; the limit is {megabytes(max_bytes)} ({setting})"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except IsADirectoryError:
        raise ValueError("is a directory") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(f"cannot read the file: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".gz" or data.startswith(_GZIP_MAGIC):
        try:
            return inflate(data, max_bytes)
        except TooLarge as exc:
            raise ValueError(f"{exc}; the limit is set by {setting}") from None
    return data


# --- sitemaps ----------------------------------------------------------------------------------


def _looks_like_sitemap(target: str) -> bool:
    return bool(
        re.search(r"sitemap[^/]*\.xml(?:\.gz)?$|\.xml(?:\.gz)?$", target.split("?")[0], re.I)
    )


def _sitemap_entries(data: bytes) -> list[tuple[str, bool]]:
    """(location, is-a-sitemap) for every <loc>; ValueError when the XML is not a sitemap.

    lxml reads the XML without loading a DTD, resolving entities or touching the network: a
    sitemap cannot pull a local file into a URL (XXE) or expand an entity bomb.
    """
    entries: list[tuple[str, bool]] = []
    parser = etree.iterparse(
        BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
    )
    root_seen = False
    try:
        for event, element in parser:
            name = etree.QName(element).localname
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if name not in ("urlset", "sitemapindex"):
                        raise ValueError(f"not a sitemap: the root element is <{name}>")
                continue
            if name == "loc":
                parent = element.getparent()
                nested = parent is not None and etree.QName(parent).localname == "sitemap"
                text = (element.text or "").strip()
                if text:
                    entries.append((text, nested))
            elif name in ("url", "sitemap"):
                element.clear()  # a 50,000-entry sitemap stays small in memory
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a sitemap: {exc}") from None
    if not root_seen:
        raise ValueError("not a sitemap: there is no XML in it")
    return entries


@dataclass(frozen=True, slots=True)
class _Sitemap:
    location: str | Path  # an http(s) URL or a local file
    depth: int


class _Planner:
    """Builds the plan for a run; one instance per run, so the URL cap is global."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.items: list[PlanItem] = []
        self._pages: set[str] = set()
        self._sitemaps: set[str] = set()
        self._taken = 0
        self._capped = False
        self._client: httpx.Client | None = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def add_target(self, target: str) -> None:
        if _is_url(target):
            if _looks_like_sitemap(target):
                self._expand(target, target)
            else:
                self._add_page(target)
            return
        path = Path(target)
        if target.lower().startswith("file:"):
            local = _file_path(target)
            if local is None:
                self.items.append(Source(target, error="not a local file: URL"))
                return
            path = local
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _is_page_file(p))
            if not files:
                self.items.append(Source(target, error="the directory contains no .html files"))
            self.items.extend(Source(str(p), path=str(p)) for p in files)
        elif path.is_file() and _looks_like_sitemap(path.name):
            self._expand(target, path)
        elif path.exists():
            self.items.append(Source(str(path), path=str(path)))
        else:
            self.items.append(Source(target, error="no such file or directory"))

    def _add_page(self, page: str | Path) -> bool:
        """Plan a URL (to fetch) or a local file, once per run; False if already planned."""
        key = str(page)
        if key in self._pages:
            return False
        self._pages.add(key)
        self.items.append(Source(key, path=key) if isinstance(page, Path) else page)
        return True

    def _expand(self, target: str, first: str | Path) -> None:
        """Every page a sitemap (and the sitemaps it lists) names, breadth first."""
        queue = deque([_Sitemap(first, 0)])
        pages = 0
        read = 0
        while queue and not self._capped:
            sitemap = queue.popleft()
            key = str(sitemap.location)
            if key in self._sitemaps:
                continue  # an index that lists itself, or two indexes sharing a child
            self._sitemaps.add(key)
            try:
                data, base = self._read(sitemap.location)
                entries = _sitemap_entries(data)
            except ValueError as exc:
                self.items.append(Source(key, error=f"sitemap: {exc}"))
                continue
            read += 1
            for text, nested in entries:
                if self._taken >= self.settings.max_urls:
                    self._capped = True
                    self.items.append(
                        Source(
                            target,
                            error=f"sitemap: stopped at {self.settings.max_urls:,} URLs "
                            "(max_urls in [checks.fetch]); the remaining URLs are not checked",
                        )
                    )
                    break
                try:
                    location = self._locate(base, text)
                except ValueError as exc:
                    self.items.append(Source(text, error=f"sitemap {key}: {exc}"))
                    continue
                if nested:
                    if sitemap.depth + 1 > self.settings.max_sitemap_depth:
                        self.items.append(
                            Source(
                                str(location),
                                error=f"sitemap: nested more than "
                                f"{self.settings.max_sitemap_depth} levels deep "
                                "(max_sitemap_depth in [checks.fetch]); not read",
                            )
                        )
                        continue
                    self._taken += 1
                    queue.append(_Sitemap(location, sitemap.depth + 1))
                else:
                    pages += 1  # named, even if an earlier target already named it
                    if self._add_page(location):
                        self._taken += 1
        if pages == 0 and read and not self._capped:
            what = (
                "the sitemap names"
                if read == 1
                else f"the sitemap and the {read - 1} sitemaps it lists name"
            )
            self.items.append(Source(target, error=f"{what} no page to check"))

    def _read(self, location: str | Path) -> tuple[bytes, str | Path]:
        """A sitemap's XML and the base its relative <loc> entries resolve against.

        Read or fetched within max_sitemap_bytes and gzip decompressed; the base of a fetched
        sitemap is its URL after redirects.
        """
        limit = self.settings.max_sitemap_bytes
        if isinstance(location, Path):
            return _read_file(location, limit, "max_sitemap_bytes in [checks.fetch]"), location
        if self._client is None:
            self._client = open_client(self.settings)
        fetched = fetch(self._client, location, self.settings, max_bytes=limit)
        data = fetched.body()
        base = fetched.final_url or location
        if data.startswith(_GZIP_MAGIC):  # a .xml.gz served as application/gzip
            try:
                return inflate(data, limit), base
            except TooLarge as exc:
                raise ValueError(f"{exc} (max_sitemap_bytes in [checks.fetch])") from None
        return data, base

    def _locate(self, sitemap: str | Path, text: str) -> str | Path:
        """Where a <loc> points: an http(s) URL, or (for a local sitemap) a file in its folder."""
        if isinstance(sitemap, str):
            url = urljoin(sitemap, text)
            if not _is_url(url):
                raise ValueError(f"<loc> {text!r} is not an http(s) URL")
            return url
        if _is_url(text):
            return text
        parts = urlsplit(text)
        if parts.scheme.lower() == "file":
            local = _file_path(text)
            if local is None:
                raise ValueError(f"<loc> {text!r} is not on this machine")
        elif parts.scheme and len(parts.scheme) > 1:  # one letter: a Windows drive
            raise ValueError(f"<loc> {text!r} is neither an http(s) URL nor a local page")
        else:
            local = Path(url2pathname(parts.path))
        folder = sitemap.parent.resolve()
        resolved = (folder / local).resolve()
        if not resolved.is_relative_to(folder):
            raise ValueError(
                f"<loc> {text!r} is outside the sitemap's folder {folder}; a local sitemap may "
                "only name pages in its own folder"
            )
        return resolved


def plan_targets(targets: Iterable[str], settings: FetchSettings) -> list[PlanItem]:
    """The pages the targets name, in order: local files, URLs to fetch, and error entries."""
    planner = _Planner(settings)
    try:
        for target in targets:
            planner.add_target(target)
    finally:
        planner.close()
    return planner.items


# --- pages, as they arrive ---------------------------------------------------------------------


def _size(source: Source) -> int:
    """How much work a local source is, roughly: its size in bytes (0 when unknown)."""
    if source.path is not None:
        try:
            return os.path.getsize(source.path)
        except OSError:
            return 0
    return 0


def _fetched_source(client: httpx.Client, url: str, settings: FetchSettings) -> Source:
    return Source(url, fetched=fetch(client, url, settings))


def iter_sources(
    plan: list[PlanItem], settings: FetchSettings, largest_first: bool = False
) -> Iterator[tuple[int, Source]]:
    """(plan index, source) for every plan entry, URLs in the order their fetches finish.

    At most `2 x concurrency` fetched pages exist at once (being fetched, or fetched and not
    yet taken), so memory is bounded whatever the number of URLs. Local files are yielded
    unread (largest first if asked: that balances worker processes).
    """
    local = [(index, item) for index, item in enumerate(plan) if isinstance(item, Source)]
    urls = deque((index, item) for index, item in enumerate(plan) if isinstance(item, str))
    if largest_first:
        local.sort(key=lambda pair: -_size(pair[1]))
    if not urls:
        yield from local
        return
    window = 2 * settings.concurrency
    client = open_client(settings)
    pool = ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="fetch")
    pending: dict[Future[Source], int] = {}

    def top_up() -> None:
        while urls and len(pending) < window:
            index, url = urls.popleft()
            pending[pool.submit(_fetched_source, client, url, settings)] = index

    try:
        top_up()
        yield from local  # checked while the first pages download
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                top_up()
                yield index, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        client.close()


def expand_targets(
    targets: Iterable[str],
    settings: FetchSettings,
    progress: Callable[[int], None] | None = None,
) -> list[Source]:
    """Every page the targets name, in target order, all held in memory at once.

    For a handful of pages (and as the benchmark's baseline); `check_pages` streams instead.
    """
    plan = plan_targets(targets, settings)
    slots: list[Source | None] = [None] * len(plan)
    for index, source in iter_sources(plan, settings):
        slots[index] = source
        if progress is not None and isinstance(plan[index], str):
            progress(1)  # one URL fetched (or failed)
    return [source for source in slots if source is not None]
