from django.contrib.auth.views import LogoutView
from django.urls import path

from shop import views

app_name = "shop"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("status/", views.system_status, name="system_status"),
    path("e-handel/", views.ehandel_policy, name="ehandel_policy"),
    path("search/", views.catalogue_search, name="catalogue_search"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>/", views.cart_line_change, name="cart_line_change"),
    path("checkout/", views.checkout, name="checkout"),
    path("free-text/", views.free_text, name="free_text"),
    path("free-text/hint/", views.free_text_hint, name="free_text_hint"),
    path("webshops/", views.punchout_suppliers, name="punchout_suppliers"),
    path("webshops/<int:supplier_id>/start/", views.punchout_start, name="punchout_start"),
    path("webshops/returned/<int:cart_id>/", views.punchout_review, name="punchout_review"),
    path("webshops/tests/", views.punchout_self_tests, name="punchout_self_tests"),
    path("webshops/tests/<int:session_id>/", views.punchout_self_test, name="punchout_self_test"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/decision/", views.order_decide, name="order_decide"),
    path("orders/<str:number>/edit/", views.order_edit_view, name="order_edit"),
    path("orders/<str:number>/cancel/", views.order_cancel_view, name="order_cancel"),
    path("orders/<str:number>/reorder/", views.order_reorder_view, name="order_reorder"),
    path("orders/<str:number>/receipt/", views.order_receive, name="order_receive"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path(
        "approvals/delegations/<int:delegation_id>/end/",
        views.delegation_end_view,
        name="delegation_end",
    ),
    path("packages/", views.packages, name="packages"),
    path("packages/<int:package_id>/", views.package_detail, name="package_detail"),
    path("favourites/", views.favourite_lists, name="favourite_lists"),
    path("favourites/add/", views.favourite_add, name="favourite_add"),
    path("favourites/<int:list_id>/", views.favourite_list, name="favourite_list"),
    path("favourites/<int:list_id>/cart/", views.favourite_list_cart, name="favourite_list_cart"),
    path(
        "favourites/<int:list_id>/lines/<int:line_id>/",
        views.favourite_line_change,
        name="favourite_line_change",
    ),
    path("assortment/", views.assortment_units, name="assortment_units"),
    path("assortment/<int:unit_id>/", views.assortment_unit, name="assortment_unit"),
    path("catalogue-imports/", views.catalogue_imports, name="catalogue_imports"),
    path(
        "suppliers/<int:supplier_id>/categories/",
        views.supplier_categories,
        name="supplier_categories",
    ),
    path("catalogue-imports/new/", views.catalogue_import_new, name="catalogue_import_new"),
    path(
        "catalogue-imports/<int:import_id>/",
        views.catalogue_import_detail,
        name="catalogue_import_detail",
    ),
    path(
        "catalogue-imports/<int:import_id>/progress/",
        views.catalogue_import_progress_part,
        name="catalogue_import_progress",
    ),
    path(
        "catalogue-imports/<int:import_id>/decision/",
        views.catalogue_import_decide,
        name="catalogue_import_decide",
    ),
    path(
        "catalogue-imports/<int:import_id>/file/",
        views.catalogue_import_file,
        name="catalogue_import_file",
    ),
]
