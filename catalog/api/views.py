"""The catalogue's REST endpoints."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.selectors import NotVisibleError, SearchFilters, SearchTimeoutError, product_search
from core.params import MAX_ID
from edi import units
from org.models import OrgUnit, User
from org.selectors import org_unit_default_for, org_unit_get


class SearchErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What went wrong, for people (Danish by default)")
    code = serializers.CharField(help_text="Stable: too_slow")


class AgreementSummarySerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    title = serializers.CharField()


class SupplierSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SearchProductSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    supplier_item_number = serializers.CharField()
    gtin = serializers.CharField()
    name = serializers.CharField()
    brand = serializers.CharField()
    unit_code = serializers.CharField(help_text="UN/ECE Rec 20 code")
    unit_name = serializers.SerializerMethodField()
    pack_quantity = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    pack_unit_code = serializers.CharField()
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, help_text="Per unit, excluding VAT"
    )
    currency = serializers.CharField()
    agreement = AgreementSummarySerializer()
    supplier = SupplierSummarySerializer()
    category = serializers.CharField(source="category.name", default="")
    eco_labels = serializers.ListField(child=serializers.CharField())
    is_recommended = serializers.BooleanField(source="is_recommended_here")
    is_sustainable_choice = serializers.BooleanField(source="is_sustainable_choice_here")

    def get_unit_name(self, product: Any) -> str:
        return units.unit_name(product.unit_code, get_language() or "da")


class FacetSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The value to filter by")
    name = serializers.CharField(source="label")
    count = serializers.IntegerField()


class SearchResponseSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(source="unit.pk")
    query = serializers.CharField()
    corrections = serializers.DictField(child=serializers.CharField())
    total = serializers.IntegerField(help_text="Matches found (at most 300 are considered)")
    results = SearchProductSerializer(many=True, source="result.products")
    agreements = FacetSerializer(many=True, source="result.agreements")
    suppliers = FacetSerializer(many=True, source="result.suppliers")
    categories = FacetSerializer(many=True, source="result.categories")
    eco_labels = FacetSerializer(many=True, source="result.eco_labels")


class ProductSearchApi(APIView):
    """Search the assortment of a unit the caller may buy for."""

    class InputSerializer(serializers.Serializer[Any]):
        q = serializers.CharField(
            max_length=200, allow_blank=True, default="", trim_whitespace=False
        )
        unit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        agreement = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID), default=list
        )
        supplier = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID), default=list
        )
        category = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID), default=list
        )
        eco_label = serializers.CharField(max_length=40, allow_blank=True, default="")
        limit = serializers.IntegerField(min_value=1, max_value=100, default=20)

    @extend_schema(
        operation_id="catalog_search",
        parameters=[
            OpenApiParameter("q", str, description="What to look for: words, item number, GTIN"),
            OpenApiParameter("unit", int, description="The unit to buy for (default: the first)"),
            OpenApiParameter("agreement", int, many=True),
            OpenApiParameter("supplier", int, many=True),
            OpenApiParameter("category", int, many=True),
            OpenApiParameter("eco_label", str),
            OpenApiParameter("limit", int, description="At most 100; default 20"),
        ],
        responses={
            200: SearchResponseSerializer,
            503: OpenApiResponse(
                SearchErrorSerializer,
                description="The search took longer than the database allows; try again or "
                "narrow it (Retry-After says when).",
            ),
        },
    )
    def get(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.query_params)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        if not isinstance(user, User):
            return Response(status=status.HTTP_403_FORBIDDEN)
        unit: OrgUnit | None
        try:
            unit = (
                org_unit_get(user=user, unit_id=data["unit"])
                if "unit" in data
                else org_unit_default_for(user=user)
            )
        except OrgUnit.DoesNotExist:
            unit = None
        if unit is None:
            return Response({"detail": "No such unit for you."}, status=status.HTTP_404_NOT_FOUND)
        try:
            result = product_search(
                user=user,
                unit=unit,
                text=data["q"],
                on=timezone.localdate(),
                filters=SearchFilters(
                    agreement_ids=tuple(data["agreement"]),
                    supplier_ids=tuple(data["supplier"]),
                    category_ids=tuple(data["category"]),
                    eco_label=data["eco_label"],
                ),
                limit=data["limit"],
            )
        except NotVisibleError:
            return Response({"detail": "No such unit for you."}, status=status.HTTP_404_NOT_FOUND)
        except SearchTimeoutError as exc:
            return Response(
                {"detail": exc.message, "code": exc.code},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "5"},
            )
        body = SearchResponseSerializer(
            {
                "unit": unit,
                "query": data["q"].strip(),
                "corrections": result.corrections,
                "total": result.total,
                "result": result,
            }
        )
        return Response(body.data)
