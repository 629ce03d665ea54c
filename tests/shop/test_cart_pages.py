"""The cart, checkout and order pages: what a requisitioner sees and does, in Danish."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from orders.models import CartLine, Order
from orders.services import (
    CheckoutChoices,
    cart_checkout,
    cart_get_for,
    cart_line_add,
    favourite_line_add,
    favourite_list_create,
    order_reject,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import orderable_product
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the pages order as of today


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


@pytest.fixture
def signed_in(client: Client, requisitioner: User) -> Client:
    client.force_login(requisitioner)
    return client


def _add(client: Client, tree: Tree, product_id: int, quantity: str, *, htmx: bool) -> object:
    return client.post(
        "/cart/add/",
        {"product": product_id, "quantity": quantity, "unit": tree.daycare.pk, "next": "/search/"},
        headers={"HX-Request": "true"} if htmx else {},
    )


def test_an_item_goes_in_the_cart_from_the_search_results(
    signed_in: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    response = _add(signed_in, tree, shop.flour.pk, "2,5", htmx=True)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert page_text(response.content) == (  # type: ignore[attr-defined]
        "Kurven rummer nu 2,5 af Hvedemel, 2 kg. Gå til kurven"
    )
    response = _add(signed_in, tree, shop.flour.pk, "1", htmx=False)  # without JavaScript
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/search/"  # type: ignore[index]
    assert list(CartLine.objects.values_list("product", "quantity")) == [
        (shop.flour.pk, Decimal("3.500"))
    ]


def test_a_bad_quantity_is_answered_next_to_the_button_and_nothing_is_added(
    signed_in: Client, shop: Shop, tree: Tree
) -> None:
    response = _add(signed_in, tree, shop.flour.pk, "-1", htmx=True)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert page_text(response.content) == (  # type: ignore[attr-defined]
        "Antallet skal være mere end 0. Fjern linjen i stedet for at udelade varen."
    )
    assert not CartLine.objects.exists()


def test_the_cart_shows_one_order_per_supplier_and_what_awaits_approval(
    signed_in: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.eggs.pk, quantity="60", on=TODAY)
    cart_line_add(cart=cart, product_id=shop.milk.pk, quantity="2", on=TODAY)
    text = page_text(signed_in.get("/cart/").content)
    assert "Kurven bliver til 2 ordrer ved bestillingen, én pr. leverandør." in text
    assert (
        "Denne ordre (3.240,00 kr.) er over din ordregrænse på 3.000,00 kr.: den skal godkendes "
        "af en godkender." in text
    )
    assert "Ordre til Grossisten, ekskl. moms 3.240,00 kr." in text
    assert "Ordre til Mejeriet, ekskl. moms 22,50 kr." in text
    assert "I alt ekskl. moms 3.262,50 kr. Moms 25 % 815,63 kr." in text


@pytest.mark.parametrize("lines", [1, 30])
def test_the_cart_page_costs_the_same_queries_for_any_number_of_lines(
    signed_in: Client,
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    lines: int,
    django_assert_max_num_queries: object,
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    for number in range(lines):
        product = orderable_product(
            supplier=shop.flour.supplier if number % 2 else shop.milk.supplier,
            agreement=shop.flour.agreement,
            name=f"Vare {number}",
        )
        cart_line_add(cart=cart, product_id=product.pk, quantity="1", on=TODAY)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = signed_in.get("/cart/")
    assert response.status_code == 200
    assert page_text(response.content).count("Fjern Vare") == lines


def test_a_quantity_is_read_as_a_dane_writes_it_and_shown_as_read(
    signed_in: Client, shop: Shop, tree: Tree
) -> None:
    # 1.000 is a thousand in Danish (it was read as 1), 1,5 is one and a half
    thousand = _add(signed_in, tree, shop.flour.pk, "1.000", htmx=True)
    assert page_text(thousand.content) == (  # type: ignore[attr-defined]
        "Kurven rummer nu 1.000 af Hvedemel, 2 kg. Gå til kurven"
    )
    line = CartLine.objects.get()
    assert line.quantity == Decimal("1000.000")
    signed_in.post(f"/cart/lines/{line.pk}/", {"action": "update", "quantity": "1,5"})
    assert CartLine.objects.get().quantity == Decimal("1.500")
    signed_in.post(f"/cart/lines/{line.pk}/", {"action": "update", "quantity": "2.5"})
    assert CartLine.objects.get().quantity == Decimal("2.500")  # can only be read one way
    cart = page_text(signed_in.get("/cart/").content)
    assert 'value="2,5"' in signed_in.get("/cart/").content.decode()
    assert "Hvedemel, 2 kg" in cart


def test_a_quantity_is_read_as_the_english_pages_write_it(
    signed_in: Client, shop: Shop, tree: Tree
) -> None:
    signed_in.post(
        "/en/cart/add/",
        {"product": shop.flour.pk, "quantity": "1,000", "unit": tree.daycare.pk},
    )
    assert CartLine.objects.get().quantity == Decimal("1000.000")
    signed_in.post(
        f"/en/cart/lines/{CartLine.objects.get().pk}/", {"action": "update", "quantity": "1.5"}
    )
    assert CartLine.objects.get().quantity == Decimal("1.500")


def test_a_line_is_changed_and_removed(
    signed_in: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    line = cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="1", on=TODAY)
    response = signed_in.post(f"/cart/lines/{line.pk}/", {"action": "update", "quantity": "4"})
    assert response.status_code == 302
    assert CartLine.objects.get().quantity == Decimal("4.000")
    bad = signed_in.post(
        f"/cart/lines/{line.pk}/", {"action": "update", "quantity": "fire"}, follow=True
    )
    assert "Hvedemel, 2 kg: Antallet “fire” er ikke et tal." in page_text(bad.content)
    assert CartLine.objects.get().quantity == Decimal("4.000")
    signed_in.post(f"/cart/lines/{line.pk}/", {"action": "remove"})
    assert not CartLine.objects.exists()


def test_someone_elses_cart_line_is_not_found(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, buyer: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    line = cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="1", on=TODAY)
    client.force_login(buyer)
    response = client.post(f"/cart/lines/{line.pk}/", {"action": "remove"})
    assert response.status_code == 404
    assert CartLine.objects.count() == 1


def test_checkout_places_the_orders_and_lists_them(
    signed_in: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.eggs.pk, quantity="60", on=TODAY)
    cart_line_add(cart=cart, product_id=shop.milk.pk, quantity="2", on=TODAY)
    form = signed_in.get("/checkout/")
    assert "Solsikkevej 1" in page_text(form.content)
    response = signed_in.post(
        "/checkout/",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
            "personreference": "ANJE",
            "note_to_supplier": "Ring på ved hovedindgangen",
        },
        follow=True,
    )
    text = page_text(response.content)
    first, second = Order.objects.order_by("number")
    assert f"Ordre {first.number} til Grossisten afventer godkendelse." in text
    assert f"Ordre {second.number} til Mejeriet er godkendt." in text
    assert "Afventer godkendelse 3.240,00 kr." in text  # in the list of orders
    detail = page_text(signed_in.get(f"/orders/{first.number}/").content)
    assert "Personreference ANJE" in detail
    assert "Ring på ved hovedindgangen" in detail
    assert f"EAN {tree.daycare.gln}" in detail
    assert not CartLine.objects.exists()


def test_a_bad_checkout_choice_is_shown_at_its_field_and_nothing_is_ordered(
    signed_in: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="1", on=TODAY)
    response = signed_in.post(
        "/checkout/",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
            "requested_delivery_date": "2001-01-01",
        },
    )
    assert response.status_code == 422
    assert (
        "Leveringsdatoen er passeret. Vælg i dag eller en senere dag, eller lad feltet stå tomt."
        in page_text(response.content)
    )
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 1


def test_an_order_of_another_municipality_is_not_found(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, stranger: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="1", on=TODAY)
    client.force_login(requisitioner)
    client.post(
        "/checkout/",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
        },
    )
    order = Order.objects.get()
    client.force_login(stranger)
    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert order.number not in page_text(client.get("/orders/").content)


def _checkout(user: User, tree: Tree, shop: Shop, *items: tuple[int, str]) -> list[Order]:
    cart = cart_get_for(user=user, unit=tree.daycare)
    for product_id, quantity in items:
        cart_line_add(cart=cart, product_id=product_id, quantity=quantity, on=TODAY)
    return cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )


def test_a_leader_sees_the_units_orders_with_totals_by_month_and_cost_centre(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    _checkout(requisitioner, tree, shop, (shop.flour.pk, "2"), (shop.milk.pk, "4"))
    [rejected] = _checkout(requisitioner, tree, shop, (shop.eggs.pk, "100"))
    order_reject(order=rejected, by=approver, reason="For mange æg")
    client.force_login(approver)  # leader of Børn og Unge, with its subtree
    text = page_text(client.get("/orders/").content)
    month = date_format(TODAY, "F Y")
    assert f"Bestilt i {TODAY.year} pr. måned og omkostningssted" in text
    # 25,90 + 45,00; the rejected order is not counted
    assert f"{month} 51010 Solsikken drift 2 70,90 kr." in text
    assert f"I alt, {TODAY.year} 70,90 kr." in text
    assert text.count("Solsikken") >= 3  # the orders are listed too


def test_a_leader_narrows_the_orders_to_a_unit_and_a_month(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    [this_month] = _checkout(requisitioner, tree, shop, (shop.flour.pk, "2"))
    [earlier] = _checkout(requisitioner, tree, shop, (shop.milk.pk, "4"))
    [cancelled] = _checkout(requisitioner, tree, shop, (shop.eggs.pk, "1"))
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=15)
    Order.objects.filter(pk=earlier.pk).update(
        created_at=timezone.make_aware(datetime.combine(last_month, time(12)))
    )
    client.force_login(approver)
    month = today.strftime("%Y-%m")
    text = page_text(client.get(f"/orders/?unit={tree.daycare.pk}&month={month}").content)
    assert (
        "1 ordre købt, 25,90 kr. ekskl. moms (afviste og annullerede ordrer tælles ikke med)."
        in text
    )
    assert this_month.number in text
    assert cancelled.number in text
    assert earlier.number not in text
    text = page_text(client.get(f"/orders/?unit={tree.sibling_daycare.pk}&month={month}").content)
    assert "Ingen ordrer passer til dit valg." in text
    text = page_text(client.get("/orders/?status=cancelled&month=1999-01&unit=x").content)
    assert "0 ordrer købt, 0,00 kr." in text  # the unknown month and unit are ignored
    assert cancelled.number in text


@pytest.mark.parametrize("orders", [1, 12])
def test_the_order_list_costs_the_same_queries_for_any_number_of_orders(
    client: Client,
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    orders: int,
    django_assert_max_num_queries: object,
) -> None:
    for _number in range(orders):
        _checkout(requisitioner, tree, shop, (shop.flour.pk, "1"))
    client.force_login(requisitioner)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get("/orders/")
    assert page_text(response.content).count("Grossisten") == orders


@pytest.mark.parametrize("lines", [1, 30])
def test_the_favourite_list_page_costs_the_same_queries_for_any_number_of_lines(
    client: Client,
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    lines: int,
    django_assert_max_num_queries: object,
) -> None:
    favourite = favourite_list_create(owner=requisitioner, unit=tree.daycare, name="Uge")
    for number in range(lines):
        product = orderable_product(
            supplier=shop.flour.supplier, agreement=shop.flour.agreement, name=f"Vare {number}"
        )
        favourite_line_add(
            favourite_list=favourite,
            by=requisitioner,
            product_id=product.pk,
            quantity="1",
            on=TODAY,
        )
    client.force_login(requisitioner)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        response = client.get(f"/favourites/{favourite.pk}/")
    assert page_text(response.content).count("Fjern Vare") == lines
