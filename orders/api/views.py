"""The orders API: carts, checkout, favourite lists, orders and approvals, for the signed-in
person (session or token), scoped as the shop's pages are. Refusals answer 400 with the
rule's stable code, the field and a message in the person's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ApplicationError
from core.params import MAX_ID, read_id, read_key_id, read_number
from orders.models import (
    FREE_TEXT_REASON_MAX_LENGTH,
    CartLine,
    FavouriteList,
    Order,
    StandardPackage,
)
from orders.selectors import (
    OrderFilters,
    cart_find,
    cart_line_get,
    cart_page,
    delegate_candidates,
    delegation_list_for,
    favourite_list_get,
    favourite_list_visible,
    order_get,
    order_list_awaiting_approval,
    order_list_visible,
    package_get,
    package_list,
)
from orders.services import (
    ACCOUNT_MAX_LENGTH,
    CANCEL_REASON_MAX_LENGTH,
    LINK_MAX_LENGTH,
    SUPPLIER_ITEM_NUMBER_MAX_LENGTH,
    CheckoutChoices,
    FreeText,
    OrderEdit,
    cart_checkout,
    cart_free_text_add,
    cart_get_for,
    cart_line_add,
    cart_line_quantity_set,
    cart_line_remove,
    delegation_create,
    delegation_end,
    favourite_list_to_cart,
    order_approve,
    order_cancel,
    order_edit,
    order_goods_receive,
    order_reject,
    order_send_back,
    package_to_carts,
)
from org.models import OrgUnit, User
from org.selectors import (
    cost_centre_list,
    delivery_address_list,
    org_unit_list_actable,
    org_unit_list_visible,
)

PAGE_SIZE = 50


def IdField(**options: Any) -> serializers.IntegerField:  # noqa: N802 - a field's name
    """An id: a whole number from 1 to 2**63 - 1 (the largest a database id can be)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **options)


def QuantityField(**options: Any) -> serializers.DecimalField:  # noqa: N802 - a field's name
    """A quantity as programs write it: a plain decimal with a point ("2", "1.5"), never "1,5"
    or "1.000,5" (the shop's pages read numbers as people type them; the API does not)."""
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        help_text='A plain decimal with a point: "2", "1.5"',
        **options,
    )


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What is wrong and what to do, for people")
    code = serializers.CharField(help_text="Stable, for programs")
    field = serializers.CharField(allow_null=True, help_text="The input that is wrong, if one")
    messages = serializers.DictField(
        required=False,
        help_text="When the body was refused: every field's messages, by field",
    )


def _refused(error: ApplicationError) -> Response:
    return Response(
        {"detail": error.message, "code": str(error.code), "field": error.field},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _person(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _unit(user: User, unit_id: int | None) -> OrgUnit:
    """A unit the person orders for (the first if none is named); 404 otherwise."""
    units = org_unit_list_actable(user=user)
    unit = units.filter(pk=unit_id).first() if unit_id is not None else units.first()
    if unit is None:
        raise Http404
    return unit


class CartLineSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    product = serializers.IntegerField(source="product_id", allow_null=True)
    name = serializers.SerializerMethodField()
    kind = serializers.CharField()
    is_free_text = serializers.BooleanField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2)

    def get_name(self, line: Any) -> str:
        return str(line.product.name if line.product else line.description)


class CartGroupSerializer(serializers.Serializer[Any]):
    supplier = serializers.CharField(source="supplier_name")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    limit_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Held against the order limit: punch-out lines at no less than the agreement",
    )
    needs_approval = serializers.BooleanField()
    lines = CartLineSerializer(many=True)


class CartSerializer(serializers.Serializer[Any]):
    unit = IdField()
    groups = CartGroupSerializer(many=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    order_limit = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


def _cart_body(user: User, unit: OrgUnit) -> dict[str, Any]:
    found = cart_find(user=user, unit=unit)
    if found is None:
        empty = {"groups": [], "total": Decimal(0), "vat": Decimal(0), "order_limit": None}
        return CartSerializer({"unit": unit.pk, **empty}).data
    page = cart_page(cart=found)
    return CartSerializer(
        {
            "unit": unit.pk,
            "groups": page.groups,
            "total": page.total,
            "vat": page.vat,
            "order_limit": page.order_limit,
        }
    ).data


class CartView(APIView):
    @extend_schema(
        operation_id="cart_get",
        parameters=[OpenApiParameter("unit", int, description="The unit bought for")],
        responses={200: CartSerializer},
    )
    def get(self, request: Request) -> Response:
        user = _person(request)
        unit = _unit(user, read_id(request.query_params, "unit"))
        return Response(_cart_body(user, unit))


class CartLineInputSerializer(serializers.Serializer[Any]):
    unit = IdField(required=False)
    product = IdField()
    quantity = QuantityField()


class CartLinesView(APIView):
    @extend_schema(
        operation_id="cart_line_add",
        request=CartLineInputSerializer,
        responses={201: CartSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _person(request)
        payload = CartLineInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = _unit(user, data.get("unit"))
        try:
            cart = cart_get_for(user=user, unit=unit)
            cart_line_add(
                cart=cart,
                product_id=data["product"],
                quantity=data["quantity"],
                on=timezone.localdate(),
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(_cart_body(user, unit), status=status.HTTP_201_CREATED)


class CartLineQuantitySerializer(serializers.Serializer[Any]):
    quantity = QuantityField()


class CartLineView(APIView):
    @extend_schema(
        operation_id="cart_line_update",
        request=CartLineQuantitySerializer,
        responses={200: CartSerializer, 400: ErrorSerializer},
    )
    def patch(self, request: Request, line_id: int) -> Response:
        user = _person(request)
        payload = CartLineQuantitySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            line = cart_line_get(user=user, line_id=line_id)
        except CartLine.DoesNotExist as exc:
            raise Http404 from exc
        try:
            cart_line_quantity_set(line=line, quantity=payload.validated_data["quantity"])
        except ApplicationError as exc:
            return _refused(exc)
        return Response(_cart_body(user, line.cart.unit))

    @extend_schema(operation_id="cart_line_remove", responses={204: None})
    def delete(self, request: Request, line_id: int) -> Response:
        user = _person(request)
        try:
            line = cart_line_get(user=user, line_id=line_id)
        except CartLine.DoesNotExist as exc:
            raise Http404 from exc
        cart_line_remove(line=line)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrderLineSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    supplier_item_number = serializers.CharField()
    name = serializers.CharField()
    is_free_text = serializers.BooleanField()
    is_punchout = serializers.BooleanField()
    unit_code = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    agreement_unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, allow_null=True
    )
    received_quantity = serializers.DecimalField(max_digits=12, decimal_places=3)


class OrderSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    status = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    supplier = serializers.CharField(source="supplier.name")
    placed_by = serializers.CharField(source="placed_by.username")
    personreference = serializers.CharField()
    unit_ean = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    limit_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    revision = serializers.IntegerField(help_text="Send it back with a decision or a change")
    created_at = serializers.DateTimeField()


class OrderEventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    status = serializers.CharField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)
    note = serializers.CharField()


class OrderDetailSerializer(OrderSerializer):
    delivery_address = serializers.IntegerField(source="delivery_address_id")
    requested_delivery_date = serializers.DateField(allow_null=True)
    cost_centre = serializers.IntegerField(source="cost_centre_id")
    account = serializers.CharField()
    note_to_supplier = serializers.CharField()
    lines = OrderLineSerializer(many=True, source="lines.all")
    events = OrderEventSerializer(many=True, source="events.all")


class CheckoutInputSerializer(serializers.Serializer[Any]):
    unit = IdField(required=False)
    delivery_address = IdField()
    cost_centre = IdField()
    requested_delivery_date = serializers.DateField(required=False, allow_null=True)
    personreference = serializers.CharField(required=False, allow_blank=True, default="")
    account = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=ACCOUNT_MAX_LENGTH
    )
    note_to_supplier = serializers.CharField(required=False, allow_blank=True, default="")


class CheckoutView(APIView):
    @extend_schema(
        operation_id="cart_checkout",
        request=CheckoutInputSerializer,
        responses={201: OrderSerializer(many=True), 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _person(request)
        payload = CheckoutInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = _unit(user, data.get("unit"))
        found = cart_find(user=user, unit=unit)
        address = (
            delivery_address_list(user=user, unit=unit).filter(pk=data["delivery_address"]).first()
        )
        centre = cost_centre_list(user=user, unit=unit).filter(pk=data["cost_centre"]).first()
        if address is None:
            return _bad_choice("bad_address", "delivery_address")
        if centre is None:
            return _bad_choice("bad_cost_centre", "cost_centre")
        if found is None:
            found = cart_get_for(user=user, unit=unit)
        try:
            orders = cart_checkout(
                cart=found,
                choices=CheckoutChoices(
                    delivery_address=address,
                    cost_centre=centre,
                    requested_delivery_date=data.get("requested_delivery_date"),
                    personreference=data["personreference"],
                    account=data["account"],
                    note_to_supplier=data["note_to_supplier"],
                ),
                on=timezone.localdate(),
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(OrderSerializer(orders, many=True).data, status=status.HTTP_201_CREATED)


class OrderListView(APIView):
    @extend_schema(
        operation_id="order_list",
        parameters=[
            OpenApiParameter("offset", int),
            OpenApiParameter("status", str),
            OpenApiParameter("unit", int, description="This unit and the units below it"),
            OpenApiParameter("month", str, description="Placed in this month: YYYY-MM"),
        ],
        responses={200: OrderSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        user = _person(request)
        query = request.query_params
        unit = None
        typed = read_id(query, "unit")
        if typed is not None:
            unit = org_unit_list_visible(user=user).filter(pk=typed).first()
            if unit is None:
                return _bad_filter("unit", _("You see no unit with this number."))
        month = None
        if query.get("month"):
            year, _dash, number = query["month"].partition("-")
            try:
                if not (len(year) == 4 and len(number) == 2):
                    raise ValueError(number)
                month = date(int(year), int(number), 1)
            except ValueError:
                return _bad_filter("month", _("Write the month as YYYY-MM, e.g. 2026-11."))
        wanted = query.get("status") or None
        if wanted is not None and wanted not in Order.Status.values:
            return _bad_filter(
                "status",
                _("Choose a status among: %(statuses)s.")
                % {"statuses": ", ".join(Order.Status.values)},
            )
        orders = order_list_visible(
            user=user, filters=OrderFilters(unit=unit, month=month, status=wanted)
        )
        offset = read_number(query, "offset", default=0, max_value=MAX_ID - PAGE_SIZE)
        return Response(OrderSerializer(orders[offset : offset + PAGE_SIZE], many=True).data)


class OrderLineChangeSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField(min_value=1)
    quantity = QuantityField(required=False)
    remove = serializers.BooleanField(required=False, default=False)


class OrderEditInputSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(
        min_value=1, help_text="The revision changed; a newer one refuses the change"
    )
    lines = OrderLineChangeSerializer(many=True, required=False, default=list)
    delivery_address = IdField(required=False)
    cost_centre = IdField(required=False)
    requested_delivery_date = serializers.DateField(required=False, allow_null=True)
    account = serializers.CharField(required=False, allow_blank=True, max_length=ACCOUNT_MAX_LENGTH)
    personreference = serializers.CharField(required=False, max_length=20)
    note_to_supplier = serializers.CharField(required=False, allow_blank=True)


def _order_for(user: User, number: str) -> Order:
    try:
        return order_get(user=user, number=number)
    except Order.DoesNotExist as exc:
        raise Http404 from exc


class OrderDetailView(APIView):
    @extend_schema(operation_id="order_get", responses={200: OrderDetailSerializer})
    def get(self, request: Request, number: str) -> Response:
        user = _person(request)
        return Response(OrderDetailSerializer(_order_for(user, number)).data)

    @extend_schema(
        operation_id="order_edit",
        request=OrderEditInputSerializer,
        responses={200: OrderDetailSerializer, 400: ErrorSerializer},
        description=(
            "Change an order that has not been sent (its placer only). An order a godkender "
            "approved goes back for approval."
        ),
    )
    def patch(self, request: Request, number: str) -> Response:
        user = _person(request)
        payload = OrderEditInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        order = _order_for(user, number)
        address = None
        if "delivery_address" in data:
            address = (
                delivery_address_list(user=user, unit=order.unit)
                .filter(pk=data["delivery_address"])
                .first()
            )
            if address is None:
                return _bad_choice("bad_address", "delivery_address")
        centre = None
        if "cost_centre" in data:
            centre = (
                cost_centre_list(user=user, unit=order.unit).filter(pk=data["cost_centre"]).first()
            )
            if centre is None:
                return _bad_choice("bad_cost_centre", "cost_centre")
        edit = OrderEdit(
            quantities={
                line["position"]: line["quantity"] for line in data["lines"] if "quantity" in line
            },
            removed=frozenset(line["position"] for line in data["lines"] if line["remove"]),
            delivery_address=address,
            cost_centre=centre,
            requested_delivery_date=data.get("requested_delivery_date"),
            clear_requested_delivery_date=(
                "requested_delivery_date" in data and data["requested_delivery_date"] is None
            ),
            account=data.get("account"),
            personreference=data.get("personreference"),
            note_to_supplier=data.get("note_to_supplier"),
        )
        try:
            changed = order_edit(
                order=order,
                by=user,
                edit=edit,
                on=timezone.localdate(),
                revision=data["revision"],
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(OrderDetailSerializer(_order_for(user, changed.number)).data)


def _bad_filter(field: str, message: str) -> Response:
    return Response(
        {"detail": message, "code": "bad_filter", "field": field},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _bad_choice(code: str, field: str) -> Response:
    return Response(
        {
            "detail": _("Choose one of the unit's delivery addresses and cost centres."),
            "code": code,
            "field": field,
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


class CancelInputSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(min_value=1, required=False)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=CANCEL_REASON_MAX_LENGTH
    )


class OrderCancelView(APIView):
    @extend_schema(
        operation_id="order_cancel",
        request=CancelInputSerializer,
        responses={200: OrderSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request, number: str) -> Response:
        user = _person(request)
        payload = CancelInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        order = _order_for(user, number)
        try:
            cancelled = order_cancel(
                order=order, by=user, reason=data["reason"], revision=data.get("revision")
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(OrderSerializer(cancelled).data)


class DecisionInputSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["approve", "reject", "send_back"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The revision decided on; if the order was changed since, nothing is decided",
    )


class OrderDecisionView(APIView):
    @extend_schema(
        operation_id="order_decide",
        request=DecisionInputSerializer,
        responses={200: OrderSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request, number: str) -> Response:
        user = _person(request)
        payload = DecisionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        order = _order_for(user, number)
        revision = data.get("revision")
        try:
            if data["action"] == "approve":
                decided = order_approve(order=order, by=user, revision=revision)
            elif data["action"] == "reject":
                decided = order_reject(
                    order=order, by=user, reason=data["reason"], revision=revision
                )
            else:
                decided = order_send_back(
                    order=order, by=user, reason=data["reason"], revision=revision
                )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(OrderSerializer(decided).data)


class ApprovalQueueView(APIView):
    @extend_schema(operation_id="approval_queue", responses={200: OrderSerializer(many=True)})
    def get(self, request: Request) -> Response:
        user = _person(request)
        return Response(OrderSerializer(order_list_awaiting_approval(user=user), many=True).data)


class FavouriteListSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    is_shared = serializers.BooleanField()
    line_count = serializers.IntegerField()


class FavouriteListsView(APIView):
    @extend_schema(
        operation_id="favourite_list_list", responses={200: FavouriteListSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        user = _person(request)
        return Response(FavouriteListSerializer(favourite_list_visible(user=user), many=True).data)


class ToCartInputSerializer(serializers.Serializer[Any]):
    quantities = serializers.DictField(
        child=QuantityField(),
        required=False,
        default=dict,
        help_text="This time's quantity by line id; 0 leaves a line out",
    )


class ToCartOutputSerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField()
    left_out = serializers.ListField(child=serializers.CharField())
    cart = CartSerializer()


class FavouriteListToCartView(APIView):
    @extend_schema(
        operation_id="favourite_list_to_cart",
        request=ToCartInputSerializer,
        responses={200: ToCartOutputSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request, list_id: int) -> Response:
        user = _person(request)
        payload = ToCartInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            found = favourite_list_get(user=user, list_id=list_id)
        except FavouriteList.DoesNotExist as exc:
            raise Http404 from exc
        typed = {
            read_key_id(str(key), ""): value
            for key, value in payload.validated_data["quantities"].items()
        }
        try:
            outcome = favourite_list_to_cart(
                favourite_list=found, user=user, on=timezone.localdate(), quantities=typed
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(
            {
                "added": len(outcome.added),
                "left_out": outcome.left_out,
                "cart": _cart_body(user, found.unit),
            }
        )


class FreeTextInputSerializer(serializers.Serializer[Any]):
    unit = IdField(required=False)
    description = serializers.CharField(max_length=300)
    quantity = QuantityField()
    unit_code = serializers.CharField(max_length=3, help_text="UN/ECE Rec 20, e.g. EA")
    estimated_unit_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        help_text='In kroner, a plain decimal with a point: "149.95"',
    )
    supplier = IdField()
    supplier_item_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=SUPPLIER_ITEM_NUMBER_MAX_LENGTH
    )
    link = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LINK_MAX_LENGTH
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT_REASON_MAX_LENGTH
    )


class FreeTextView(APIView):
    @extend_schema(
        operation_id="cart_free_text_add",
        request=FreeTextInputSerializer,
        responses={201: CartSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _person(request)
        payload = FreeTextInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = _unit(user, data.get("unit"))
        try:
            cart_free_text_add(
                cart=cart_get_for(user=user, unit=unit),
                free_text=FreeText(
                    description=data["description"],
                    quantity=data["quantity"],
                    unit_code=data["unit_code"],
                    estimated_unit_price=data["estimated_unit_price"],
                    supplier_id=data["supplier"],
                    supplier_item_number=data["supplier_item_number"],
                    link=data["link"],
                    reason=data["reason"],
                ),
                on=timezone.localdate(),
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(_cart_body(user, unit), status=status.HTTP_201_CREATED)


class ReceiptInputSerializer(serializers.Serializer[Any]):
    received = serializers.DictField(
        child=QuantityField(),
        help_text="What has arrived in all, by order line position",
    )


class OrderReceiptView(APIView):
    @extend_schema(
        operation_id="order_goods_receive",
        request=ReceiptInputSerializer,
        responses={200: OrderDetailSerializer, 400: ErrorSerializer},
    )
    def post(self, request: Request, number: str) -> Response:
        user = _person(request)
        payload = ReceiptInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = _order_for(user, number)
        by_position = {line.position: line.pk for line in order.lines.all()}
        typed = {
            read_key_id(str(position), ""): value
            for position, value in payload.validated_data["received"].items()
        }
        received = {
            by_position[position]: value
            for position, value in typed.items()
            if position in by_position
        }
        try:
            updated = order_goods_receive(order=order, by=user, received=received)
        except ApplicationError as exc:
            return _refused(exc)
        return Response(OrderDetailSerializer(order_get(user=user, number=updated.number)).data)


class PackageLineSerializer(serializers.Serializer[Any]):
    product = serializers.IntegerField(source="product_id")
    name = serializers.CharField(source="product.name")
    supplier = serializers.CharField(source="product.supplier.name")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)


class PackageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    version = serializers.IntegerField()
    pre_approved_up_to = serializers.DecimalField(max_digits=14, decimal_places=2)
    price = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="One package at today's prices, excl. VAT"
    )
    lines = PackageLineSerializer(many=True, source="lines.all")


class PackagesView(APIView):
    @extend_schema(operation_id="package_list", responses={200: PackageSerializer(many=True)})
    def get(self, request: Request) -> Response:
        user = _person(request)
        return Response(PackageSerializer(package_list(user=user), many=True).data)


class PackageToCartsInputSerializer(serializers.Serializer[Any]):
    counts = serializers.DictField(
        child=serializers.CharField(max_length=20),
        help_text='How many packages each unit gets, by unit id (e.g. {"12": "40"})',
    )


class PackageToCartsOutputSerializer(serializers.Serializer[Any]):
    placed = serializers.DictField(
        child=serializers.IntegerField(), help_text="Packages put in each unit's cart"
    )


class PackageToCartsView(APIView):
    @extend_schema(
        operation_id="package_to_carts",
        request=PackageToCartsInputSerializer,
        responses={200: PackageToCartsOutputSerializer, 400: ErrorSerializer},
        description="Put packages in several units' carts at once; all or nothing.",
    )
    def post(self, request: Request, package_id: int) -> Response:
        user = _person(request)
        payload = PackageToCartsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            package = package_get(user=user, package_id=package_id)
        except StandardPackage.DoesNotExist as exc:
            raise Http404 from exc
        counts: dict[int, object] = {}
        for key, value in payload.validated_data["counts"].items():
            if not (str(key).isascii() and str(key).isdigit() and 0 < int(key) <= MAX_ID):
                return Response(
                    {
                        "detail": _("Name each unit by its number."),
                        "code": "bad_unit",
                        "field": "counts",
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            counts[int(key)] = value
        try:
            placed = package_to_carts(
                package=package, user=user, counts=counts, on=timezone.localdate()
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response({"placed": {str(unit): count for unit, count in placed.items()}})


class DelegationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    approver = serializers.CharField(source="approver.username")
    delegate = serializers.CharField(source="delegate.username")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DelegationsSerializer(serializers.Serializer[Any]):
    given = DelegationSerializer(many=True)
    received = DelegationSerializer(many=True)


class DelegationInputSerializer(serializers.Serializer[Any]):
    delegate = serializers.CharField(help_text="The user name of the godkender taking over")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DelegationsView(APIView):
    @extend_schema(operation_id="delegation_list", responses={200: DelegationsSerializer})
    def get(self, request: Request) -> Response:
        user = _person(request)
        return Response(
            DelegationsSerializer(delegation_list_for(user=user, on=timezone.localdate())).data
        )

    @extend_schema(
        operation_id="delegation_create",
        request=DelegationInputSerializer,
        responses={201: DelegationSerializer, 400: ErrorSerializer},
        description="Let another godkender approve in your place for a dated period.",
    )
    def post(self, request: Request) -> Response:
        user = _person(request)
        payload = DelegationInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        delegate = delegate_candidates(user=user).filter(username=data["delegate"]).first()
        if delegate is None:
            return Response(
                {
                    "detail": _("Choose another active godkender of your municipality."),
                    "code": "bad_delegation",
                    "field": "delegate",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            made = delegation_create(
                approver=user,
                delegate=delegate,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                today=timezone.localdate(),
            )
        except ApplicationError as exc:
            return _refused(exc)
        return Response(DelegationSerializer(made).data, status=status.HTTP_201_CREATED)


class DelegationEndView(APIView):
    @extend_schema(
        operation_id="delegation_end", request=None, responses={204: None, 400: ErrorSerializer}
    )
    def post(self, request: Request, delegation_id: int) -> Response:
        user = _person(request)
        given = delegation_list_for(user=user, on=timezone.localdate())["given"]
        delegation = next((item for item in given if item.pk == delegation_id), None)
        if delegation is None:
            raise Http404
        try:
            delegation_end(delegation=delegation, by=user, today=timezone.localdate())
        except ApplicationError as exc:
            return _refused(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)
