"""Fetching one URL for the checker, as safely as a stranger's server allows.

Every target, every sitemap entry and every redirect names a host the checker will connect
to, and any of them can be hostile. Three defences live here:

- **No internal addresses.** The connection layer (an httpcore network backend) resolves the
  host once, refuses loopback, private, link-local, multicast, reserved and other non-public
  addresses (IPv4-mapped, 6to4 and NAT64 IPv6 addresses are judged by the IPv4 address inside),
  connects to the address it checked, and checks the socket's peer again. There is no second
  lookup for a rebinding DNS server to answer differently, and a redirect needs a new
  connection, so every hop passes the same check. TLS still verifies the certificate against
  the host name (httpcore passes the URL's host as SNI and for verification).
- **A deadline per page.** Every connect, read and write is given at most the time left
  until the page's deadline, so a server that drips one byte every few seconds is cut off at
  the deadline, not after the per-read timeout times the number of bytes.
- **Bounded decompression.** Compressed bodies are inflated in steps that never produce more
  than the size limit, so a gzip bomb costs a few kilobytes of input and no memory.
"""

from __future__ import annotations

import contextvars
import ipaddress
import re
import socket
import threading
import time
import typing
import zlib
from dataclasses import dataclass

import httpcore
import httpx

from defenceline.checks.config import FetchSettings

__all__ = [
    "Fetched",
    "Inflater",
    "RefusedAddress",
    "TooLarge",
    "address_refusal",
    "fetch",
    "inflate",
    "megabytes",
    "open_client",
]

_ALLOW_PRIVATE_HINT = (
    "pass --allow-private (or allow_private = true in [checks.fetch]) to check a server on "
    "this machine or your own network"
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Most specific first: 127.0.0.1 is also "private", 169.254.169.254 is also "private".
_KINDS = (
    ("is_loopback", "a loopback address"),
    ("is_unspecified", "the unspecified address"),
    ("is_link_local", "a link-local address (where cloud metadata services answer)"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),
    ("is_private", "a private-network address"),
    ("is_site_local", "a site-local address"),  # fec0::/10: deprecated, still routed inside some
)
# The page being fetched by this thread has to be done by this time.monotonic() value.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "defenceline_fetch_deadline", default=None
)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def address_refusal(address: str) -> str | None:
    """Why the checker must not connect to this IP address, or None for a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
        if embedded is not None:
            inner = address_refusal(str(embedded))
            return None if inner is None else f"{inner} ({embedded}, inside {ip})"
    for flag, kind in _KINDS:
        if getattr(ip, flag, False):  # IPv4 addresses have no is_site_local
            return kind
    if not ip.is_global:  # e.g. 100.64.0.0/10, the carrier-grade NAT range
        return "not a public address"
    return None


class RefusedAddress(Exception):
    """A connection the checker refused to make; the message names host, address and why."""


class TooLarge(Exception):
    """A body (or its decompressed form) is larger than the limit."""


def _time_left(timeout: float | None, expired: type[Exception]) -> float | None:
    """The timeout for one network operation: never past the page's deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the page's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the page's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        upgraded = self._inner.start_tls(
            ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(upgraded)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The host's addresses, in the resolver's order (an IP literal resolves to itself).

    The system resolver has no timeout of its own to give, and a hostile name server can
    answer slowly; the lookup runs in a daemon thread so that the page's deadline holds.
    """
    answer: list[typing.Any] = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)

    resolver = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    resolver.start()
    resolver.join(timeout)
    if not answer:
        raise httpcore.ConnectTimeout(f"resolving {host} took longer than {timeout:g} s")
    if isinstance(answer[0], BaseException):
        raise httpcore.ConnectError(f"cannot resolve {host}: {answer[0]}") from answer[0]
    infos = answer[0]
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to public addresses (unless allowed), and only by the checked address."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, _time_left(timeout, httpcore.ConnectTimeout))
        if not self._allow_private:
            # A name with one internal address among public ones is refused as a whole: the
            # report says which address, and nothing depends on which one a retry would pick.
            for address in addresses:
                reason = address_refusal(address)
                if reason is not None:
                    shown = host if host == address else f"{host} ({address})"
                    raise RefusedAddress(
                        f"refused to connect to {shown}: {reason}; {_ALLOW_PRIVATE_HINT}"
                    )
        error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    _time_left(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            self._check_peer(stream, host, address)
            return _DeadlineStream(stream)
        assert error is not None, "getaddrinfo returns at least one address or raises"
        raise error

    def _check_peer(self, stream: httpcore.NetworkStream, host: str, address: str) -> None:
        """The socket is connected to the address that was checked, and it is allowed."""
        peer = stream.get_extra_info("server_addr")
        connected = str(peer[0]) if peer else address
        if ipaddress.ip_address(connected) != ipaddress.ip_address(address):
            stream.close()
            raise RefusedAddress(
                f"refused {host}: connected to {connected}, not the checked {address}"
            )
        reason = None if self._allow_private else address_refusal(connected)
        if reason is not None:
            stream.close()
            raise RefusedAddress(f"refused {host} ({connected}): {reason}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise RefusedAddress(f"refused to connect to the local socket {path}")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, with its connection pool built on the guarded backend.

    httpx (0.28) has no public way to pass an httpcore network backend to its transport
    (encode/httpx#3749 proposes one), so the pool is replaced after construction. If httpx
    renames the attribute, this fails loudly here instead of silently fetching unguarded.
    """

    def __init__(self, settings: FetchSettings) -> None:
        limits = httpx.Limits(max_connections=settings.concurrency)
        super().__init__(trust_env=False, limits=limits)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("httpx's transport changed: cannot guard its connections")
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(settings.allow_private),
        )


def open_client(settings: FetchSettings) -> httpx.Client:
    """An HTTP client for the checker: guarded connections, the fetch limits, no proxies.

    Proxies from the environment are not used: through a proxy the checker could not see
    which address it really reaches.
    """
    return httpx.Client(
        transport=_GuardedTransport(settings),
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        timeout=httpx.Timeout(settings.timeout),
        trust_env=False,
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9",
            "Accept-Encoding": "gzip, deflate",
        },
    )


# --- bounded decompression ---------------------------------------------------------------------

_GZIP = 16 + zlib.MAX_WBITS
_ZLIB = zlib.MAX_WBITS


class Inflater:
    """Decompresses gzip or zlib data in pieces, raising TooLarge past `limit` output bytes."""

    def __init__(self, limit: int, wbits: int = _GZIP) -> None:
        self._limit = limit
        self._wbits = wbits
        self._engine = zlib.decompressobj(wbits)
        self._in_member = False  # the current gzip member has started and not yet ended
        self.size = 0

    def feed(self, data: bytes) -> bytes:
        out: list[bytes] = []
        try:
            while data:
                self._in_member = True
                # Never ask for more than one byte past the limit: that is all it takes to know.
                piece = self._engine.decompress(data, self._limit - self.size + 1)
                self.size += len(piece)
                if self.size > self._limit:
                    raise TooLarge(f"it decompresses to more than {megabytes(self._limit)}")
                out.append(piece)
                if self._engine.eof:  # concatenated gzip members are one stream
                    data = self._engine.unused_data
                    self._engine = zlib.decompressobj(self._wbits)
                    self._in_member = False
                    if not data.strip(b"\x00"):  # zero padding after the last member, as gzip
                        break  # itself allows
                else:
                    data = self._engine.unconsumed_tail
        except zlib.error as exc:
            raise ValueError(f"the compressed data is corrupt ({exc})") from None
        return b"".join(out)

    def finish(self) -> None:
        """Raise ValueError if the data ended in the middle of a compressed stream."""
        if self._in_member:
            raise ValueError("the compressed data is truncated or corrupt")


def inflate(data: bytes, limit: int) -> bytes:
    """gzip data, decompressed to at most `limit` bytes (TooLarge past it)."""
    inflater = Inflater(limit)
    out = inflater.feed(data)
    inflater.finish()
    return out


# --- one fetch ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body of one URL (after redirects), or the reason there is none."""

    url: str
    data: bytes | None = None
    charset: str | None = None
    final_url: str | None = None
    error: str | None = None

    def body(self) -> bytes:
        """The bytes fetched; raises ValueError with the reason when there are none."""
        if self.error is not None or self.data is None:
            raise ValueError(self.error or "no content")
        return self.data


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _inflater(encoding: str, limit: int) -> Inflater | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return Inflater(limit, _GZIP)
    if encoding == "deflate":
        return Inflater(limit, _ZLIB)
    raise ValueError(f"the server sent an unsupported Content-Encoding {encoding!r}")


def _read_body(response: httpx.Response, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the page is {megabytes(int(declared))}; the limit is {megabytes(limit)}")
    inflater = _inflater(response.headers.get("content-encoding", "").strip().lower(), limit)
    chunks: list[bytes] = []
    total = 0
    for raw in response.iter_raw():
        piece = inflater.feed(raw) if inflater is not None else raw
        total += len(piece)
        if total > limit:
            raise TooLarge(f"the page is larger than the limit of {megabytes(limit)}")
        chunks.append(piece)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the page's deadline has passed")
    if inflater is not None:
        inflater.finish()
    return b"".join(chunks)


def fetch(
    client: httpx.Client, url: str, settings: FetchSettings, max_bytes: int | None = None
) -> Fetched:
    """GET one URL within the limits (`max_bytes` overrides the page limit, for sitemaps).

    Never raises because of the server: every failure is a `Fetched` with an error that says
    what went wrong in words a store owner can act on.
    """
    limit = max_bytes or settings.max_bytes
    deadline = time.monotonic() + settings.deadline
    token = _DEADLINE.set(deadline)
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                return Fetched(url, error=f"HTTP {response.status_code} {reason}".strip())
            data = _read_body(response, limit, deadline)
            charset = _charset(response.headers.get("content-type", ""))
            return Fetched(url, data=data, charset=charset, final_url=str(response.url))
    except RefusedAddress as exc:
        return Fetched(url, error=str(exc))
    except TooLarge as exc:
        return Fetched(url, error=str(exc))
    except ValueError as exc:  # corrupt compressed data, unsupported encoding
        return Fetched(url, error=str(exc))
    except httpx.TooManyRedirects:
        return Fetched(url, error=f"too many redirects (more than {settings.max_redirects})")
    except httpx.TimeoutException:
        if time.monotonic() >= deadline - 0.05:
            return Fetched(
                url,
                error=f"took longer than the deadline of {settings.deadline:g} s per page "
                "(deadline in [checks.fetch])",
            )
        return Fetched(url, error=f"timed out after {settings.timeout:g} s")
    except httpx.UnsupportedProtocol as exc:
        return Fetched(url, error=f"not an http(s) URL: {exc}")
    except httpx.ConnectError as exc:
        return Fetched(url, error=f"cannot connect: {exc}")
    except httpx.InvalidURL as exc:
        return Fetched(url, error=f"not a valid URL: {exc}")
    except httpx.HTTPError as exc:
        return Fetched(url, error=f"{type(exc).__name__}: {exc}")
    finally:
        _DEADLINE.reset(token)
