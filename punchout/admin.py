"""Returned punch-out carts, for the procurement office: every cart a supplier's shop sent
back, as received (any shared secret blanked), with what the checks found. Read only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from org.admin import MunicipalityScopedAdmin
from org.models import CATALOGUE_ADMIN_ROLES
from punchout.models import ReturnedCart


@admin.register(ReturnedCart)
class ReturnedCartAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ADMIN_ROLES
    list_display = ["created_at", "supplier", "person", "state", "problem"]
    list_filter = ["state", "session__supplier"]
    search_fields = ["session__supplier__name", "session__user__username", "problem"]
    list_select_related = ["session__supplier", "session__user"]
    fields = ("created_at", "supplier", "person", "state", "problem", "content_type", "message")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("supplier"))
    def supplier(self, returned: ReturnedCart) -> str:
        return returned.session.supplier.name

    @admin.display(description=_("person"))
    def person(self, returned: ReturnedCart) -> str:
        user = returned.session.user
        return user.get_full_name() or user.get_username()

    @admin.display(description=_("message as received"))
    def message(self, returned: ReturnedCart) -> str:
        return bytes(returned.raw).decode("utf-8", "replace")
