from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")
    default = True


class RekviAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with Rekvi's site: entered by role, every list scoped to a municipality."""

    default = False
    default_site = "org.admin_site.RekviAdminSite"
