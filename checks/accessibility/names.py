"""Accessible names, computed the way assistive technology computes them in the common cases.

A screen reader announces a control by its accessible name (W3C "Accessible Name and
Description Computation 1.2"). This module follows that algorithm's steps for what shop pages
use: ``aria-labelledby`` (its ids resolved, hidden targets included), ``aria-label``, the native
name (``<label for>`` and a wrapping ``<label>``, an image's ``alt``, an input button's
``value``, a field's ``placeholder``), the element's own text for roles named from content
(buttons, links, options, radios; an image inside counts by its ``alt``, an SVG by its
``<title>``) and finally ``title``. Text hidden from assistive technology (``hidden``,
``aria-hidden="true"``, ``display: none`` in a style attribute or a display-none class) adds
nothing; text that is only visually hidden (``sr-only``, ``visually-hidden``) does, unlike the
page's visible text, which is why this reads the tree and not `Page.text`.

CSS-generated content and names set by scripts after load are out of reach of a parsed page:
axe-core in a browser sees them.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from bs4 import Tag
from bs4.element import NavigableString, PreformattedString

from defenceline.checks.page import Page, class_text

__all__ = ["AccessibleNames", "names_for"]

# Classes that mean display:none (Bootstrap, Tailwind, Foundation, shop themes); "sr-only" and
# "visually-hidden" are left out on purpose: they hide text from the eye, not from a screen
# reader.
_DISPLAY_NONE_CLASSES = frozenset(
    ["hidden", "d-none", "is-hidden", "hide", "display-none", "u-hidden", "invisible"]
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NEVER_RENDERED = frozenset(["script", "style", "template", "noscript", "head", "title"])
# Roles (and elements) whose name comes from their content when nothing else names them.
_NAME_FROM_CONTENT_ROLES = frozenset(
    [
        "button",
        "link",
        "radio",
        "option",
        "checkbox",
        "switch",
        "tab",
        "menuitem",
        "menuitemradio",
        "menuitemcheckbox",
        "treeitem",
        "cell",
        "gridcell",
        "heading",
        "tooltip",
    ]
)
_NAME_FROM_CONTENT_TAGS = frozenset(
    ["button", "a", "label", "legend", "summary", "option", "th", "td", "caption", "figcaption"]
)
_FIELDS = frozenset(["input", "select", "textarea", "meter", "progress", "output"])
_DEPTH = 12


def _words(text: str) -> str:
    return " ".join(text.split())


class AccessibleNames:
    """Names and hidden-from-assistive-technology state for one page's elements, remembered."""

    def __init__(self, page: Page) -> None:
        # A weak reference: `_CACHE` is keyed weakly by the page, and a strong one here would
        # keep every page ever checked alive (and its whole tree for the garbage collector).
        self._page = weakref.ref(page)
        self._hidden: dict[int, bool] = {}
        self._labels_for: dict[str, list[Tag]] | None = None

    @property
    def page(self) -> Page:
        page = self._page()
        if page is None:  # pragma: no cover - the rules hold the page while they ask
            raise ReferenceError("the page these names belong to is gone")
        return page

    # --- hidden from assistive technology --------------------------------------------------

    @staticmethod
    def hides_itself(tag: Tag) -> bool:
        """Whether `tag`'s own attributes take it (and its subtree) out of the accessibility
        tree: `hidden`, aria-hidden="true", display:none or visibility:hidden inline, a
        display-none class, a closed <dialog>, an element never rendered."""
        if tag.name in _NEVER_RENDERED:
            return True
        attrs = tag.attrs
        if not attrs:
            return tag.name == "dialog"
        hidden = attrs.get("hidden")
        if hidden is not None and str(hidden).strip().lower() != "until-found":
            return True
        if str(attrs.get("aria-hidden") or "").strip().lower() == "true":
            return True
        style = attrs.get("style")
        if style and _HIDDEN_STYLE.search(str(style)):
            return True
        if tag.name == "dialog" and "open" not in attrs:
            return True  # a closed dialog is not rendered
        classes = class_text(tag)
        return bool(classes) and not _DISPLAY_NONE_CLASSES.isdisjoint(classes.split())

    def is_hidden(self, tag: Tag) -> bool:
        """Whether `tag` or an ancestor hides it from assistive technology."""
        path: list[Tag] = []
        node: Any = tag
        result = False
        while isinstance(node, Tag) and node.name != "[document]":
            known = self._hidden.get(id(node))
            if known is not None:
                result = known
                break
            path.append(node)
            if self.hides_itself(node):
                result = True
                break
            node = node.parent
        for seen in path:
            # Every element between `tag` and the answer shares it (the hiding one included).
            self._hidden[id(seen)] = result
        return result

    # --- labels ----------------------------------------------------------------------------

    def labels_of(self, control: Tag) -> list[Tag]:
        """The <label> elements of a form control: `<label for=id>` and a wrapping label."""
        if self._labels_for is None:
            self._labels_for = {}
            for label in self.page.elements("label"):
                target = label.get("for")
                if isinstance(target, str) and target.strip():
                    self._labels_for.setdefault(target.strip(), []).append(label)
        found: list[Tag] = []
        ident = control.get("id")
        if isinstance(ident, str) and ident.strip():
            found.extend(self._labels_for.get(ident.strip(), []))
        node: Any = control.parent
        for _ in range(_DEPTH):
            if not isinstance(node, Tag) or node.name in ("form", "body", "[document]"):
                break
            if node.name == "label":
                if node not in found:
                    found.append(node)
                break
            node = node.parent
        return found

    # --- the name --------------------------------------------------------------------------

    def name(self, tag: Tag) -> str:
        """The accessible name of `tag` ('' when it has none)."""
        return self._name(tag, referenced=False, depth=0)

    def _name(self, tag: Tag, referenced: bool, depth: int) -> str:
        if depth > _DEPTH:
            return ""
        attrs = tag.attrs
        labelledby = attrs.get("aria-labelledby")
        if labelledby and not referenced:
            parts = []
            for ident in str(labelledby).split():
                target = self.page.element_by_id(ident)
                if target is not None:
                    parts.append(self._name(target, referenced=True, depth=depth + 1))
            text = _words(" ".join(parts))
            if text:
                return text
        label = _words(str(attrs.get("aria-label") or ""))
        if label:
            return label
        native = self._native_name(tag, depth)
        if native:
            return native
        role = str(attrs.get("role") or "").strip().lower()
        if referenced or tag.name in _NAME_FROM_CONTENT_TAGS or role in _NAME_FROM_CONTENT_ROLES:
            content = self._content(tag, depth + 1)
            if content:
                return content
        return _words(str(attrs.get("title") or ""))

    def _native_name(self, tag: Tag, depth: int) -> str:
        """Step 2E of the algorithm: what the host language names the element by."""
        name = tag.name
        attrs = tag.attrs
        if name == "img" or name == "area":
            return _words(str(attrs.get("alt") or ""))
        if name == "svg":
            title = tag.find("title")
            return _words(title.get_text(" ")) if isinstance(title, Tag) else ""
        if name not in _FIELDS:
            return ""
        kind = str(attrs.get("type") or "text").strip().lower() if name == "input" else ""
        if kind in ("submit", "reset", "button"):
            value = _words(str(attrs.get("value") or ""))
            # A submit or reset button without a value is still announced ("Submit").
            return value or {"submit": "Submit", "reset": "Reset"}.get(kind, "")
        if kind == "image":
            return _words(str(attrs.get("alt") or attrs.get("value") or ""))
        labelled = _words(
            " ".join(
                self._content(label, depth + 1, skip=tag)
                for label in self.labels_of(tag)
                if not self.is_hidden(label)
            )
        )
        if labelled:
            return labelled
        if name in ("input", "textarea"):
            return _words(str(attrs.get("placeholder") or ""))
        return ""

    def _content(self, tag: Tag, depth: int, skip: Tag | None = None) -> str:
        """The name from content: the text of `tag`'s subtree as a screen reader reads it."""
        if depth > _DEPTH:
            return ""
        parts: list[str] = []
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):
                    parts.append(str(child))
                continue
            if not isinstance(child, Tag) or child is skip or self.hides_itself(child):
                continue
            if child.name in ("input", "select", "textarea"):
                parts.append(" " + self._embedded_value(child) + " ")
                continue
            label = _words(str(child.get("aria-label") or ""))
            if label:
                parts.append(" " + label + " ")
            elif child.name in ("img", "area", "svg"):
                parts.append(" " + self._native_name(child, depth) + " ")
            else:
                parts.append(self._content(child, depth + 1, skip))
        return _words("".join(parts))

    @staticmethod
    def _embedded_value(control: Tag) -> str:
        """A control inside a label or button adds its value (a select its chosen option)."""
        if control.name == "select":
            options = control.find_all("option")
            chosen = next((o for o in options if o.has_attr("selected")), None)
            chosen = chosen or (options[0] if options else None)
            return _words(chosen.get_text(" ")) if isinstance(chosen, Tag) else ""
        if control.name == "textarea":
            return _words(control.get_text(" "))
        kind = str(control.get("type") or "text").lower()
        if kind in ("checkbox", "radio", "hidden", "file", "image"):
            return ""
        return _words(str(control.get("value") or ""))


_CACHE: weakref.WeakKeyDictionary[Page, AccessibleNames] = weakref.WeakKeyDictionary()


def names_for(page: Page) -> AccessibleNames:
    """The page's `AccessibleNames`, made once per page and shared by the rules."""
    names = _CACHE.get(page)
    if names is None:
        names = _CACHE[page] = AccessibleNames(page)
    return names
