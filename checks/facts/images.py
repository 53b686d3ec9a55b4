"""Product photos: how many distinct photos of the product the page shows, and how large.

Photos are the images in the smallest element around the buy button (or heading) that holds
any, leaving out icons, logos, payment badges, and the images of related products; every size
of the same photo ("-600x600", "_800x", "@2x", PrestaShop's id folders) counts once.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.facts.model import Facts, ProductImage
from defenceline.checks.page import Page, class_text

__all__ = ["read_images"]

_ICONISH = re.compile(
    r"(?:^|[/_.-])(?:icon|icons|logo|sprite|badge|flag|payment|pay|rating|star|spinner|"
    r"loader|placeholder|pixel|tracking|avatar|trustpilot|kiyoh|thuiswinkel)(?:$|[/_.-])",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"related|recommend|reco\b|reco-|upsell|up-sell|cross-?sell|also|similar|recent|viewed|suggest|"
    r"accessor|"
    r"aanbevolen|gerelateerd|anderen|empfehl|[äa]hnlich|suggestions|simili|relacionados|"
    r"header|footer|nav|menu|logo|review",
    re.IGNORECASE,
)
_LARGER_VERSION = re.compile(r"zoom|large|full|big|hi-?res|original", re.IGNORECASE)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_HEADING_CLASS = re.compile(r"heading|title|headline|\bh[1-6]\b", re.IGNORECASE)
_IMAGE_HREF = re.compile(r"\.(?:jpe?g|png|webp|avif)(?:$|\?)", re.IGNORECASE)
_GALLERY = re.compile(r"gallery|galerij|galerie|media", re.IGNORECASE)
_ID_SIZE_FOLDER = re.compile(
    r"^(\d+)-(?:[a-z]+_)?(?:default|large|medium|small|home|cart|thickbox|thumb)\w*$",
    re.IGNORECASE,
)
_SIZE_SUFFIX = re.compile(
    r"(?:[-_@](?:\d{2,4}x\d{0,4}|\d{2,4}w|small|medium|large|thumb(?:nail)?|xs|sm|md|lg|xl|"
    r"\dx))+(?=\.\w+$)|(?:_\d{2,4}x\d{0,4}(?:_crop_\w+)?)(?=\.\w+$)",
    re.IGNORECASE,
)


def _image_key(src: str) -> str:
    """One key for every size of the same photo ("-600x600", "_800x", "@2x" left out).

    Some platforms keep the photo's id in the folder and the same file name for every photo
    of a product (PrestaShop: /118-large_default/name.jpg, /119-small_default/name.jpg); the
    id then belongs to the key.
    """
    path = src.split("?")[0].split("#")[0]
    folder, _, name = path.rpartition("/")
    name = _SIZE_SUFFIX.sub("", name).lower()
    sized_folder = _ID_SIZE_FOLDER.match(folder.rpartition("/")[2])
    if sized_folder:
        return f"{sized_folder.group(1)}/{name}"
    return name


def _image_src(tag: Tag) -> str:
    for key in ("data-zoom-image", "data-large", "data-src", "data-lazy", "data-original", "src"):
        value = tag.get(key)
        if isinstance(value, str) and value.strip() and not value.startswith("data:image/gif"):
            return value.strip()
    srcset = tag.get("data-srcset") or tag.get("srcset")
    if isinstance(srcset, str) and srcset.strip():
        return srcset.split(",")[0].split()[0]
    return ""


def _image_size(tag: Tag) -> int | None:
    """The largest size (px) known for this photo; None when a larger version is linked."""
    for key, value in tag.attrs.items():
        # data-zoom-image, data-large_image, data-image-large-src, data-full...: a larger
        # version the gallery shows on click.
        if key.startswith("data-") and _LARGER_VERSION.search(key) and value:
            return None
    link: Any = tag.parent
    for _ in range(4):
        if not isinstance(link, Tag) or link.name == "a":
            break
        if link.name == "button":
            return None  # a thumbnail button: the gallery shows the photo larger on click
        link = link.parent
    if (
        isinstance(link, Tag)
        and link.name == "a"
        and _IMAGE_HREF.search(str(link.get("href") or ""))
    ):
        return None
    sizes: list[int] = []
    for key in ("width", "height"):
        value = str(tag.get(key) or "").strip().removesuffix("px")
        if value.isdigit():
            sizes.append(int(value))
    for key in ("srcset", "data-srcset"):
        srcset = tag.get(key)
        if isinstance(srcset, str):
            for candidate in srcset.split(","):
                bits = candidate.split()
                if len(bits) == 2 and bits[1].endswith("w") and bits[1][:-1].isdigit():
                    sizes.append(int(bits[1][:-1]))
    return max(sizes) if sizes else None


def _related_label(node: Tag, memo: dict[int, bool]) -> bool:
    """Whether an element's class, id or data attributes name other products (remembered per
    element: the images of one gallery share their ancestors)."""
    known = memo.get(id(node))
    if known is None:
        label = class_text(node)
        for key, value in node.attrs.items():
            if key in ("id", "data-testid", "aria-label"):
                label += f" {value}"
            elif key.startswith("data-"):
                label += f" {key}"  # data-related-products, data-recommendations
        known = memo[id(node)] = bool(_RELATED.search(label)) and not _GALLERY.search(label)
    return known


def _qualifies(page: Page, img: Tag, memo: dict[int, bool] | None = None) -> bool:
    src = _image_src(img)
    if not src or (src.startswith("data:") and len(src) < 200):
        return False
    if _ICONISH.search(src.split("?")[0]):
        return False
    size = _image_size(img)
    if size is not None and size < 80:
        return False
    if page.in_chrome(img):
        return False
    child: Any = img
    node: Any = img.parent
    heading_seen = False
    for _ in range(8):
        if not isinstance(node, Tag) or node.name in ("body", "main"):
            break
        if _related_label(node, memo if memo is not None else {}):
            return False
        if not heading_seen:
            # The nearest heading before this branch names what the images are: "You may
            # also like", "Das könnte Ihnen auch gefallen", "También te puede gustar".
            heading = _heading_before(child)
            if heading is not None:
                heading_seen = True
                if lexicon.RELATED_HEADING.search(page.text_of(heading)):
                    return False
        child = node
        node = node.parent
    return True


def _heading_before(tag: Tag) -> Tag | None:
    """The nearest heading among the few elements just before `tag` (same parent)."""
    sibling: Any = tag.previous_sibling
    for _ in range(6):
        if sibling is None:
            return None
        if isinstance(sibling, Tag) and (
            sibling.name in _HEADINGS or _HEADING_CLASS.search(class_text(sibling))
        ):
            return sibling
        sibling = sibling.previous_sibling
    return None


def _ancestor_ids(tag: Tag) -> set[int]:
    found: set[int] = set()
    node: Any = tag.parent
    while node is not None:
        found.add(id(node))
        node = node.parent
    return found


def _product_photos(page: Page) -> list[Tag]:
    """The photos in the smallest element around the buy button (or heading) that holds any.

    Each image's ancestors are listed once instead of searching subtrees, and the (costlier)
    test of whether an image is a product photo runs only on the images of the elements
    looked at, once per image: a page's hundred other images (menus, related products,
    payment badges) are mostly never tested.
    """
    every = page.elements("img")
    start: Tag | None = page.buy_button or page.main_heading
    if start is None:
        return [img for img in every if _qualifies(page, img)]
    tested: dict[int, bool] = {}
    memo: dict[int, bool] = {}

    def photos(candidates: list[Tag]) -> list[Tag]:
        found = []
        for img in candidates:
            verdict = tested.get(id(img))
            if verdict is None:
                verdict = tested[id(img)] = _qualifies(page, img, memo)
            if verdict:
                found.append(img)
        return found

    ancestors = [_ancestor_ids(img) for img in every]
    container: Any = start.parent
    while isinstance(container, Tag) and container.name not in ("html", "[document]"):
        here = id(container)
        inside = photos([img for img, up in zip(every, ancestors, strict=True) if here in up])
        if inside:
            parent = container.parent
            if isinstance(parent, Tag) and parent.name not in ("body", "html"):
                above = id(parent)
                more = photos(
                    [img for img, up in zip(every, ancestors, strict=True) if above in up]
                )
                if len(more) > len(inside) and len(page.text_of(parent)) < 2500:
                    return more
            return inside
        container = container.parent
    return []


def read_images(page: Page, facts: Facts, selectors: dict[str, str | None]) -> None:
    if selectors.get("images"):
        imgs = [img for img in page.soup.select(str(selectors["images"])) if img.name == "img"]
    else:
        imgs = _product_photos(page)
    groups: dict[str, ProductImage] = {}
    for img in imgs:
        src = _image_src(img)
        if not src:
            continue
        key = _image_key(src)
        alt = img.get("alt")
        size = _image_size(img)
        image = ProductImage(img, src, alt if isinstance(alt, str) else None, size)
        previous = groups.get(key)
        if previous is None:
            groups[key] = image
        elif (size or 0) > (previous.size or 0):
            alt_text = previous.alt if previous.alt and not image.alt else image.alt
            groups[key] = ProductImage(img, src, alt_text, size)
    facts.images = list(groups.values())
