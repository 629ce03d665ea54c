from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import (
    Agreement,
    AgreementLot,
    AssortmentRule,
    Category,
    EhandelPolicy,
    LotSupplier,
    Product,
    Supplier,
)
from catalog.selectors import product_list_for_unit
from orders.models import FavouriteLine, FavouriteList, StandardPackage, StandardPackageLine
from org.models import (
    CostCentre,
    DeliveryAddress,
    Membership,
    MonthlyBudget,
    Municipality,
    OrgUnit,
    Role,
    User,
)

pytestmark = pytest.mark.django_db

COUNTED = (
    Municipality,
    OrgUnit,
    DeliveryAddress,
    CostCentre,
    MonthlyBudget,
    User,
    Membership,
    Category,
    Agreement,
    Supplier,
    Product,
    AgreementLot,
    LotSupplier,
    AssortmentRule,
    EhandelPolicy,
    FavouriteList,
    FavouriteLine,
    StandardPackage,
    StandardPackageLine,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_fjordby() -> None:
    _seed()
    assert _counts() == {
        "Municipality": 1,
        "OrgUnit": 14,
        "DeliveryAddress": 18,
        "CostCentre": 19,
        "MonthlyBudget": 228,
        "User": 16,
        "Membership": 32,
        "Category": 18,
        "Agreement": 6,
        "Supplier": 10,
        "Product": 82,
        "AgreementLot": 8,
        "LotSupplier": 10,
        "AssortmentRule": 79,
        "EhandelPolicy": 1,
        "FavouriteList": 3,
        "FavouriteLine": 24,
        "StandardPackage": 1,
        "StandardPackageLine": 4,
    }


def test_seed_demo_twice_changes_nothing() -> None:
    _seed()
    first = _counts()
    memberships = sorted(
        Membership.objects.values_list("user__username", "unit__code", "role", "order_limit")
    )
    output = _seed()
    assert _counts() == first
    assert (
        sorted(
            Membership.objects.values_list("user__username", "unit__code", "role", "order_limit")
        )
        == memberships
    )
    assert "Created: nothing." in output


def test_the_demo_logins_are_named_after_the_danish_roles_and_printed() -> None:
    output = _seed()
    for username in (
        "rekvirent",
        "indkoeber",
        "godkender",
        "indkoebskonsulent",
        "oekonomi",
        "admin",
    ):
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
        assert f"  {username}" in output
    assert "password: demo" in output


def test_the_data_set_roles_become_rekvi_memberships() -> None:
    _seed()

    def roles(username: str) -> list[tuple[str, str, bool, Decimal, Decimal]]:
        return list(
            Membership.objects.filter(user__username=username)
            .order_by("unit__code", "role")
            .values_list("unit__code", "role", "includes_subtree", "order_limit", "approval_limit")
        )

    assert roles("rekvirent") == [("SOL", Role.REQUISITIONER, False, Decimal("3000.00"), 0)]
    assert roles("indkoeber") == [
        ("FK", Role.BUYER, True, Decimal("100000.00"), 0),
        ("IT", Role.REQUISITIONER, False, Decimal("100000.00"), 0),
    ]
    assert roles("godkender") == [
        ("SOL", Role.APPROVER, False, Decimal("10000.00"), Decimal("50000.00")),
        ("SOL", Role.REQUISITIONER, False, Decimal("10000.00"), 0),
    ]
    assert roles("indkoebskonsulent") == [
        ("FK", Role.ASSORTMENT_ADMIN, True, 0, 0),
        ("OEK", Role.REQUISITIONER, False, Decimal("10000.00"), 0),
    ]
    assert roles("oekonomi") == [("FK", Role.FINANCE, True, 0, 0)]
    assert roles("admin") == [("FK", Role.MUNICIPALITY_ADMIN, True, 0, 0)]
    karen = User.objects.get(personreference="KANIE")
    assert sorted(karen.memberships.values_list("unit__code", flat=True)) == [
        "BU",
        "DAG",
        "MAE",
        "SOL",
    ]


def test_agreement_dates_follow_today() -> None:
    with time_machine.travel(date(2029, 3, 1), tick=False):
        _seed()
    office = Agreement.objects.get(number="50.57")
    # generated 2026-11-26, so every date moves 826 days; the end includes the used extension
    assert (office.valid_from, office.valid_to) == (date(2027, 2, 5), date(2030, 2, 3))
    assert office.valid_from <= date(2029, 3, 1) <= office.valid_to
    assert MonthlyBudget.objects.filter(year=2029).count() == 228
    assert MonthlyBudget.objects.exclude(year=2029).count() == 0


def test_a_later_seed_moves_the_dates_again() -> None:
    with time_machine.travel(date(2026, 11, 26), tick=False):
        _seed()
    with time_machine.travel(date(2026, 12, 26), tick=False):
        output = _seed()
    office = Agreement.objects.get(number="50.57")
    assert office.valid_to == date(2027, 11, 30)
    assert "Updated: 6 agreement." in output
    assert Agreement.objects.count() == 6


def test_budgets_are_for_the_current_year_and_sum_to_the_annual_total() -> None:
    with time_machine.travel(date(2027, 5, 1), tick=False):
        _seed()
    daycare = CostCentre.objects.get(code="OEK-1000")
    total = sum(daycare.budgets.filter(year=2027).values_list("amount", flat=True), Decimal(0))
    assert total == Decimal("60000.00")


def test_demo_products_keep_their_prices_units_and_labels() -> None:
    _seed()
    flour = Product.objects.get(supplier_item_number="FØ-0701")
    assert (flour.name, flour.unit_code, flour.unit_price) == (
        "Hvedemel, 2 kg",
        "EA",
        Decimal("16.5000"),
    )
    paper = Product.objects.get(gtin="5799997000159")
    assert paper.eco_labels == ["eu_ecolabel"]
    assert (paper.pack_quantity, paper.pack_unit_code) == (Decimal("5.000"), "PK")
    # the items of 50.93's lot DA2, which Fjordby may not use, are kept but not orderable
    assert AgreementLot.objects.get(agreement__number="50.93", code="DA2").is_available is False
    assert Product.objects.filter(lot__is_available=False).count() == 3


def test_the_demo_requisitioner_can_buy_the_pancake_list() -> None:
    _seed()
    anne = User.objects.get(username="rekvirent")
    solsikken = OrgUnit.objects.get(code="SOL")
    products = product_list_for_unit(user=anne, unit=solsikken, on=timezone.localdate())
    names = set(products.values_list("name", flat=True))
    assert {"Hvedemel, 2 kg", "Salt, fint, 1 kg", "Sukker, stødt, 1 kg", "Sødmælk 3,5 %"} <= names
    assert products.filter(is_recommended_here=True).count() == 12
    assert not products.filter(category__code="it_hardware").exists()  # buyers only


def test_seed_demo_refuses_real_mode_unless_forced(settings: Any) -> None:
    settings.IS_REAL_MODE = True
    with pytest.raises(CommandError, match="refuses to run in real mode"):
        call_command("seed_demo", stdout=StringIO())
    assert Municipality.objects.count() == 0
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Municipality.objects.count() == 1


def test_a_broken_data_file_is_reported_with_its_line(tmp_path: Any) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "meta": {,\n}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json, line 2: not valid JSON"):
        call_command("seed_demo", "--file", str(broken), stdout=StringIO())
    assert Municipality.objects.count() == 0


def test_a_login_taken_by_another_account_is_reported_and_nothing_is_loaded() -> None:
    User.objects.create_superuser("admin", "drift@rekvi.example", "hemmelig")
    with pytest.raises(CommandError, match="the login 'admin' already belongs to another account"):
        call_command("seed_demo", stdout=StringIO())
    assert Municipality.objects.count() == 0
    assert User.objects.get(username="admin").is_superuser is True


def test_the_demo_punches_out_to_the_address_it_is_opened_at(client: Any, settings: Any) -> None:
    """seed_demo writes the demo supplier's addresses under SITE_URL (port 8000), but a demo
    opened at another address and port punches out there, to the demo supplier it serves."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEMO_SUPPLIER_BASE_URL = ""  # the default: the demo supplier this Rekvi serves
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "demo.fjordby.example"]
    _seed()
    shop = Supplier.objects.get(name="Kontorhuset Danmark A/S")
    assert shop.punchout_url == "http://127.0.0.1:8000/demo-supplier/kontorhuset/oci/"
    client.force_login(User.objects.get(username="rekvirent"))
    response = client.post(
        f"/webshops/{shop.pk}/start/", HTTP_HOST="demo.fjordby.example:8080", follow=False
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="http://demo.fjordby.example:8080/demo-supplier/kontorhuset/oci/"' in page
    assert 'name="HOOK_URL" value="http://demo.fjordby.example:8080/punchout/return/' in page


def test_a_demo_supplier_set_elsewhere_is_punched_out_to_as_set(client: Any, settings: Any) -> None:
    settings.DEMO_SUPPLIER_BASE_URL = "https://leverandoer.fjordby.example/demo-supplier"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "demo.fjordby.example"]
    _seed()
    shop = Supplier.objects.get(name="Kontorhuset Danmark A/S")
    client.force_login(User.objects.get(username="rekvirent"))
    response = client.post(f"/webshops/{shop.pk}/start/", HTTP_HOST="demo.fjordby.example:8080")
    assert (
        'action="https://leverandoer.fjordby.example/demo-supplier/kontorhuset/oci/"'
        in response.content.decode()
    )
