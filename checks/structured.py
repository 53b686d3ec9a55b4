"""Structured data a page carries for machines: JSON-LD, microdata, RDFa and Open Graph.

Microdata and RDFa are read by extruct (from one lxml tree of the page, made only when the
page carries them); JSON-LD from the script elements the page walk collected, with our own
repair of the usual breakage (extruct's reader gives up on a page at the first broken block and
cannot say where it was); Open Graph from the page's meta elements (shops put og:price tags in
the body too, where extruct's reader, which looks in <head> only, does not see them).

All of them become the same shape — plain dicts with an ``@type`` holding schema.org local names
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
from html import escape as html_escape
from typing import Any

from bs4 import Tag

__all__ = [
    "StructuredData",
    "StructuredError",
    "extract_structured",
    "first_value",
    "local_type",
    "nodes_of_type",
    "rdfa_fragment",
    "read_tree_markup",
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
    # "json-ld", "microdata" or "rdfa" per top-level node (keyed by id, the nodes stay plain dicts).
    source_of: dict[int, str] = field(default_factory=dict)
    # The element each top-level node was read from (a JSON-LD script, an itemscope element).
    element_of: dict[int, Tag] = field(default_factory=dict)
    # Every dict under the top-level nodes, each once (where first met, in page order), with
    # its types and its top-level node: the rules ask for types many times, and a shop's
    # JSON-LD can hold hundreds of reviews and variants to walk. Made on first use, after the
    # nodes are read; remade if nodes are added later.
    _walked: list[tuple[dict[str, Any], set[str], dict[str, Any]]] | None = None
    _walked_count: int = 0

    def _typed_nodes(self) -> list[tuple[dict[str, Any], set[str], dict[str, Any]]]:
        if self._walked is None or self._walked_count != len(self.nodes):
            walked: list[tuple[dict[str, Any], set[str], dict[str, Any]]] = []
            seen: set[int] = set()
            for top in self.nodes:
                for inner in _walk(top):
                    if id(inner) not in seen:
                        seen.add(id(inner))
                        walked.append((inner, types_of(inner), top))
            self._walked = walked
            self._walked_count = len(self.nodes)
        return self._walked

    def of_type(self, *names: str) -> list[dict[str, Any]]:
        """Nodes whose @type is one of `names` (schema.org local names), in page order."""
        wanted = set(names)
        return [inner for inner, types, _ in self._typed_nodes() if types & wanted]

    def of_type_with_source(self, *names: str) -> list[tuple[dict[str, Any], str]]:
        """Like `of_type`, each node with where it came from ("json-ld", "microdata", "rdfa")."""
        wanted = set(names)
        return [
            (inner, self.source_of.get(id(top), "json-ld"))
            for inner, types, top in self._typed_nodes()
            if types & wanted
        ]

    def element_for(self, node: dict[str, Any]) -> Tag | None:
        """The element the top-level node holding `node` was read from (None if unknown)."""
        for inner, _, top in self._typed_nodes():
            if inner is node:
                return self.element_of.get(id(top))
        return None

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

    def reference(item: Any) -> bool:
        return isinstance(item, dict) and len(item) == 1 and "@id" in item and item["@id"] in by_id

    for node in nodes:
        for inner in _walk(node):
            for key, value in list(inner.items()):
                if isinstance(value, dict):
                    if reference(value):
                        inner[key] = by_id[value["@id"]]
                elif isinstance(value, list) and any(reference(item) for item in value):
                    inner[key] = [by_id[item["@id"]] if reference(item) else item for item in value]


# --- microdata and RDFa (through extruct) ------------------------------------------------------


def _local_key(key: str) -> str:
    """'https://schema.org/price' -> 'price' (RDFa gives full property IRIs)."""
    return local_type(key).rsplit("#", 1)[-1]


def _from_microdata(item: dict[str, Any]) -> dict[str, Any]:
    """extruct's microdata item ({"type", "properties"}) as a plain node with "@type"."""
    node: dict[str, Any] = {}
    kind = item.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
    if kinds:
        local = [local_type(k) for k in kinds]
        node["@type"] = local[0] if len(local) == 1 else local
    properties = item.get("properties")
    for key, value in properties.items() if isinstance(properties, dict) else []:
        values = value if isinstance(value, list) else [value]
        converted = [_from_microdata(v) if isinstance(v, dict) else v for v in values]
        node[key] = converted[0] if len(converted) == 1 else converted
    return node


def _from_rdfa(graph: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """extruct's RDFa (expanded JSON-LD: full IRIs, {"@value"}, {"@id"} links) as plain nodes,
    linked nodes nested where they are referenced; the nodes nobody references are returned."""
    by_id: dict[str, dict[str, Any]] = {}
    nodes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for raw in graph:
        if not isinstance(raw, dict) or "@type" not in raw:
            continue
        node: dict[str, Any] = {}
        kinds = [local_type(k) for k in raw.get("@type", []) if isinstance(k, str)]
        node["@type"] = kinds[0] if len(kinds) == 1 else kinds
        if isinstance(raw.get("@id"), str):
            by_id[raw["@id"]] = node
        nodes.append((raw, node))
    referenced: set[int] = set()
    for raw, node in nodes:
        for key, values in raw.items():
            if key.startswith("@") or not isinstance(values, list):
                continue
            converted: list[Any] = []
            for value in values:
                if not isinstance(value, dict):
                    continue
                if "@value" in value:
                    converted.append(value["@value"])
                elif isinstance(value.get("@id"), str):
                    target = by_id.get(value["@id"])
                    if target is not None and target is not node:
                        referenced.add(id(target))
                        converted.append(target)
                    else:
                        converted.append(value["@id"])
            if converted:
                node[_local_key(key)] = converted[0] if len(converted) == 1 else converted
    return [node for _, node in nodes if id(node) not in referenced]


def rdfa_fragment(root: Tag) -> str:
    """A small document holding the RDFa product `root` and the vocabulary it is read with.

    pyRdfa walks every node of the document it is given in Python, half a second on a large
    page; the product's own subtree, with the `vocab`/`prefix` of its ancestors carried over,
    says the same.
    """
    context: dict[str, str] = {}
    node: Any = root
    while isinstance(node, Tag):
        for key in ("vocab", "prefix"):
            value = node.get(key)
            if isinstance(value, str) and key not in context:
                context[key] = value
        node = node.parent
    attributes = " ".join(f'{key}="{html_escape(value)}"' for key, value in context.items())
    return f"<html><head></head><body><div {attributes}>{root}</div></body></html>"


def read_tree_markup(
    source: str, base_url: str | None, microdata: bool, rdfa_source: str | None = None
) -> tuple[list[tuple[dict[str, Any], str]], list[str]]:
    """Microdata and RDFa items, read by extruct from lxml trees.

    Microdata comes from one lxml tree of the page source: a second parse, but lxml's alone
    costs a few per cent of BeautifulSoup's, and it is made only when the page walk saw
    itemscope attributes. RDFa comes from `rdfa_source`, the product's fragment.
    """
    items: list[tuple[dict[str, Any], str]] = []
    problems: list[str] = []
    if microdata:
        from extruct.utils import parse_html
        from extruct.w3cmicrodata import MicrodataExtractor

        try:
            tree = parse_html(source.encode("utf-8", "replace"), encoding="UTF-8")
            for item in MicrodataExtractor().extract_items(tree, base_url):
                items.append((_from_microdata(item), "microdata"))
        except Exception as exc:  # lxml refuses some documents; extruct raises on bad itemrefs
            problems.append(f"microdata could not be read: {type(exc).__name__}: {exc}")
    if rdfa_source is not None:
        # Imported here: pages without RDFa products (nearly all) never load rdflib.
        from extruct.rdfa import RDFaExtractor
        from extruct.utils import parse_xmldom_html

        try:
            document = parse_xmldom_html(rdfa_source.encode("utf-8", "replace"), "UTF-8")
            graph = RDFaExtractor().extract_items(document, base_url or "")
            items.extend((node, "rdfa") for node in _from_rdfa(list(graph)))
        except Exception as exc:  # pyRdfa raises on broken prefixes and the like
            problems.append(f"RDFa could not be read: {type(exc).__name__}: {exc}")
    return items, problems


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
    metas: list[Tag],
    source: str = "",
    microdata: Tag | None = None,
    rdfa: Tag | None = None,
    base_url: str | None = None,
) -> StructuredData:
    """Read the page's structured data from the elements the page walk collected.

    `microdata` is the first itemscope element and `rdfa` the first RDFa element typed as a
    product or offer (None when the page has none): only then is extruct called.
    """
    data = StructuredData()
    for script in json_ld_scripts:
        raw = script.string if script.string is not None else script.get_text()
        try:
            values = _parse_json_ld(str(raw))
        except ValueError as exc:
            data.errors.append(StructuredError(script, f"broken JSON-LD: {exc}"))
            continue
        for node in _expand(values):
            data.nodes.append(node)
            data.element_of[id(node)] = script
    _resolve_ids(data.nodes)
    if microdata is not None or rdfa is not None:
        fragment = rdfa_fragment(rdfa) if rdfa is not None else None
        items, problems = read_tree_markup(source, base_url, microdata is not None, fragment)
        where = microdata if microdata is not None else rdfa
        assert where is not None
        for item, syntax in items:
            data.nodes.append(item)
            data.source_of[id(item)] = syntax
            data.element_of[id(item)] = (microdata if syntax == "microdata" else rdfa) or where
        data.errors.extend(StructuredError(where, problem) for problem in problems)
    data.opengraph = _opengraph(metas)
    return data
