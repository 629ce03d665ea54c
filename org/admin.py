"""The admin for the organisation. Every list and every choice is scoped to one municipality."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.params import MAX_ID
from org.models import (
    ORGANISATION_ADMIN_ROLES,
    CostCentre,
    DeliveryAddress,
    Membership,
    MonthlyBudget,
    Municipality,
    OrgUnit,
    Role,
    User,
)
from org.selectors import user_has_role
from org.services import municipality_create, org_unit_create, org_unit_move, org_unit_update


def _municipality_id(request: HttpRequest) -> int | None:
    """The signed-in person's municipality (None for platform operators)."""
    user = request.user
    return user.municipality_id if isinstance(user, User) else None


def scope_choices(field: Any, request: HttpRequest) -> None:
    """Limit a choice field to the signed-in person's municipality, preselecting it if alone.

    People to choose from never include platform operators (superusers).
    """
    municipality_id = _municipality_id(request)
    model = field.queryset.model
    if model is Municipality:
        field.queryset = field.queryset.filter(pk=municipality_id)
        field.initial = municipality_id
        field.empty_label = None
    elif any(f.name == "municipality" for f in model._meta.get_fields()):
        field.queryset = field.queryset.filter(municipality_id=municipality_id)
    if model is User:
        field.queryset = field.queryset.filter(is_superuser=False)


class ReadableAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, showing only a sent value that can be an id. Django's looks
    up whatever was posted to show it again, and a value such as "²" or 2**64 (which the
    form's own validation refuses with a message) would fail that lookup with a 500."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        readable = [
            item
            for item in value
            if str(item).isascii() and str(item).isdigit() and int(str(item)) <= MAX_ID
        ]
        return super().optgroups(name, readable, attr)


class RoleGatedMixin:
    """Admin permissions by role (superusers always), and foreign-key choices scoped to the
    signed-in person's municipality. For ModelAdmins and inlines alike."""

    admin_roles: frozenset[Role] = ORGANISATION_ADMIN_ROLES

    def _may(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_active:
            return False
        return bool(user.is_superuser) or user_has_role(user=user, roles=self.admin_roles)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]  # mixed into an admin class
        if field is not None and type(field.widget) is AutocompleteSelect:
            widget = field.widget
            field.widget = ReadableAutocompleteSelect(
                widget.field, widget.admin_site, attrs=widget.attrs, using=widget.db
            )
        if field is not None and not request.user.is_superuser:
            scope_choices(field, request)
        return field


class ReadOnlyAdminMixin:
    """For records made elsewhere (imports, returned carts): listed and shown, never added,
    changed or deleted in the administration."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MunicipalityScopedAdmin(RoleGatedMixin, admin.ModelAdmin[Any]):
    """A ModelAdmin that shows a person only their own municipality's rows and choices.

    `municipality_path` is the lookup from the model to its municipality. A row's municipality
    is chosen when it is created and never changed afterwards.
    """

    municipality_path = "municipality"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.municipality_path: _municipality_id(request)})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.municipality_path == "municipality":
            readonly.append("municipality")
        return readonly


class MunicipalityOwnedInlineForm(forms.ModelForm[Any]):
    """An inline row whose municipality comes from its parent row, and is still validated.

    The municipality is not a form field, but the per-municipality uniqueness rules must run.
    """

    def _get_validation_exclusions(self) -> set[str]:
        exclusions: set[str] = set(super()._get_validation_exclusions())  # type: ignore[misc]  # Django private API
        exclusions.discard("municipality")
        return exclusions


class MunicipalityInlineFormSet(forms.BaseInlineFormSet[Any, Any, Any]):
    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]  # Django private API
        if form.instance.municipality_id is None:
            form.instance.municipality_id = self.instance.municipality_id
        return form


class ScopedInline(RoleGatedMixin, admin.TabularInline[Any, Any]):
    extra = 0
    form = MunicipalityOwnedInlineForm
    formset = MunicipalityInlineFormSet


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    municipality_path = "pk"
    list_display = ["name", "cvr", "gln", "order_number_prefix", "city"]
    search_fields = ["name", "cvr", "gln"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def save_model(
        self, request: HttpRequest, obj: Municipality, form: forms.ModelForm[Any], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = municipality_create(  # also creates the top unit
            name=obj.name,
            cvr=obj.cvr,
            gln=obj.gln,
            order_number_prefix=obj.order_number_prefix,
            street=obj.street,
            postal_code=obj.postal_code,
            city=obj.city,
            country=obj.country,
            website=obj.website,
        )
        obj.pk = created.pk


class OrgUnitAdminForm(forms.ModelForm[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = [
            "municipality",
            "parent",
            "code",
            "name",
            "kind",
            "gln",
            "receives_invoices",
            "is_active",
        ]

    def clean_parent(self) -> OrgUnit | None:
        parent: OrgUnit | None = self.cleaned_data.get("parent")
        if self.instance.pk is not None and self.instance.parent_id is None and parent is not None:
            raise ValidationError(_("The top unit cannot be moved."))
        return parent


class DeliveryAddressInline(ScopedInline):
    model = DeliveryAddress
    fields = [
        "code",
        "label",
        "gln",
        "street",
        "postal_code",
        "city",
        "attention",
        "delivery_note",
        "is_active",
    ]


class CostCentreInline(ScopedInline):
    model = CostCentre
    fields = ["code", "name", "default_account", "is_active"]
    show_change_link = True


@admin.register(OrgUnit)
class OrgUnitAdmin(MunicipalityScopedAdmin):
    form = OrgUnitAdminForm
    list_display = ["indented_name", "code", "kind", "gln", "receives_invoices", "is_active"]
    list_filter = ["kind", "is_active", "receives_invoices"]
    search_fields = ["name", "code", "gln"]
    ordering = ["municipality", "path"]
    inlines = [DeliveryAddressInline, CostCentreInline]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit: OrgUnit) -> str:
        return "\u2003" * unit.depth + unit.name

    def save_model(
        self, request: HttpRequest, obj: OrgUnit, form: forms.ModelForm[Any], change: bool
    ) -> None:
        """Through the services, which keep the tree's paths right."""
        if not change:
            created = org_unit_create(
                municipality=obj.municipality,
                parent=obj.parent,
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                gln=obj.gln,
                receives_invoices=obj.receives_invoices,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        new_parent = obj.parent
        stored = OrgUnit.objects.get(pk=obj.pk)
        org_unit_update(
            unit=stored,
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            gln=obj.gln,
            receives_invoices=obj.receives_invoices,
            is_active=obj.is_active,
        )
        if new_parent is not None and new_parent.pk != stored.parent_id:
            org_unit_move(unit=stored, new_parent=new_parent)
        obj.refresh_from_db()


@admin.register(DeliveryAddress)
class DeliveryAddressAdmin(MunicipalityScopedAdmin):
    list_display = ["label", "unit", "street", "postal_code", "city", "gln", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "code", "street", "city", "gln", "unit__name"]
    list_select_related = ["unit"]


class MonthlyBudgetInline(ScopedInline):
    model = MonthlyBudget
    fields = ["year", "month", "amount"]
    ordering = ["-year", "month"]


@admin.register(CostCentre)
class CostCentreAdmin(MunicipalityScopedAdmin):
    list_display = ["code", "name", "unit", "default_account", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [MonthlyBudgetInline]


@admin.register(MonthlyBudget)
class MonthlyBudgetAdmin(MunicipalityScopedAdmin):
    list_display = ["cost_centre", "year", "month", "amount"]
    list_filter = ["year"]
    search_fields = ["cost_centre__code", "cost_centre__name"]
    list_select_related = ["cost_centre"]


@admin.register(Membership)
class MembershipAdmin(MunicipalityScopedAdmin):
    list_display = ["user", "role", "unit", "includes_subtree", "order_limit", "approval_limit"]
    list_filter = ["role", "includes_subtree"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit"]


class MembershipInline(ScopedInline):
    model = Membership
    fk_name = "user"
    fields = ["unit", "role", "includes_subtree", "order_limit", "approval_limit"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("municipality", "username")
        field_classes = {"username": UsernameField}


class UserChangeForm(DjangoUserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}


@admin.register(User)
class UserAdmin(MunicipalityScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "personreference", "email", "is_active"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email", "personreference"]
    inlines = [MembershipInline]
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {
                "fields": (
                    "municipality",
                    "first_name",
                    "last_name",
                    "email",
                    "personreference",
                    "job_title",
                )
            },
        ),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = ((_("Platform operator"), {"fields": ("is_superuser", "is_staff")}),)
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("municipality", "username", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """Platform operators are never shown to, let alone changed by, a municipality."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, *self.superuser_fieldsets)
        return fieldsets
