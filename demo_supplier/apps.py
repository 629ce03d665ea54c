from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoSupplierConfig(AppConfig):
    name = "demo_supplier"
    verbose_name = _("Demo supplier")
