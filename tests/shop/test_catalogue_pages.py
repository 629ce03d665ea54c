from __future__ import annotations

import pytest
from django.test import Client

from catalog.models import AssortmentRule
from catalog.services import assortment_rule_create
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import AgreementFactory, SupplierFactory, orderable_product

pytestmark = pytest.mark.django_db


def test_every_person_reads_the_ehandel_policy(
    client: Client, tree: Tree, requisitioner: User
) -> None:
    AgreementFactory.create(
        municipality=tree.municipality,
        number="50.57",
        title="Kontor- og skoleartikler",
        terms_for_buyers="Fri fragt over 500,00 kr.",
    )
    client.force_login(requisitioner)
    text = page_text(client.get("/e-handel/").content)
    assert "Købes via e-handel" in text
    assert "50.57 Kontor- og skoleartikler" in text
    assert "Vilkår: Fri fragt over 500,00 kr." in text
    assert "Rekvirent 1 3.000,00 kr." in text


def test_a_procurement_officer_sees_why_a_product_is_visible(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    agreement = AgreementFactory.create(municipality=tree.municipality, number="50.57")
    supplier = SupplierFactory.create(municipality=tree.municipality)
    orderable_product(supplier=supplier, agreement=agreement, name="Kuglepen blå")
    orderable_product(supplier=supplier, agreement=agreement, name="Blyant HB")
    assortment_rule_create(
        unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
    )
    pencil = agreement.products.get(name="Blyant HB")
    assortment_rule_create(unit=tree.daycare, action=AssortmentRule.Action.EXCLUDE, product=pencil)
    client.force_login(assortment_admin)
    text = page_text(client.get(f"/assortment/{tree.daycare.pk}/").content)
    assert f"Udelad: {pencil} (på Solsikken)" in text
    assert f"Ja Medtag: {agreement} (på {tree.root.name})" in text
    filtered = page_text(client.get(f"/assortment/{tree.daycare.pk}/?q=kuglepen").content)
    assert "1 vare" in filtered
    assert f"{pencil.name} {pencil.supplier_item_number}" not in filtered  # not in the table
    assert f"{pencil.name} {pencil.supplier_item_number}" in text


def test_the_assortment_pages_are_for_procurement_officers(
    client: Client, tree: Tree, requisitioner: User, assortment_admin: User, stranger: User
) -> None:
    client.force_login(requisitioner)
    assert client.get("/assortment/").status_code == 403
    assert client.get(f"/assortment/{tree.daycare.pk}/").status_code == 404
    client.force_login(assortment_admin)
    assert client.get("/assortment/").status_code == 200
    foreign = stranger.memberships.first()
    assert foreign is not None
    assert client.get(f"/assortment/{foreign.unit_id}/").status_code == 404
