"""Standard packages in the administration, for procurement officers (buyers use the shop)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F
from django.http import HttpRequest

from orders.models import StandardPackage, StandardPackageLine
from org.admin import MunicipalityScopedAdmin, RoleGatedMixin
from org.models import CATALOGUE_ADMIN_ROLES


class StandardPackageLineInline(RoleGatedMixin, admin.TabularInline[Any, Any]):
    model = StandardPackageLine
    admin_roles = CATALOGUE_ADMIN_ROLES
    extra = 0
    autocomplete_fields = ["product"]


@admin.register(StandardPackage)
class StandardPackageAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ADMIN_ROLES
    list_display = ["name", "version", "pre_approved_up_to", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["version"]
    inlines = [StandardPackageLineInline]

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Any],
        formsets: Any,
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            # other lines: a new version, so carts filled before are no longer "unchanged"
            StandardPackage.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)
