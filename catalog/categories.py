"""Which of the municipality's categories a supplier's item belongs in.

Suppliers classify their items their own way: a category of their own in the catalogue file,
and a UNSPSC code. The procurement office chooses the municipality's category for a group of
one supplier's items (a supplier category, or a UNSPSC segment, family, class or commodity),
and Rekvi remembers it for the supplier's next catalogues (`CategoryMapping`). Where nobody
has chosen, Rekvi suggests one: first by UNSPSC (the category whose UNSPSC code the item's
falls under), then by name (the supplier's category is the category's name or code).
Choosing is a service (`catalog.services.categories`); this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from catalog.models import Category, CategoryMapping
from catalog.search.analysis import fold

#: The UNSPSC levels, as the number of significant digits: commodity, class, family, segment.
UNSPSC_LEVELS = (8, 6, 4, 2)


class How(StrEnum):
    """How an item's category was found."""

    CHOSEN = "chosen"  # the procurement office chose it for the group
    BY_UNSPSC = "unspsc"  # suggested: the category's UNSPSC code covers the item's
    BY_NAME = "name"  # suggested: the supplier's category is the category's name or code
    NONE = ""


def supplier_category_key(text: str) -> str:
    """A supplier's category as compared: folded, lower case, single spaces, at most 60
    characters (what a mapping keeps)."""
    return " ".join(fold(text).split())[:60]


def unspsc_key(code: str) -> str:
    """A UNSPSC code's significant digits: 44121700 -> 441217 (a class), 44120000 -> 4412."""
    code = code.strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


@dataclass
class CategoryResolver:
    """Finds the category of one supplier's items: what was chosen for their group, else a
    suggestion. Built once per import or mapping change; answers from memory."""

    chosen_by_category: dict[str, int]
    chosen_by_unspsc: dict[str, int]
    suggested_by_unspsc: dict[str, int]
    suggested_by_name: dict[str, int]
    _known: dict[tuple[str, str], tuple[int | None, How]] = field(default_factory=dict)

    def all_ids(self) -> set[int]:
        """Every category the resolver can answer."""
        return {
            *self.chosen_by_category.values(),
            *self.chosen_by_unspsc.values(),
            *self.suggested_by_unspsc.values(),
            *self.suggested_by_name.values(),
        }

    def resolve(self, supplier_category: str, unspsc: str) -> tuple[int | None, How]:
        """The category id (None if none is found) and how it was found."""
        known = self._known.get((supplier_category, unspsc))
        if known is not None:
            return known
        found = self._find(supplier_category, unspsc)
        self._known[(supplier_category, unspsc)] = found
        return found

    def _find(self, supplier_category: str, unspsc: str) -> tuple[int | None, How]:
        key = supplier_category_key(supplier_category) if supplier_category else ""
        if key and key in self.chosen_by_category:
            return self.chosen_by_category[key], How.CHOSEN
        prefixes = [unspsc[:level] for level in UNSPSC_LEVELS if len(unspsc) >= level]
        for prefix in prefixes:
            if prefix in self.chosen_by_unspsc:
                return self.chosen_by_unspsc[prefix], How.CHOSEN
        for prefix in prefixes:
            if prefix in self.suggested_by_unspsc:
                return self.suggested_by_unspsc[prefix], How.BY_UNSPSC
        if key and key in self.suggested_by_name:
            return self.suggested_by_name[key], How.BY_NAME
        return None, How.NONE


def category_resolver_for(*, supplier_id: int, municipality_id: int) -> CategoryResolver:
    """The resolver of one supplier's items, with the municipality's categories and the
    mappings chosen for the supplier."""
    chosen_by_category: dict[str, int] = {}
    chosen_by_unspsc: dict[str, int] = {}
    for source, key, category_id in CategoryMapping.objects.filter(
        supplier_id=supplier_id
    ).values_list("source", "key", "category_id"):
        target = (
            chosen_by_category
            if source == CategoryMapping.Source.SUPPLIER_CATEGORY
            else chosen_by_unspsc
        )
        target[key] = category_id
    suggested_by_unspsc: dict[str, int] = {}
    suggested_by_name: dict[str, int] = {}
    shared: set[str] = set()
    for pk, code, name, unspsc in Category.objects.filter(
        municipality_id=municipality_id
    ).values_list("pk", "code", "name", "unspsc_code"):
        if unspsc:
            key = unspsc_key(unspsc)
            if suggested_by_unspsc.setdefault(key, pk) != pk:
                shared.add(key)
        suggested_by_name.setdefault(supplier_category_key(name), pk)
        suggested_by_name.setdefault(supplier_category_key(code), pk)
    for key in shared:  # two categories with one UNSPSC code: a person chooses, Rekvi does not
        del suggested_by_unspsc[key]
    return CategoryResolver(
        chosen_by_category, chosen_by_unspsc, suggested_by_unspsc, suggested_by_name
    )
