from django.urls import path

from catalog.api.views import ProductSearchApi

app_name = "catalog_api"

urlpatterns = [path("search", ProductSearchApi.as_view(), name="search")]
