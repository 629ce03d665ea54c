from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from catalog.models import Supplier
from org.models import OrgUnit, User
from tests.conftest import Tree, page_text
from tests.factories.catalog import ProductFactory
from tests.factories.identifiers import cvr_for

pytestmark = pytest.mark.django_db

NO_INLINES = {
    f"{prefix}-{field}": value
    for prefix in ("delivery_addresses", "cost_centres")
    for field, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    )
}


#: The supplier form's column mapping inline, left empty.
NO_COLUMN_MAPPING = {
    "column_mapping-TOTAL_FORMS": "0",
    "column_mapping-INITIAL_FORMS": "0",
    "column_mapping-MIN_NUM_FORMS": "0",
    "column_mapping-MAX_NUM_FORMS": "1",
}
#: The punch-out settings as the add form shows them before anything is typed.
PUNCHOUT_DEFAULTS = {
    "punchout_extrinsics": "{}",
    "punchout_oci_parameter_names": "{}",
    "punchout_session_minutes": "60",
    "punchout_decimal_separator": ".",
    "punchout_blocked_unspsc": "[]",
    "punchout_unlisted_identity": "flag",
}


def _unit_form(tree: Tree, **changes: Any) -> dict[str, Any]:
    data = {
        "municipality": tree.municipality.pk,
        "parent": tree.children_dept.pk,
        "code": "SKO",
        "name": "Skovbakkeskolen",
        "kind": OrgUnit.Kind.SCHOOL,
        "gln": "5799999000607",
        "receives_invoices": "on",
        "is_active": "on",
        **NO_INLINES,
    }
    data.update(changes)
    return data


def test_a_municipality_admin_sees_only_their_own_units(
    client: Client, tree: Tree, municipality_admin: User, stranger: User
) -> None:
    client.force_login(municipality_admin)
    text = page_text(client.get("/admin/org/orgunit/").content)
    assert "Solsikken" in text
    assert "Andenby Skole" not in text
    foreign = OrgUnit.objects.get(name="Andenby Skole")
    response = client.get(f"/admin/org/orgunit/{foreign.pk}/change/")
    assert response.status_code == 302  # the admin answers "does not exist"
    assert response["Location"] == "/admin/"


def test_an_invalid_gln_in_the_admin_names_the_field_and_the_value(
    client: Client, tree: Tree, municipality_admin: User
) -> None:
    client.force_login(municipality_admin)
    before = OrgUnit.objects.count()
    response = client.post("/admin/org/orgunit/add/", _unit_form(tree, gln="5799999000608"))
    assert response.status_code == 200
    assert (
        "EAN-nummer “5799999000608” er ikke et gyldigt GLN (EAN-nummer): kontrolcifferet passer "
        "ikke." in page_text(response.content)
    )
    assert OrgUnit.objects.count() == before


def test_a_unit_added_in_the_admin_gets_its_place_in_the_tree(
    client: Client, tree: Tree, municipality_admin: User
) -> None:
    client.force_login(municipality_admin)
    response = client.post("/admin/org/orgunit/add/", _unit_form(tree))
    assert response.status_code == 302
    school = OrgUnit.objects.get(code="SKO")
    assert school.path == f"{tree.children_dept.path}{school.pk}/"
    assert school.depth == 2


def test_moving_a_unit_in_the_admin_moves_its_subtree(
    client: Client, tree: Tree, municipality_admin: User
) -> None:
    client.force_login(municipality_admin)
    data = _unit_form(
        tree,
        parent=tree.technical_dept.pk,
        code=tree.children_dept.code,
        name=tree.children_dept.name,
        kind=tree.children_dept.kind,
        gln=tree.children_dept.gln,
    )
    response = client.post(f"/admin/org/orgunit/{tree.children_dept.pk}/change/", data)
    assert response.status_code == 302
    tree.daycare.refresh_from_db()
    assert tree.daycare.path == (
        f"/{tree.root.pk}/{tree.technical_dept.pk}/{tree.children_dept.pk}/{tree.daycare.pk}/"
    )


def test_the_admin_refuses_to_put_a_unit_under_its_own_subtree(
    client: Client, tree: Tree, municipality_admin: User
) -> None:
    client.force_login(municipality_admin)
    data = _unit_form(
        tree,
        parent=tree.daycare.pk,
        code=tree.children_dept.code,
        name=tree.children_dept.name,
        kind=tree.children_dept.kind,
        gln=tree.children_dept.gln,
    )
    response = client.post(f"/admin/org/orgunit/{tree.children_dept.pk}/change/", data)
    assert response.status_code == 200
    assert "En enhed kan ikke placeres under sig selv" in page_text(response.content)
    tree.children_dept.refresh_from_db()
    assert tree.children_dept.parent_id == tree.root.pk


def test_the_unit_choices_offer_only_the_own_municipality(
    client: Client, tree: Tree, municipality_admin: User, stranger: User
) -> None:
    client.force_login(municipality_admin)
    html = client.get("/admin/org/orgunit/add/").content.decode()
    assert "Solsikken" in html
    assert "Andenby" not in html


def test_roles_open_their_own_part_of_the_admin(
    client: Client, requisitioner: User, assortment_admin: User, municipality_admin: User
) -> None:
    client.force_login(requisitioner)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    client.force_login(assortment_admin)
    assert client.get("/admin/catalog/product/").status_code == 200
    assert client.get("/admin/org/orgunit/").status_code == 403
    client.force_login(municipality_admin)
    assert client.get("/admin/org/orgunit/").status_code == 200
    assert client.get("/admin/catalog/supplier/").status_code == 200


def test_the_admin_speaks_danish_and_english(client: Client, municipality_admin: User) -> None:
    client.force_login(municipality_admin)
    assert "Organisatoriske enheder" in page_text(client.get("/admin/").content)
    assert "Organisational units" in page_text(client.get("/en/admin/").content)


def test_a_supplier_secret_is_stored_encrypted_and_never_shown(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    client.force_login(assortment_admin)
    data = {
        "municipality": tree.municipality.pk,
        "name": "Nordlys IT A/S",
        "cvr": cvr_for(77),
        "country": "DK",
        "order_channel": Supplier.OrderChannel.CXML,
        "punchout_protocol": Supplier.PunchoutProtocol.CXML,
        "punchout_url": "https://punchout.nordlys-it.example/cxml/setup",
        "new_punchout_secret": "meget-hemmelig",
        "is_active": "on",
        **PUNCHOUT_DEFAULTS,
        **NO_COLUMN_MAPPING,
    }
    response = client.post("/admin/catalog/supplier/add/", data)
    assert response.status_code == 302, page_text(response.content)
    supplier = Supplier.objects.get(name="Nordlys IT A/S")
    assert supplier.punchout_secret_encrypted is not None
    assert b"meget-hemmelig" not in bytes(supplier.punchout_secret_encrypted)
    page = client.get(f"/admin/catalog/supplier/{supplier.pk}/change/").content.decode()
    assert "meget-hemmelig" not in page
    assert "gemt (krypteret)" in page
    assert (
        '<a href="/webshops/tests/">Gem, og test derefter punch-out på siden Webshoptest</a>'
        in page
    )


def test_the_identities_a_shop_signs_carts_with_are_written_one_per_line(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    client.force_login(assortment_admin)
    data = {
        "municipality": tree.municipality.pk,
        "name": "Nordlys IT A/S",
        "cvr": cvr_for(77),
        "country": "DK",
        "order_channel": Supplier.OrderChannel.CXML,
        "punchout_protocol": Supplier.PunchoutProtocol.CXML,
        "punchout_url": "https://punchout.nordlys-it.example/cxml/setup",
        "punchout_to_identity": "NORDLYS-IT-29900078",
        "is_active": "on",
        **PUNCHOUT_DEFAULTS,
        **NO_COLUMN_MAPPING,
        "punchout_cart_identities": " 001472216_from \r\n\r\nAN01000000001\r\n",
        "punchout_unlisted_identity": "refuse",
    }
    response = client.post("/admin/catalog/supplier/add/", data)
    assert response.status_code == 302, page_text(response.content)
    supplier = Supplier.objects.get(name="Nordlys IT A/S")
    assert (supplier.punchout_cart_identities, supplier.punchout_unlisted_identity) == (
        ["001472216_from", "AN01000000001"],
        Supplier.UnlistedIdentity.REFUSE,
    )
    assert supplier.punchout_accepted_identities == (
        "NORDLYS-IT-29900078",
        "001472216_from",
        "AN01000000001",
    )
    page = client.get(f"/admin/catalog/supplier/{supplier.pk}/change/").content.decode()
    assert 'id="id_punchout_cart_identities">\n001472216_from\nAN01000000001</textarea>' in page
    data["punchout_cart_identities"] = "x" * 201
    refused = client.post(f"/admin/catalog/supplier/{supplier.pk}/change/", data)
    assert refused.status_code == 200
    assert "Skriv én identitet på 1 til 200 tegn pr. linje." in page_text(refused.content)
    assert Supplier.objects.get(pk=supplier.pk).punchout_cart_identities == [
        "001472216_from",
        "AN01000000001",
    ]


def test_an_invalid_supplier_cvr_is_refused_in_the_admin(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    client.force_login(assortment_admin)
    data = {
        "municipality": tree.municipality.pk,
        "name": "Fejl ApS",
        "cvr": "12345678",
        "country": "DK",
        "order_channel": Supplier.OrderChannel.EMAIL,
        "order_email": "ordre@fejl.example",
        "punchout_protocol": Supplier.PunchoutProtocol.NONE,
        **NO_COLUMN_MAPPING,
    }
    response = client.post("/admin/catalog/supplier/add/", data)
    assert response.status_code == 200
    assert (
        "CVR-nummer “12345678” er ikke et gyldigt CVR-nummer: kontrolcifferet passer ikke."
        in page_text(response.content)
    )
    assert Supplier.objects.count() == 0


def test_a_suppliers_column_headings_are_saved_as_its_column_mapping(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    client.force_login(assortment_admin)
    data = {
        "municipality": tree.municipality.pk,
        "name": "Fødevaregrossisten Øst A/S",
        "cvr": cvr_for(78),
        "country": "DK",
        "order_channel": Supplier.OrderChannel.EMAIL,
        "order_email": "ordre@foedevarer.example",
        "punchout_protocol": Supplier.PunchoutProtocol.NONE,
        "catalogue_auto_approve": "on",
        "is_active": "on",
        **PUNCHOUT_DEFAULTS,
        **NO_COLUMN_MAPPING,
        "column_mapping-TOTAL_FORMS": "1",
        "column_mapping-0-heading_supplier_item_number": "Art.nr.",
        "column_mapping-0-heading_name": "Varetekst",
        "column_mapping-0-heading_unit_price": "Nettopris",
        "column_mapping-0-heading_unit_code": "",
        "column_mapping-0-delimiter": ";",
        "column_mapping-0-encoding": "cp1252",
        "column_mapping-0-decimal_mark": ",",
    }

    response = client.post("/admin/catalog/supplier/add/", data)

    assert response.status_code == 302, page_text(response.content)
    supplier = Supplier.objects.get(name="Fødevaregrossisten Øst A/S")
    assert supplier.catalogue_auto_approve is True
    mapping = supplier.column_mapping
    assert mapping.columns == {
        "supplier_item_number": "Art.nr.",
        "name": "Varetekst",
        "unit_price": "Nettopris",
    }
    assert (mapping.delimiter, mapping.encoding, mapping.decimal_mark) == (";", "cp1252", ",")
    assert mapping.municipality_id == tree.municipality.pk
    page = page_text(client.get(f"/admin/catalog/supplier/{supplier.pk}/change/").content)
    assert "Overskrift på varenummeret" in page or "Heading of the item number" in page


@pytest.fixture
def platform_operator(db: None) -> User:
    return User.objects.create_superuser("drift", "drift@rekvi.example", "demo")


def test_platform_operators_are_out_of_a_municipality_admins_reach(
    client: Client, tree: Tree, municipality_admin: User, platform_operator: User
) -> None:
    client.force_login(municipality_admin)
    assert "drift" not in page_text(client.get("/admin/org/user/").content)
    for url in (
        f"/admin/org/user/{platform_operator.pk}/change/",
        f"/admin/org/user/{platform_operator.pk}/password/",
    ):
        assert client.get(url).status_code in (302, 404), url
    response = client.post(
        f"/admin/org/user/{platform_operator.pk}/password/",
        {"password1": "overtaget-123!", "password2": "overtaget-123!"},
    )
    assert response.status_code in (302, 404)
    platform_operator.refresh_from_db()
    assert platform_operator.check_password("demo") is True
    membership_page = client.get("/admin/org/membership/add/").content.decode()
    people = membership_page.split('name="user"', 1)[1].split("</select>", 1)[0]
    assert "drift" not in people
    assert f"{municipality_admin.get_full_name()}<" in people


def test_a_superuser_belongs_to_no_municipality(tree: Tree) -> None:
    operator = User(username="blandet", is_superuser=True, municipality=tree.municipality)
    operator.set_password("demo")
    with pytest.raises(ValidationError) as caught:
        operator.full_clean()
    assert caught.value.messages == [
        "En person hører til præcis én kommune; platformens driftsfolk (superbrugere) til ingen."
    ]


def test_a_rows_municipality_cannot_be_changed_in_the_admin(
    client: Client, tree: Tree, municipality_admin: User, stranger: User
) -> None:
    client.force_login(municipality_admin)
    page = client.get(f"/admin/org/orgunit/{tree.children_dept.pk}/change/").content.decode()
    assert 'name="municipality"' not in page
    data = _unit_form(
        tree,
        municipality=stranger.municipality_id,
        parent=tree.root.pk,
        code=tree.children_dept.code,
        name="Børn og Unge",
        kind=tree.children_dept.kind,
        gln=tree.children_dept.gln,
    )
    client.post(f"/admin/org/orgunit/{tree.children_dept.pk}/change/", data)
    tree.children_dept.refresh_from_db()
    assert tree.children_dept.municipality_id == tree.municipality.pk


def test_the_product_filters_offer_only_the_own_municipality(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    own = ProductFactory.create(municipality=tree.municipality)
    foreign = ProductFactory.create()
    client.force_login(assortment_admin)
    text = page_text(client.get("/admin/catalog/product/").content)
    assert own.supplier.name in text
    assert foreign.supplier.name not in text
    assert client.get(f"/admin/catalog/product/{foreign.pk}/change/").status_code == 302


def test_a_product_in_a_unit_outside_the_common_list_keeps_it_in_the_admin(
    client: Client, tree: Tree, assortment_admin: User
) -> None:
    water = ProductFactory.create(
        municipality=tree.municipality, unit_code="HLT", pack_quantity="25", pack_unit_code="XSA"
    )
    client.force_login(assortment_admin)
    html = client.get(f"/admin/catalog/product/{water.pk}/change/").content.decode()
    for name in ("unit_code", "pack_unit_code"):
        select = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert len(re.findall("<option ", select)) == 46 + (name == "pack_unit_code")
    assert '<option value="HLT" selected>HLT – hectolitre</option>' in html
    assert '<option value="XSA" selected>XSA – Sack</option>' in html
    assert '<option value="RM">RM – ris</option>' in html


def test_the_admin_login_sends_people_on(
    client: Client, municipality_admin: User, requisitioner: User
) -> None:
    response = client.get("/admin/login/")
    assert response["Location"] == "/login/?next=%2Fadmin%2F"
    client.force_login(municipality_admin)
    assert client.get("/admin/login/")["Location"] == "/admin/"
    assert client.get("/admin/login/?next=/admin/org/")["Location"] == "/admin/org/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"
    client.force_login(requisitioner)
    assert client.get("/admin/login/").status_code == 403


def test_identifiers_typed_with_spaces_are_stored_compact(
    client: Client, tree: Tree, municipality_admin: User
) -> None:
    client.force_login(municipality_admin)
    response = client.post("/admin/org/orgunit/add/", _unit_form(tree, gln="579 9999-000.607"))
    assert response.status_code == 302
    assert OrgUnit.objects.get(code="SKO").gln == "5799999000607"
