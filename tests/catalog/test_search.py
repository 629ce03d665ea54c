"""The search selector, page and API on a small catalogue (relevance at scale is in
test_search_relevance.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

from catalog.models import AssortmentRule, Product
from catalog.search.backends import (
    PostgresBackend,
    SearchErrorCode,
    SearchTimeoutError,
    statement_timeout,
)
from catalog.selectors import SearchFilters, product_search
from catalog.services import assortment_rule_create, search_index_refresh
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import (
    AgreementFactory,
    CategoryFactory,
    SupplierFactory,
    orderable_product,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@dataclass
class Shop:
    flour: Product
    icing_sugar: Product
    eggs: Product
    ham: Product
    hidden: Product


@pytest.fixture
def shop(tree: Tree) -> Shop:
    food = AgreementFactory.create(municipality=tree.municipality, number="50.93")
    other = AgreementFactory.create(municipality=tree.municipality, number="50.57")
    grocer = SupplierFactory.create(municipality=tree.municipality, name="Grossisten")
    dairy = CategoryFactory.create(municipality=tree.municipality, name="Mejeri og æg")
    made = Shop(
        flour=orderable_product(
            supplier=grocer, agreement=food, name="Hvedemel, 2 kg", supplier_item_number="FØ-0701"
        ),
        icing_sugar=orderable_product(supplier=grocer, agreement=food, name="Flormelis, 500 g"),
        eggs=orderable_product(
            supplier=grocer,
            agreement=food,
            category=dairy,
            name="Æg, str. M, 30 stk.",
            gtin="5799997000319",
            eco_labels=["organic_dk"],
        ),
        ham=orderable_product(supplier=grocer, agreement=food, name="Pålæg, skinke"),
        hidden=orderable_product(supplier=grocer, agreement=other, name="Hvedemel, 25 kg"),
    )
    assortment_rule_create(unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=food)
    search_index_refresh(municipality_id=tree.municipality.pk)
    return made


def _names(user: User, tree: Tree, text: str, **filters: object) -> list[str]:
    result = product_search(
        user=user,
        unit=tree.daycare,
        text=text,
        on=TODAY,
        filters=SearchFilters(**filters),  # type: ignore[arg-type]
    )
    return [product.name for product in result.products]


def test_a_word_finds_its_compounds_but_not_look_alikes(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    assert _names(requisitioner, tree, "mel ") == ["Hvedemel, 2 kg"]
    assert _names(requisitioner, tree, "æg") == ["Æg, str. M, 30 stk."]
    assert _names(requisitioner, tree, "aeg") == ["Æg, str. M, 30 stk."]
    assert _names(requisitioner, tree, "pålæg") == ["Pålæg, skinke"]


def test_only_the_units_assortment_is_searched(shop: Shop, tree: Tree, requisitioner: User) -> None:
    assert _names(requisitioner, tree, "hvedemel") == ["Hvedemel, 2 kg"]  # not the 25 kg


def test_a_misspelling_is_corrected_and_said(shop: Shop, tree: Tree, requisitioner: User) -> None:
    result = product_search(user=requisitioner, unit=tree.daycare, text="hvedemeel", on=TODAY)
    assert [product.name for product in result.products] == ["Hvedemel, 2 kg"]
    assert result.corrections == {"hvedemeel": "hvedemel"}


def test_item_numbers_and_gtins_are_found_exactly(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    assert _names(requisitioner, tree, "fø 0701") == ["Hvedemel, 2 kg"]
    assert _names(requisitioner, tree, "FOE-0701") == ["Hvedemel, 2 kg"]
    assert _names(requisitioner, tree, "5799997000319") == ["Æg, str. M, 30 stk."]


def test_an_item_number_without_digits_is_found_when_typed_as_a_code(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    orderable_product(
        supplier=shop.flour.supplier,
        agreement=shop.flour.agreement,
        name="Forklæde, voksdug",
        supplier_item_number="ABC-XL",
    )
    search_index_refresh(municipality_id=tree.municipality.pk)
    assert _names(requisitioner, tree, "abc-xl") == ["Forklæde, voksdug"]
    assert _names(requisitioner, tree, "ABC/XL") == ["Forklæde, voksdug"]


def test_the_eco_label_filter_applies_before_the_candidates_are_capped(
    shop: Shop, tree: Tree, requisitioner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("catalog.selectors.SEARCH_CANDIDATES", 2)
    for size in ("100", "250", "500"):
        orderable_product(
            supplier=shop.flour.supplier, agreement=shop.flour.agreement, name=f"Papir {size}"
        )
    orderable_product(
        supplier=shop.flour.supplier,
        agreement=shop.flour.agreement,
        name="Kopipapir A4, 80 g, 500 ark, genbrug",
        eco_labels=["nordic_swan"],
    )
    search_index_refresh(municipality_id=tree.municipality.pk)
    assert len(_names(requisitioner, tree, "papir")) == 2  # the two shortest names
    assert _names(requisitioner, tree, "papir", eco_label="nordic_swan") == [
        "Kopipapir A4, 80 g, 500 ark, genbrug"
    ]


def test_facets_count_and_filter(shop: Shop, tree: Tree, requisitioner: User) -> None:
    result = product_search(user=requisitioner, unit=tree.daycare, text="æg", on=TODAY)
    assert [(f.label, f.count) for f in result.categories] == [("Mejeri og æg", 1)]
    assert [(f.key, f.count) for f in result.eco_labels] == [("organic_dk", 1)]
    assert _names(requisitioner, tree, "æg", eco_label="fairtrade") == []
    assert _names(requisitioner, tree, "mel", category_ids=(shop.eggs.category_id,)) == []


def test_an_empty_query_finds_nothing(shop: Shop, tree: Tree, requisitioner: User) -> None:
    result = product_search(user=requisitioner, unit=tree.daycare, text="   ", on=TODAY)
    assert (result.products, result.total) == ([], 0)


@pytest.mark.parametrize("extra", [0, 24])
def test_searching_costs_the_same_queries_for_any_number_of_results(
    shop: Shop, tree: Tree, requisitioner: User, extra: int, django_assert_num_queries: object
) -> None:
    for number in range(extra):
        orderable_product(
            supplier=shop.flour.supplier, agreement=shop.flour.agreement, name=f"Rugmel {number}"
        )
    search_index_refresh(municipality_id=tree.municipality.pk)
    # PostgreSQL: a savepoint with the statement timeout set, put back and released
    timeout_queries = 4 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(7 + timeout_queries):  # type: ignore[operator]
        result = product_search(user=requisitioner, unit=tree.daycare, text="mel", on=TODAY)
        assert all(product.supplier.name and product.agreement for product in result.products)
    assert len(result.products) == min(1 + extra, 20)


def test_the_search_api_answers_with_fields_and_facets(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    client.force_login(requisitioner)
    response = client.get("/api/v1/catalog/search", {"q": "hvedemel", "unit": str(tree.daycare.pk)})
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == tree.daycare.pk
    [flour] = body["results"]
    assert flour == {
        "id": shop.flour.pk,
        "supplier_item_number": "FØ-0701",
        "gtin": "",
        "name": "Hvedemel, 2 kg",
        "brand": "",
        "unit_code": "EA",
        "unit_name": "stk.",
        "pack_quantity": None,
        "pack_unit_code": "",
        "unit_price": "32.5000",
        "currency": "DKK",
        "agreement": {"number": "50.93", "title": "Kontor- og skoleartikler"},
        "supplier": {"id": shop.flour.supplier_id, "name": "Grossisten"},
        "category": "",
        "eco_labels": [],
        "is_recommended": False,
        "is_sustainable_choice": False,
    }
    assert Decimal(flour["unit_price"]) == shop.flour.unit_price


def test_the_search_api_refuses_other_units_and_strangers(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, stranger: User
) -> None:
    client.force_login(requisitioner)
    assert (
        client.get(
            "/api/v1/catalog/search", {"q": "mel", "unit": str(tree.sibling_daycare.pk)}
        ).status_code
        == 404
    )
    assert client.get("/api/v1/catalog/search", {"q": "mel", "limit": "500"}).status_code == 400
    client.force_login(stranger)
    response = client.get("/api/v1/catalog/search", {"q": "hvedemel", "unit": str(tree.daycare.pk)})
    assert response.status_code == 404
    client.logout()
    assert client.get("/api/v1/catalog/search", {"q": "mel"}).status_code == 403


def test_the_search_page_shows_results_and_corrections(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    client.force_login(requisitioner)
    text = page_text(client.get("/search/", {"q": "hvedemeel"}).content)
    assert "Viser resultater for hvedemel" in text
    assert "1 vare fundet" in text
    assert "Hvedemel, 2 kg" in text
    assert "32,50 kr. / stk." in text
    partial = client.get("/search/", {"q": "æg"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "Æg, str. M, 30 stk." in page_text(partial.content)


@pytest.mark.postgres
def test_a_statement_over_the_search_timeout_is_stopped_and_the_setting_put_back() -> None:
    def current() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            return str(cursor.fetchone()[0])

    before = current()
    with statement_timeout(5000):
        assert current() == "5s"
    assert current() == before
    with (
        pytest.raises(SearchTimeoutError) as caught,
        statement_timeout(50),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(2)")
    assert caught.value.code == SearchErrorCode.TOO_SLOW
    assert current() == before
    assert Product.objects.count() >= 0  # the transaction goes on


@pytest.mark.postgres
def test_looser_matches_go_through_the_index_and_settings_are_put_back() -> None:
    def settings_now() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            seqscan = str(cursor.fetchone()[0])
            cursor.execute("SHOW enable_indexscan")
            return seqscan, str(cursor.fetchone()[0])

    backend = PostgresBackend()
    with statement_timeout(5000):
        with backend.through_index():
            assert settings_now() == ("off", "off")
        assert settings_now() == ("on", "on")
    # a looser search that runs into the timeout is refused as too slow, nothing else
    with (
        pytest.raises(SearchTimeoutError),
        statement_timeout(50),
        backend.through_index(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(2)")
    assert settings_now() == ("on", "on")


@contextmanager
def catalogue_locked_elsewhere() -> Iterator[None]:
    """Another session holds the agreement lots (which every search joins) for a migration."""
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
    )
    try:
        other.execute("SET lock_timeout = '5s'")
        other.execute("LOCK TABLE catalog_agreementlot IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.postgres
def test_a_search_the_database_cannot_answer_in_time_is_refused_with_a_message(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, settings: Any
) -> None:
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 300
    search_index_refresh(municipality_id=tree.municipality.pk)
    client.force_login(requisitioner)
    with catalogue_locked_elsewhere():
        response = client.get("/api/v1/catalog/search", {"q": "hvedemel"})
        page = client.get("/search/", {"q": "hvedemel"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "Søgningen tog for lang tid og blev stoppet. Prøv igen om lidt, eller tilføj "
        "et ord eller et varenummer for at indsnævre den.",
        "code": "too_slow",
    }
    assert page.status_code == 200
    assert "Søgningen tog for lang tid og blev stoppet." in page_text(page.content)
    # once the other session is done, the same search answers
    assert client.get("/api/v1/catalog/search", {"q": "hvedemel"}).json()["total"] == 1
