from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PunchoutConfig(AppConfig):
    name = "punchout"
    verbose_name = _("Punch-out")
