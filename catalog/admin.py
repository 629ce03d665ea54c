"""The catalogue admin: agreements, categories, suppliers (incl. channels), products."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.models import (
    Agreement,
    AgreementLot,
    AgreementSupplier,
    AssortmentRule,
    CatalogueImport,
    Category,
    ColumnMapping,
    EcoLabel,
    EhandelPolicy,
    LotSupplier,
    Product,
    Supplier,
    unit_choices,
)
from catalog.services import supplier_punchout_secret_set
from org.admin import (
    MunicipalityInlineFormSet,
    MunicipalityOwnedInlineForm,
    MunicipalityScopedAdmin,
    ReadOnlyAdminMixin,
    RoleGatedMixin,
    ScopedInline,
)
from org.models import CATALOGUE_ADMIN_ROLES as CATALOGUE_ROLES


class AgreementSupplierInline(ScopedInline):
    model = AgreementSupplier
    admin_roles = CATALOGUE_ROLES
    fields = ["supplier"]
    verbose_name = _("supplier on the agreement")
    verbose_name_plural = _(
        "suppliers on the agreement (their catalogues may be imported to it; a supplier "
        "awarded a lot is on it too)"
    )


class AgreementLotInline(ScopedInline):
    model = AgreementLot
    admin_roles = CATALOGUE_ROLES
    fields = ["code", "title", "is_available"]
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    inlines = [AgreementSupplierInline, AgreementLotInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "municipality",
                    "number",
                    "title",
                    "provider",
                    "kind",
                    "obligation",
                    "commodity_area",
                    "is_ehandel_required",
                )
            },
        ),
        (_("Validity"), {"fields": ("valid_from", "valid_to", "joined_on")}),
        (
            _("What buyers should know"),
            {"fields": ("social_clauses", "sustainability_requirements", "terms_for_buyers")},
        ),
    )
    list_display = [
        "number",
        "title",
        "kind",
        "obligation",
        "valid_from",
        "valid_to",
        "is_ehandel_required",
    ]
    list_filter = ["kind", "obligation", "is_ehandel_required"]
    search_fields = ["number", "title", "commodity_area", "provider"]
    date_hierarchy = "valid_to"


@admin.register(Category)
class CategoryAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    list_display = ["name", "code", "unspsc_code", "restricted_to_role"]
    search_fields = ["name", "code", "unspsc_code"]


class IdentityLinesField(forms.CharField):
    """Identities written one per line, kept as a list (blank lines and spaces dropped)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(str(item) for item in value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not str
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class SupplierAdminForm(forms.ModelForm[Supplier]):
    punchout_cart_identities = IdentityLinesField(
        label=_("identities carts may come from"),
        required=False,
        strip=False,
        help_text=_(
            "Besides the To identity: the identities the web shop may sign its returned carts "
            "with (cXML From, OCI NEW_ITEM-VENDOR), one per line."
        ),
    )
    new_punchout_secret = forms.CharField(
        label=_("New shared secret / password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the current one."),
    )
    remove_punchout_secret = forms.BooleanField(
        label=_("Remove the stored shared secret"), required=False
    )

    class Meta:
        model = Supplier
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown


#: The file headings a column mapping asks for, by Rekvi field.
MAPPED_FIELDS = {
    "supplier_item_number": _("Heading of the item number"),
    "name": _("Heading of the name"),
    "unit_price": _("Heading of the unit price"),
    "unit_code": _("Heading of the unit"),
    "gtin": _("Heading of the GTIN (EAN)"),
    "description": _("Heading of the description"),
    "brand": _("Heading of the brand"),
    "pack_quantity": _("Heading of the pack contents"),
    "pack_unit_code": _("Heading of the pack unit"),
    "currency": _("Heading of the currency"),
    "category": _("Heading of the category"),
    "unspsc_code": _("Heading of the UNSPSC code"),
    "min_order_quantity": _("Heading of the minimum order quantity"),
}


class _ColumnMappingFormBase(MunicipalityOwnedInlineForm):
    """The supplier's own column headings, one field per Rekvi field (empty: Rekvi looks for
    the usual Danish and English headings)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = self.instance.columns if isinstance(self.instance.columns, dict) else {}
        for field in MAPPED_FIELDS:
            self.fields[f"heading_{field}"].initial = columns.get(field, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.columns = {
            field: cleaned[f"heading_{field}"].strip()
            for field in MAPPED_FIELDS
            if cleaned.get(f"heading_{field}", "").strip()
        }
        return cleaned

    class Meta:
        model = ColumnMapping
        fields = ["delimiter", "encoding", "decimal_mark"]


ColumnMappingForm = type(
    "ColumnMappingForm",
    (_ColumnMappingFormBase,),
    {
        f"heading_{field}": forms.CharField(label=label, required=False, max_length=100)
        for field, label in MAPPED_FIELDS.items()
    },
)


class ColumnMappingInline(RoleGatedMixin, admin.StackedInline[Any, Any]):
    model = ColumnMapping
    form = ColumnMappingForm
    formset = MunicipalityInlineFormSet
    admin_roles = CATALOGUE_ROLES
    extra = 0
    max_num = 1
    fields = [*(f"heading_{field}" for field in MAPPED_FIELDS), "delimiter", "encoding"]
    fields += ["decimal_mark"]
    verbose_name = _("column mapping of CSV and Excel files")
    verbose_name_plural = _("column mapping of CSV and Excel files")


@admin.register(Supplier)
class SupplierAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    form = SupplierAdminForm
    list_display = ["name", "cvr", "gln", "order_channel", "punchout_protocol", "is_active"]
    list_filter = ["order_channel", "punchout_protocol", "is_active"]
    search_fields = ["name", "cvr", "gln"]
    readonly_fields = ["punchout_secret_status", "punchout_test"]
    inlines = [ColumnMappingInline]
    fieldsets = (
        (None, {"fields": ("municipality", "name", "cvr", "vat_number", "gln", "is_active")}),
        (
            _("Business"),
            {"fields": ("industry", "nace_code", "street", "postal_code", "city", "country")},
        ),
        (_("Orders"), {"fields": ("order_channel", "order_email", "order_url")}),
        (_("Catalogue imports"), {"fields": ("catalogue_auto_approve",)}),
        (
            _("Punch-out"),
            {
                "fields": (
                    "punchout_protocol",
                    "punchout_url",
                    ("punchout_from_domain", "punchout_from_identity"),
                    ("punchout_to_domain", "punchout_to_identity"),
                    "punchout_cart_identities",
                    "punchout_unlisted_identity",
                    ("punchout_sender_domain", "punchout_sender_identity"),
                    "punchout_username",
                    "punchout_secret_status",
                    "new_punchout_secret",
                    "remove_punchout_secret",
                    "punchout_extrinsics",
                    "punchout_oci_parameter_names",
                    "punchout_session_minutes",
                    "punchout_decimal_separator",
                    "punchout_blocked_unspsc",
                    "punchout_test",
                )
            },
        ),
    )

    @admin.display(description=_("test"))
    def punchout_test(self, supplier: Supplier) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("shop:punchout_self_tests"),
            _("Save, then test the punch-out on the web shop tests page"),
        )

    @admin.display(description=_("shared secret"))
    def punchout_secret_status(self, supplier: Supplier) -> str:
        return str(_("stored (encrypted)") if supplier.has_punchout_secret else _("not set"))

    def save_model(
        self, request: HttpRequest, obj: Supplier, form: forms.ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("remove_punchout_secret"):
            supplier_punchout_secret_set(supplier=obj, secret="")
        elif form.cleaned_data.get("new_punchout_secret"):
            supplier_punchout_secret_set(
                supplier=obj, secret=form.cleaned_data["new_punchout_secret"]
            )


class ProductAdminForm(forms.ModelForm[Product]):
    eco_labels = forms.MultipleChoiceField(
        label=_("eco-labels"),
        choices=EcoLabel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Product
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("unit_code", "pack_unit_code"):
            field = self.fields[name]
            blank = [("", "---------")] if name == "pack_unit_code" else []
            current = (
                self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
            )
            field.widget = forms.Select(choices=[*blank, *unit_choices(current=str(current or ""))])


@admin.register(Product)
class ProductAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    form = ProductAdminForm
    list_display = [
        "name",
        "supplier_item_number",
        "supplier",
        "unit_code",
        "unit_price",
        "agreement",
        "is_active",
    ]
    list_filter = [
        "is_active",
        "is_sustainable",
        "is_service",
        ("agreement", admin.RelatedOnlyFieldListFilter),  # only this municipality's
        ("category", admin.RelatedOnlyFieldListFilter),
        ("supplier", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "supplier_item_number", "gtin", "brand"]
    list_select_related = ["supplier", "agreement"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "municipality",
                    "supplier",
                    "supplier_item_number",
                    "gtin",
                    "name",
                    "description",
                    "brand",
                    "is_active",
                )
            },
        ),
        (
            _("Unit and price"),
            {
                "fields": (
                    "unit_code",
                    ("pack_quantity", "pack_unit_code"),
                    "unit_price",
                    "currency",
                    "min_order_quantity",
                )
            },
        ),
        (
            _("Agreement and category"),
            {
                "fields": (
                    "agreement",
                    "lot",
                    "category",
                    "category_is_manual",
                    "unspsc_code",
                    "supplier_category",
                )
            },
        ),
        (_("Sustainability"), {"fields": ("eco_labels", "is_sustainable", "is_service")}),
    )
    readonly_fields = ["supplier_category"]

    def save_model(
        self, request: HttpRequest, obj: Product, form: forms.ModelForm[Any], change: bool
    ) -> None:
        if "category" in form.changed_data and "category_is_manual" not in form.changed_data:
            obj.category_is_manual = obj.category_id is not None  # chosen here, for this item
        super().save_model(request, obj, form, change)


class LotSupplierInline(ScopedInline):
    model = LotSupplier
    admin_roles = CATALOGUE_ROLES
    fields = ["supplier"]


@admin.register(AgreementLot)
class AgreementLotAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    list_display = ["__str__", "agreement", "code", "is_available"]
    list_filter = ["is_available", ("agreement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "title", "agreement__number", "agreement__title"]
    list_select_related = ["agreement"]
    inlines = [LotSupplierInline]


@admin.register(AssortmentRule)
class AssortmentRuleAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    list_display = ["unit", "action", "target", "is_recommended", "is_sustainable_choice", "note"]
    list_filter = [
        "action",
        "is_recommended",
        "is_sustainable_choice",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "unit__name",
        "agreement__number",
        "supplier__name",
        "category__name",
        "product__name",
        "note",
    ]
    list_select_related = ["unit", "agreement", "supplier", "category", "product"]
    autocomplete_fields = ["product"]
    fields = [
        "municipality",
        "unit",
        "action",
        "agreement",
        "supplier",
        "category",
        "product",
        "is_recommended",
        "is_sustainable_choice",
        "note",
    ]

    @admin.display(description=_("applies to"))
    def target(self, rule: AssortmentRule) -> str:
        return str(rule.target)


@admin.register(EhandelPolicy)
class EhandelPolicyAdmin(MunicipalityScopedAdmin):
    admin_roles = CATALOGUE_ROLES
    list_display = ["__str__", "updated_at"]


@admin.register(CatalogueImport)
class CatalogueImportAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    """Imports are made and decided on their own pages; the admin lists them for reference."""

    admin_roles = CATALOGUE_ROLES
    list_display = ["file_name", "supplier", "agreement", "status", "created_at", "result"]
    list_filter = ["status", "format", "mode"]
    search_fields = ["file_name", "supplier__name", "agreement__number"]
    list_select_related = ["supplier", "agreement"]

    @admin.display(description=_("result"))
    def result(self, imported: CatalogueImport) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("shop:catalogue_import_detail", args=[imported.pk]),
            _("%(added)s new, %(removed)s gone, %(changed)s changed")
            % {"added": imported.added, "removed": imported.removed, "changed": imported.changed},
        )
