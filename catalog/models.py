"""Agreements, suppliers (with their order channel and punch-out set-up) and products.

Each row carries its municipality: a municipality's catalogue, prices and supplier credentials
are its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import (
    HttpsURLField,
    IdentifierField,
    TimeStampedModel,
    foreign_municipality_errors,
)
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
    joined_on = models.DateField(
        _("joined on"),
        null=True,
        blank=True,
        help_text=_("When the municipality joined the agreement; empty if it has not."),
    )
    social_clauses = models.TextField(
        _("social clauses"),
        blank=True,
        help_text=_("Labour and social conditions a buyer should know, shown to buyers."),
    )
    sustainability_requirements = models.TextField(
        _("sustainability requirements"), blank=True, help_text=_("Shown to buyers.")
    )
    terms_for_buyers = models.TextField(
        _("terms for buyers"),
        blank=True,
        help_text=_("Minimum order, freight, fees and other terms, shown to buyers."),
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

    def is_in_force(self, on: date) -> bool:
        """Joined, and valid on `on`."""
        return (
            self.joined_on is not None
            and self.joined_on <= on
            and self.valid_from <= on <= self.valid_to
        )


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

    class UnlistedIdentity(models.TextChoices):
        FLAG = "flag", _("Keep the cart with a finding; its lines can be used")
        REFUSE = "refuse", _("Refuse the cart")

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
    #: Who a returned cart may be signed by besides the To identity: shops sign with their
    #: own identity (cXML From, OCI NEW_ITEM-VENDOR), which need not be the one Rekvi
    #: addresses. The return URL's token and the BuyerCookie authenticate a cart, not these.
    punchout_cart_identities = models.JSONField(
        _("identities carts may come from"),
        default=list,
        blank=True,
        help_text=_(
            "Besides the To identity: the identities the web shop may sign its returned carts "
            "with (cXML From, OCI NEW_ITEM-VENDOR), one per line."
        ),
    )
    punchout_unlisted_identity = models.CharField(
        _("a cart from another identity"),
        max_length=8,
        choices=UnlistedIdentity.choices,
        default=UnlistedIdentity.FLAG,
        help_text=_(
            "What happens to a returned cart signed by an identity not listed above. Either "
            "way it is kept, and the procurement office sees it among the returned carts."
        ),
    )
    punchout_username = models.CharField(
        _("OCI user name"), max_length=200, blank=True, help_text=_("OCI USERNAME parameter.")
    )
    punchout_secret_encrypted = models.BinaryField(
        _("shared secret (encrypted)"), null=True, blank=True, editable=False
    )
    punchout_extrinsics = models.JSONField(
        _("extrinsics to send"),
        default=dict,
        blank=True,
        help_text=_('cXML: name and value of each Extrinsic, e.g. {"CostCenter": "unit"}.'),
    )
    punchout_oci_parameter_names = models.JSONField(
        _("OCI parameter names"),
        default=dict,
        blank=True,
        help_text=_(
            'OCI: the supplier\'s names for standard parameters, e.g. {"USERNAME": "user"}.'
        ),
    )
    punchout_session_minutes = models.PositiveSmallIntegerField(
        _("punch-out session lifetime (minutes)"),
        default=60,
        help_text=_("How long a punch-out may last before its cart can no longer come back."),
    )
    punchout_decimal_separator = models.CharField(
        _("decimal separator in returned carts"),
        max_length=1,
        choices=[(".", _("point (12.50)")), (",", _("comma (12,50)"))],
        default=".",
    )
    punchout_blocked_unspsc = models.JSONField(
        _("blocked categories (UNSPSC)"),
        default=list,
        blank=True,
        help_text=_("Returned lines in these UNSPSC codes, or below them, are refused."),
    )
    catalogue_auto_approve = models.BooleanField(
        _("approve catalogue imports automatically"),
        default=False,
        help_text=_(
            "Apply the supplier's catalogue imports without a procurement officer's review."
        ),
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

    @property
    def punchout_accepted_identities(self) -> tuple[str, ...]:
        """The identities returned carts may be signed by: the To identity, then the listed
        ones, stripped, without blanks and repeats (letter case ignored)."""
        accepted: dict[str, str] = {}
        listed = (
            self.punchout_cart_identities if isinstance(self.punchout_cart_identities, list) else []
        )
        for identity in [self.punchout_to_identity, *listed]:
            text = str(identity).strip()
            if text:
                accepted.setdefault(text.casefold(), text)
        return tuple(accepted.values())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.order_channel == self.OrderChannel.EMAIL and not self.order_email:
            errors["order_email"] = str(_("Orders go by e-mail: give the order e-mail address."))
        if self.punchout_protocol != self.PunchoutProtocol.NONE and not self.punchout_url:
            errors["punchout_url"] = str(_("Punch-out needs the supplier's punch-out URL."))
        identities = self.punchout_cart_identities
        if not isinstance(identities, list) or not all(
            isinstance(identity, str) and 0 < len(identity.strip()) <= 200
            for identity in identities
        ):
            errors["punchout_cart_identities"] = str(
                _("Write one identity of 1 to 200 characters per line.")
            )
        if errors:
            raise ValidationError(errors)


class AgreementLot(TimeStampedModel):
    """A lot (delaftale) of an agreement, with the suppliers awarded it."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="lots"
    )
    code = models.CharField(_("lot"), max_length=20, help_text=_("E.g. DA1"))
    title = models.CharField(_("title"), max_length=300)
    is_available = models.BooleanField(
        _("available to the municipality"),
        default=True,
        help_text=_("Off when the municipality may not buy on this lot."),
    )
    suppliers: models.ManyToManyField[Supplier, LotSupplier] = models.ManyToManyField(
        Supplier, verbose_name=_("suppliers"), through="LotSupplier", related_name="lots"
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["agreement__number", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "code"],
                name="lot_code_unique_per_agreement",
                violation_error_message=_("The agreement already has a lot with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.code} {self.title}"

    def clean(self) -> None:
        errors = foreign_municipality_errors(self, "agreement")
        if errors:
            raise ValidationError(errors)


class AgreementSupplier(TimeStampedModel):
    """A supplier on an agreement: the agreement's suppliers are whose catalogues may be imported
    to it (a supplier awarded one of its lots is on it too)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="supplier_links",
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="agreement_links",
    )

    class Meta:
        verbose_name = _("supplier on an agreement")
        verbose_name_plural = _("suppliers on the agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "supplier"],
                name="agreementsupplier_once_per_agreement",
                violation_error_message=_("The supplier is already on this agreement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – {self.supplier}"

    def clean(self) -> None:
        errors = foreign_municipality_errors(self, "agreement", "supplier")
        if errors:
            raise ValidationError(errors)


class LotSupplier(TimeStampedModel):
    """A supplier awarded a lot."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        AgreementLot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="awards"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="awards"
    )

    class Meta:
        verbose_name = _("supplier on a lot")
        verbose_name_plural = _("suppliers on lots")
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "supplier"],
                name="lotsupplier_once_per_lot",
                violation_error_message=_("The supplier is already on this lot."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.lot} – {self.supplier}"

    def clean(self) -> None:
        errors = foreign_municipality_errors(self, "lot", "supplier")
        if errors:
            raise ValidationError(errors)


def unit_code_validator(value: str) -> None:
    if not units.is_known(value):
        raise ValidationError(
            _("Unit “%(value)s” is not a known UN/ECE Rec 20 code (e.g. EA, PK, KGM)."),
            code="unknown_unit",
            params={"value": value},
        )


def unit_choices(*, current: str = "") -> list[tuple[str, str]]:
    """The common units for a plain list, code and name, and `current` as well when it is
    another code Rekvi knows, so that a product in any unit keeps it when its form is saved."""
    language = get_language() or "da"
    offered = [unit.code for unit in units.unit_list_common()]
    if current and current not in offered and units.is_known(current):
        offered.append(current)
    return [(code, f"{code} – {units.unit_name(code, language)}") for code in offered]


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

    # no index of their own: (municipality, gtin) and (supplier, item number) lead with them,
    # and every index costs a million-row import time
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="products",
        db_index=False,
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
    lot = models.ForeignKey(
        AgreementLot,
        verbose_name=_("lot"),
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
    #: The category was chosen for this item by a person: the category mapping and the
    #: supplier's catalogues leave it be.
    category_is_manual = models.BooleanField(
        _("category chosen for this item"),
        default=False,
        help_text=_(
            "On: the supplier's catalogues and the category mapping do not change the category."
        ),
    )
    unspsc_code = models.CharField(
        _("UNSPSC code"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A UNSPSC code has 8 digits."))],
    )
    #: The supplier's own category of the item, as its catalogue file names it: what the
    #: municipality's category mapping reads.
    supplier_category = models.CharField(_("supplier's category"), max_length=60, blank=True)
    eco_labels = models.JSONField(
        _("eco-labels"), default=list, blank=True, validators=[eco_labels_validator]
    )
    is_sustainable = models.BooleanField(_("sustainable choice"), default=False)
    is_service = models.BooleanField(_("service"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    #: Search: the analysed tokens of the product (catalog.search.analysis), kept by the
    #: services; the database indexes them (PostgreSQL tsvector, SQLite FTS5).
    search_document = models.TextField(_("search tokens"), blank=True, editable=False)
    #: The supplier item number as people type it in any case or punctuation: "KH1001".
    item_number_key = models.CharField(
        _("item number key"), max_length=100, blank=True, editable=False
    )
    #: The ID of the UBL catalogue line the item came from, where it differs from the item
    #: number: an OIOUBL CataloguePricingUpdate names its lines by it.
    catalogue_line_id = models.CharField(
        _("catalogue line ID"), max_length=100, blank=True, editable=False
    )

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
        indexes = [
            models.Index(fields=["municipality", "gtin"], name="product_gtin_idx"),
            models.Index(fields=["municipality", "item_number_key"], name="product_item_key_idx"),
            models.Index(
                fields=["supplier", "catalogue_line_id"],
                name="product_line_id_idx",
                condition=~Q(catalogue_line_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.supplier_item_number})"

    def clean(self) -> None:
        if units.is_known(self.unit_code):
            self.unit_code = units.unit_get(self.unit_code).code
        if self.pack_unit_code and units.is_known(self.pack_unit_code):
            self.pack_unit_code = units.unit_get(self.pack_unit_code).code
        errors = foreign_municipality_errors(self, "supplier", "agreement", "lot", "category")
        lot = self.lot if self.lot_id is not None else None
        if "lot" not in errors and lot is not None and lot.agreement_id != self.agreement_id:
            errors["lot"] = str(_("The lot is not a lot of the product's agreement."))
        if (self.pack_quantity is None) != (not self.pack_unit_code):
            errors["pack_unit_code"] = str(
                _("Give both the pack contents and its unit, or neither.")
            )
        if errors:
            raise ValidationError(errors)


class AssortmentRule(TimeStampedModel):
    """One rule of a unit's reduced assortment (reduceret sortiment), inherited down the tree.

    A rule includes or excludes everything of an agreement, a supplier or a category, or a
    single product. For a product and a unit, the deciding rule is the one on the nearest unit
    of the unit's line (itself, then its parent, ...), and on one unit the most specific
    (product, then category, then supplier, then agreement). Without a deciding rule, a product
    is not in the assortment. Include rules can mark what they include as recommended or as the
    sustainable choice.
    """

    class Action(models.TextChoices):
        INCLUDE = "include", _("Include")
        EXCLUDE = "exclude", _("Exclude")

    #: Specificity of each target, most specific first: it decides on one unit.
    TARGETS = ("product", "category", "supplier", "agreement")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assortment_rules",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, null=True, blank=True
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, null=True, blank=True
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, null=True, blank=True
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, null=True, blank=True
    )
    is_recommended = models.BooleanField(_("recommended"), default=False)
    is_sustainable_choice = models.BooleanField(_("the sustainable choice"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("assortment rule")
        verbose_name_plural = _("assortment rules")
        ordering = ["unit__path", "action"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(agreement__isnull=False, supplier=None, category=None, product=None)
                    | Q(agreement=None, supplier__isnull=False, category=None, product=None)
                    | Q(agreement=None, supplier=None, category__isnull=False, product=None)
                    | Q(agreement=None, supplier=None, category=None, product__isnull=False)
                ),
                name="assortmentrule_exactly_one_target",
                violation_error_message=_(
                    "Choose exactly one of agreement, supplier, category or product."
                ),
            ),
            models.CheckConstraint(
                condition=Q(action="include")
                | Q(is_recommended=False, is_sustainable_choice=False),
                name="assortmentrule_marks_only_on_include",
                violation_error_message=_("Only an include rule can mark items."),
            ),
            *(
                models.UniqueConstraint(
                    fields=["unit", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"assortmentrule_one_per_unit_and_{target}",
                    violation_error_message=_("The unit already has a rule for this."),
                )
                for target in ("agreement", "supplier", "category", "product")
            ),
        ]

    def __str__(self) -> str:
        # a rule the administration's form refused may have no target yet: say so, not fail
        chosen = any(getattr(self, f"{name}_id") is not None for name in self.TARGETS)
        return f"{self.get_action_display()}: {self.target if chosen else '–'}"

    @property
    def target_field(self) -> str:
        return next(name for name in self.TARGETS if getattr(self, f"{name}_id") is not None)

    @property
    def target(self) -> models.Model:
        target: models.Model = getattr(self, self.target_field)
        return target

    @property
    def specificity(self) -> int:
        """Higher is more specific: product 3, category 2, supplier 1, agreement 0."""
        return len(self.TARGETS) - 1 - self.TARGETS.index(self.target_field)

    def matches(self, product: Product) -> bool:
        """Whether the rule is about `product` (reads only the product's own keys)."""
        field = self.target_field
        own_key = product.pk if field == "product" else getattr(product, f"{field}_id")
        return bool(own_key == getattr(self, f"{field}_id"))

    def clean(self) -> None:
        errors = foreign_municipality_errors(
            self, "unit", "agreement", "supplier", "category", "product"
        )
        if errors:
            raise ValidationError(errors)


class EhandelPolicy(TimeStampedModel):
    """The words around the municipality's e-handel policy page; the rest is generated."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="ehandel_policy",
    )
    introduction = models.TextField(_("introduction"), blank=True)
    closing_text = models.TextField(
        _("closing text"), blank=True, help_text=_("E.g. whom to ask, and exceptions.")
    )

    class Meta:
        verbose_name = _("e-handel policy")
        verbose_name_plural = _("e-handel policies")

    def __str__(self) -> str:
        return str(_("E-handel policy of %(municipality)s") % {"municipality": self.municipality})


class SearchTerm(models.Model):
    """A word of the municipality's catalogue, for spelling correction and compound splitting.

    `is_word` marks words that stand alone in product names (the lexicon compounds are split
    into); other terms are forms and parts. Rebuilt by `catalog.services.search_index_refresh`.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.CharField(_("term"), max_length=100)
    frequency = models.PositiveIntegerField(_("products"), default=0)
    is_word = models.BooleanField(_("stands alone"), default=False)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "term"], name="searchterm_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.term


class SearchIndex(models.Model):
    """When the municipality's search vocabulary was last rebuilt; its version lets every
    process know when to reload its cached analyzer."""

    municipality = models.OneToOneField(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)

    class Meta:
        verbose_name = _("search index")
        verbose_name_plural = _("search indexes")

    def __str__(self) -> str:
        return f"{self.municipality} v{self.version}"


class CategoryMapping(TimeStampedModel):
    """The municipality's category for a group of one supplier's items: those the supplier puts
    in one of its own categories, or those in a UNSPSC segment, family, class or commodity (2, 4,
    6 or 8 digits). Chosen by the procurement office and remembered for the supplier's next
    catalogues; where there is none, Rekvi suggests one (catalog.services.categories)."""

    class Source(models.TextChoices):
        SUPPLIER_CATEGORY = "category", _("the supplier's category")
        UNSPSC = "unspsc", _("UNSPSC")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="category_mappings",
    )
    source = models.CharField(_("by"), max_length=8, choices=Source.choices)
    #: The supplier's category in lower case, or the UNSPSC code's significant digits.
    key = models.CharField(_("key"), max_length=60)
    #: What the group is called where it is shown: the supplier's category as it writes it.
    label = models.CharField(_("group"), max_length=60)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    decided_by = models.ForeignKey(
        "org.User",
        verbose_name=_("chosen by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("category mapping")
        verbose_name_plural = _("category mappings")
        ordering = ["supplier", "source", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "source", "key"],
                name="categorymapping_once_per_supplier_and_key",
                violation_error_message=_("This group of the supplier already has a category."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.label} → {self.category}"

    def clean(self) -> None:
        errors = foreign_municipality_errors(self, "supplier", "category")
        if errors:
            raise ValidationError(errors)


class DecimalMarkChoice(models.TextChoices):
    """How a file writes decimals: with a comma (1.234,50) or a point (1,234.50)."""

    COMMA = ",", _("decimal comma (1.234,50)")
    POINT = ".", _("decimal point (1,234.50)")


class ColumnMapping(TimeStampedModel):
    """How one supplier's CSV or XLSX catalogue files map to Rekvi's product fields."""

    class Encoding(models.TextChoices):
        AUTO = "auto", _("Detect (UTF-8 or Windows-1252)")
        UTF8 = "utf-8", _("UTF-8")
        CP1252 = "cp1252", _("Windows-1252")

    #: Rekvi's fields a file can fill, and which of them every file must have.
    FIELDS = (
        "supplier_item_number",
        "name",
        "unit_price",
        "unit_code",
        "gtin",
        "description",
        "brand",
        "pack_quantity",
        "pack_unit_code",
        "currency",
        "category",
        "unspsc_code",
        "min_order_quantity",
    )
    REQUIRED = ("supplier_item_number", "name", "unit_price", "unit_code")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.OneToOneField(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="column_mapping",
    )
    columns = models.JSONField(
        _("columns"),
        default=dict,
        blank=True,
        help_text=_("Rekvi field -> the column heading in the supplier's file."),
    )
    delimiter = models.CharField(
        _("delimiter"), max_length=1, blank=True, help_text=_("Empty: detect ; , or tab.")
    )
    encoding = models.CharField(
        _("encoding"), max_length=8, choices=Encoding.choices, default=Encoding.AUTO
    )
    decimal_mark = models.CharField(
        _("decimal mark"),
        max_length=1,
        choices=DecimalMarkChoice.choices,
        blank=True,
        default="",
        help_text=_(
            "Empty: each file's own numbers show it (35,53 or 35.53). Set it only for files whose "
            "numbers do not show it, such as 1.234 alone."
        ),
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(_("Column mapping of %(supplier)s") % {"supplier": self.supplier})

    def clean(self) -> None:
        errors = foreign_municipality_errors(self, "supplier")
        unknown = (
            sorted(set(self.columns) - set(self.FIELDS)) if isinstance(self.columns, dict) else []
        )
        if not isinstance(self.columns, dict):
            errors["columns"] = str(_("The columns must map field names to headings."))
        elif unknown:
            errors["columns"] = str(
                _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}
            )
        if errors:
            raise ValidationError(errors)


class CatalogueImport(TimeStampedModel):
    """One catalogue file from a supplier: received, parsed into staging, diffed against the
    live catalogue, and applied when approved. The file is kept as received."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")
        OIOUBL = "oioubl", _("OIOUBL 2.1 Catalogue")
        PEPPOL = "peppol", _("Peppol Catalogue")

    class Mode(models.TextChoices):
        FULL = "full", _("Whole catalogue")
        PARTIAL = "partial", _("Changes only")
        PRICES = "prices", _("Price update")
        ITEMS = "items", _("Item description update")
        DELETION = "deletion", _("Deletion of the catalogue")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PARSING = "parsing", _("Reading the file")
        READY = "ready", _("Awaiting approval")
        APPLYING = "applying", _("Being applied")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="imports"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="imports"
    )
    lot = models.ForeignKey(
        AgreementLot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        related_name="imports",
        null=True,
        blank=True,
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file = models.FileField(_("file"), upload_to="catalogue-imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    #: The UBL document's ID (cbc:ID): a CatalogueDeletion names the catalogue it deletes.
    document_id = models.CharField(_("document ID"), max_length=200, blank=True)
    mode = models.CharField(
        _("kind of update"),
        max_length=8,
        choices=Mode.choices,
        default=Mode.FULL,
        help_text=_(
            "A whole catalogue replaces the supplier's items on the agreement (items it leaves "
            "out are gone); the other kinds change only the items they name."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_staged = models.PositiveIntegerField(_("rows accepted"), default=0)
    problem_count = models.PositiveIntegerField(_("rows left out"), default=0)
    warning_count = models.PositiveIntegerField(_("values ignored"), default=0)
    added = models.PositiveIntegerField(_("new items"), default=0)
    removed = models.PositiveIntegerField(_("items gone"), default=0)
    changed = models.PositiveIntegerField(_("changed items"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged items"), default=0)
    price_increases = models.PositiveIntegerField(_("price increases"), default=0)
    price_decreases = models.PositiveIntegerField(_("price decreases"), default=0)
    unit_changes = models.PositiveIntegerField(_("unit or pack changes"), default=0)
    uploaded_by = models.ForeignKey(
        "org.User",
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        "org.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    #: When the diff was worked out: an import applied after it makes the diff stale.
    diffed_at = models.DateTimeField(_("compared"), null=True, blank=True)
    is_auto_approved = models.BooleanField(_("approved automatically"), default=False)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    failure_code = models.CharField(_("why it failed"), max_length=40, blank=True)
    failure_params = models.JSONField(_("failure details"), default=dict, blank=True)
    #: Seconds spent in each phase, for the operator and the benchmark.
    timings = models.JSONField(_("timings"), default=dict, blank=True)
    #: How the file writes decimals ("" where its numbers never showed it), and what showed
    #: it: {"row", "column", "value"} of the first such value, or {"mapping": true}.
    decimal_mark = models.CharField(
        _("decimal mark"), max_length=1, choices=DecimalMarkChoice.choices, blank=True
    )
    decimal_mark_shown_by = models.JSONField(_("decimal mark shown by"), default=dict, blank=True)
    #: Rekvi's fields the file has no column for: the live items keep their values of these.
    kept_fields = models.JSONField(_("fields kept as they are"), default=list, blank=True)
    live_items = models.PositiveIntegerField(_("live items before"), default=0)
    price_jumps = models.PositiveIntegerField(_("likely misread prices"), default=0)
    is_large_removal = models.BooleanField(_("retires many items"), default=False)
    uncategorised = models.PositiveIntegerField(_("items without a category"), default=0)
    #: What the person who approved it confirmed: {"price_jumps": n, "removed": n}.
    confirmed = models.JSONField(_("confirmed"), default=dict, blank=True)
    #: How many times its current step (reading, applying) was started: more than one when a
    #: stuck import was started again (`updated_at` is its last sign of progress).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "status"], name="import_status_idx")]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.file_name}"

    def clean(self) -> None:
        errors = foreign_municipality_errors(self, "supplier", "agreement", "lot")
        if errors:
            raise ValidationError(errors)

    @property
    def failure(self) -> str:
        """Why the file could not be imported, in the reader's language ("" if it could)."""
        from catalog.importers.messages import message_for

        return message_for(self.failure_code, self.failure_params) if self.failure_code else ""


class CatalogueImportRow(models.Model):
    """A staged row of an import: checked, not yet live. Written by bulk load (COPY on
    PostgreSQL) into a table without indexes; deleted once the import is applied or rejected."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    catalogue_import = models.ForeignKey(
        CatalogueImport,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField()
    line_id = models.CharField(max_length=100, blank=True)  # the UBL line's cbc:ID
    supplier_item_number = models.CharField(max_length=100)
    item_number_key = models.CharField(max_length=100)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    brand = models.CharField(max_length=200, blank=True)
    gtin = models.CharField(max_length=14, blank=True)
    unit_code = models.CharField(max_length=3)
    pack_quantity = models.DecimalField(max_digits=12, decimal_places=3, null=True)
    pack_unit_code = models.CharField(max_length=3, blank=True)
    unit_price = models.DecimalField(max_digits=UNIT_PRICE_DIGITS, decimal_places=4)
    currency = models.CharField(max_length=3)
    min_order_quantity = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=3, null=True)
    category_code = models.CharField(max_length=60, blank=True)
    category_id = models.BigIntegerField(null=True)  # resolved from category_code, if known
    unspsc_code = models.CharField(max_length=8, blank=True)
    search_document = models.TextField(blank=True)
    #: A UBL line with action code Delete: the item is to leave the catalogue.
    is_deletion = models.BooleanField(default=False)
    #: The live item a price or description update is about, once found.
    product_id = models.BigIntegerField(null=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.row_number}: {self.supplier_item_number}"


class CatalogueImportProblem(models.Model):
    """A row (or XML line) of an import that was left out, and why."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    catalogue_import = models.ForeignKey(
        CatalogueImport,
        verbose_name=_("catalogue import"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    row_number = models.PositiveIntegerField(_("row or line"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=300, blank=True)
    code = models.CharField(_("code"), max_length=40)
    #: The message's parameters; the message is put into words when shown (`message`).
    params = models.JSONField(_("details"), default=dict, blank=True)
    #: False for a value that was ignored in a row that was kept (a bad GTIN, say).
    is_row_left_out = models.BooleanField(_("row left out"), default=True, db_default=True)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["row_number", "pk"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.message}"

    @property
    def message(self) -> str:
        """What is wrong, in the reader's language."""
        from catalog.importers.messages import message_for

        return message_for(self.code, self.params)


class CatalogueChange(models.Model):
    """What an import changes (or changed) for one item: the diff, kept after it is applied so
    that the previous version stays known, and the hook that tells owners of favourite lists
    that an item's price changed or that it left the catalogue."""

    class Kind(models.TextChoices):
        ADDED = "added", _("New")
        REMOVED = "removed", _("Gone")
        CHANGED = "changed", _("Changed")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    catalogue_import = models.ForeignKey(
        CatalogueImport,
        verbose_name=_("catalogue import"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        related_name="changes",
        null=True,
        blank=True,
    )
    supplier_item_number = models.CharField(_("supplier item number"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    old_name = models.CharField(_("previous name"), max_length=300, blank=True)
    old_unit_price = models.DecimalField(
        _("previous price"), max_digits=UNIT_PRICE_DIGITS, decimal_places=4, null=True
    )
    new_unit_price = models.DecimalField(
        _("new price"), max_digits=UNIT_PRICE_DIGITS, decimal_places=4, null=True
    )
    price_change_percent = models.DecimalField(
        _("price change (%)"), max_digits=9, decimal_places=2, null=True
    )
    old_unit_code = models.CharField(_("previous unit"), max_length=3, blank=True)
    new_unit_code = models.CharField(_("new unit"), max_length=3, blank=True)
    old_pack_quantity = models.DecimalField(
        _("previous pack contents"), max_digits=12, decimal_places=3, null=True
    )
    new_pack_quantity = models.DecimalField(
        _("new pack contents"), max_digits=12, decimal_places=3, null=True
    )
    is_price_change = models.BooleanField(_("price changed"), default=False)
    is_unit_change = models.BooleanField(_("unit or pack changed"), default=False)
    # The rest of the new version of a new or changed item: applying the import writes it
    # to the product (the staged rows are gone by then).
    description = models.TextField(_("description"), blank=True)
    brand = models.CharField(_("brand"), max_length=200, blank=True)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"), max_digits=AMOUNT_DIGITS, decimal_places=3, null=True
    )
    new_pack_unit_code = models.CharField(_("new pack unit"), max_length=3, blank=True)
    unspsc_code = models.CharField(_("UNSPSC code"), max_length=8, blank=True)
    new_category_id = models.BigIntegerField(_("new category"), null=True, blank=True)
    line_id = models.CharField(_("catalogue line ID"), max_length=100, blank=True)
    item_number_key = models.CharField(_("item number key"), max_length=100, blank=True)
    search_document = models.TextField(_("search tokens"), blank=True)
    #: The item's words changed (or it is new): its search tokens are worked out anew.
    is_word_change = models.BooleanField(_("words changed"), default=False)
    #: A new price more than CATALOGUE_PRICE_JUMP_FACTOR times the old, or below the old
    #: divided by it: likely a misread price, confirmed before approval.
    is_price_jump = models.BooleanField(_("likely misread price"), default=False)
    #: Which fields of a changed item change, e.g. "unit_price,unspsc_code," (see FIELD_LABELS);
    #: the previous values of those not kept above are in the old_ columns.
    changed_fields = models.CharField(_("changed fields"), max_length=300, blank=True)
    old_description = models.TextField(_("previous description"), blank=True)
    old_brand = models.CharField(_("previous brand"), max_length=200, blank=True)
    old_gtin = models.CharField(_("previous GTIN"), max_length=14, blank=True)
    old_currency = models.CharField(_("previous currency"), max_length=3, blank=True)
    old_min_order_quantity = models.DecimalField(
        _("previous minimum order quantity"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=3,
        null=True,
        blank=True,
    )
    old_pack_unit_code = models.CharField(_("previous pack unit"), max_length=3, blank=True)
    old_unspsc_code = models.CharField(_("previous UNSPSC code"), max_length=8, blank=True)
    old_category_id = models.BigIntegerField(_("previous category"), null=True, blank=True)
    old_agreement_id = models.BigIntegerField(_("previous agreement"), null=True, blank=True)
    old_lot_id = models.BigIntegerField(_("previous lot"), null=True, blank=True)
    #: The supplier's own category of the item, as the file names it.
    supplier_category = models.CharField(_("supplier's category"), max_length=60, blank=True)
    old_supplier_category = models.CharField(
        _("previous supplier's category"), max_length=60, blank=True
    )
    old_line_id = models.CharField(_("previous catalogue line ID"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("catalogue change")
        verbose_name_plural = _("catalogue changes")
        ordering = ["kind", "supplier_item_number"]
        indexes = [
            models.Index(fields=["catalogue_import", "kind"], name="change_import_kind_idx"),
            models.Index(fields=["product", "catalogue_import"], name="change_product_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.supplier_item_number}"
