"""Tracking links: a shipment's carrier page, from ``[[shipping.carriers]]`` in store.toml.

The one place a tracking link is made, for the API's answers and the shipping emails alike.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from defenceline.policy import Policy

__all__ = ["tracking_link"]


def tracking_link(
    policy: Policy, carrier: str, tracking_number: str | None, postcode: str | None
) -> str | None:
    """The carrier's tracking page for this parcel, or None: the carrier is not listed in
    ``[[shipping.carriers]]``, the parcel has no tracking number, or the page needs the
    postcode and the order has none.

    The postcode is written the way carriers' pages expect it, without spaces and in capitals
    (``1012 ab`` -> ``1012AB``); both values are percent-encoded, so a tracking number never
    changes the address it is put into.
    """
    entry = policy.shipping.carrier(carrier)
    if entry is None or not tracking_number:
        return None
    compact = "".join((postcode or "").split()).upper()
    if "{postcode}" in entry.tracking_url and not compact:
        return None
    link = entry.tracking_url.format(
        tracking_number=quote(tracking_number.strip(), safe=""), postcode=quote(compact, safe="")
    )
    # Percent-encoding leaves dots alone, and browsers resolve a path segment ".." or "%2e%2e"
    # (WHATWG URL): a tracking number "..", alone in a segment, would lead elsewhere on the
    # carrier's site. Such a parcel gets no link.
    segments = urlsplit(link).path.split("/")
    if any(unquote(segment) in {".", ".."} for segment in segments):
        return None
    return link
