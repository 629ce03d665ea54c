"""The admin for the organisation. Every list and every choice is scoped to one municipality."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from org.models import (
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
from org.services import municipality_create, org_unit_create, org_unit_move


class MunicipalityScopedAdmin(admin.ModelAdmin[Any]):
    """A ModelAdmin that shows a person only their own municipality's rows and choices.

    `admin_roles` are the roles that may use it (superusers always may); `municipality_path` is
    the lookup from the model to its municipality.
    """

    admin_roles: frozenset[Role] = frozenset({Role.MUNICIPALITY_ADMIN})
    municipality_path = "municipality"

    def _may(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_active:
            return False
        return bool(user.is_superuser) or user_has_role(user=user, roles=self.admin_roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.municipality_path: _municipality_id(request)})

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            scope_choices(field, request)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            scope_choices(field, request)
        return field


def _municipality_id(request: HttpRequest) -> int | None:
    """The signed-in person's municipality (None for platform operators)."""
    user = request.user
    return user.municipality_id if isinstance(user, User) else None


def scope_choices(field: Any, request: HttpRequest) -> None:
    """Limit a choice field to the signed-in person's municipality, preselecting it if alone."""
    municipality_id = _municipality_id(request)
    model = field.queryset.model
    if model is Municipality:
        field.queryset = field.queryset.filter(pk=municipality_id)
        field.initial = municipality_id
        field.empty_label = None
    elif any(f.name == "municipality" for f in model._meta.get_fields()):
        field.queryset = field.queryset.filter(municipality_id=municipality_id)


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


class ScopedInline(admin.TabularInline[Any, Any]):
    admin_roles: frozenset[Role] = frozenset({Role.MUNICIPALITY_ADMIN})
    extra = 0
    form = MunicipalityOwnedInlineForm
    formset = MunicipalityInlineFormSet

    def _may(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser) or user_has_role(
            user=request.user, roles=self.admin_roles
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            scope_choices(field, request)
        return field


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
        fields = {name: getattr(obj, name) for name in form.cleaned_data if name != "id"}
        created = municipality_create(**fields)  # also creates the top unit
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
        unit = self.instance
        if unit.pk is not None and unit.parent_id is None and parent is not None:
            raise ValidationError(_("The top unit cannot be moved."))
        if unit.pk is not None and parent is not None and f"/{unit.pk}/" in parent.path:
            raise ValidationError(
                _("A unit cannot be placed under itself or one of its own units.")
            )
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
        if "parent" in form.changed_data and new_parent is not None:
            obj.parent_id = form.initial["parent"]
            obj.save()
            org_unit_move(unit=obj, new_parent=new_parent)
            obj.refresh_from_db()
        else:
            obj.save()


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
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, *self.superuser_fieldsets)
        return fieldsets
