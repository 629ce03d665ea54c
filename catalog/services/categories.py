"""Choosing the municipality's category for groups of a supplier's items (see
catalog.categories for how an item's category is found), and moving the items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.categories import (
    UNSPSC_LEVELS,
    CategoryResolver,
    category_resolver_for,
    supplier_category_key,
    unspsc_key,
)
from catalog.models import (
    CatalogueChange,
    CatalogueImport,
    Category,
    CategoryMapping,
    Product,
    Supplier,
)
from catalog.search.analysis import Analyzer
from catalog.search.vocabulary import analyzer_for
from catalog.selectors import ASSORTMENT_ROLES, catalogue_import_uncategorised
from catalog.services.catalogue import search_fields_set
from core.errors import ApplicationError
from org.models import User
from org.selectors import user_has_role


class CategoryMappingErrorCode(StrEnum):
    NOT_ALLOWED = "category_mapping_not_allowed"
    BAD_GROUP = "category_mapping_bad_group"
    BAD_CATEGORY = "category_mapping_bad_category"
    CHANGED = "category_mapping_changed"


class CategoryMappingError(ApplicationError):
    pass


@dataclass(frozen=True)
class GroupChoice:
    """The category chosen for one group of a supplier's items; None: no choice (the
    suggestion, if any, applies again). With `check_previous`, the choice is refused unless
    the group's chosen category is still `previous_id` (what the person saw)."""

    source: str  # CategoryMapping.Source
    key: str  # the supplier's category (as written) or a UNSPSC code's significant digits
    category_id: int | None
    previous_id: int | None = None
    check_previous: bool = False


def _may_curate(user: User, municipality_id: int) -> bool:
    return user.municipality_id == municipality_id and user_has_role(
        user=user, roles=ASSORTMENT_ROLES
    )


@dataclass(frozen=True)
class MappingOutcome:
    """What choosing categories changed: the mappings, and the items that moved (live, and
    in imports awaiting approval)."""

    chosen: int
    cleared: int
    items_moved: int


@transaction.atomic
def category_mapping_choose(
    *, supplier: Supplier, by: User, choices: Sequence[GroupChoice]
) -> MappingOutcome:
    """Choose (or clear) the municipality's category for groups of a supplier's items, and
    move the items in each group: the supplier's live items and the new and changed items of
    its imports awaiting approval, but not an item whose category a person chose for it.
    Raises CategoryMappingError(NOT_ALLOWED, BAD_GROUP, BAD_CATEGORY, CHANGED); then nothing
    changes."""
    supplier_id, municipality_id = supplier.pk, supplier.municipality_id
    if not _may_curate(by, municipality_id):
        raise CategoryMappingError(
            CategoryMappingErrorCode.NOT_ALLOWED,
            _("Only a procurement officer can choose categories."),
        )
    categories = set(
        Category.objects.filter(municipality_id=municipality_id).values_list("pk", flat=True)
    )
    before = category_resolver_for(supplier_id=supplier_id, municipality_id=municipality_id)
    chosen = cleared = 0
    for choice in choices:
        key = _choice_key(choice)
        if choice.check_previous:
            now = (
                before.chosen_by_category
                if choice.source == CategoryMapping.Source.SUPPLIER_CATEGORY
                else before.chosen_by_unspsc
            ).get(key)
            if now != choice.previous_id:
                raise CategoryMappingError(
                    CategoryMappingErrorCode.CHANGED,
                    _(
                        "The category of “%(group)s” was changed by someone else in the "
                        "meantime. Nothing was saved: look at the page again."
                    )
                    % {"group": choice.key},
                    field=f"group-{choice.source}-{choice.key}",
                )
        if choice.category_id is None:
            cleared += CategoryMapping.objects.filter(
                supplier_id=supplier_id, source=choice.source, key=key
            ).delete()[0]
            continue
        if choice.category_id not in categories:
            raise CategoryMappingError(
                CategoryMappingErrorCode.BAD_CATEGORY,
                _("Choose one of the municipality's categories."),
                field=f"group-{choice.source}-{choice.key}",
            )
        values = {"label": choice.key.strip()[:60], "category_id": choice.category_id}
        mappings = CategoryMapping.objects.filter(
            supplier_id=supplier_id, source=choice.source, key=key
        )
        if not mappings.update(**values, decided_by=by, updated_at=timezone.now()):
            try:
                with transaction.atomic():
                    CategoryMapping.objects.create(
                        municipality_id=municipality_id,
                        supplier_id=supplier_id,
                        source=choice.source,
                        key=key,
                        decided_by=by,
                        **values,
                    )
            except IntegrityError:  # chosen at the same moment by someone else: the last wins
                mappings.update(**values, decided_by=by, updated_at=timezone.now())
        chosen += 1
    after = category_resolver_for(supplier_id=supplier_id, municipality_id=municipality_id)
    analyzer = analyzer_for(municipality_id)  # the category's name is searched for too
    moved = _products_move(supplier_id, before, after, analyzer)
    moved += _pending_changes_move(supplier_id, before, after, analyzer)
    for pending in CatalogueImport.objects.filter(
        supplier_id=supplier_id, status=CatalogueImport.Status.READY
    ):
        CatalogueImport.objects.filter(pk=pending.pk).update(
            uncategorised=catalogue_import_uncategorised(catalogue_import=pending).count()
        )
    return MappingOutcome(chosen=chosen, cleared=cleared, items_moved=moved)


def _choice_key(choice: GroupChoice) -> str:
    if choice.source == CategoryMapping.Source.SUPPLIER_CATEGORY:
        key = supplier_category_key(choice.key)
        if key:
            return key[:60]
    elif choice.source == CategoryMapping.Source.UNSPSC:
        key = unspsc_key(choice.key)
        if key.isdigit() and len(key) in UNSPSC_LEVELS:
            return key
    raise CategoryMappingError(
        CategoryMappingErrorCode.BAD_GROUP,
        _("“%(group)s” is not a supplier category or a UNSPSC code.") % {"group": choice.key},
        field=f"group-{choice.source}-{choice.key}",
    )


def _moves(
    pairs: Iterable[tuple[str, str]], before: CategoryResolver, after: CategoryResolver
) -> dict[int | None, list[tuple[str, str]]]:
    """The (supplier category, UNSPSC) pairs whose category changes, by their new category."""
    moves: dict[int | None, list[tuple[str, str]]] = defaultdict(list)
    for pair in pairs:
        new = after.resolve(*pair)[0]
        if before.resolve(*pair)[0] != new:
            moves[new].append(pair)
    return moves


def _in_groups(groups: Sequence[tuple[str, str]], prefix: str = "") -> Q:
    found = Q()
    for supplier_category, unspsc in groups:
        found |= Q(
            **{f"{prefix}supplier_category": supplier_category, f"{prefix}unspsc_code": unspsc}
        )
    return found


def _products_move(
    supplier_id: int, before: CategoryResolver, after: CategoryResolver, analyzer: Analyzer
) -> int:
    """Move the supplier's live items whose group's category changed (one UPDATE per group
    batch), and work their search tokens out again (the category's name is searched for)."""
    products = Product.objects.filter(supplier_id=supplier_id, category_is_manual=False)
    pairs = products.values_list("supplier_category", "unspsc_code").distinct()
    moved: list[int] = []
    for new, groups in _moves(pairs, before, after).items():
        for start in range(0, len(groups), 200):
            which = products.filter(_in_groups(groups[start : start + 200]))
            if new is None:
                which = which.exclude(category__isnull=True)
            else:
                which = which.exclude(category_id=new)
            ids = list(which.values_list("pk", flat=True))
            Product.objects.filter(pk__in=ids).update(category_id=new)
            moved += ids
    for start in range(0, len(moved), 2000):
        batch = list(
            Product.objects.filter(pk__in=moved[start : start + 2000]).select_related("category")
        )
        for product in batch:
            search_fields_set(product, analyzer)
        Product.objects.bulk_update(batch, ["search_document"], batch_size=500)
    return len(moved)


def _pending_changes_move(
    supplier_id: int, before: CategoryResolver, after: CategoryResolver, analyzer: Analyzer
) -> int:
    """The new and changed items of the supplier's imports awaiting approval take the new
    choice when they are applied (and are searched by its name); the diff shows it. Returns
    how many items moved."""
    moved = 0
    changes = CatalogueChange.objects.filter(
        catalogue_import__supplier_id=supplier_id,
        catalogue_import__status=CatalogueImport.Status.READY,
        kind__in=(CatalogueChange.Kind.ADDED, CatalogueChange.Kind.CHANGED),
    ).filter(Q(product=None) | Q(product__category_is_manual=False))
    pairs = changes.values_list("supplier_category", "unspsc_code").distinct()
    names = dict(Category.objects.filter(pk__in=after.all_ids()).values_list("pk", "name"))
    for new, groups in _moves(pairs, before, after).items():
        for start in range(0, len(groups), 200):
            batch = list(
                changes.filter(_in_groups(groups[start : start + 200])).select_related("product")
            )
            for change in batch:
                change.new_category_id = new
                change.search_document = " ".join(
                    analyzer.document_tokens(
                        change.name, change.brand, names.get(new or 0, ""), change.description
                    )
                )
                change.is_word_change = True
                if change.kind == CatalogueChange.Kind.CHANGED and change.product is not None:
                    change.old_category_id = change.product.category_id
                    if "category," not in change.changed_fields:
                        change.changed_fields += "category,"
            moved += len(batch)
            CatalogueChange.objects.bulk_update(
                batch,
                [
                    "new_category_id",
                    "search_document",
                    "is_word_change",
                    "old_category_id",
                    "changed_fields",
                ],
                batch_size=500,
            )
    return moved
