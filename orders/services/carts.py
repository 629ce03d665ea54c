"""Carts and checkout: every write and every rule of putting items in a cart and turning the cart
into one order per supplier, held against the person's order limit (råderum)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Product, Supplier
from catalog.selectors import BuyingRules, product_list_for_unit, supplier_list_for_unit
from core.errors import ApplicationError
from core.money import money_round, quantity_text
from core.numbers import DecimalMark, NumberTextError, number_parse
from core.transactions import enqueue_after_commit
from edi import units
from orders.models import (
    FREE_TEXT_REASON_MAX_LENGTH,
    QUANTITY_PLACES,
    Cart,
    CartLine,
    CartPackage,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumberCounter,
)
from orders.selectors import agreement_unit_prices
from orders.tasks import order_approval_request_notify_task
from org.models import CostCentre, DeliveryAddress, OrgUnit, User
from org.selectors import org_unit_list_actable, user_order_limit_for_unit

#: The most of one item a line may hold: more is a typing slip, not an order.
MAX_QUANTITY = Decimal(100_000)
NOTE_MAX_LENGTH = 2000
PERSONREFERENCE_MAX_LENGTH = 20
ACCOUNT_MAX_LENGTH = Order._meta.get_field("account").max_length or 0
SUPPLIER_ITEM_NUMBER_MAX_LENGTH = CartLine._meta.get_field("supplier_item_number").max_length or 0
LINK_MAX_LENGTH = CartLine._meta.get_field("link").max_length or 0


class CartErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    NOT_IN_ASSORTMENT = "not_in_assortment"
    BAD_QUANTITY = "bad_quantity"
    EMPTY = "empty"
    NOT_ORDERABLE = "not_orderable"
    BAD_ADDRESS = "bad_address"
    BAD_COST_CENTRE = "bad_cost_centre"
    BAD_DATE = "bad_date"
    BAD_REFERENCE = "bad_reference"
    BAD_NOTE = "bad_note"
    BAD_NAME = "bad_name"
    BAD_DESCRIPTION = "bad_description"
    BAD_UNIT = "bad_unit"
    BAD_PRICE = "bad_price"
    BAD_SUPPLIER = "bad_supplier"
    BAD_LINK = "bad_link"
    NEEDS_REASON = "needs_reason"
    TOO_LONG = "too_long"
    BELOW_MINIMUM = "below_minimum"


class CartError(ApplicationError):
    """A cart or checkout rule refused the request; `field` names the input that is wrong."""


def _typed_decimal(value: object) -> Decimal | None:
    """A number as a person types it in the shop's language (in Danish "1.000" is a thousand,
    "2,5" two and a half, "99 kr." 99; in English "1,000.5"), or as given (a Decimal, from
    the API); None if it is not a number."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    text = str(value).strip().removesuffix("kr.").removesuffix("kr").removesuffix("DKK")
    mark = DecimalMark.COMMA if (get_language() or "da").startswith("da") else DecimalMark.POINT
    try:
        return number_parse(text, mark=mark)
    except NumberTextError:
        return None


def _decimals(number: Decimal) -> int:
    return max(-int(number.normalize().as_tuple().exponent), 0)


def quantity_is_none(value: object) -> bool:
    """Whether a typed quantity says "none": nothing typed, or 0 however it is written."""
    if isinstance(value, str) and not value.strip():
        return True
    number = _typed_decimal(value)
    return number is not None and number == 0


def quantity_clean(value: object, *, field: str = "quantity") -> Decimal:
    """A quantity as typed ("2", "2,5", "1.000") made a Decimal, or CartError(BAD_QUANTITY)
    saying what is wrong: not a number, zero or less, more than 3 decimals, absurdly large."""
    quantity = _typed_decimal(value)
    if quantity is None:
        raise CartError(
            CartErrorCode.BAD_QUANTITY,
            _("The quantity “%(value)s” is not a number. Write it with digits, e.g. 2 or 2.5.")
            % {"value": value},
            field=field,
        )
    if not quantity.is_finite() or quantity <= 0:
        raise CartError(
            CartErrorCode.BAD_QUANTITY,
            _("The quantity must be more than 0. Remove the line instead to leave it out."),
            field=field,
        )
    if _decimals(quantity) > QUANTITY_PLACES:
        raise CartError(
            CartErrorCode.BAD_QUANTITY,
            _("The quantity may have at most 3 decimals."),
            field=field,
        )
    if quantity > MAX_QUANTITY:
        raise CartError(
            CartErrorCode.BAD_QUANTITY,
            _(
                "%(quantity)s is more than the %(most)s a line may hold. Check the quantity, or "
                "split the purchase into several orders."
            )
            % {"quantity": quantity, "most": MAX_QUANTITY},
            field=field,
        )
    return quantity


def text_length_check(*, value: str, most: int, field: str, label: str) -> str:
    """`value`, or CartError(TOO_LONG) naming the field and its limit: text is never cut."""
    if len(value) > most:
        raise CartError(
            CartErrorCode.TOO_LONG,
            _("%(label)s may be at most %(most)s characters; this one has %(length)s.")
            % {"label": label, "most": most, "length": len(value)},
            field=field,
        )
    return value


def minimum_order_check(*, product: Product, quantity: Decimal, field: str) -> None:
    """Refuse less than the supplier sells of an item: CartError(BELOW_MINIMUM)."""
    if quantity < product.min_order_quantity:
        raise CartError(
            CartErrorCode.BELOW_MINIMUM,
            _("The supplier sells at least %(minimum)s %(unit)s of %(name)s.")
            % {
                "minimum": quantity_text(product.min_order_quantity),
                "unit": units.unit_name(product.unit_code, get_language() or "da"),
                "name": product.name,
            },
            field=field,
        )


def cart_get_for(*, user: User, unit: OrgUnit) -> Cart:
    """The person's cart for `unit`, made if missing. Raises CartError(NOT_ALLOWED) if they
    may not order for the unit (a buyer may order for every unit in their subtree)."""
    if not org_unit_list_actable(user=user).filter(pk=unit.pk).exists():
        raise CartError(CartErrorCode.NOT_ALLOWED, _("You cannot order for this unit."))
    try:
        with transaction.atomic():
            cart, _created = Cart.objects.get_or_create(
                user=user, unit=unit, defaults={"municipality_id": unit.municipality_id}
            )
    except IntegrityError:  # made at the same moment by another request
        cart = Cart.objects.get(user=user, unit=unit)
    return cart


def _orderable_product(*, cart: Cart, product_id: int, on: date) -> Product:
    product = (
        product_list_for_unit(user=cart.user, unit=cart.unit, on=on).filter(pk=product_id).first()
    )
    if product is None:
        raise CartError(
            CartErrorCode.NOT_IN_ASSORTMENT,
            _(
                "This item cannot be ordered for %(unit)s: it is not in the unit's assortment, "
                "or its agreement is not valid today. Search for another item."
            )
            % {"unit": cart.unit.name},
            field="product",
        )
    return product


@transaction.atomic
def cart_line_add(*, cart: Cart, product_id: int, quantity: Decimal | str, on: date) -> CartLine:
    """Put `quantity` (a Decimal, or as typed) of a catalogue item in the cart, added to its
    line if it has one.
    Raises CartError(NOT_IN_ASSORTMENT) for an item the unit may not order, and
    CartError(BAD_QUANTITY) if the line would hold more than MAX_QUANTITY."""
    amount = quantity_clean(quantity)
    product = _orderable_product(cart=cart, product_id=product_id, on=on)
    held = (
        CartLine.objects.filter(cart=cart, product=product)
        .values_list("quantity", flat=True)
        .first()
    )
    minimum_order_check(product=product, quantity=amount + (held or 0), field="quantity")
    line, created = CartLine.objects.get_or_create(
        cart=cart,
        product=product,
        defaults={"municipality_id": cart.municipality_id, "quantity": amount},
    )
    if not created:
        quantity_clean(line.quantity + amount)  # the sum must be sane too
        CartLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + amount)
        line.refresh_from_db(fields=["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return line


@transaction.atomic
def cart_line_quantity_set(*, line: CartLine, quantity: object) -> CartLine:
    """Change a line's quantity (as typed). Raises CartError(BAD_QUANTITY, BELOW_MINIMUM)."""
    line.quantity = quantity_clean(quantity, field=f"line-{line.pk}")
    if line.product is not None:
        minimum_order_check(product=line.product, quantity=line.quantity, field=f"line-{line.pk}")
    CartLine.objects.filter(pk=line.pk).update(quantity=line.quantity, updated_at=timezone.now())
    return line


@transaction.atomic
def cart_line_remove(*, line: CartLine) -> None:
    """Take a line out of its cart."""
    CartLine.objects.filter(pk=line.pk).delete()


@dataclass(frozen=True)
class CheckoutChoices:
    """What the person chooses at checkout; the unit's EAN is added by the service."""

    delivery_address: DeliveryAddress
    cost_centre: CostCentre
    requested_delivery_date: date | None = None
    personreference: str = ""
    account: str = ""
    note_to_supplier: str = ""


def delivery_address_check(*, unit: OrgUnit, address: DeliveryAddress) -> None:
    """Refuse an address that is not one of the unit's active ones: CartError(BAD_ADDRESS)."""
    if address.unit_id != unit.pk or not address.is_active:
        raise CartError(
            CartErrorCode.BAD_ADDRESS,
            _("Choose one of %(unit)s's delivery addresses.") % {"unit": unit.name},
            field="delivery_address",
        )


def cost_centre_check(*, unit: OrgUnit, centre: CostCentre) -> None:
    """Refuse a cost centre that is not one of the unit's active ones:
    CartError(BAD_COST_CENTRE)."""
    if centre.unit_id != unit.pk or not centre.is_active:
        raise CartError(
            CartErrorCode.BAD_COST_CENTRE,
            _("Choose one of %(unit)s's cost centres.") % {"unit": unit.name},
            field="cost_centre",
        )


def delivery_date_check(*, wanted: date | None, on: date) -> None:
    """Refuse a requested delivery date that has passed: CartError(BAD_DATE)."""
    if wanted is not None and wanted < on:
        raise CartError(
            CartErrorCode.BAD_DATE,
            _("The delivery date has passed. Choose today or a later day, or leave it empty."),
            field="requested_delivery_date",
        )


def note_check(*, note: str) -> None:
    """Refuse a note to the supplier that is too long: CartError(BAD_NOTE)."""
    if len(note) > NOTE_MAX_LENGTH:
        raise CartError(
            CartErrorCode.BAD_NOTE,
            _("The note to the supplier may be at most %(most)s characters.")
            % {"most": NOTE_MAX_LENGTH},
            field="note_to_supplier",
        )


def account_check(*, account: str) -> str:
    """The account as typed (trimmed), or CartError(TOO_LONG) above the column's length."""
    return text_length_check(
        value=account.strip(),
        most=ACCOUNT_MAX_LENGTH,
        field="account",
        label=_("The account"),
    )


def _choices_check(cart: Cart, choices: CheckoutChoices, on: date) -> str:
    """Check the choices for the cart's unit; returns the personreference to use."""
    delivery_address_check(unit=cart.unit, address=choices.delivery_address)
    cost_centre_check(unit=cart.unit, centre=choices.cost_centre)
    delivery_date_check(wanted=choices.requested_delivery_date, on=on)
    typed = choices.personreference.strip()
    if len(typed) > PERSONREFERENCE_MAX_LENGTH:
        raise CartError(
            CartErrorCode.BAD_REFERENCE,
            _("The personreference may be at most 20 characters; the supplier prints it."),
            field="personreference",
        )
    note_check(note=choices.note_to_supplier)
    account_check(account=choices.account)
    reference = typed or cart.user.personreference
    if not reference:
        reference = cart.user.get_full_name() or cart.user.get_username()
    return reference[:PERSONREFERENCE_MAX_LENGTH]


def _order_number(cart: Cart, on: date) -> str:
    """The next order number of the municipality this year: PREFIX-YEAR-NNNNNN."""
    counter, _created = OrderNumberCounter.objects.get_or_create(
        municipality_id=cart.municipality_id, year=on.year
    )
    OrderNumberCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    prefix = cart.unit.municipality.order_number_prefix
    return f"{prefix}-{on.year}-{counter.last_number:06d}"


def approval_reasons(lines: Sequence[OrderLine]) -> str:
    """Why an order's lines need a godkender's approval whatever the amount ('' if they do
    not): each reason once, naming its lines."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.approval_reason:
            by_reason[line.approval_reason].append(str(line.position))
    return " ".join(
        _("Line %(lines)s: %(reason)s") % {"lines": ", ".join(positions), "reason": reason}
        for reason, positions in by_reason.items()
    )


def _order_line(
    line: CartLine,
    position: int,
    orderable: Mapping[int, Product],
    agreement_prices: Mapping[tuple[int, str], Decimal],
) -> OrderLine:
    """The order line of a cart line: the catalogue item as it is today, the free text, or the
    line the supplier's shop returned (with the agreement's price for the item, if it has one)."""
    if line.product_id is None:
        price = line.estimated_unit_price or Decimal(0)
        punchout = line.kind == CartLine.Kind.PUNCHOUT
        return OrderLine(
            position=position,
            supplier_item_number=line.supplier_item_number,
            name=line.description,
            unit_code=line.unit_code,
            quantity=line.quantity,
            unit_price=price,
            line_total=money_round(line.quantity * price),
            is_free_text=not punchout,
            is_punchout=punchout,
            link=line.link,
            free_text_reason=line.free_text_reason,
            supplier_part_auxiliary_id=line.supplier_part_auxiliary_id,
            unspsc_code=line.unspsc_code,
            agreement_unit_price=(
                agreement_prices.get((line.supplier_id or 0, line.supplier_item_number))
                if punchout
                else None
            ),
            approval_reason=line.approval_reason,
        )
    product = orderable[line.product_id]
    return OrderLine(
        position=position,
        product=product,
        agreement_id=product.agreement_id,
        supplier_item_number=product.supplier_item_number,
        gtin=product.gtin,
        name=product.name,
        unit_code=product.unit_code,
        pack_quantity=product.pack_quantity,
        quantity=line.quantity,
        unit_price=product.unit_price,
        line_total=money_round(line.quantity * product.unit_price),
        unspsc_code=product.unspsc_code,
    )


def order_lines_totals(lines: Sequence[OrderLine]) -> tuple[Decimal, Decimal]:
    """The order's total and the total held against limits (each punch-out line at the higher
    of its returned price and the agreement's price, so a tampered cart cannot slip under a
    limit)."""
    total = sum((line.line_total for line in lines), Decimal(0))
    limit_total = sum(
        (money_round(line.quantity * line.limit_unit_price) for line in lines), Decimal(0)
    )
    return total, limit_total


def _packages_pre_approving(
    *,
    cart_packages: Sequence[CartPackage],
    lines: Sequence[CartLine],
    supplier_id: int,
    suppliers: Mapping[int, int],
) -> tuple[Decimal, list[str]] | None:
    """If the lines of one supplier's order are exactly the cart's packages of that supplier,
    unchanged (same version, same quantities, nothing added or taken out): the amount they are
    pre-approved up to, and their names. None otherwise. `suppliers` maps product to supplier."""
    expected: dict[int, Decimal] = defaultdict(Decimal)
    allowance = Decimal(0)
    names = []
    for held in cart_packages:
        package = held.package
        package_lines = list(package.lines.all())
        owners = {suppliers.get(package_line.product_id) for package_line in package_lines}
        if owners != {supplier_id}:
            continue
        if held.version != package.version or not package.is_active:
            return None
        for package_line in package_lines:
            expected[package_line.product_id] += package_line.quantity * held.count
        allowance += package.pre_approved_up_to * held.count
        names.append(f"{package.name} ({held.count})")
    if not expected:
        return None
    actual: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.product_id is None:
            return None
        actual[line.product_id] += line.quantity
    return (allowance, names) if actual == expected else None


@transaction.atomic
def cart_checkout(*, cart: Cart, choices: CheckoutChoices, on: date) -> list[Order]:
    """Turn the cart into one order per supplier, each numbered within the municipality and
    carrying the unit's EAN and the personreference, priced as the catalogue prices the items
    today. An order above the person's order limit for the unit awaits approval; the others
    are approved. The cart is emptied. Nothing is saved if anything is refused:
    CartError(EMPTY, NOT_ALLOWED, NOT_ORDERABLE, BAD_ADDRESS, BAD_COST_CENTRE, BAD_DATE,
    BAD_REFERENCE, BAD_NOTE)."""
    limit = user_order_limit_for_unit(user=cart.user, unit=cart.unit)
    if limit is None:
        raise CartError(CartErrorCode.NOT_ALLOWED, _("You cannot order for this unit."))
    reference = _choices_check(cart, choices, on)
    lines = list(cart.lines.order_by("pk"))
    if not lines:
        raise CartError(CartErrorCode.EMPTY, _("The cart is empty: add an item first."))
    catalogue = [line for line in lines if line.product_id is not None]
    free_text = [line for line in lines if line.product_id is None]  # and punch-out
    orderable = {
        product.pk: product
        for product in product_list_for_unit(user=cart.user, unit=cart.unit, on=on)
        .filter(pk__in=[line.product_id for line in catalogue])
        .select_related("supplier")
    }
    allowed_suppliers = (
        {
            supplier.pk: supplier.name
            for supplier in supplier_list_for_unit(user=cart.user, unit=cart.unit, on=on)
        }
        if free_text
        else {}
    )
    shops = {
        line.supplier_id
        for line in free_text
        if line.kind == CartLine.Kind.PUNCHOUT and line.supplier_id not in allowed_suppliers
    }
    if shops:  # a web shop's supplier need have no item in the catalogue
        rules = BuyingRules(user=cart.user, unit=cart.unit, on=on)
        for supplier in Supplier.objects.filter(pk__in=shops):
            if rules.offers_shop(supplier):
                allowed_suppliers[supplier.pk] = supplier.name
    gone = [line for line in catalogue if line.product_id not in orderable]
    gone_names = list(
        Product.objects.filter(pk__in=[line.product_id for line in gone])
        .order_by("name")
        .values_list("name", flat=True)
    ) + sorted(line.description for line in free_text if line.supplier_id not in allowed_suppliers)
    agreement_prices = agreement_unit_prices(
        municipality_id=cart.municipality_id,
        items=[
            (line.supplier_id, line.supplier_item_number)
            for line in free_text
            if line.kind == CartLine.Kind.PUNCHOUT and line.supplier_id is not None
        ],
        on=on,
    )
    if gone_names:
        raise CartError(
            CartErrorCode.NOT_ORDERABLE,
            _(
                "These items can no longer be ordered (their agreement has expired, or they left "
                "the assortment): %(names)s. Remove them from the cart and order the rest."
            )
            % {"names": ", ".join(gone_names)},
            field="lines",
        )
    for line in catalogue:  # the minimum may have risen since the line was put in the cart
        minimum_order_check(
            product=orderable[line.product_id],  # type: ignore[index]
            quantity=line.quantity,
            field=f"line-{line.pk}",
        )
    by_supplier: dict[int, list[CartLine]] = defaultdict(list)
    suppliers: dict[int, str] = {}
    for line in catalogue:
        product = orderable[line.product_id]  # type: ignore[index]
        by_supplier[product.supplier_id].append(line)
        suppliers[product.supplier_id] = product.supplier.name
    for line in free_text:
        by_supplier[line.supplier_id].append(line)  # type: ignore[index]
        suppliers[line.supplier_id] = allowed_suppliers[line.supplier_id]  # type: ignore[index]
    cart_packages = list(cart.packages.select_related("package").prefetch_related("package__lines"))
    product_suppliers = {pk: product.supplier_id for pk, product in orderable.items()}
    if cart_packages:
        package_products = [
            line.product_id for held in cart_packages for line in held.package.lines.all()
        ]
        product_suppliers.update(
            Product.objects.filter(pk__in=package_products).values_list("pk", "supplier_id")
        )
    now = timezone.now()
    unit = cart.unit
    orders = []
    for supplier_id in sorted(by_supplier, key=lambda pk: (suppliers[pk], pk)):
        order_lines = [
            _order_line(line, position, orderable, agreement_prices)
            for position, line in enumerate(by_supplier[supplier_id], start=1)
        ]
        total, limit_total = order_lines_totals(order_lines)
        status = Order.Status.APPROVED if limit_total <= limit else Order.Status.AWAITING_APPROVAL
        note = ""
        pre_approval = _packages_pre_approving(
            cart_packages=cart_packages,
            lines=by_supplier[supplier_id],
            supplier_id=supplier_id,
            suppliers=product_suppliers,
        )
        if pre_approval is not None and limit_total <= pre_approval[0]:
            status = Order.Status.APPROVED
            note = _("Pre-approved standard packages: %(names)s.") % {
                "names": ", ".join(pre_approval[1])
            }
        reasons = approval_reasons(order_lines)
        if reasons:
            status = Order.Status.AWAITING_APPROVAL
            note = reasons
        order = Order.objects.create(
            municipality_id=cart.municipality_id,
            number=_order_number(cart, on),
            unit=unit,
            supplier_id=supplier_id,
            placed_by=cart.user,
            personreference=reference,
            unit_ean=unit.gln,
            delivery_address=choices.delivery_address,
            requested_delivery_date=choices.requested_delivery_date,
            cost_centre=choices.cost_centre,
            account=choices.account.strip() or choices.cost_centre.default_account,
            note_to_supplier=choices.note_to_supplier.strip(),
            status=status,
            total=total,
            limit_total=limit_total,
            order_limit=limit,
        )
        for order_line in order_lines:
            order_line.order = order
        OrderLine.objects.bulk_create(order_lines)
        OrderEvent.objects.create(order=order, at=now, by=cart.user, status=status, note=note)
        if status == Order.Status.AWAITING_APPROVAL:
            enqueue_after_commit(order_approval_request_notify_task, order_id=order.pk)
        orders.append(order)
    # the lines go with the orders: a second checkout of the same cart at the same moment
    # finds them gone and is rolled back, so nothing is ordered twice
    CartPackage.objects.filter(cart=cart).delete()
    removed, _by_model = CartLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    if removed != len(lines):
        raise CartError(
            CartErrorCode.EMPTY, _("The cart changed while it was being ordered. Look at it again.")
        )
    return orders


MAX_ESTIMATED_PRICE = Decimal(10_000_000)
FREE_TEXT_HINTS = 5


def price_clean(value: object, *, field: str = "estimated_unit_price") -> Decimal:
    """A price as typed ("1.250,50", "99") made a Decimal with at most 4 decimals, or
    CartError(BAD_PRICE) saying what is wrong."""
    price = _typed_decimal(value)
    if price is None:
        raise CartError(
            CartErrorCode.BAD_PRICE,
            _("The price “%(value)s” is not a number. Write it in kroner, e.g. 149.95.")
            % {"value": value},
            field=field,
        )
    if not price.is_finite() or price < 0:
        raise CartError(CartErrorCode.BAD_PRICE, _("The price cannot be less than 0."), field=field)
    if _decimals(price) > 4:
        raise CartError(
            CartErrorCode.BAD_PRICE, _("The price may have at most 4 decimals."), field=field
        )
    if price > MAX_ESTIMATED_PRICE:
        raise CartError(
            CartErrorCode.BAD_PRICE,
            _("A price above %(most)s kr. is not a free-text order; ask the procurement office.")
            % {"most": MAX_ESTIMATED_PRICE},
            field=field,
        )
    return price


@dataclass(frozen=True)
class FreeText:
    """What a person writes for an item that is not in the catalogue."""

    description: str
    quantity: object
    unit_code: str
    estimated_unit_price: object
    supplier_id: int | None
    supplier_item_number: str = ""
    link: str = ""
    reason: str = ""


def free_text_hints(*, user: User, unit: OrgUnit, description: str, on: date) -> list[Product]:
    """Agreement items of the unit's assortment that match the description ("this exists on
    agreement X"), best first."""
    from catalog.selectors import SearchTimeoutError, product_search

    if len(description.strip()) < 3:
        return []
    try:
        result = product_search(
            user=user, unit=unit, text=description, on=on, limit=FREE_TEXT_HINTS
        )
    except SearchTimeoutError:
        return []
    return list(result.products)


@transaction.atomic
def cart_free_text_add(*, cart: Cart, free_text: FreeText, on: date) -> CartLine:
    """Put a free-text line (fritekstordre) in the cart. The supplier must be on one of the
    unit's agreements; when the unit's assortment has items that match the description, a
    reason must be given (it is kept and reported). Raises CartError naming the field."""
    description = free_text.description.strip()
    if not 3 <= len(description) <= 300:
        raise CartError(
            CartErrorCode.BAD_DESCRIPTION,
            _("Describe the item in 3 to 300 characters, so the supplier knows what to send."),
            field="description",
        )
    quantity = quantity_clean(free_text.quantity)
    if not units.is_known(free_text.unit_code):
        raise CartError(
            CartErrorCode.BAD_UNIT, _("Choose the unit from the list."), field="unit_code"
        )
    unit_code = units.unit_get(free_text.unit_code).code  # XPK is stored as PK
    price = price_clean(free_text.estimated_unit_price)
    suppliers = supplier_list_for_unit(user=cart.user, unit=cart.unit, on=on)
    supplier = suppliers.filter(pk=free_text.supplier_id or 0).first()
    if supplier is None:
        raise CartError(
            CartErrorCode.BAD_SUPPLIER,
            _(
                "Choose a supplier on one of %(unit)s's agreements. To buy from another "
                "supplier, ask the procurement office."
            )
            % {"unit": cart.unit.name},
            field="supplier",
        )
    text_length_check(
        value=free_text.supplier_item_number.strip(),
        most=SUPPLIER_ITEM_NUMBER_MAX_LENGTH,
        field="supplier_item_number",
        label=_("The supplier's item number"),
    )
    link = text_length_check(
        value=free_text.link.strip(), most=LINK_MAX_LENGTH, field="link", label=_("The link")
    )
    if link and not link.startswith(("https://", "http://")):
        raise CartError(
            CartErrorCode.BAD_LINK,
            _("The link must be a web address starting with https://."),
            field="link",
        )
    reason = text_length_check(
        value=free_text.reason.strip(),
        most=FREE_TEXT_REASON_MAX_LENGTH,
        field="reason",
        label=_("The reason for free text"),
    )
    hints = free_text_hints(user=cart.user, unit=cart.unit, description=description, on=on)
    if hints and not reason:
        first = hints[0]
        raise CartError(
            CartErrorCode.NEEDS_REASON,
            _(
                "“%(name)s” exists on agreement %(agreement)s. Put that in the cart instead, or "
                "write why this must be a free-text order."
            )
            % {
                "name": first.name,
                "agreement": first.agreement.number if first.agreement else "",
            },
            field="reason",
        )
    return CartLine.objects.create(
        municipality_id=cart.municipality_id,
        cart=cart,
        kind=CartLine.Kind.FREE_TEXT,
        quantity=quantity,
        supplier=supplier,
        description=description,
        unit_code=unit_code,
        estimated_unit_price=price,
        supplier_item_number=free_text.supplier_item_number.strip(),
        link=link,
        free_text_reason=reason,
    )


@dataclass(frozen=True)
class PunchoutLine:
    """A line as a supplier's web shop returned it (punch-out), checked by the punch-out
    review before it joins the cart."""

    supplier_item_number: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    supplier_part_auxiliary_id: str = ""
    link: str = ""
    unspsc_code: str = ""
    #: why the line's order needs a godkender's approval whatever its amount ("" if not)
    approval_reason: str = ""


def _punchout_line_check(line: PunchoutLine, index: int) -> None:
    field = f"lines[{index}]"
    quantity_clean(line.quantity, field=field)
    price = price_clean(line.unit_price, field=field)
    if price <= 0:
        raise CartError(
            CartErrorCode.BAD_PRICE,
            _("Line %(line)s has no price. Ask the supplier to correct their shop.")
            % {"line": index + 1},
            field=field,
        )
    if not line.supplier_item_number.strip() or len(line.supplier_item_number) > 100:
        raise CartError(
            CartErrorCode.BAD_DESCRIPTION,
            _("Line %(line)s has no item number of 1 to 100 characters.") % {"line": index + 1},
            field=field,
        )
    if not line.description.strip():
        raise CartError(
            CartErrorCode.BAD_DESCRIPTION,
            _("Line %(line)s has no description.") % {"line": index + 1},
            field=field,
        )
    if not units.is_known(line.unit_code):
        raise CartError(
            CartErrorCode.BAD_UNIT,
            _("Line %(line)s has the unit “%(unit)s”, which Rekvi does not know.")
            % {"line": index + 1, "unit": line.unit_code},
            field=field,
        )


@transaction.atomic
def cart_punchout_lines_put(
    *, cart: Cart, supplier_id: int, lines: Sequence[PunchoutLine], replace: bool, on: date
) -> list[CartLine]:
    """Put the lines a supplier's web shop returned in the cart. With `replace` (the return of
    an edit), the supplier's punch-out lines already in the cart are replaced by these, and an
    empty return removes them. The supplier must be on one of the unit's agreements. Nothing
    is saved if a line is refused: CartError(BAD_SUPPLIER, BAD_QUANTITY, BAD_PRICE,
    BAD_DESCRIPTION, BAD_UNIT) naming the line."""
    if (
        not supplier_list_for_unit(user=cart.user, unit=cart.unit, on=on)
        .filter(pk=supplier_id)
        .exists()
    ):
        raise CartError(
            CartErrorCode.BAD_SUPPLIER,
            _("%(unit)s has no valid agreement with this supplier.") % {"unit": cart.unit.name},
            field="supplier",
        )
    for index, line in enumerate(lines):
        _punchout_line_check(line, index)
    if replace:
        CartLine.objects.filter(
            cart=cart, kind=CartLine.Kind.PUNCHOUT, supplier_id=supplier_id
        ).delete()
    created = CartLine.objects.bulk_create(
        [
            CartLine(
                municipality_id=cart.municipality_id,
                cart=cart,
                kind=CartLine.Kind.PUNCHOUT,
                supplier_id=supplier_id,
                quantity=line.quantity,
                description=line.description.strip()[:300],
                unit_code=units.unit_get(line.unit_code).code,  # checked above
                estimated_unit_price=line.unit_price,
                supplier_item_number=line.supplier_item_number.strip(),
                supplier_part_auxiliary_id=line.supplier_part_auxiliary_id,
                link=line.link[:500],
                unspsc_code=line.unspsc_code.strip()[:20],
                approval_reason=line.approval_reason,
            )
            for line in lines
        ]
    )
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return created
