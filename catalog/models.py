"""Agreements, suppliers (with their order channel and punch-out set-up) and products.

Each row carries its municipality: a municipality's catalogue, prices and supplier credentials
are its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import HttpsURLField, IdentifierField, TimeStampedModel
from core.money import AMOUNT_DIGITS, UNIT_PRICE_DIGITS
from edi import units
from org.models import Municipality, Role


class Agreement(TimeStampedModel):
    """A framework agreement (rammeaftale): an SKI agreement or the municipality's own."""

    class Kind(models.TextChoices):
        SKI = "ski", _("SKI agreement")
        OWN = "own", _("The municipality's own agreement")

    class Obligation(models.TextChoices):
        BINDING = "binding", _("Binding")
        VOLUNTARY = "voluntary", _("Voluntary")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("agreement number"), max_length=40, help_text=_("E.g. 50.80"))
    title = models.CharField(_("title"), max_length=300)
    provider = models.CharField(
        _("provider"), max_length=200, help_text=_("Who tendered it, e.g. SKI or the municipality")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    obligation = models.CharField(
        _("binding or voluntary"), max_length=16, choices=Obligation.choices
    )
    commodity_area = models.CharField(_("commodity area"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), help_text=_("The effective end, including extensions already used.")
    )
    is_ehandel_required = models.BooleanField(
        _("e-handel required"),
        default=True,
        help_text=_("Purchases on this agreement must go through e-handel."),
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"],
                name="agreement_number_unique_per_municipality",
                violation_error_message=_(
                    "This municipality already has an agreement with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="agreement_valid_to_after_valid_from",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Category(TimeStampedModel):
    """A shop category (e.g. Kontorartikler), with its UNSPSC family."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    unspsc_code = models.CharField(
        _("UNSPSC code"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A UNSPSC code has 8 digits."))],
    )
    restricted_to_role = models.CharField(
        _("only for role"),
        max_length=32,
        choices=Role.choices,
        blank=True,
        help_text=_("If set, only people with this role may order in the category."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="category_code_unique_per_municipality",
                violation_error_message=_(
                    "This municipality already has a category with this code."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Supplier(TimeStampedModel):
    """A supplier, with how orders reach it and how its web shop is punched out to.

    The channel and punch-out credentials live here, in `catalog`, because both `orders`
    (sending) and `punchout` (shopping) use them. The shared secret is stored encrypted
    (`catalog.services.supplier_punchout_secret_set`), never in clear text.
    """

    class OrderChannel(models.TextChoices):
        CXML = "cxml", _("cXML OrderRequest")
        OIOUBL = "oioubl", _("OIOUBL 2.1 Order")
        PEPPOL = "peppol", _("Peppol BIS Ordering")
        EMAIL = "email", _("E-mail")

    class PunchoutProtocol(models.TextChoices):
        NONE = "none", _("No punch-out")
        CXML = "cxml", _("cXML punch-out")
        OCI = "oci", _("SAP OCI punch-out")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    cvr = IdentifierField(_("CVR number"), kind="cvr")
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    gln = IdentifierField(_("EAN number"), kind="gln", blank=True)
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    nace_code = models.CharField(
        _("NACE code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{2}(\.\d{1,2})?$", _("Write a NACE code like 46.49."))],
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="DK")
    order_email = models.EmailField(_("order e-mail"), blank=True)
    order_channel = models.CharField(
        _("order channel"), max_length=16, choices=OrderChannel.choices
    )
    order_url = HttpsURLField(
        _("order endpoint URL"), blank=True, help_text=_("Where cXML orders are posted.")
    )
    punchout_protocol = models.CharField(
        _("punch-out protocol"),
        max_length=8,
        choices=PunchoutProtocol.choices,
        default=PunchoutProtocol.NONE,
    )
    punchout_url = HttpsURLField(
        _("punch-out URL"),
        blank=True,
        help_text=_("cXML: the PunchOutSetupRequest URL. OCI: the shop's start page."),
    )
    punchout_from_domain = models.CharField(_("From domain"), max_length=100, blank=True)
    punchout_from_identity = models.CharField(_("From identity"), max_length=200, blank=True)
    punchout_to_domain = models.CharField(_("To domain"), max_length=100, blank=True)
    punchout_to_identity = models.CharField(_("To identity"), max_length=200, blank=True)
    punchout_sender_domain = models.CharField(_("Sender domain"), max_length=100, blank=True)
    punchout_sender_identity = models.CharField(_("Sender identity"), max_length=200, blank=True)
    punchout_username = models.CharField(
        _("OCI user name"), max_length=200, blank=True, help_text=_("OCI USERNAME parameter.")
    )
    punchout_secret_encrypted = models.BinaryField(
        _("shared secret (encrypted)"), null=True, blank=True, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cvr"],
                name="supplier_cvr_unique_per_municipality",
                violation_error_message=_(
                    "This municipality already has a supplier with this CVR number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_punchout_secret(self) -> bool:
        return bool(self.punchout_secret_encrypted)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.order_channel == self.OrderChannel.EMAIL and not self.order_email:
            errors["order_email"] = str(_("Orders go by e-mail: give the order e-mail address."))
        if self.punchout_protocol != self.PunchoutProtocol.NONE and not self.punchout_url:
            errors["punchout_url"] = str(_("Punch-out needs the supplier's punch-out URL."))
        if errors:
            raise ValidationError(errors)


def unit_code_validator(value: str) -> None:
    if not units.is_known(value):
        raise ValidationError(
            _("Unit “%(value)s” is not a known UN/ECE Rec 20 code (e.g. EA, PK, KGM)."),
            code="unknown_unit",
            params={"value": value},
        )


def unit_choices() -> list[tuple[str, str]]:
    danish = (get_language() or "da").startswith("da")
    return [
        (unit.code, f"{unit.code} – {unit.name_da if danish else unit.name_en}")
        for unit in units.UNITS.values()
    ]


class EcoLabel(models.TextChoices):
    """Eco-labels and sustainability marks a product can carry."""

    NORDIC_SWAN = "nordic_swan", _("Nordic Swan Ecolabel (Svanemærket)")
    EU_ECOLABEL = "eu_ecolabel", _("EU Ecolabel")
    ORGANIC_DK = "organic_dk", _("Danish organic label (Ø-mærket)")
    FSC = "fsc", _("FSC")
    TCO_CERTIFIED = "tco_certified", _("TCO Certified")
    EPEAT_GOLD = "epeat_gold", _("EPEAT Gold")
    FAIRTRADE = "fairtrade", _("Fairtrade")
    BLUE_ANGEL = "blue_angel", _("Blue Angel (Blauer Engel)")
    GLOBAL_RECYCLED = "global_recycled", _("Global Recycled Standard")
    WHOLEGRAIN = "wholegrain", _("Wholegrain label (Fuldkornsmærket)")
    WEEE = "weee", _("WEEE certified")


def eco_labels_validator(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(label, str) for label in value):
        raise ValidationError(_("Eco-labels must be a list of label codes."), code="invalid")
    unknown = sorted(set(value) - set(EcoLabel.values))
    if unknown:
        raise ValidationError(
            _("Unknown eco-label(s): %(labels)s."),
            code="unknown_label",
            params={"labels": ", ".join(unknown)},
        )


class Product(TimeStampedModel):
    """An item a supplier sells on an agreement, at a unit price excluding VAT."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="products"
    )
    supplier_item_number = models.CharField(_("supplier item number"), max_length=100)
    gtin = IdentifierField(_("GTIN/EAN"), kind="gtin", blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    brand = models.CharField(_("brand"), max_length=200, blank=True)
    unit_code = models.CharField(
        _("unit"),
        max_length=3,
        validators=[unit_code_validator],
        help_text=_("UN/ECE Rec 20 code of the unit the price is for, e.g. EA, PK, KGM."),
    )
    pack_quantity = models.DecimalField(
        _("pack contents"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("How much one unit holds, e.g. 10 for a package of 10 pieces."),
    )
    pack_unit_code = models.CharField(
        _("pack contents unit"), max_length=3, blank=True, validators=[unit_code_validator]
    )
    unit_price = models.DecimalField(
        _("unit price (excl. VAT)"),
        max_digits=UNIT_PRICE_DIGITS,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="DKK",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use an ISO 4217 code such as DKK."))],
    )
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
    )
    unspsc_code = models.CharField(
        _("UNSPSC code"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A UNSPSC code has 8 digits."))],
    )
    eco_labels = models.JSONField(
        _("eco-labels"), default=list, blank=True, validators=[eco_labels_validator]
    )
    is_sustainable = models.BooleanField(_("sustainable choice"), default=False)
    is_service = models.BooleanField(_("service"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "supplier_item_number"],
                name="product_item_number_unique_per_supplier",
                violation_error_message=_(
                    "This supplier already has a product with this item number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0),
                name="product_unit_price_not_negative",
                violation_error_message=_("A unit price cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "gtin"], name="product_gtin_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.supplier_item_number})"

    def clean(self) -> None:
        if units.is_known(self.unit_code):
            self.unit_code = units.unit_get(self.unit_code).code
        if self.pack_unit_code and units.is_known(self.pack_unit_code):
            self.pack_unit_code = units.unit_get(self.pack_unit_code).code
        errors: dict[str, str] = {}
        for field, related in (
            ("supplier", self.supplier_id),
            ("agreement", self.agreement_id),
            ("category", self.category_id),
        ):
            if related is not None and getattr(self, field).municipality_id != self.municipality_id:
                errors[field] = str(_("This belongs to another municipality."))
        if (self.pack_quantity is None) != (not self.pack_unit_code):
            errors["pack_unit_code"] = str(
                _("Give both the pack contents and its unit, or neither.")
            )
        if errors:
            raise ValidationError(errors)
