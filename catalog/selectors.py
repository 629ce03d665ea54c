"""Reads of the catalogue, each scoped to what the acting person may see.

The assortment of a unit is decided by `AssortmentRule`s on the unit's line (the unit and the
units above it); see that model for the order in which rules decide.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Abs, Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from catalog.categories import category_resolver_for, supplier_category_key, unspsc_key
from catalog.models import (
    Agreement,
    AgreementLot,
    AgreementSupplier,
    AssortmentRule,
    CatalogueChange,
    CatalogueImport,
    Category,
    CategoryMapping,
    EcoLabel,
    EhandelPolicy,
    LotSupplier,
    Product,
    Supplier,
)
from catalog.search.backends import SearchTimeoutError as SearchTimeoutError  # for callers
from org.models import OrgUnit, Role, User
from org.selectors import (
    org_unit_is_visible,
    org_unit_list_actable,
    user_has_role,
    user_roles_for_unit,
)

#: Who curates assortments: procurement officers and the municipality's administrators.
ASSORTMENT_ROLES = frozenset({Role.ASSORTMENT_ADMIN, Role.MUNICIPALITY_ADMIN})


class NotVisibleError(LookupError):
    """The unit (or product) is not one the person may see; views answer 404."""


def product_orderable_q(*, on: date) -> Q:
    """Products that can be ordered from the catalogue on `on`: active, of an active supplier,
    on an agreement the municipality has joined and that is valid, and on a lot (if any) that is
    available to the municipality and that the supplier was awarded."""
    return Q(
        is_active=True,
        supplier__is_active=True,
        agreement__joined_on__lte=on,
        agreement__valid_from__lte=on,
        agreement__valid_to__gte=on,
    ) & (Q(lot__isnull=True) | Q(lot__is_available=True, lot__awards__supplier=F("supplier")))


def _rule_q(rule: AssortmentRule) -> Q:
    field = rule.target_field
    key = "pk" if field == "product" else f"{field}_id"
    return Q(**{key: getattr(rule, f"{field}_id")})


def assortment_rule_list_for_unit(
    *, unit: OrgUnit, with_targets: bool = False
) -> list[AssortmentRule]:
    """The rules in effect for `unit`, the deciding one first: nearest unit, then the most
    specific target. With `with_targets`, each rule's unit and target come along (for pages
    that name them); without, the query touches the rules alone (every search asks it)."""
    rules = AssortmentRule.objects.filter(
        municipality_id=unit.municipality_id, unit_id__in=unit.ancestor_ids
    )
    if with_targets:
        rules = rules.select_related("unit", "agreement", "supplier", "category", "product")
    depth = {pk: index for index, pk in enumerate(unit.ancestor_ids)}
    return sorted(rules, key=lambda rule: (-depth[rule.unit_id], -rule.specificity, rule.pk))


@dataclass(frozen=True)
class AssortmentFilter:
    """SQL expressions for one unit's assortment, for annotating a product queryset."""

    in_assortment: Case
    recommended: Q
    sustainable_choice: Q


def limits_by_category(rules: list[AssortmentRule]) -> bool:
    """Whether the rules limit the assortment by category: then an item without a category
    cannot be told in or out, and is left out until it has one (or a rule names it)."""
    return any(rule.category_id is not None for rule in rules)


def assortment_filter(*, rules: list[AssortmentRule]) -> AssortmentFilter:
    """The expressions for rules already in deciding order (`assortment_rule_list_for_unit`)."""
    include = AssortmentRule.Action.INCLUDE
    deciding = [When(_rule_q(rule), then=Value(rule.action == include)) for rule in rules]
    if limits_by_category(rules):
        named = [rule.product_id for rule in rules if rule.product_id is not None]
        unsure = Q(category__isnull=True) & ~Q(pk__in=named)
        deciding.insert(0, When(unsure, then=Value(False)))
    in_assortment = Case(*deciding, default=Value(False), output_field=BooleanField())

    def marked(flag: str) -> Q:
        marks = [_rule_q(r) for r in rules if r.action == include and getattr(r, flag)]
        return functools.reduce(operator.or_, marks) if marks else Q(pk__in=[])

    return AssortmentFilter(
        in_assortment=in_assortment,
        recommended=marked("is_recommended"),
        sustainable_choice=marked("is_sustainable_choice"),
    )


def _restricted_categories_q(roles: frozenset[Role]) -> Q:
    """Products of categories restricted to a role the person does not hold for the unit."""
    allowed = [role.value for role in roles]
    return Q(category__restricted_to_role__gt="") & ~Q(category__restricted_to_role__in=allowed)


class AssortmentAnnotations(TypedDict):
    in_assortment: bool
    is_recommended_here: bool
    is_sustainable_choice_here: bool


if TYPE_CHECKING:  # Python 3.11 cannot subscript it at run time
    ProductInAssortment = WithAnnotations[Product, AssortmentAnnotations]


def product_list_for_unit(*, user: User, unit: OrgUnit, on: date) -> QuerySet[ProductInAssortment]:
    """What `user` can order for `unit` on `on`: the unit's assortment, orderable products only,
    without categories restricted to roles the person lacks there. Annotated with
    `is_recommended_here` and `is_sustainable_choice_here`. Raises NotVisibleError if the person
    may not see the unit."""
    roles = user_roles_for_unit(user=user, unit=unit)
    # a role for an active unit of one's own municipality means seeing it: no second query
    sees_by_role = bool(roles) and unit.is_active and unit.municipality_id == user.municipality_id
    if not sees_by_role and not org_unit_is_visible(user=user, unit_id=unit.pk):
        raise NotVisibleError(unit.pk)
    expressions = assortment_filter(rules=assortment_rule_list_for_unit(unit=unit))
    return (
        Product.objects.filter(municipality_id=unit.municipality_id)
        .filter(product_orderable_q(on=on))
        .exclude(_restricted_categories_q(roles))
        .annotate(
            in_assortment=expressions.in_assortment,
            is_recommended_here=Case(
                When(expressions.recommended, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_sustainable_choice_here=Case(
                When(expressions.sustainable_choice | Q(is_sustainable=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .filter(in_assortment=True)
        .select_related("supplier", "agreement", "category")
    )


def supplier_list_for_unit(*, user: User, unit: OrgUnit, on: date) -> QuerySet[Supplier]:
    """The suppliers of the unit's assortment: those with an item `user` can order for the
    unit on `on` (whom a free-text order may go to), by name."""
    offered = product_list_for_unit(user=user, unit=unit, on=on).values("supplier_id")
    return Supplier.objects.filter(
        municipality_id=unit.municipality_id, pk__in=offered, is_active=True
    ).order_by("name")


class BuyingRules:
    """What a person may buy for a unit where the item is not in the catalogue (a web shop's
    returned line): by the supplier's agreements in force, the unit's assortment rules on
    agreements, suppliers and categories, and the categories restricted to roles the person
    lacks there. Built once per punch-out, list of web shops or checkout: `load` reads what it
    needs for any number of suppliers in four queries."""

    def __init__(self, *, user: User, unit: OrgUnit, on: date) -> None:
        self.unit = unit
        self.on = on
        self.roles = user_roles_for_unit(user=user, unit=unit)
        self.rules = [
            rule for rule in assortment_rule_list_for_unit(unit=unit) if rule.product_id is None
        ]
        self._agreements: dict[int, list[int]] = {}
        self._shop: dict[int, tuple[list[Category], list[Category]]] = {}

    def load(self, suppliers: Iterable[Supplier]) -> None:
        """Read the agreements and the categories sold of these suppliers at once."""
        wanted = {supplier.pk: supplier for supplier in suppliers}
        if not wanted:
            return
        links = set(
            AgreementSupplier.objects.filter(supplier_id__in=wanted).values_list(
                "supplier_id", "agreement_id"
            )
        ) | set(
            LotSupplier.objects.filter(supplier_id__in=wanted).values_list(
                "supplier_id", "lot__agreement_id"
            )
        )
        in_force = {
            agreement.pk
            for agreement in Agreement.objects.filter(pk__in={pk for _s, pk in links})
            if agreement.is_in_force(self.on)
        }
        agreements: dict[int, list[int]] = {pk: [] for pk in wanted}
        for supplier_id, agreement_id in sorted(links):
            if agreement_id in in_force:
                agreements[supplier_id].append(agreement_id)
        self._agreements.update(agreements)
        sold = (
            Product.objects.filter(agreement_id__in=in_force, is_active=True)
            .exclude(category=None)
            .values_list("supplier_id", "agreement_id", "category_id")
            .distinct()
        )
        own: dict[int, set[int]] = defaultdict(set)
        on_agreement: dict[int, set[int]] = defaultdict(set)
        for supplier_id, agreement_id, category_id in sold:
            on_agreement[agreement_id].add(category_id)
            if supplier_id in wanted:
                own[supplier_id].add(category_id)
        categories = Category.objects.in_bulk({pk for ids in on_agreement.values() for pk in ids})
        for supplier_id, supplier in wanted.items():
            ids = own[supplier_id] or {
                pk for agreement_id in agreements[supplier_id] for pk in on_agreement[agreement_id]
            }
            covered = sorted((categories[pk] for pk in ids), key=lambda category: category.name)
            self._shop[supplier_id] = (
                covered,
                [category for category in covered if self.category_refusal(supplier, category)],
            )

    def agreements(self, supplier: Supplier) -> list[int]:
        """The supplier's agreements in force on the day."""
        if supplier.pk not in self._agreements:
            self.load([supplier])
        return self._agreements[supplier.pk]

    def _decides(self, supplier_id: int, agreement_id: int, category_id: int | None) -> bool:
        """The deciding rule's word for an item of the supplier on the agreement in the
        category (None: not known), the rules on single items aside."""
        keys = {"agreement": agreement_id, "supplier": supplier_id, "category": category_id}
        for rule in self.rules:
            field = rule.target_field
            if keys[field] is not None and getattr(rule, f"{field}_id") == keys[field]:
                return rule.action == AssortmentRule.Action.INCLUDE
        return False

    def category_refusal(self, supplier: Supplier, category: Category) -> str:
        """Why the person may not buy an item of the category from the supplier for the unit;
        '' if they may."""
        if category.restricted_to_role and category.restricted_to_role not in self.roles:
            return _("Category %(category)s is bought only by a %(role)s.") % {
                "category": category.name,
                "role": Role(category.restricted_to_role).label.lower(),
            }
        if not any(
            self._decides(supplier.pk, agreement_id, category.pk)
            for agreement_id in self.agreements(supplier)
        ):
            return _("Category %(category)s is not in the assortment of %(unit)s.") % {
                "category": category.name,
                "unit": self.unit.name,
            }
        return ""

    def shop_categories(self, supplier: Supplier) -> tuple[list[Category], list[Category]]:
        """The categories the supplier's web shop sells in (of its items on its agreements;
        else of every item on them) and those of them the person may not buy."""
        if supplier.pk not in self._shop:
            self.load([supplier])
        return self._shop[supplier.pk]

    def offers_shop(self, supplier: Supplier) -> bool:
        """Whether the person may shop in the supplier's web shop for the unit: it is on an
        agreement in force, and the person may buy in at least one of its categories (where
        they are not known, the unit's rules on the agreement or supplier decide)."""
        agreements = self.agreements(supplier)
        if not agreements:
            return False
        covered, forbidden = self.shop_categories(supplier)
        if covered:
            return len(forbidden) < len(covered)
        return any(self._decides(supplier.pk, agreement_id, None) for agreement_id in agreements)


@dataclass(frozen=True)
class AssortmentVerdict:
    """Whether a product is in a unit's assortment, and why: the deciding rule, if any."""

    product: Product
    is_visible: bool
    rule: AssortmentRule | None
    is_orderable: bool
    #: left out because it has no category where the unit's assortment is limited by category
    is_uncategorised_left_out: bool = False


def assortment_explain(
    *, rules: list[AssortmentRule], products: list[Product], on: date
) -> list[AssortmentVerdict]:
    """The verdict for each product under `rules` (in deciding order), computed in Python."""
    orderable_ids = set(
        Product.objects.filter(pk__in=[p.pk for p in products])
        .filter(product_orderable_q(on=on))
        .values_list("pk", flat=True)
    )
    by_category = limits_by_category(rules)
    verdicts = []
    for product in products:
        rule = next((rule for rule in rules if rule.matches(product)), None)
        unsure = (
            by_category
            and product.category_id is None
            and (rule is None or rule.product_id is None)
        )
        verdicts.append(
            AssortmentVerdict(
                product=product,
                is_visible=(
                    not unsure and rule is not None and rule.action == AssortmentRule.Action.INCLUDE
                ),
                rule=rule,
                is_orderable=product.pk in orderable_ids,
                is_uncategorised_left_out=unsure,
            )
        )
    return verdicts


def assortment_unit_get(*, user: User, unit_id: int) -> OrgUnit:
    """A unit whose assortment `user` may administer: procurement officers and administrators
    reaching it. Raises NotVisibleError otherwise."""
    try:
        return (
            org_unit_list_actable(user=user, roles=ASSORTMENT_ROLES)
            .select_related("parent")
            .get(pk=unit_id)
        )
    except OrgUnit.DoesNotExist as exc:
        raise NotVisibleError(unit_id) from exc


def assortment_product_page(
    *, unit: OrgUnit, text: str, offset: int, limit: int
) -> tuple[list[Product], int]:
    """Products of the unit's municipality for the assortment overview, by name, those matching
    `text` (analysed as in search, so "ærter" finds "Ærter", or an item number or GTIN) if
    given; and how many match in all."""
    from catalog.search.backends import backend, known_tokens
    from catalog.search.query import analyze_query
    from catalog.search.vocabulary import analyzer_for

    products = Product.objects.filter(municipality_id=unit.municipality_id)
    if text.strip():
        search_backend = backend()
        query = analyze_query(
            text.strip(),
            analyzer=analyzer_for(unit.municipality_id),
            known=lambda tokens: known_tokens(unit.municipality_id, tokens),
            similar=lambda word: search_backend.similar_terms(unit.municipality_id, word),
        )
        matching = search_backend.filter_matching(products, query, "all").values("pk")
        identifier = Q(item_number_key=query.item_number) if query.item_number else Q(pk__in=[])
        if query.gtin:
            identifier |= Q(gtin=query.gtin)
        products = products.filter(Q(pk__in=matching) | identifier)
    total = products.count()
    page = list(
        products.select_related("supplier", "agreement", "category").order_by("name", "pk")[
            offset : offset + limit
        ]
    )
    return page, total


@dataclass(frozen=True)
class CommodityArea:
    """An area on the e-handel policy page and the agreements in it."""

    name: str
    agreements: list[Agreement]


@dataclass(frozen=True)
class EhandelPolicyPage:
    introduction: str
    closing_text: str
    areas_ehandel: list[CommodityArea]
    areas_not_ehandel: list[CommodityArea]
    restricted_categories: list[Category]


def ehandel_policy_get(*, user: User, on: date) -> EhandelPolicyPage:
    """The municipality's e-handel policy, as generated from its agreements in force on `on`
    and the words its procurement officers wrote around it. Raises NotVisibleError for a
    person of no municipality."""
    municipality_id = user.municipality_id
    if municipality_id is None:
        raise NotVisibleError("no municipality")
    policy = EhandelPolicy.objects.filter(municipality_id=municipality_id).first()
    agreements = (
        Agreement.objects.filter(
            municipality_id=municipality_id,
            joined_on__lte=on,
            valid_from__lte=on,
            valid_to__gte=on,
        )
        .prefetch_related("lots__suppliers")
        .order_by("commodity_area", "number")
    )
    grouped: dict[tuple[bool, str], list[Agreement]] = defaultdict(list)
    for agreement in agreements:
        grouped[(agreement.is_ehandel_required, agreement.commodity_area)].append(agreement)

    def areas(ehandel: bool) -> list[CommodityArea]:
        return [
            CommodityArea(name=area, agreements=items)
            for (is_ehandel, area), items in sorted(grouped.items())
            if is_ehandel is ehandel
        ]

    return EhandelPolicyPage(
        introduction=policy.introduction if policy else "",
        closing_text=policy.closing_text if policy else "",
        areas_ehandel=areas(True),
        areas_not_ehandel=areas(False),
        restricted_categories=list(
            Category.objects.filter(municipality_id=municipality_id)
            .exclude(restricted_to_role="")
            .order_by("name")
        ),
    )


SEARCH_CANDIDATES = 100  # ranked in Python
#: Matches looked at for a frequent word: the shortest names among the first this many found
#: become the candidates, so that "papir" costs no more than "printerpapir".
SEARCH_POOL = 1000
SEARCH_RESULTS = 20


@dataclass(frozen=True)
class SearchFilters:
    """Facet choices: only products of these agreements, suppliers, categories, with this label."""

    agreement_ids: tuple[int, ...] = ()
    supplier_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    eco_label: str = ""


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    products: list[ProductInAssortment]
    total: int  # matches among the candidates (at most SEARCH_CANDIDATES)
    is_capped: bool
    corrections: dict[str, str]
    agreements: list[Facet]
    suppliers: list[Facet]
    categories: list[Facet]
    eco_labels: list[Facet]


def _facets(rows: list[dict[str, object]], key: str, label: str) -> list[Facet]:
    counts: dict[str, tuple[str, int]] = {}
    for row in rows:
        if row[key] is None:
            continue
        name, count = counts.get(str(row[key]), (str(row[label]), 0))
        counts[str(row[key])] = (name, count + 1)
    return sorted(
        (Facet(key=k, label=name, count=count) for k, (name, count) in counts.items()),
        key=lambda facet: (-facet.count, facet.label),
    )


def product_search(
    *,
    user: User,
    unit: OrgUnit,
    text: str,
    on: date,
    filters: SearchFilters | None = None,
    limit: int = SEARCH_RESULTS,
) -> SearchResult:
    """The products of `unit`'s assortment that `user` can order, best answers to `text` first.

    Analysis (Danish stemming, æ/ø/å folding, compounds, spelling correction) and ranking are
    shared Python; the database backend only finds candidates. An exact supplier item number
    or GTIN comes first. Raises NotVisibleError for a unit the person may not see, and
    SearchTimeoutError if the database takes longer than settings.SEARCH_STATEMENT_TIMEOUT_MS
    over one statement.
    """
    from catalog.search.backends import statement_timeout

    with statement_timeout(settings.SEARCH_STATEMENT_TIMEOUT_MS):
        return _product_search(
            user=user, unit=unit, text=text, on=on, filters=filters or SearchFilters(), limit=limit
        )


def _may_be_item_number(text: str, key: str) -> bool:
    """Whether to look the query up as a supplier item number: it has a digit ("FØ-0701",
    "bm 76447"), or it is typed as a code, one run with a dash, slash, dot or underscore
    ("ABC-XL"). A plain word ("kuvert") is not: one query less for most searches."""
    if any(char.isdigit() for char in key):
        return True
    typed = text.strip()
    return bool(typed) and " " not in typed and any(char in "-/._" for char in typed)


_SEARCH_FIELDS = (
    "id",
    "name",
    "brand",
    "description",
    "category__name",
    "item_number_key",
    "gtin",
    "is_recommended_here",
    "is_sustainable_choice_here",
    "agreement_id",
    "agreement__number",
    "agreement__title",
    "supplier_id",
    "supplier__name",
    "category_id",
    "eco_labels",
)


def _product_search(
    *, user: User, unit: OrgUnit, text: str, on: date, filters: SearchFilters, limit: int
) -> SearchResult:
    from catalog.search.backends import Mode, backend, known_tokens
    from catalog.search.query import analyze_query
    from catalog.search.ranking import Candidate, rank
    from catalog.search.vocabulary import analyzer_for

    municipality_id = unit.municipality_id
    analyzer = analyzer_for(municipality_id)
    search_backend = backend()
    query = analyze_query(
        text,
        analyzer=analyzer,
        known=lambda tokens: known_tokens(municipality_id, tokens),
        similar=lambda word: search_backend.similar_terms(municipality_id, word),
    )
    empty = SearchResult([], 0, False, query.corrections, [], [], [], [])
    if query.is_empty:
        return empty
    products = product_list_for_unit(user=user, unit=unit, on=on)
    if filters.agreement_ids:
        products = products.filter(agreement_id__in=filters.agreement_ids)
    if filters.supplier_ids:
        products = products.filter(supplier_id__in=filters.supplier_ids)
    if filters.category_ids:
        products = products.filter(category_id__in=filters.category_ids)
    if filters.eco_label:  # in the database, before candidates are capped
        products = products.filter(eco_labels__icontains=f'"{filters.eco_label}"')
    identifier = Q()
    if query.item_number and _may_be_item_number(text, query.item_number):
        identifier |= Q(item_number_key=query.item_number)
    if query.gtin:
        identifier |= Q(gtin=query.gtin)
    rows = list(products.filter(identifier).values(*_SEARCH_FIELDS)[:limit]) if identifier else []
    # The matches of the first mode that has any, in the order the database finds them (no
    # sort: a word in half the catalogue costs what a rare one does); of at most SEARCH_POOL
    # of them, the SEARCH_CANDIDATES with the shortest names are ranked.
    seen = {row["id"] for row in rows}
    found: list[dict[str, Any]] = []
    # an item number or GTIN found as typed needs no looser matches beside it
    modes: tuple[Mode, ...] = ("all",) if rows else ("all", "words", "any")
    for mode in modes:
        if mode == "words" and len(query.word_terms) == len(query.terms):
            continue
        matching = search_backend.filter_matching(products, query, mode)
        if matching.query.is_empty():
            continue
        try:
            pool_sql, pool_params = (
                matching.order_by()
                .annotate(name_length=Length("name"))
                .values_list("id", "name_length")[:SEARCH_POOL]
                .query.sql_with_params()
            )
        except EmptyResultSet:  # the filters can match nothing
            continue
        # the pool's SQL is Django's own, its values stay parameters
        shortest = RawSQL(  # noqa: S611
            f"SELECT pool.id FROM ({pool_sql}) AS pool "  # noqa: S608
            "ORDER BY pool.name_length, pool.id LIMIT %s",
            (*pool_params, SEARCH_CANDIDATES),
        )
        candidates_query = products.filter(pk__in=shortest).values(*_SEARCH_FIELDS)
        if mode == "all":
            found = list(candidates_query)
        else:
            with search_backend.through_index():
                found = list(candidates_query)
        if found:
            break
    rows += [row for row in found if row["id"] not in seen]
    if filters.eco_label:  # the JSON text matched; the list itself decides
        rows = [row for row in rows if filters.eco_label in (row["eco_labels"] or [])]
    candidates = [
        Candidate(
            id=int(row["id"]),
            name=str(row["name"]),
            other_text=" ".join(
                str(row[key] or "") for key in ("brand", "category__name", "description")
            ),
            item_number_key=str(row["item_number_key"]),
            gtin=str(row["gtin"]),
            is_recommended=bool(row["is_recommended_here"]),
            is_sustainable_choice=bool(row["is_sustainable_choice_here"]),
        )
        for row in rows
    ]
    ordered = rank(query, candidates, analyzer)
    ranked = [candidate for candidate, _score in ordered[:limit]]
    by_id = Product.objects.select_related("supplier", "agreement", "category").in_bulk(
        [candidate.id for candidate in ranked]
    )
    answers: list[ProductInAssortment] = []
    for candidate in ranked:
        product = by_id.get(candidate.id)
        if product is None:
            continue
        # the annotations of product_list_for_unit, known from the candidate's row
        product.in_assortment = True  # type: ignore[attr-defined]
        product.is_recommended_here = candidate.is_recommended  # type: ignore[attr-defined]
        product.is_sustainable_choice_here = candidate.is_sustainable_choice  # type: ignore[attr-defined]
        answers.append(product)  # type: ignore[arg-type]
    labels = dict(EcoLabel.choices)
    label_rows = [
        {"label": label, "name": str(labels.get(label, label))}
        for row in rows
        for label in (row["eco_labels"] or [])
    ]
    return SearchResult(
        products=answers,
        total=len(ordered),
        is_capped=len(found) >= SEARCH_CANDIDATES,
        corrections=query.corrections,
        agreements=_facets(rows, "agreement_id", "agreement__number"),
        suppliers=_facets(rows, "supplier_id", "supplier__name"),
        categories=_facets(rows, "category_id", "category__name"),
        eco_labels=_facets(label_rows, "label", "name"),
    )


# --- Catalogue imports -----------------------------------------------------------------------


def catalogue_import_list(*, user: User) -> QuerySet[CatalogueImport]:
    """The municipality's catalogue imports, newest first, for those who curate the catalogue
    (nothing for anyone else)."""
    if user.municipality_id is None or not user_has_role(user=user, roles=ASSORTMENT_ROLES):
        return CatalogueImport.objects.none()
    return CatalogueImport.objects.filter(municipality_id=user.municipality_id).select_related(
        "supplier", "agreement", "lot", "uploaded_by", "decided_by"
    )


def catalogue_import_get(*, user: User, import_id: int) -> CatalogueImport:
    """One import, if the person may see it. Raises NotVisibleError otherwise."""
    found = catalogue_import_list(user=user).filter(pk=import_id).first()
    if found is None:
        raise NotVisibleError(import_id)
    return found


def catalogue_change_list(
    *,
    catalogue_import: CatalogueImport,
    kind: str | None = None,
    price_changes: bool = False,
    price_jumps: bool = False,
) -> QuerySet[CatalogueChange]:
    """An import's diff: every new, gone and changed item with its old and new values; only
    one kind, only price changes (largest change first) or only likely misread prices, if
    asked."""
    changes = catalogue_import.changes.select_related("catalogue_import")
    if kind:
        changes = changes.filter(kind=kind)
    if price_jumps:
        changes = changes.filter(is_price_jump=True)
    if price_changes:
        changes = changes.filter(is_price_change=True).order_by(
            Abs("price_change_percent").desc(), "supplier_item_number"
        )
    return changes


#: What each field of CatalogueChange.changed_fields is called, and how its values are shown.
FIELD_LABELS = {
    "name": _("Name"),
    "description": _("Description"),
    "brand": _("Brand"),
    "gtin": _("GTIN (EAN)"),
    "unit_code": _("Unit"),
    "pack": _("Pack contents"),
    "unit_price": _("Price"),
    "currency": _("Currency"),
    "min_order_quantity": _("Minimum order quantity"),
    "unspsc_code": _("UNSPSC code"),
    "supplier_category": _("Supplier's category"),
    "category": _("Category"),
    "agreement": _("Agreement and lot"),
    "reactivated": _("Back in the catalogue"),
    "line_id": _("Catalogue line ID"),
}


#: The fields of a catalogue file, as people call them.
FILE_FIELD_LABELS = {
    "description": _("description"),
    "brand": _("brand"),
    "gtin": _("GTIN (EAN)"),
    "pack_quantity": _("pack contents"),
    "currency": _("currency"),
    "category": _("the supplier's category"),
    "unspsc_code": _("UNSPSC code"),
    "min_order_quantity": _("minimum order quantity"),
}


def catalogue_import_kept_fields(*, catalogue_import: CatalogueImport) -> list[str]:
    """The fields the import's file has no column for (live items keep them), named."""
    return [
        str(FILE_FIELD_LABELS[name])
        for name in catalogue_import.kept_fields
        if name in FILE_FIELD_LABELS
    ]


@dataclass(frozen=True)
class FieldChange:
    """One field of a changed item, before and after. `kind` says how to show the values:
    "text", "price", "quantity", "unit" or "pack" (a quantity and a unit)."""

    field: str
    label: str
    old: object
    new: object
    kind: str = "text"


@dataclass(frozen=True)
class ChangeRow:
    """An item of an import's diff, with each of its changed fields."""

    change: CatalogueChange
    fields: list[FieldChange]


def catalogue_change_rows(*, changes: Iterable[CatalogueChange]) -> list[ChangeRow]:
    """The changes (a page of them) with each changed field as old -> new; categories,
    agreements and lots named (one query each, whatever the number of rows)."""
    changes = list(changes)
    categories = _names(
        Category, [c.old_category_id for c in changes] + [c.new_category_id for c in changes]
    )
    agreements = _names(
        Agreement,
        [c.old_agreement_id for c in changes] + [c.catalogue_import.agreement_id for c in changes],
    )
    lots = _names(
        AgreementLot, [c.old_lot_id for c in changes] + [c.catalogue_import.lot_id for c in changes]
    )
    rows = []
    for change in changes:
        imported = change.catalogue_import
        values: dict[str, tuple[object, object, str]] = {
            "name": (change.old_name, change.name, "text"),
            "description": (change.old_description, change.description, "text"),
            "brand": (change.old_brand, change.brand, "text"),
            "gtin": (change.old_gtin, change.gtin, "text"),
            "unit_code": (change.old_unit_code, change.new_unit_code, "unit"),
            "pack": (
                (change.old_pack_quantity, change.old_pack_unit_code),
                (change.new_pack_quantity, change.new_pack_unit_code),
                "pack",
            ),
            "unit_price": (change.old_unit_price, change.new_unit_price, "price"),
            "currency": (change.old_currency, change.currency, "text"),
            "min_order_quantity": (
                change.old_min_order_quantity,
                change.min_order_quantity,
                "quantity",
            ),
            "unspsc_code": (change.old_unspsc_code, change.unspsc_code, "text"),
            "supplier_category": (
                change.old_supplier_category,
                change.supplier_category,
                "text",
            ),
            "category": (
                categories.get(change.old_category_id or 0, ""),
                categories.get(change.new_category_id or 0, ""),
                "text",
            ),
            "agreement": (
                _agreement_and_lot(agreements, lots, change.old_agreement_id, change.old_lot_id),
                _agreement_and_lot(agreements, lots, imported.agreement_id, imported.lot_id),
                "text",
            ),
            "reactivated": (_("retired"), _("active"), "text"),
            "line_id": (change.old_line_id, change.line_id, "text"),
        }
        fields = [
            FieldChange(name, str(FIELD_LABELS[name]), *values[name])
            for name in change.changed_fields.split(",")
            if name in values
        ]
        rows.append(ChangeRow(change, fields))
    return rows


def _names(
    model: type[Category | Agreement | AgreementLot], ids: list[int | None]
) -> dict[int, str]:
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return {row.pk: str(row) for row in model.objects.filter(pk__in=wanted)}


def _agreement_and_lot(
    agreements: dict[int, str], lots: dict[int, str], agreement_id: int | None, lot_id: int | None
) -> str:
    if lot_id:
        return lots.get(lot_id, "")
    return agreements.get(agreement_id or 0, "")


def catalogue_import_uncategorised(*, catalogue_import: CatalogueImport) -> QuerySet[Any]:
    """The import's items without a category, by item number: its new and changed items that
    get none, and the supplier's other live items on the agreement (and lot) that have none.
    Rows of (item number, name, supplier's category, UNSPSC code)."""
    columns = ("supplier_item_number", "name", "supplier_category", "unspsc_code")
    changes = catalogue_import.changes.all()
    pending = (
        changes.filter(kind__in=(CatalogueChange.Kind.ADDED, CatalogueChange.Kind.CHANGED))
        .filter(new_category_id=None)
        .filter(Q(product=None) | Q(product__category=None))
        .order_by()
        .values_list(*columns)
    )
    live = Product.objects.filter(
        supplier_id=catalogue_import.supplier_id,
        agreement_id=catalogue_import.agreement_id,
        is_active=True,
        category=None,
    ).filter(~Exists(changes.filter(product_id=OuterRef("pk"))))
    if catalogue_import.lot_id:
        live = live.filter(lot_id=catalogue_import.lot_id)
    return pending.union(live.order_by().values_list(*columns), all=True).order_by(
        "supplier_item_number"
    )


@dataclass(frozen=True)
class CategoryGroup:
    """A group of a supplier's items the procurement office can give a category: those in one
    of the supplier's own categories, or (where it names none) in one UNSPSC class; `source`
    is "" for the items that have neither. `now` says where its items are now: (category
    name, how it was found, items), most items first."""

    source: str
    key: str
    items: int
    chosen_id: int | None
    now: list[tuple[str, str, int]]


def supplier_get_for_curation(*, user: User, supplier_id: int) -> Supplier:
    """A supplier of the person's municipality, for those who curate the catalogue. Raises
    NotVisibleError otherwise."""
    if user.municipality_id is None or not user_has_role(user=user, roles=ASSORTMENT_ROLES):
        raise NotVisibleError(supplier_id)
    found = Supplier.objects.filter(municipality_id=user.municipality_id, pk=supplier_id).first()
    if found is None:
        raise NotVisibleError(supplier_id)
    return found


def category_list_for(*, supplier: Supplier) -> QuerySet[Category]:
    """The categories of the supplier's municipality, by name."""
    return Category.objects.filter(municipality_id=supplier.municipality_id).order_by("name")


def supplier_category_groups(*, supplier: Supplier) -> list[CategoryGroup]:
    """The groups of a supplier's items (its live items and the new ones of its imports
    awaiting approval), largest first, each with the category chosen for it and where its
    items are now. One query per source, whatever the number of items."""
    counted: dict[tuple[str, str, int | None, bool], int] = defaultdict(int)
    live = Product.objects.filter(supplier=supplier, is_active=True)
    for row in live.values(
        "supplier_category", "unspsc_code", "category_id", "category_is_manual"
    ).annotate(n=Count("pk")):
        key = (
            row["supplier_category"],
            row["unspsc_code"],
            row["category_id"],
            row["category_is_manual"],
        )
        counted[key] += row["n"]
    pending = CatalogueChange.objects.filter(
        catalogue_import__supplier=supplier,
        catalogue_import__status=CatalogueImport.Status.READY,
        kind=CatalogueChange.Kind.ADDED,
    )
    for row in pending.values("supplier_category", "unspsc_code", "new_category_id").annotate(
        n=Count("pk")
    ):
        counted[(row["supplier_category"], row["unspsc_code"], row["new_category_id"], False)] += (
            row["n"]
        )
    resolver = category_resolver_for(
        supplier_id=supplier.pk, municipality_id=supplier.municipality_id
    )
    chosen = {
        (mapping.source, mapping.key): mapping.category_id
        for mapping in CategoryMapping.objects.filter(supplier=supplier)
    }
    names = dict(
        Category.objects.filter(municipality_id=supplier.municipality_id).values_list("pk", "name")
    )
    groups: dict[tuple[str, str], dict[tuple[str, str], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    labels: dict[tuple[str, str], str] = {}
    for (supplier_category, unspsc, category_id, is_manual), count in counted.items():
        if supplier_category.strip():
            group = (
                CategoryMapping.Source.SUPPLIER_CATEGORY.value,
                supplier_category_key(supplier_category),
            )
            labels.setdefault(group, supplier_category.strip())
        elif len(unspsc) == 8 and unspsc.isdigit():
            group = (CategoryMapping.Source.UNSPSC.value, unspsc_key(unspsc[:6] + "00"))
            labels.setdefault(group, group[1])
        else:
            group = ("", "")
            labels.setdefault(group, "")
        how = "manual" if is_manual else resolver.resolve(supplier_category, unspsc)[1].value
        if category_id is None:
            how = ""
        groups[group][(names.get(category_id or 0, ""), how)] += count
    result = [
        CategoryGroup(
            source=group[0],
            key=labels[group],
            items=sum(now.values()),
            chosen_id=chosen.get(group),
            now=sorted(((name, how, n) for (name, how), n in now.items()), key=lambda row: -row[2]),
        )
        for group, now in groups.items()
    ]
    return sorted(result, key=lambda group: (group.source == "", -group.items, group.key))


def product_change_history(*, product: Product) -> QuerySet[CatalogueChange]:
    """The applied changes of one item, newest first: its previous prices, units and names."""
    return (
        product.changes.filter(catalogue_import__status=CatalogueImport.Status.APPLIED)
        .select_related("catalogue_import")
        .order_by("-catalogue_import__applied_at", "-pk")
    )


@dataclass(frozen=True)
class CatalogueAlert:
    """What a person holding the item (in a favourite list, say) should know about it."""

    product_id: int
    kind: str  # CatalogueChange.Kind: "changed" (a new price) or "removed"
    old_unit_price: Decimal | None
    new_unit_price: Decimal | None
    price_change_percent: Decimal | None
    applied_at: datetime


def catalogue_alert_list_for_products(
    *, product_ids: Iterable[int], since: datetime | None = None
) -> dict[int, CatalogueAlert]:
    """The latest price change or removal of each of the items, applied after `since`: the
    hook for favourite lists (the lines to flag, and what to tell the list's owner). Items
    without such a change are left out."""
    changes = (
        CatalogueChange.objects.filter(
            product_id__in=list(product_ids),
            catalogue_import__status=CatalogueImport.Status.APPLIED,
        )
        .filter(Q(kind=CatalogueChange.Kind.REMOVED) | Q(is_price_change=True))
        .order_by("product_id", "-catalogue_import__applied_at", "-pk")
        .values(
            "product_id",
            "kind",
            "old_unit_price",
            "new_unit_price",
            "price_change_percent",
            "catalogue_import__applied_at",
        )
    )
    if since is not None:
        changes = changes.filter(catalogue_import__applied_at__gt=since)
    alerts: dict[int, CatalogueAlert] = {}
    for change in changes:
        if change["product_id"] in alerts:
            continue
        alerts[change["product_id"]] = CatalogueAlert(
            product_id=change["product_id"],
            kind=change["kind"],
            old_unit_price=change["old_unit_price"],
            new_unit_price=change["new_unit_price"],
            price_change_percent=change["price_change_percent"],
            applied_at=change["catalogue_import__applied_at"] or timezone.now(),
        )
    return alerts


@dataclass(frozen=True)
class ImportChoices:
    """What a procurement officer can import a catalogue for."""

    suppliers: QuerySet[Supplier]
    agreements: QuerySet[Agreement]
    lots: QuerySet[AgreementLot]


def agreement_list_for_supplier(*, supplier: Supplier) -> list[Agreement]:
    """The agreements `supplier` is on: listed as one of their suppliers, or awarded one of
    their lots; by number."""
    return list(
        Agreement.objects.filter(municipality_id=supplier.municipality_id)
        .filter(Q(supplier_links__supplier=supplier) | Q(lots__awards__supplier=supplier))
        .distinct()
        .order_by("number")
    )


def catalogue_import_choices(*, user: User) -> ImportChoices:
    """The municipality's active suppliers, agreements and lots (nothing for anyone who does
    not curate the catalogue)."""
    municipality_id = user.municipality_id
    if municipality_id is None or not user_has_role(user=user, roles=ASSORTMENT_ROLES):
        return ImportChoices(
            Supplier.objects.none(), Agreement.objects.none(), AgreementLot.objects.none()
        )
    return ImportChoices(
        suppliers=Supplier.objects.filter(municipality_id=municipality_id, is_active=True).order_by(
            "name"
        ),
        agreements=Agreement.objects.filter(municipality_id=municipality_id).order_by("number"),
        lots=AgreementLot.objects.filter(municipality_id=municipality_id)
        .select_related("agreement")
        .order_by("agreement__number", "code"),
    )


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has come, for the page that follows it."""

    is_running: bool
    phase: str  # "waiting", "reading", "comparing", "applying" or "done"
    percent: int | None  # None: not known (an Excel file is read without a known length)
    rows_read: int
    #: Which attempt at the step this is, where it is not the first (a stuck import was
    #: started again), else 0; and how many are made before it fails.
    attempt: int = 0
    attempts_allowed: int = 0


def catalogue_import_is_stale(*, catalogue_import: CatalogueImport) -> bool:
    """Whether another catalogue of the supplier was applied after this one, awaiting
    approval, was compared with the catalogue: its diff is out of date."""
    return (
        catalogue_import.status == CatalogueImport.Status.READY
        and catalogue_import.diffed_at is not None
        and CatalogueImport.objects.filter(
            supplier_id=catalogue_import.supplier_id,
            status=CatalogueImport.Status.APPLIED,
            applied_at__gt=catalogue_import.diffed_at,
        )
        .exclude(pk=catalogue_import.pk)
        .exists()
    )


def catalogue_import_progress(*, catalogue_import: CatalogueImport) -> ImportProgress:
    """How far the import has come; whether its step was started again after it stopped."""
    progress = _progress(catalogue_import)
    # a stuck import's reading goes back to received: its next attempt is one more
    waiting = catalogue_import.status == CatalogueImport.Status.RECEIVED
    attempt = catalogue_import.attempts + (1 if waiting else 0)
    if progress.is_running and attempt > 1:
        allowed = settings.CATALOGUE_IMPORT_MAX_ATTEMPTS
        return dataclasses.replace(progress, attempt=attempt, attempts_allowed=allowed)
    return progress


def catalogue_import_is_stuck(*, catalogue_import: CatalogueImport) -> bool:
    """Whether the import is being read but has shown no progress for
    CATALOGUE_IMPORT_STUCK_MINUTES (it may then be rejected)."""
    states = CatalogueImport.Status
    return catalogue_import.status in (
        states.RECEIVED,
        states.PARSING,
    ) and catalogue_import.updated_at < timezone.now() - timedelta(
        minutes=settings.CATALOGUE_IMPORT_STUCK_MINUTES
    )


def _progress(catalogue_import: CatalogueImport) -> ImportProgress:
    status = catalogue_import.status
    states = CatalogueImport.Status
    rows = catalogue_import.rows_read
    if status == states.RECEIVED:
        return ImportProgress(True, "waiting", 0, 0)
    if status == states.APPLYING:
        return ImportProgress(True, "applying", None, rows)
    if status != states.PARSING:
        return ImportProgress(False, "done", 100, rows)
    size = catalogue_import.file_size
    read = catalogue_import.bytes_read
    if catalogue_import.format == CatalogueImport.Format.XLSX or not size:
        return ImportProgress(True, "reading", None, rows)
    if read >= size:
        return ImportProgress(True, "comparing", None, rows)
    return ImportProgress(True, "reading", min(read * 100 // size, 99), rows)
