"""The organisation: municipalities, their unit tree, people, roles, limits, addresses, budgets.

Every table that holds a municipality's data carries the municipality as a foreign key of its
own, so that row-level security can be added below the ORM without joins.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import HttpsURLField, IdentifierField, TimeStampedModel
from core.money import AMOUNT_DIGITS

ZERO = Decimal("0.00")


class Municipality(TimeStampedModel):
    """A Danish municipality (kommune): the tenant. Nothing crosses from one to another."""

    name = models.CharField(_("name"), max_length=200)
    cvr = IdentifierField(_("CVR number"), kind="cvr", unique=True)
    gln = IdentifierField(
        _("main EAN number"),
        kind="gln",
        help_text=_("The municipality's main GLN, for invoices without a more specific unit."),
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="DK")
    website = HttpsURLField(_("website"), blank=True)
    order_number_prefix = models.CharField(
        _("order number prefix"),
        max_length=8,
        help_text=_("Orders are numbered PREFIX-YEAR-NNNNNN, e.g. FK-2026-000101."),
        validators=[RegexValidator(r"^[A-Z]{1,8}$", _("Use 1 to 8 capital letters A-Z."))],
    )
    uses_goods_receipt = models.BooleanField(
        _("registers goods receipt"),
        default=False,
        help_text=_(
            "Units register what arrived, line by line, so that invoices are matched against "
            "order, receipt and invoice (three-way)."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Belongs to one municipality; platform operators to none."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Empty for platform operators (superusers), and only for them."),
    )
    personreference = models.CharField(
        _("person reference"),
        max_length=20,
        blank=True,
        help_text=_(
            "The requisitioner's reference, put on every order so that the invoice can echo it."
        ),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "personreference"],
                condition=~Q(personreference=""),
                name="user_personreference_unique_per_municipality",
                violation_error_message=_(
                    "Another person in the municipality has this person reference."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=False, municipality__isnull=False)
                | Q(is_superuser=True, municipality__isnull=True),
                name="user_municipality_xor_superuser",
                violation_error_message=_(
                    "A person belongs to exactly one municipality; a platform operator "
                    "(superuser) to none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrgUnit(TimeStampedModel):
    """A unit in the municipality's tree: the municipality itself, a department, an institution.

    `path` lists the ids from the root down to this unit ("/1/4/9/"), so a subtree is one
    `path__startswith` filter. Only `org.services` writes it.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        ADMINISTRATION = "administration", _("Administration (forvaltning)")
        DEPARTMENT = "department", _("Department")
        STAFF_UNIT = "staff_unit", _("Staff unit")
        DAYCARE = "daycare", _("Daycare")
        CHILDMINDING = "childminding", _("Childminding")
        SCHOOL = "school", _("School")
        NURSING_HOME = "nursing_home", _("Nursing home")
        HOME_CARE = "home_care", _("Home care")
        ASSISTIVE_DEVICES_DEPOT = "assistive_devices_depot", _("Assistive devices depot")
        OPERATIONS_DEPOT = "operations_depot", _("Operations depot")
        OTHER_INSTITUTION = "other_institution", _("Other institution")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, '-' and '_' only."))
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    gln = IdentifierField(
        _("EAN number"),
        kind="gln",
        help_text=_("The unit's GLN, to which suppliers send e-invoices."),
    )
    receives_invoices = models.BooleanField(_("receives invoices"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="orgunit_code_unique_per_municipality",
                violation_error_message=_("Another unit in the municipality has this code."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "gln"],
                name="orgunit_gln_unique_per_municipality",
                violation_error_message=_("Another unit in the municipality has this EAN number."),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(parent__isnull=True),
                name="orgunit_one_root_per_municipality",
                violation_error_message=_(
                    "The municipality already has a top unit; choose a parent unit."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.parent_id is None or self.parent is None:
            return
        if self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("The parent unit belongs to another municipality.")})
        if self.is_above(self.parent):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own units.")}
            )

    def is_above(self, other: OrgUnit) -> bool:
        """Whether `other` is this unit or lies in its subtree (read from `other.path`)."""
        return self.pk is not None and f"/{self.pk}/" in other.path

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids from the root down to and including this unit, read from `path`."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class MunicipalityOwnedByUnit(TimeStampedModel):
    """Base for rows that belong to a unit and repeat its municipality (for row-level security).

    Subclasses declare `unit` with their own related name.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    unit: models.ForeignKey[OrgUnit, OrgUnit]
    unit_id: int | None

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.unit_id is not None and self.unit.municipality_id != self.municipality_id:
            raise ValidationError({"unit": _("The unit belongs to another municipality.")})


class DeliveryAddress(MunicipalityOwnedByUnit):
    """Where a unit receives goods. Orders copy it; the address itself can change later."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="delivery_addresses",
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    label = models.CharField(_("label"), max_length=200)
    gln = IdentifierField(_("EAN number of the delivery place"), kind="gln", blank=True)
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="DK")
    attention = models.CharField(_("attention"), max_length=200, blank=True)
    delivery_note = models.CharField(_("delivery note"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("delivery address")
        verbose_name_plural = _("delivery addresses")
        ordering = ["unit__path", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                condition=~Q(code=""),
                name="deliveryaddress_code_unique_per_municipality",
                violation_error_message=_(
                    "Another delivery address in the municipality has this code."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}, {self.street}, {self.postal_code} {self.city}"


class CostCentre(MunicipalityOwnedByUnit):
    """An omkostningssted: where a purchase is booked. Owned by a unit, with monthly budgets."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cost_centres"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    default_account = models.CharField(
        _("default account"),
        max_length=100,
        blank=True,
        help_text=_("The account (artskonto) purchases are booked on unless chosen otherwise."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="costcentre_code_unique_per_municipality",
                violation_error_message=_("Another cost centre in the municipality has this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MonthlyBudget(TimeStampedModel):
    """The budget of one cost centre for one month, in DKK excluding VAT."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    cost_centre = models.ForeignKey(
        CostCentre,
        verbose_name=_("cost centre"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(
        _("amount (DKK excl. VAT)"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )

    class Meta:
        verbose_name = _("monthly budget")
        verbose_name_plural = _("monthly budgets")
        ordering = ["cost_centre__code", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["cost_centre", "year", "month"],
                name="monthlybudget_one_per_month",
                violation_error_message=_("The cost centre already has a budget for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="monthlybudget_month_1_to_12",
                violation_error_message=_("The month must be 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="monthlybudget_amount_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre.code} {self.year}-{self.month:02d}"

    def clean(self) -> None:
        centre_id = self.cost_centre_id
        if centre_id is not None and self.cost_centre.municipality_id != self.municipality_id:
            raise ValidationError(
                {"cost_centre": _("The cost centre belongs to another municipality.")}
            )


class Role(models.TextChoices):
    REQUISITIONER = "requisitioner", _("Requisitioner")
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")
    ASSORTMENT_ADMIN = "assortment_admin", _("Procurement officer")
    FINANCE = "finance", _("Finance")
    MUNICIPALITY_ADMIN = "municipality_admin", _("Municipality administrator")


#: Roles that place orders for a unit (the approver is a leader, who also buys for the unit).
ORDERING_ROLES = frozenset({Role.REQUISITIONER, Role.BUYER, Role.APPROVER})
#: Roles that administer the organisation (units, people, roles, limits) and see system status.
ORGANISATION_ADMIN_ROLES = frozenset({Role.MUNICIPALITY_ADMIN})
#: Roles that administer the catalogue (agreements, suppliers, products).
CATALOGUE_ADMIN_ROLES = frozenset({Role.MUNICIPALITY_ADMIN, Role.ASSORTMENT_ADMIN})
#: Roles that enter the administration at all.
ADMIN_ROLES = ORGANISATION_ADMIN_ROLES | CATALOGUE_ADMIN_ROLES


class Membership(TimeStampedModel):
    """A person's role in a unit, optionally for the unit's whole subtree, with their limits.

    `order_limit` is the largest order (DKK excl. VAT) the person may place without approval
    (råderum); `approval_limit` the largest order an approver may approve.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    includes_subtree = models.BooleanField(
        _("and the unit's subtree"),
        default=False,
        help_text=_("The role also applies to every unit below this one."),
    )
    order_limit = models.DecimalField(
        _("order limit (DKK excl. VAT)"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The largest order the person may place without approval (råderum)."),
    )
    approval_limit = models.DecimalField(
        _("approval limit (DKK excl. VAT)"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The largest order the person may approve. Approvers only."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_one_role_per_unit",
                violation_error_message=_("The person already has this role in this unit."),
            ),
            models.CheckConstraint(
                condition=Q(order_limit__gte=0) & Q(approval_limit__gte=0),
                name="membership_limits_not_negative",
                violation_error_message=_("Limits cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(approval_limit=0) | Q(role="approver"),
                name="membership_approval_limit_only_for_approvers",
                violation_error_message=_("Only an approver has an approval limit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.unit_id is not None and self.unit.municipality_id != self.municipality_id:
            errors["unit"] = str(_("The unit belongs to another municipality."))
        if self.user_id is not None and self.user.municipality_id != self.municipality_id:
            errors["user"] = str(_("The person belongs to another municipality."))
        if self.role != Role.APPROVER and self.approval_limit:
            errors["approval_limit"] = str(_("Only an approver has an approval limit."))
        if errors:
            raise ValidationError(errors)
