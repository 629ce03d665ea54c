"""URLs. Pages are Danish at `/` and English at `/en/` (the language is in the path, so a plain
link switches it); machine endpoints (APIs, punch-out returns) will live outside the prefix.
The demo supplier (settings.DEMO_SUPPLIER_ENABLED) is another company's web shop: it lives at
`/demo-supplier/`, outside the language prefix, and only when it is installed.
"""

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/v1/catalog/", include("catalog.api.urls")),
    path("api/v1/", include("orders.api.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("punchout/", include("punchout.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("shop.urls")),
    prefix_default_language=False,
)
#: A request parameter that cannot be read (core.params.BadInput): 400 with its message.
handler400 = "shop.views.bad_request"
if apps.is_installed("demo_supplier"):
    urlpatterns.append(path("demo-supplier/", include("demo_supplier.urls")))
