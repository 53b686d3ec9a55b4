"""Structured data a page carries for machines: JSON-LD, microdata and Open Graph.

All three become the same shape — plain dicts with an ``@type`` holding schema.org local names
("Product", "Offer") — so a rule asks "what are the page's products?" once and does not care
how the shop wrote them. JSON-LD from the wild is often broken (trailing commas, HTML comments
around it, several objects in one script, control characters in strings); what can be repaired
is, and what cannot becomes a `StructuredError` the rules can report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import Tag

__all__ = [
    "StructuredData",
    "StructuredError",
    "extract_structured",
    "first_value",
    "local_type",
    "nodes_of_type",
    "types_of",
]

_SCHEMA_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?schema\.org/|^schema:", re.IGNORECASE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MAX_DEPTH = 40


@dataclass(frozen=True, slots=True)
class StructuredError:
    """A JSON-LD block that could not be read, with where it is and why."""

    element: Tag
    message: str


@dataclass(slots=True)
class StructuredData:
    """Every typed node the page declares, plus Open Graph properties and JSON-LD errors."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[StructuredError] = field(default_factory=list)
    opengraph: dict[str, list[str]] = field(default_factory=dict)
    # "json-ld" or "microdata" per top-level node (keyed by id, the nodes stay plain dicts).
    source_of: dict[int, str] = field(default_factory=dict)

    def of_type(self, *names: str) -> list[dict[str, Any]]:
        """Nodes whose @type is one of `names` (schema.org local names), in page order."""
        return nodes_of_type(self.nodes, names)

    def of_type_with_source(self, *names: str) -> list[tuple[dict[str, Any], str]]:
        """Like `of_type`, each node with where it came from ("json-ld" or "microdata")."""
        found: list[tuple[dict[str, Any], str]] = []
        seen: set[int] = set()
        for top in self.nodes:
            source = self.source_of.get(id(top), "json-ld")
            for inner in nodes_of_type([top], names):
                if id(inner) not in seen:
                    seen.add(id(inner))
                    found.append((inner, source))
        return found

    def og(self, name: str) -> str | None:
        values = self.opengraph.get(name)
        return values[0] if values else None


def local_type(value: str) -> str:
    """'http://schema.org/InStock' -> 'InStock'."""
    return _SCHEMA_PREFIX.sub("", value.strip()).strip("/")


def types_of(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    if isinstance(raw, str):
        return {local_type(raw)}
    if isinstance(raw, list):
        return {local_type(item) for item in raw if isinstance(item, str)}
    return set()


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict inside `value`, depth first, without recursion blowing up on deep JSON."""
    stack: list[tuple[Any, int]] = [(value, depth)]
    while stack:
        current, level = stack.pop()
        if level > _MAX_DEPTH:
            continue
        if isinstance(current, dict):
            yield current
            stack.extend((child, level + 1) for child in reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend((child, level + 1) for child in reversed(current))


def nodes_of_type(nodes: Iterable[dict[str, Any]], names: Iterable[str]) -> list[dict[str, Any]]:
    wanted = set(names)
    found: list[dict[str, Any]] = []
    seen: set[int] = set()
    for node in nodes:
        for inner in _walk(node):
            if id(inner) not in seen and types_of(inner) & wanted:
                seen.add(id(inner))
                found.append(inner)
    return found


def first_value(node: dict[str, Any] | None, *keys: str) -> Any:
    """The first non-empty value under any of `keys`; lists give their first item."""
    if not isinstance(node, dict):
        return None
    for key in keys:
        value = node.get(key)
        if isinstance(value, list):
            value = next((item for item in value if item not in (None, "", [], {})), None)
        if value not in (None, "", [], {}):
            return value
    return None


# --- JSON-LD -----------------------------------------------------------------------------------


def _parse_json_ld(raw: str) -> list[Any]:
    """Parse one script's JSON-LD, repairing the usual breakage; raises ValueError if hopeless."""
    text = raw.strip()
    text = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", text)
    text = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", text).strip()
    if not text:
        return []
    attempts = (text, _TRAILING_COMMA.sub(r"\1", text))
    last_error: json.JSONDecodeError | None = None
    for attempt in attempts:
        decoder = json.JSONDecoder(strict=False)
        values: list[Any] = []
        position = 0
        try:
            while position < len(attempt):
                value, end = decoder.raw_decode(attempt, position)
                values.append(value)
                position = end
                while position < len(attempt) and attempt[position] in " \t\r\n;,":
                    position += 1
            return values
        except json.JSONDecodeError as exc:
            last_error = exc
            if values:  # the first objects were fine: keep them
                return values
    assert last_error is not None
    raise ValueError(f"{last_error.msg} at line {last_error.lineno} column {last_error.colno}")


def _expand(values: list[Any]) -> list[dict[str, Any]]:
    """Top-level nodes, with @graph members lifted to the top."""
    nodes: list[dict[str, Any]] = []
    for value in values:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, dict):
                continue
            graph = item.get("@graph")
            if isinstance(graph, list):
                nodes.extend(member for member in graph if isinstance(member, dict))
                rest = {k: v for k, v in item.items() if k not in ("@graph", "@context")}
                if "@type" in rest:
                    nodes.append(rest)
            else:
                nodes.append(item)
    return nodes


def _resolve_ids(nodes: list[dict[str, Any]]) -> None:
    """Replace {"@id": ...} references by the node with that @id (one level, as Google does)."""
    by_id = {
        node["@id"]: node
        for node in nodes
        if isinstance(node.get("@id"), str) and len(node) > 1 and "@type" in node
    }
    if not by_id:
        return
    for node in nodes:
        for inner in _walk(node):
            for key, value in list(inner.items()):
                if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
                    inner[key] = by_id[value["@id"]]
                elif isinstance(value, list):
                    inner[key] = [
                        by_id[item["@id"]]
                        if isinstance(item, dict) and set(item) == {"@id"} and item["@id"] in by_id
                        else item
                        for item in value
                    ]


# --- microdata ---------------------------------------------------------------------------------


def _microdata_value(element: Tag) -> str:
    name = element.name
    for attribute, names in (
        ("content", None),
        ("href", ("a", "link", "area")),
        ("src", ("img", "audio", "video", "source", "iframe", "embed")),
        ("datetime", ("time",)),
        ("value", ("data", "meter")),
    ):
        if names is None or name in names:
            value = element.get(attribute)
            if isinstance(value, str) and (value or attribute != "content"):
                return value.strip()
    return " ".join(element.get_text(" ", strip=True).split())


def _microdata_items(scopes: list[Tag], props: list[Tag]) -> list[dict[str, Any]]:
    items: dict[int, dict[str, Any]] = {}
    for scope in scopes:
        item: dict[str, Any] = {}
        itemtype = scope.get("itemtype")
        if isinstance(itemtype, str) and itemtype.strip():
            types = [local_type(t) for t in itemtype.split()]
            item["@type"] = types[0] if len(types) == 1 else types
        items[id(scope)] = item
    top: list[dict[str, Any]] = [items[id(s)] for s in scopes if not s.has_attr("itemprop")]
    for prop in props:
        owner = prop.parent
        while owner is not None and not (isinstance(owner, Tag) and owner.has_attr("itemscope")):
            owner = owner.parent
        if owner is None or id(owner) not in items:
            continue
        value: Any = items[id(prop)] if id(prop) in items else _microdata_value(prop)
        names = prop.get("itemprop")
        for name in (names if isinstance(names, str) else " ".join(names or [])).split():
            target = items[id(owner)]
            if name in target:
                existing = target[name]
                target[name] = (
                    [*existing, value] if isinstance(existing, list) else [existing, value]
                )
            else:
                target[name] = value
    return top


# --- Open Graph --------------------------------------------------------------------------------


def _opengraph(metas: list[Tag]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in metas:
        key = meta.get("property") or meta.get("name")
        content = meta.get("content")
        if not isinstance(key, str) or not isinstance(content, str):
            continue
        key = key.strip().lower()
        if key.startswith(("og:", "product:")):
            found.setdefault(key, []).append(content.strip())
    return found


def extract_structured(
    json_ld_scripts: list[Tag],
    item_scopes: list[Tag],
    item_props: list[Tag],
    metas: list[Tag],
) -> StructuredData:
    """Read the page's structured data from the elements the page walk collected."""
    data = StructuredData()
    for script in json_ld_scripts:
        raw = script.string if script.string is not None else script.get_text()
        try:
            values = _parse_json_ld(str(raw))
        except ValueError as exc:
            data.errors.append(StructuredError(script, f"broken JSON-LD: {exc}"))
            continue
        data.nodes.extend(_expand(values))
    _resolve_ids(data.nodes)
    if item_scopes:
        for item in _microdata_items(item_scopes, item_props):
            data.nodes.append(item)
            data.source_of[id(item)] = "microdata"
    data.opengraph = _opengraph(metas)
    return data
