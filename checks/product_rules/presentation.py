"""Product presentation: enough large photos with meaningful alt text, and the specifications
that answer the questions a shopper of this kind of product asks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from defenceline.checks import lexicon
from defenceline.checks.facts import (
    main_product,
)
from defenceline.checks.product_rules.evidence import heading_or_button
from defenceline.checks.registry import Context, Hit, register
from defenceline.checks.structured import first_value

__all__: list[str] = []


_MEANINGLESS_ALT = re.compile(
    r"^(?:image|img|photo|foto|picture|pic|afbeelding|bild|immagine|imagen|product|"
    r"product ?(?:image|photo|foto)|productafbeelding|productfoto|produktbild|image produit|"
    r"immagine prodotto|imagen (?:del )?producto|untitled|thumbnail|thumb|banner|\d+|"
    r"[\w-]+\.(?:jpe?g|png|webp|gif|avif))$",
    re.IGNORECASE,
)


@register("product-images")
def product_images(ctx: Context) -> Iterator[Hit]:
    facts, config = ctx.facts, ctx.config
    images = facts.images
    if facts.image_count < config.min_images:
        yield Hit(
            f"the page shows {facts.image_count} product photo"
            f"{'' if facts.image_count == 1 else 's'}; at least {config.min_images} expected "
            "(several angles, in use, details)",
            images[0].element if images else heading_or_button(ctx),
        )
    for image in images:
        vector = image.src.lower().split("?")[0].endswith(".svg")
        if image.size is not None and image.size < config.min_image_px and not vector:
            yield Hit(
                f"photo is at most {image.size}px on its longest side; offer at least "
                f"{config.min_image_px}px (srcset or a zoom image) so colour and texture show",
                image.element,
            )
        alt = (image.alt or "").strip()
        if not alt:
            yield Hit("photo has no alt text describing it", image.element)
        elif len(alt) < 3 or _MEANINGLESS_ALT.match(alt):
            yield Hit(f"alt text {alt!r} says nothing about the photo", image.element)


def _has_spec(ctx: Context, key: str) -> bool:
    """Whether the page content (not the site chrome) names specification `key`."""
    page = ctx.page
    patterns = [lexicon.SPEC_KEYS[key]]
    if key in lexicon.SPEC_NUMBERS:
        patterns.append(lexicon.SPEC_NUMBERS[key])
    return any(
        not page.in_chrome(page.element_at(block.start + 1))
        for pattern in patterns
        for block in page.blocks_matching(pattern, 600)
    )


def _category(ctx: Context) -> str | None:
    chosen = main_product(ctx.page)
    if chosen is not None:
        category = first_value(chosen[0], "category")
        if isinstance(category, str) and category.strip():
            return category.strip()
        if isinstance(category, dict):
            name = first_value(category, "name")
            if isinstance(name, str):
                return name
    product_name = (ctx.facts.name or "").strip().lower()
    heading = ctx.page.text_of(ctx.page.main_heading).lower() if ctx.page.main_heading else ""
    for crumbs in ctx.page.structured.of_type("BreadcrumbList"):
        items = crumbs.get("itemListElement")
        if not isinstance(items, list) or len(items) < 2:
            continue
        names = []
        for item in items:
            if isinstance(item, dict):
                name = first_value(item, "name") or first_value(item.get("item"), "name")
                names.append(str(name).strip() if name else "")
        last = names[-1].lower()
        # The last crumb is the product itself on most shops; then the category is before it.
        if last and (last == product_name or last in heading or heading in last):
            return names[-2] or None
        return names[-1] or None
    return None


@register("product-specs")
def product_specs(ctx: Context) -> Iterator[Hit]:
    category = _category(ctx)
    required = ctx.config.required_for(category)
    if not required:
        return
    product = main_product(ctx.page)
    markup_keys: set[str] = set()
    if product is not None:
        node = product[0]
        if first_value(node, "width", "height", "depth", "size"):
            markup_keys.add("dimensions")
        if first_value(node, "weight"):
            markup_keys.add("weight")
        if first_value(node, "material"):
            markup_keys.add("material")
        if first_value(node, "color"):
            markup_keys.add("colour")
    missing = [key for key in required if key not in markup_keys and not _has_spec(ctx, key)]
    if missing:
        where = f" for category {category!r}" if category else ""
        yield Hit(
            f"no {', '.join(missing)} found on the page{where}; state them in the "
            "description or a specification table",
            heading_or_button(ctx),
        )
