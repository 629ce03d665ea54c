"""Punch-out: a person's visit to a supplier's web shop, and the cart that comes back from it,
kept as received and as pending until the person takes its lines into their Rekvi cart."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Supplier
from core.models import TimeStampedModel
from core.money import AMOUNT_DIGITS, UNIT_PRICE_DIGITS
from orders.models import QUANTITY_DIGITS, QUANTITY_PLACES
from org.models import Municipality, OrgUnit


class PunchoutSession(TimeStampedModel):
    """One visit to a supplier's shop. Its return URL carries a single-use random token, stored
    only as a hash, bound to the person, the supplier, the protocol and an expiry."""

    class Protocol(models.TextChoices):
        CXML = "cxml", "cXML"
        OCI = "oci", "OCI"

    class Operation(models.TextChoices):
        CREATE = "create", _("Shop")
        EDIT = "edit", _("Change lines")
        INSPECT = "inspect", _("Look at lines")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RETURNED = "returned", _("Cart returned")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        SHOP = "shop", _("Shopping")
        SELF_TEST = "self_test", _("Supplier self-test")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="punchout_sessions",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    operation = models.CharField(
        _("operation"), max_length=8, choices=Operation.choices, default=Operation.CREATE
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.SHOP
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    buyer_cookie = models.CharField(_("buyer cookie"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    expires_at = models.DateTimeField(_("expires"))
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    start_url = models.URLField(_("start page"), max_length=2000, blank=True)
    failure = models.TextField(_("what went wrong"), blank=True)
    #: A self-test's findings before the cart comes back: [{"ok": bool, "text": str}, ...].
    findings = models.JSONField(_("self-test findings"), default=list, blank=True)

    class Meta:
        verbose_name = _("punch-out session")
        verbose_name_plural = _("punch-out sessions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="self_test") | Q(unit__isnull=False),
                name="punchout_session_shopping_has_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.protocol} {self.state}"


class ReturnedCart(TimeStampedModel):
    """The cart a supplier's shop sent back, with the message as received (any shared secret
    in it blanked out), its lines and what the checks found. Pending until taken or put aside."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        TAKEN = "taken", _("Taken into the cart")
        DISCARDED = "discarded", _("Put aside")
        UNREADABLE = "unreadable", _("Could not be read")
        NO_CHANGE = "no_change", _("No change")
        CANCELLED = "cancelled", _("Cancelled in the web shop")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.OneToOneField(
        PunchoutSession,
        verbose_name=_("punch-out session"),
        on_delete=models.CASCADE,
        related_name="returned_cart",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    raw = models.BinaryField(_("message as received"))
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    total = models.DecimalField(
        _("total excl. VAT"), max_digits=AMOUNT_DIGITS, decimal_places=2, null=True, blank=True
    )
    #: What is wrong with the cart as a whole (it could not be read, another supplier's...).
    problem = models.TextField(_("problem"), blank=True)
    #: The identities the cart was signed with (cXML From, OCI NEW_ITEM-VENDOR) that the
    #: supplier's settings do not list; [] when it was signed by a listed one, or by none.
    unlisted_identities = models.JSONField(_("unlisted identities"), default=list, blank=True)
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)

    class Meta:
        verbose_name = _("returned punch-out cart")
        verbose_name_plural = _("returned punch-out carts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.state}"


class ReturnedLine(models.Model):
    """A line of a returned cart, as the supplier described it, with the checks' findings."""

    cart = models.ForeignKey(
        ReturnedCart,
        verbose_name=_("returned cart"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveIntegerField(_("line"))
    supplier_item_number = models.CharField(_("supplier item number"), max_length=100)
    supplier_part_auxiliary_id = models.TextField(_("supplier's line key"), blank=True)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    unit_code = models.CharField(_("unit"), max_length=3, blank=True)
    unit_as_sent = models.CharField(_("unit as sent"), max_length=20, blank=True)
    unit_price = models.DecimalField(
        _("unit price excl. VAT"), max_digits=UNIT_PRICE_DIGITS, decimal_places=4
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    agreement_unit_price = models.DecimalField(
        _("agreement unit price excl. VAT"),
        max_digits=UNIT_PRICE_DIGITS,
        decimal_places=4,
        null=True,
        blank=True,
    )
    classification = models.CharField(_("UNSPSC"), max_length=20, blank=True)
    lead_time_days = models.PositiveIntegerField(_("delivery time (days)"), null=True, blank=True)
    #: Why the line cannot join the cart (a price of 0, another currency, a blocked category).
    refusal = models.TextField(_("refused because"), blank=True)
    #: Not refused, but its order needs a godkender's approval whatever its amount, and why.
    approval_reason = models.TextField(_("needs approval because"), blank=True)
    #: What the person should look at before taking the line (a price off the agreement...).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("returned line")
        verbose_name_plural = _("returned lines")
        ordering = ["cart", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "position"], name="returned_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.cart_id}/{self.position}"
