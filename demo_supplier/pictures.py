"""Product pictures: a coloured square with the product's initials, as SVG. Generated, so the
demo needs no image files, fonts or network."""

from __future__ import annotations

import hashlib
from html import escape

from demo_supplier.catalogue import Product

SIZE = 240


def initials(name: str) -> str:
    """The first letters of the name's first two words that start with a letter."""
    letters = [word[0] for word in name.split() if word[0].isalpha()]
    return "".join(letters[:2]).upper() or "?"


def picture_svg(product: Product) -> str:
    """The product's picture as an SVG document."""
    hue = int(hashlib.sha256(product.sku.encode()).hexdigest()[:4], 16) % 360
    label = escape(product.name, quote=True)
    text = escape(initials(product.name))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{label}">'
        f'<rect width="{SIZE}" height="{SIZE}" rx="16" fill="hsl({hue}, 45%, 32%)"/>'
        f'<rect x="12" y="12" width="{SIZE - 24}" height="{SIZE - 24}" rx="10" fill="none" '
        f'stroke="hsl({hue}, 45%, 70%)" stroke-width="3"/>'
        f'<text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" '
        f'font-family="sans-serif" font-size="88" font-weight="700" fill="#ffffff">{text}</text>'
        "</svg>"
    )
