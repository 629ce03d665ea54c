"""Returned punch-out carts, for the procurement office: every cart a supplier's shop sent
back, as received (any shared secret blanked), with what the checks found. Read only."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from org.admin import MunicipalityScopedAdmin, ReadOnlyAdminMixin
from org.models import CATALOGUE_ADMIN_ROLES
from punchout.models import ReturnedCart
from punchout.services import returned_cart_identity_note


@admin.register(ReturnedCart)
class ReturnedCartAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ADMIN_ROLES
    list_display = ["created_at", "supplier", "person", "state", "problem", "identity"]
    list_filter = ["state", "session__supplier"]
    search_fields = ["session__supplier__name", "session__user__username", "problem"]
    list_select_related = ["session__supplier", "session__user"]
    fields = (
        "created_at",
        "supplier",
        "person",
        "state",
        "problem",
        "identity",
        "content_type",
        "message",
    )
    readonly_fields = fields

    @admin.display(description=_("supplier"))
    def supplier(self, returned: ReturnedCart) -> str:
        return returned.session.supplier.name

    @admin.display(description=_("person"))
    def person(self, returned: ReturnedCart) -> str:
        user = returned.session.user
        return user.get_full_name() or user.get_username()

    @admin.display(description=_("signed by"))
    def identity(self, returned: ReturnedCart) -> str:
        """Who signed a cart kept from an identity the supplier does not list, and a link to
        the supplier's settings, where the procurement office can add it."""
        note = returned_cart_identity_note(returned)
        if not note:
            return ""
        return format_html(
            '{} <a href="{}">{}</a>',
            note,
            reverse("admin:catalog_supplier_change", args=[returned.session.supplier_id]),
            _("Open the punch-out settings of %(supplier)s")
            % {"supplier": returned.session.supplier.name},
        )

    @admin.display(description=_("message as received"))
    def message(self, returned: ReturnedCart) -> str:
        return bytes(returned.raw).decode("utf-8", "replace")
