"""Carts and orders: what a person is about to buy for a unit, and what was ordered from each
supplier. Amounts are DKK excluding VAT (core.money)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Agreement, Product, Supplier
from core.models import TimeStampedModel
from core.money import AMOUNT_DIGITS, UNIT_PRICE_DIGITS, money_text
from org.models import CostCentre, DeliveryAddress, Municipality, OrgUnit

QUANTITY_DIGITS = 12
QUANTITY_PLACES = 3
#: The longest reason a person may give for a free-text line.
FREE_TEXT_REASON_MAX_LENGTH = 1000


class Cart(TimeStampedModel):
    """One person's cart for one unit they buy for (a buyer has one per unit acted for)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="carts",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="carts"
    )

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="cart_one_per_person_and_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.unit}"


#: A punch-out price this far from the agreement's is pointed out (as a fraction of it).
PRICE_TOLERANCE = Decimal("0.005")


def punchout_price_note(*, price: Decimal, agreed: Decimal | None) -> str:
    """What a person should know of the price a supplier's web shop gave a line: that the item
    is not in the agreement catalogue (`agreed` is None), or how far the price is from the
    agreement's; '' when it is the agreement's. The same words on the review of the returned
    cart, the cart, the order and the approver's view of it, in the reader's language."""
    if agreed is None:
        return gettext("Not in the agreement catalogue: the web shop's price cannot be compared.")
    if agreed and abs(price - agreed) > agreed * PRICE_TOLERANCE:
        change = (price - agreed) / agreed * 100
        return gettext(
            "The web shop's price %(price)s differs from the agreement's %(agreed)s "
            "(%(change)s %%); the order limit counts the higher."
        ) % {
            "price": money_text(price),
            "agreed": money_text(agreed),
            "change": f"{change:+.1f}".replace(".", ","),
        }
    return ""


class CartLine(TimeStampedModel):
    """A line of a cart: a catalogue item; a free-text line (fritekstordre) for what is not in
    the catalogue, described by the person, from a supplier on one of the unit's agreements; or
    a line that came back from a supplier's web shop (punch-out), priced by the supplier."""

    class Kind(models.TextChoices):
        CATALOGUE = "catalogue", _("Catalogue")
        FREE_TEXT = "free_text", _("Free text")
        PUNCHOUT = "punchout", _("Punch-out")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    cart = models.ForeignKey(
        Cart, verbose_name=_("cart"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CATALOGUE)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    # free text and punch-out only
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    unit_code = models.CharField(_("unit"), max_length=3, blank=True)
    #: Free text: the person's estimate. Punch-out: the price the supplier's shop returned.
    estimated_unit_price = models.DecimalField(
        _("estimated unit price excl. VAT"),
        max_digits=UNIT_PRICE_DIGITS,
        decimal_places=4,
        null=True,
        blank=True,
    )
    supplier_item_number = models.CharField(_("supplier item number"), max_length=100, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    #: Why the person ordered as free text what looked like an agreement item.
    free_text_reason = models.TextField(
        _("reason for free text"), max_length=FREE_TEXT_REASON_MAX_LENGTH, blank=True
    )
    #: Punch-out: the supplier's key of the line, echoed byte for byte when the line is edited.
    supplier_part_auxiliary_id = models.TextField(_("supplier's line key"), blank=True)
    #: Punch-out: the UNSPSC code the shop classified the line with, sent back when the line
    #: is edited or looked at in the shop.
    unspsc_code = models.CharField(_("UNSPSC code"), max_length=20, blank=True)
    #: Punch-out: why the line's order needs a godkender's approval whatever its amount (a
    #: line of no known category from a shop that sells what the person may not buy).
    approval_reason = models.TextField(_("needs approval because"), blank=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"],
                condition=Q(product__isnull=False),
                name="cart_line_one_per_product",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(kind="catalogue", product__isnull=False, supplier__isnull=True)
                | Q(
                    kind="free_text",
                    product__isnull=True,
                    supplier__isnull=False,
                    estimated_unit_price__gte=0,
                    description__gt="",
                )
                | Q(
                    kind="punchout",
                    product__isnull=True,
                    supplier__isnull=False,
                    estimated_unit_price__gt=0,
                    description__gt="",
                    supplier_item_number__gt="",
                ),
                name="cart_line_catalogue_free_text_or_punchout",
            ),
        ]

    @property
    def is_free_text(self) -> bool:
        return self.kind == self.Kind.FREE_TEXT

    @property
    def is_punchout(self) -> bool:
        return self.kind == self.Kind.PUNCHOUT

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id or self.description}"


class OrderNumberCounter(models.Model):
    """The last order number given in a municipality in a year (PREFIX-YEAR-NNNNNN)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order number counter")
        verbose_name_plural = _("order number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="order_number_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Order(TimeStampedModel):
    """What one checkout ordered from one supplier for one unit. It carries the unit's EAN, the
    personreference and the order number, so that the supplier's invoice can echo them."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")
        CONFIRMED = "confirmed", _("Confirmed")
        PARTLY_DELIVERED = "partly_delivered", _("Partly delivered")
        DELIVERED = "delivered", _("Delivered")
        INVOICED = "invoiced", _("Invoiced")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("order number"), max_length=30)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="orders"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="orders"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="orders_placed",
    )
    personreference = models.CharField(_("personreference"), max_length=20)
    unit_ean = models.CharField(_("EAN number"), max_length=13)
    delivery_address = models.ForeignKey(
        DeliveryAddress,
        verbose_name=_("delivery address"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_delivery_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    cost_centre = models.ForeignKey(
        CostCentre, verbose_name=_("cost centre"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.CharField(_("account"), max_length=30, blank=True)
    note_to_supplier = models.TextField(_("note to the supplier"), blank=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    total = models.DecimalField(
        _("total excl. VAT"), max_digits=AMOUNT_DIGITS, decimal_places=2, default=Decimal(0)
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    #: The order limit the total was held against when the order was placed.
    order_limit = models.DecimalField(
        _("order limit"), max_digits=AMOUNT_DIGITS, decimal_places=2, default=Decimal(0)
    )
    #: The amount held against order and approval limits: the total, but with each punch-out
    #: line at the higher of its returned price and the agreement's price for the item.
    limit_total = models.DecimalField(
        _("total held against limits"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        default=Decimal(0),
    )
    #: Counts the edits: a decision is taken on the revision the approver saw.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="order_number_unique_per_municipality"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(limit_total__gte=F("total")), name="order_limit_total_not_below_total"
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=F("placed_by")), name="order_not_approved_by_its_placer"
            ),
        ]
        indexes = [models.Index(fields=["unit", "created_at"], name="order_unit_created_idx")]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One item of an order, as it was when ordered (the product may change later)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    supplier_item_number = models.CharField(_("supplier item number"), max_length=100)
    gtin = models.CharField(_("GTIN/EAN"), max_length=14, blank=True)
    name = models.CharField(_("name"), max_length=300)
    unit_code = models.CharField(_("unit"), max_length=3)
    pack_quantity = models.DecimalField(
        _("pack quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, null=True
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    unit_price = models.DecimalField(
        _("unit price excl. VAT"), max_digits=UNIT_PRICE_DIGITS, decimal_places=4
    )
    line_total = models.DecimalField(
        _("line total excl. VAT"), max_digits=AMOUNT_DIGITS, decimal_places=2
    )
    received_quantity = models.DecimalField(
        _("received"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        default=Decimal(0),
    )
    is_free_text = models.BooleanField(_("free text"), default=False)
    is_punchout = models.BooleanField(_("punch-out"), default=False)
    link = models.URLField(_("link"), max_length=500, blank=True)
    free_text_reason = models.TextField(
        _("reason for free text"), max_length=FREE_TEXT_REASON_MAX_LENGTH, blank=True
    )
    #: Punch-out: the supplier's key of the line, sent back with the order byte for byte.
    supplier_part_auxiliary_id = models.TextField(_("supplier's line key"), blank=True)
    #: The item's UNSPSC code: the catalogue's, or the one the supplier's shop returned.
    unspsc_code = models.CharField(_("UNSPSC code"), max_length=20, blank=True)
    #: Punch-out: why the order needs a godkender's approval whatever its amount.
    approval_reason = models.TextField(_("needs approval because"), blank=True)
    #: Punch-out: the agreement's price for the item when it was ordered, if it has one.
    agreement_unit_price = models.DecimalField(
        _("agreement unit price excl. VAT"),
        max_digits=UNIT_PRICE_DIGITS,
        decimal_places=4,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.position}"

    @property
    def price_note(self) -> str:
        """A punch-out line's price against the agreement's (see `punchout_price_note`), as
        when it was ordered; '' for other lines."""
        if not self.is_punchout:
            return ""
        return punchout_price_note(price=self.unit_price, agreed=self.agreement_unit_price)

    @property
    def limit_unit_price(self) -> Decimal:
        """The unit price held against limits: never below the agreement's price."""
        if self.agreement_unit_price is not None and self.agreement_unit_price > self.unit_price:
            return self.agreement_unit_price
        return self.unit_price


class OrderEvent(models.Model):
    """Something that happened to an order: placed, approved, sent... with who and when."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=32, choices=Order.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status}"


class FavouriteList(TimeStampedModel):
    """A named list of items with default quantities to put in the cart in one go: a person's
    own, or shared with everyone who orders for the unit (a daycare's weekly food list)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="favourite_lists",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="favourite_lists"
    )
    name = models.CharField(_("name"), max_length=200)
    is_shared = models.BooleanField(
        _("shared with the unit"),
        default=False,
        help_text=_("Everyone who orders for the unit can use and change the list."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("favourite list")
        verbose_name_plural = _("favourite lists")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "unit", "name"], name="favourite_list_name_unique_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FavouriteLine(models.Model):
    """An item of a favourite list, with the quantity usually ordered."""

    favourite_list = models.ForeignKey(
        FavouriteList,
        verbose_name=_("favourite list"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    default_quantity = models.DecimalField(
        _("default quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    #: Price changes and removals applied after this are flagged on the line.
    added_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("favourite line")
        verbose_name_plural = _("favourite lines")
        ordering = ["favourite_list", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["favourite_list", "product"], name="favourite_line_one_per_product"
            ),
            models.CheckConstraint(
                condition=Q(default_quantity__gt=0), name="favourite_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.default_quantity} × {self.product_id}"


class ApprovalDelegation(TimeStampedModel):
    """While an approver is away, another person approves in their place: the orders the
    approver could approve (their units, their limit), never the delegate's own."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to and including"))

    class Meta:
        verbose_name = _("approval delegation")
        verbose_name_plural = _("approval delegations")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(delegate=F("approver")), name="delegation_to_someone_else"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approver_id} → {self.delegate_id} ({self.starts_on}–{self.ends_on})"


class StandardPackage(TimeStampedModel):
    """A named bundle of agreement items, services included (laptop + dock + DEP enrolment +
    image + engraving), ordered as one in large numbers. Every change to its lines gives it a
    new version; ordered unchanged, it may skip approval up to `pre_approved_up_to` each."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    pre_approved_up_to = models.DecimalField(
        _("pre-approved up to (per package, excl. VAT)"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        default=Decimal(0),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("standard package")
        verbose_name_plural = _("standard packages")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="standard_package_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(pre_approved_up_to__gte=0), name="standard_package_pre_approval_sane"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StandardPackageLine(models.Model):
    """An item of a package, with how many go in one package."""

    package = models.ForeignKey(
        StandardPackage,
        verbose_name=_("standard package"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity per package"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )

    class Meta:
        verbose_name = _("standard package line")
        verbose_name_plural = _("standard package lines")
        ordering = ["package", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "product"], name="standard_package_line_one_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="standard_package_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class CartPackage(models.Model):
    """How many of a package (at which version) went into a cart: checkout can then tell an
    order of unchanged packages, which may skip approval."""

    cart = models.ForeignKey(
        Cart, verbose_name=_("cart"), on_delete=models.CASCADE, related_name="packages"
    )
    package = models.ForeignKey(
        StandardPackage,
        verbose_name=_("standard package"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"))
    count = models.PositiveIntegerField(_("number of packages"))

    class Meta:
        verbose_name = _("package in a cart")
        verbose_name_plural = _("packages in carts")
        constraints = [
            models.UniqueConstraint(fields=["cart", "package"], name="cart_package_once")
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.package_id}"
