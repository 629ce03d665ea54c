"""The demo supplier, mounted at /demo-supplier/ by config/urls.py when it is installed.

    /demo-supplier/                                     what is offered, and the URLs to set up
    /demo-supplier/img/<sku>.svg                        a product's picture
    /demo-supplier/<supplier>/cxml/setup                POST a cXML PunchOutSetupRequest
    /demo-supplier/<supplier>/cxml/order                POST a cXML OrderRequest
    /demo-supplier/<supplier>/oci/                      GET or POST the OCI outbound parameters
    /demo-supplier/<supplier>/orders/                   the orders received, newest first
    /demo-supplier/<supplier>/shop/<token>/             the product list (the start page)
    /demo-supplier/<supplier>/shop/<token>/product/<sku>/
    /demo-supplier/<supplier>/shop/<token>/cart/        the cart
    /demo-supplier/<supplier>/shop/<token>/cart/add/    POST: "Læg i kurv"
    /demo-supplier/<supplier>/shop/<token>/cart/update/ POST: change a quantity, remove a line
    /demo-supplier/<supplier>/shop/<token>/return/      POST: the page that posts the cart back
    /demo-supplier/<supplier>/shop/<token>/cancel/      an empty cart goes back

<supplier> is nordlys-it or kontorhuset; `?fault=` on an entry URL picks a fault mode.
"""

from __future__ import annotations

from django.urls import path, register_converter

from demo_supplier import views
from demo_supplier.catalogue import SUPPLIERS, Supplier, supplier_get


class SupplierConverter:
    """A supplier's slug in the URL, the Supplier in the view."""

    regex = "|".join(SUPPLIERS)

    def to_python(self, value: str) -> Supplier:
        return supplier_get(value)

    def to_url(self, value: Supplier | str) -> str:
        return value.slug if isinstance(value, Supplier) else value


register_converter(SupplierConverter, "demo_supplier")

app_name = "demo_supplier"

SHOP = "<demo_supplier:supplier>/shop/<str:token>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("img/<str:sku>.svg", views.picture, name="picture"),
    path("<demo_supplier:supplier>/cxml/setup", views.cxml_setup, name="cxml_setup"),
    path("<demo_supplier:supplier>/cxml/order", views.cxml_order, name="cxml_order"),
    path("<demo_supplier:supplier>/oci/", views.oci_entry, name="oci"),
    path("<demo_supplier:supplier>/orders/", views.order_list, name="orders"),
    path(SHOP, views.shop, name="shop"),
    path(f"{SHOP}product/<str:sku>/", views.product, name="product"),
    path(f"{SHOP}cart/", views.cart, name="cart"),
    path(f"{SHOP}cart/add/", views.cart_add_view, name="cart_add"),
    path(f"{SHOP}cart/update/", views.cart_update, name="cart_update"),
    path(f"{SHOP}return/", views.cart_return, name="return"),
    path(f"{SHOP}cancel/", views.cart_cancel, name="cancel"),
]
