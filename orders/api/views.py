"""The orders API: carts, checkout, favourite lists, orders and approvals, for the signed-in
person (session or token), scoped as the shop's pages are. Refusals answer 400 with the
rule's stable code, the field and a message in the person's language."""

from __future__ import annotations

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
from orders.models import CartLine, FavouriteList, Order
from orders.selectors import (
    cart_find,
    cart_line_get,
    cart_page,
    favourite_list_get,
    favourite_list_visible,
    order_get,
    order_list_awaiting_approval,
    order_list_visible,
)
from orders.services import (
    CheckoutChoices,
    FreeText,
    cart_checkout,
    cart_free_text_add,
    cart_get_for,
    cart_line_add,
    cart_line_quantity_set,
    cart_line_remove,
    favourite_list_to_cart,
    order_approve,
    order_goods_receive,
    order_reject,
    order_send_back,
)
from org.models import OrgUnit, User
from org.selectors import cost_centre_list, delivery_address_list, org_unit_list_actable

PAGE_SIZE = 50


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What is wrong and what to do, for people")
    code = serializers.CharField(help_text="Stable, for programs")
    field = serializers.CharField(allow_null=True, help_text="The input that is wrong, if one")


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
    is_free_text = serializers.BooleanField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2)

    def get_name(self, line: Any) -> str:
        return str(line.product.name if line.product else line.description)


class CartGroupSerializer(serializers.Serializer[Any]):
    supplier = serializers.CharField(source="supplier_name")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    needs_approval = serializers.BooleanField()
    lines = CartLineSerializer(many=True)


class CartSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField()
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
        raw = request.query_params.get("unit")
        unit = _unit(user, int(raw) if raw and raw.isdigit() else None)
        return Response(_cart_body(user, unit))


class CartLineInputSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(required=False)
    product = serializers.IntegerField()
    quantity = serializers.CharField(max_length=20, help_text='As typed: "2", "2,5"')


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
    quantity = serializers.CharField(max_length=20)


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
    unit_code = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2)


class OrderSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    status = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    supplier = serializers.CharField(source="supplier.name")
    placed_by = serializers.CharField(source="placed_by.username")
    personreference = serializers.CharField()
    unit_ean = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    created_at = serializers.DateTimeField()


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, source="lines.all")


class CheckoutInputSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(required=False)
    delivery_address = serializers.IntegerField()
    cost_centre = serializers.IntegerField()
    requested_delivery_date = serializers.DateField(required=False, allow_null=True)
    personreference = serializers.CharField(required=False, allow_blank=True, default="")
    account = serializers.CharField(required=False, allow_blank=True, default="")
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
        if address is None or centre is None:
            return Response(
                {
                    "detail": _("Choose one of the unit's delivery addresses and cost centres."),
                    "code": "bad_address" if address is None else "bad_cost_centre",
                    "field": "delivery_address" if address is None else "cost_centre",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
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
        parameters=[OpenApiParameter("offset", int), OpenApiParameter("status", str)],
        responses={200: OrderSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = _person(request)
        orders = order_list_visible(user=user)
        wanted = request.query_params.get("status")
        if wanted:
            orders = orders.filter(status=wanted)
        raw = request.query_params.get("offset", "0")
        offset = int(raw) if raw.isdigit() else 0
        return Response(OrderSerializer(orders[offset : offset + PAGE_SIZE], many=True).data)


class OrderDetailView(APIView):
    @extend_schema(operation_id="order_get", responses={200: OrderDetailSerializer})
    def get(self, request: Request, number: str) -> Response:
        user = _person(request)
        try:
            order = order_get(user=user, number=number)
        except Order.DoesNotExist as exc:
            raise Http404 from exc
        return Response(OrderDetailSerializer(order).data)


class DecisionInputSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["approve", "reject", "send_back"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


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
        try:
            order = order_get(user=user, number=number)
        except Order.DoesNotExist as exc:
            raise Http404 from exc
        try:
            if data["action"] == "approve":
                decided = order_approve(order=order, by=user)
            elif data["action"] == "reject":
                decided = order_reject(order=order, by=user, reason=data["reason"])
            else:
                decided = order_send_back(order=order, by=user, reason=data["reason"])
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
        child=serializers.CharField(max_length=20),
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
            int(key): value
            for key, value in payload.validated_data["quantities"].items()
            if str(key).isdigit()
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
    unit = serializers.IntegerField(required=False)
    description = serializers.CharField(max_length=300)
    quantity = serializers.CharField(max_length=20)
    unit_code = serializers.CharField(max_length=3, help_text="UN/ECE Rec 20, e.g. EA")
    estimated_unit_price = serializers.CharField(max_length=30, help_text='As typed: "149,95"')
    supplier = serializers.IntegerField()
    supplier_item_number = serializers.CharField(required=False, allow_blank=True, default="")
    link = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


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
        child=serializers.CharField(max_length=20),
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
        try:
            order = order_get(user=user, number=number)
        except Order.DoesNotExist as exc:
            raise Http404 from exc
        by_position = {line.position: line.pk for line in order.lines.all()}
        received = {
            by_position[int(position)]: value
            for position, value in payload.validated_data["received"].items()
            if str(position).isdigit() and int(position) in by_position
        }
        try:
            updated = order_goods_receive(order=order, by=user, received=received)
        except ApplicationError as exc:
            return _refused(exc)
        return Response(OrderDetailSerializer(order_get(user=user, number=updated.number)).data)
