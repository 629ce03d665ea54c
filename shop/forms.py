"""Forms of the web shell, with the design system's classes on their inputs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.models import Agreement, AgreementLot, CatalogueImport, Supplier
from catalog.selectors import ImportChoices
from edi import units
from org.models import CostCentre, DeliveryAddress, OrgUnit, User


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "form-input", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-input", "autocomplete": "current-password"}
        )


class CatalogueImportForm(forms.Form):
    """Upload a supplier's catalogue file for an agreement (and lot)."""

    supplier = forms.ModelChoiceField(queryset=Supplier.objects.none(), label=_("Supplier"))
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none(), label=_("Agreement"))
    lot = forms.ModelChoiceField(
        queryset=AgreementLot.objects.none(),
        required=False,
        label=_("Lot (delaftale)"),
        help_text=_("Only if the file holds one lot: items of other lots are then left alone."),
    )
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_(
            "CSV or Excel (XLSX) with a heading row, or an OIOUBL or Peppol catalogue (XML)."
        ),
    )
    file_format = forms.ChoiceField(
        choices=[("", _("Tell from the file")), *CatalogueImport.Format.choices],
        required=False,
        label=_("Format"),
    )

    def __init__(self, *args: Any, choices: ImportChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = choices.suppliers  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = choices.agreements  # type: ignore[attr-defined]
        self.fields["lot"].queryset = choices.lots  # type: ignore[attr-defined]
        self.fields["agreement"].label_from_instance = (  # type: ignore[attr-defined]
            lambda agreement: f"{agreement.number} {agreement.title}"
        )
        self.fields["lot"].label_from_instance = (  # type: ignore[attr-defined]
            lambda lot: f"{lot.agreement.number} {lot.code} {lot.title}"
        )
        for name, field in self.fields.items():
            css = "form-file-input" if name == "file" else "form-select"
            field.widget.attrs["class"] = css

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.CATALOGUE_UPLOAD_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; files up to %(limit)s MB can be uploaded here. "
                    "Larger files are imported with the import_catalogue command."
                ),
                params={"size": upload.size // 1_000_000, "limit": limit // 1_000_000},
                code="too_large",
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lot, agreement = cleaned.get("lot"), cleaned.get("agreement")
        if lot is not None and agreement is not None and lot.agreement_id != agreement.pk:
            self.add_error(
                "lot",
                forms.ValidationError(
                    _("Lot %(lot)s is not a lot of agreement %(agreement)s."),
                    params={"lot": lot.code, "agreement": agreement.number},
                    code="other_agreement",
                ),
            )
        return cleaned


class CatalogueImportRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the file rejected?"),
        help_text=_("Kept with the import, for the supplier and your colleagues."),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 3}),
    )


class CheckoutForm(forms.Form):
    """What a person chooses at checkout; the unit's EAN is put on the orders by the service."""

    delivery_address = forms.ModelChoiceField(
        queryset=DeliveryAddress.objects.none(), label=_("Delivery address"), empty_label=None
    )
    requested_delivery_date = forms.DateField(
        required=False,
        label=_("Requested delivery date"),
        help_text=_("Leave empty for the supplier's usual delivery time."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cost_centre = forms.ModelChoiceField(
        queryset=CostCentre.objects.none(),
        label=_("Cost centre (omkostningssted)"),
        empty_label=None,
    )
    account = forms.CharField(
        required=False,
        max_length=30,
        label=_("Account"),
        help_text=_("Leave empty for the cost centre's usual account."),
    )
    personreference = forms.CharField(
        required=False,
        max_length=20,
        label=_("Personreference"),
        help_text=_("Printed on the invoice. Leave empty to use your own."),
    )
    note_to_supplier = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Note to the supplier"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        addresses: QuerySet[DeliveryAddress],
        cost_centres: QuerySet[CostCentre],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivery_address"].queryset = addresses  # type: ignore[attr-defined]
        self.fields["cost_centre"].queryset = cost_centres  # type: ignore[attr-defined]
        self.fields["delivery_address"].label_from_instance = (  # type: ignore[attr-defined]
            lambda place: f"{place.label}: {place.street}, {place.postal_code} {place.city}"
        )
        self.fields["cost_centre"].label_from_instance = (  # type: ignore[attr-defined]
            lambda centre: f"{centre.code} {centre.name}"
        )
        for name, field in self.fields.items():
            select = name in ("delivery_address", "cost_centre")
            field.widget.attrs["class"] = "form-select" if select else "form-input"


class OrderEditForm(CheckoutForm):
    """The delivery and booking details of an order being changed, and the revision the
    person changes (so two changes at once cannot overwrite each other)."""

    personreference = forms.CharField(
        max_length=20, label=_("Personreference"), help_text=_("Printed on the invoice.")
    )
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class FavouriteListForm(forms.Form):
    """A new favourite list for a unit the person orders for."""

    name = forms.CharField(max_length=200, label=_("Name of the list"))
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("For the unit"), empty_label=None
    )
    is_shared = forms.BooleanField(
        required=False,
        label=_("Share the list with everyone who orders for the unit"),
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[unit.pk for unit in units]
        ).order_by("path")
        self.fields["name"].widget.attrs["class"] = "form-input"
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["is_shared"].widget.attrs["class"] = "form-checkbox"


def unit_code_choices(*, chosen: str = "") -> list[tuple[str, str]]:
    """The common units, named in the reader's language, and `chosen` as well when it is another
    code Rekvi knows: a plain list offers the common ones, but a code picked elsewhere is shown
    as picked rather than replaced by the list's first."""
    language = get_language() or "da"
    choices = [
        (unit.code, units.unit_name(unit.code, language)) for unit in units.unit_list_common()
    ]
    if chosen and units.is_known(chosen) and chosen not in dict(choices):
        choices.append((chosen, units.unit_name(chosen, language)))
    return choices


class UnitCodeField(forms.ChoiceField):
    """A unit of measure: any UN/ECE code Rekvi knows (`edi.units`), whether or not the list
    offered it; the service stores it in its stored form."""

    def valid_value(self, value: Any) -> bool:
        return units.is_known(str(value))


class FreeTextForm(forms.Form):
    """A free-text line: what the person wants, from whom, at about what price."""

    description = forms.CharField(
        max_length=300,
        label=_("What do you need?"),
        help_text=_("Describe the item so the supplier knows what to send."),
    )
    quantity = forms.CharField(max_length=20, label=_("Quantity"), initial="1")
    unit_code = UnitCodeField(label=_("Unit"))
    estimated_unit_price = forms.CharField(
        max_length=30,
        label=_("Estimated price per unit, excl. VAT (kr.)"),
        help_text=_("E.g. 149,95. The approver and the invoice check are held against it."),
    )
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.none(),
        label=_("Supplier"),
        help_text=_("Only suppliers on the unit's agreements."),
    )
    supplier_item_number = forms.CharField(
        max_length=100, required=False, label=_("The supplier's item number (if known)")
    )
    link = forms.CharField(
        max_length=500, required=False, label=_("Link to the item on the supplier's site")
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Why free text?"),
        help_text=_("Needed when the catalogue has a matching agreement item."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, suppliers: QuerySet[Supplier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers  # type: ignore[attr-defined]
        chosen = self.data.get(self.add_prefix("unit_code"), "") if self.is_bound else ""
        self.fields["unit_code"].choices = unit_code_choices(  # type: ignore[attr-defined]
            chosen=str(chosen).strip()
        )
        for name, field in self.fields.items():
            select = name in ("supplier", "unit_code")
            field.widget.attrs["class"] = "form-select" if select else "form-input"


class DelegationForm(forms.Form):
    """Hand over approvals to another godkender while away."""

    delegate = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Hand over to"))
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("To and including"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["delegate"].label_from_instance = (  # type: ignore[attr-defined]
            lambda person: person.get_full_name() or person.get_username()
        )
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "delegate" else "form-input"
