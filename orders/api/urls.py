from django.urls import path

from orders.api import views

urlpatterns = [
    path("cart", views.CartView.as_view(), name="api_cart"),
    path("cart/lines", views.CartLinesView.as_view(), name="api_cart_lines"),
    path("cart/lines/<int:line_id>", views.CartLineView.as_view(), name="api_cart_line"),
    path("cart/checkout", views.CheckoutView.as_view(), name="api_checkout"),
    path("cart/free-text", views.FreeTextView.as_view(), name="api_free_text"),
    path("orders", views.OrderListView.as_view(), name="api_orders"),
    path("orders/<str:number>", views.OrderDetailView.as_view(), name="api_order"),
    path(
        "orders/<str:number>/decision",
        views.OrderDecisionView.as_view(),
        name="api_order_decision",
    ),
    path(
        "orders/<str:number>/receipt",
        views.OrderReceiptView.as_view(),
        name="api_order_receipt",
    ),
    path(
        "orders/<str:number>/cancel",
        views.OrderCancelView.as_view(),
        name="api_order_cancel",
    ),
    path("approvals", views.ApprovalQueueView.as_view(), name="api_approvals"),
    path("approvals/delegations", views.DelegationsView.as_view(), name="api_delegations"),
    path(
        "approvals/delegations/<int:delegation_id>/end",
        views.DelegationEndView.as_view(),
        name="api_delegation_end",
    ),
    path("packages", views.PackagesView.as_view(), name="api_packages"),
    path(
        "packages/<int:package_id>/to-carts",
        views.PackageToCartsView.as_view(),
        name="api_package_to_carts",
    ),
    path("favourite-lists", views.FavouriteListsView.as_view(), name="api_favourite_lists"),
    path(
        "favourite-lists/<int:list_id>/to-cart",
        views.FavouriteListToCartView.as_view(),
        name="api_favourite_list_to_cart",
    ),
]
