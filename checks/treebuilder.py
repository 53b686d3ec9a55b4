"""The page's one parse: lxml's HTML parser building a BeautifulSoup tree directly.

`BeautifulSoup(html, "lxml")` lets lxml (libxml2) parse and builds its tree from lxml's events;
two thirds of that time is Beautiful Soup's own Python layers per event (tag objects set up
attribute by attribute, a string container looked up for every piece of text, a tag stack with
counters). `parse_html` listens to the same lxml parser with the same options and builds the
same tree — the same classes, attributes, strings and links, node for node — with one small
target whose work per event is a dictionary copy and a few links: about a third of the time.

It follows `bs4.builder.LXMLTreeBuilder` and `BeautifulSoup.endData` / `object_was_parsed`
exactly (whitespace-only strings outside <pre> and <textarea> become one space or newline;
strings in <script>, <style>, <template>, <rt> and <rp> get their special classes; <meta>
charsets are substituted; the document's root has no `next_element`, as in Beautiful Soup).
`tests/test_checks_treebuilder.py` compares the two trees node by node on every page of the
corpora and on edge cases, so a Beautiful Soup release that builds differently fails there.
Anything unexpected (an end tag that does not close the innermost open tag) falls back to
Beautiful Soup itself, so the tree is never half built.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

__all__ = ["parse_html", "release"]

# Beautiful Soup's `BeautifulSoup.ASCII_SPACES`: a string of only these is whitespace.
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
# Links a new node gets from its place in the tree, not from the template.
_PER_NODE = (
    "parent",
    "previous_element",
    "next_element",
    "next_sibling",
    "previous_sibling",
    "contents",
    "attrs",
)
_new_tag = Tag.__new__
_new_string = str.__new__


class _Unbalanced(Exception):
    """lxml reported an end tag that is not the innermost open one (never seen; to be safe)."""


class _Target:
    """The lxml parser target: `start`, `end`, `data`, `comment`, `pi`, `doctype`, `close`."""

    def __init__(self, soup: BeautifulSoup) -> None:
        builder: Any = soup.builder  # lxml's builder (`active_namespace_prefixes` is its own)
        self.soup = soup
        self.builder = builder
        self.containers: dict[str, type[NavigableString]] = builder.string_containers
        self.preserve: set[str] = builder.preserve_whitespace_tags or set()
        # The lxml builder's attribute dictionary class (XMLAttributeDict): values from lxml
        # are always strings, so copying them in one go is what its __setitem__ would do.
        self.attribute_dict: Any = builder.attribute_dict_class
        # One set of per-tag-name attribute values, made by `Tag` itself for each name.
        self.templates: dict[str, dict[str, Any]] = {}
        self.stack: list[Tag] = [soup]
        self.current: Tag = soup
        self.last: Any = None  # the most recent node, in document order
        self.pending: list[str] = []
        self.preserving = 0  # open <pre> / <textarea> elements
        self.container_stack: list[str] = []  # open <script>, <style>, <template>...

    def _template(self, name: str) -> dict[str, Any]:
        builder = self.builder
        tag = Tag(
            self.soup,
            builder,
            name,
            None,
            None,
            self.attribute_dict(),
            namespaces=builder.active_namespace_prefixes[-1],
        )
        values = {key: value for key, value in tag.__dict__.items() if key not in _PER_NODE}
        values["next_element"] = None
        values["next_sibling"] = None
        self.templates[name] = values
        return values

    def _flush(self, cls: type[NavigableString] | None = None) -> None:
        """The text gathered since the last tag becomes one string (`BeautifulSoup.endData`)."""
        text = "".join(self.pending)
        self.pending = []
        if not self.preserving and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        if cls is None:
            cls = self.containers[self.container_stack[-1]] if self.container_stack else None
            cls = cls or NavigableString
        node: Any = _new_string(cls, text)
        values = node.__dict__
        values.update(hidden=False, next_element=None, next_sibling=None)
        self._attach(node, values)

    def _attach(self, node: Any, values: dict[str, Any]) -> None:
        """Link a new node as the last child of the open element and the next in the document
        (`PageElement.setup`, as Beautiful Soup does it while parsing)."""
        parent = self.current
        contents = parent.contents
        previous = self.last
        values["parent"] = parent
        values["previous_element"] = previous
        values["previous_sibling"] = contents[-1] if contents else None
        if previous is not None:
            previous.next_element = node
        if contents:
            contents[-1].next_sibling = node
        contents.append(node)
        self.last = node

    def start(self, name: str, attrib: dict[str, str]) -> None:
        if self.pending:
            self._flush()
        template = self.templates.get(name) or self._template(name)
        tag: Any = _new_tag(Tag)
        values = tag.__dict__
        values.update(template)
        values["attrs"] = self.attribute_dict(attrib)
        values["contents"] = []
        self._attach(tag, values)
        self.stack.append(tag)
        self.current = tag
        if name == "meta":
            self.builder.set_up_substitutions(tag)
        if name in self.preserve:
            self.preserving += 1
        if name in self.containers:
            self.container_stack.append(name)

    def end(self, name: str) -> None:
        if self.pending:
            self._flush()
        stack = self.stack
        if len(stack) <= 1:
            return
        if stack[-1].name != name:
            raise _Unbalanced(name)
        stack.pop()
        self.current = stack[-1]
        if name in self.preserve:
            self.preserving -= 1
        if name in self.containers:
            self.container_stack.pop()

    def data(self, text: str) -> None:
        self.pending.append(text)

    def comment(self, text: str) -> None:
        if self.pending:
            self._flush()
        self.pending.append(text)
        self._flush(Comment)

    def pi(self, target: str, data: str) -> None:
        if self.pending:
            self._flush()
        self.pending.append(target + " " + data)
        self._flush(ProcessingInstruction)

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        if self.pending:
            self._flush()
        self.pending.append(Doctype._string_for_name_and_ids(name, pubid, system))
        self._flush(Doctype)

    def close(self) -> None:
        if self.pending:
            self._flush()


def parse_html(html: str) -> BeautifulSoup:
    """`BeautifulSoup(html, "lxml", multi_valued_attributes=None)`, built in a third of the time.

    Class attributes stay strings (see `page.class_text`). The page's text must already be
    decoded (`decoding.decode_page`).
    """
    soup = BeautifulSoup("", "lxml", multi_valued_attributes=None)
    markup = html[1:] if html[:1] == "\ufeff" else html  # as Beautiful Soup drops a BOM
    target = _Target(soup)
    parser = etree.HTMLParser(target=target, recover=True)
    try:
        parser.feed(markup)
        parser.close()
    except (_Unbalanced, etree.ParserError, UnicodeError, LookupError):
        return BeautifulSoup(html, "lxml", multi_valued_attributes=None)
    return soup


def release(soup: BeautifulSoup) -> None:
    """Unlink every node of a tree that nothing will read again, so that reference counting
    frees it at once.

    A Beautiful Soup tree is a web of cycles (parents, siblings, next and previous elements)
    that only the cyclic garbage collector can free, and it does so by walking every object of
    it; emptying each node's attributes costs a fifth of that. Nothing may use the tree
    afterwards.
    """
    node: Any = soup.contents[0] if soup.contents else None
    while node is not None:
        following = node.next_element
        node.__dict__.clear()
        node = following
    soup.__dict__.clear()
