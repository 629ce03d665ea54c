"""Writes to the catalogue core: agreements, categories, suppliers, products.

(Catalogue import, diff and approval come with their own services.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from catalog.models import Agreement, Category, Product, Supplier
from core.encryption import credential_decrypt, credential_encrypt
from org.models import Municipality


@transaction.atomic
def category_create(
    *,
    municipality: Municipality,
    code: str,
    name: str,
    unspsc_code: str = "",
    restricted_to_role: str = "",
) -> Category:
    """A shop category; its code is unique in the municipality."""
    category = Category(
        municipality=municipality,
        code=code,
        name=name,
        unspsc_code=unspsc_code,
        restricted_to_role=restricted_to_role,
    )
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def agreement_create(
    *,
    municipality: Municipality,
    number: str,
    title: str,
    provider: str,
    kind: str,
    obligation: str,
    commodity_area: str,
    valid_from: date,
    valid_to: date,
    is_ehandel_required: bool,
) -> Agreement:
    """A framework agreement; its number is unique in the municipality, its end after its start."""
    agreement = Agreement(
        municipality=municipality,
        number=number,
        title=title,
        provider=provider,
        kind=kind,
        obligation=obligation,
        commodity_area=commodity_area,
        valid_from=valid_from,
        valid_to=valid_to,
        is_ehandel_required=is_ehandel_required,
    )
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_validity_set(*, agreement: Agreement, valid_from: date, valid_to: date) -> Agreement:
    """Change when an agreement applies (e.g. an extension is used)."""
    agreement.valid_from, agreement.valid_to = valid_from, valid_to
    agreement.full_clean()
    agreement.save(update_fields=["valid_from", "valid_to", "updated_at"])
    return agreement


@transaction.atomic
def supplier_create(
    *,
    municipality: Municipality,
    name: str,
    cvr: str,
    order_channel: str,
    vat_number: str = "",
    gln: str = "",
    industry: str = "",
    nace_code: str = "",
    street: str = "",
    postal_code: str = "",
    city: str = "",
    country: str = "DK",
    order_email: str = "",
    order_url: str = "",
    punchout_protocol: str = Supplier.PunchoutProtocol.NONE,
    punchout_url: str = "",
    punchout_from_domain: str = "",
    punchout_from_identity: str = "",
    punchout_to_domain: str = "",
    punchout_to_identity: str = "",
    punchout_sender_domain: str = "",
    punchout_sender_identity: str = "",
    punchout_username: str = "",
) -> Supplier:
    """A supplier with its order channel and punch-out set-up (the secret is set apart)."""
    supplier = Supplier(
        municipality=municipality,
        name=name,
        cvr=cvr,
        order_channel=order_channel,
        vat_number=vat_number,
        gln=gln,
        industry=industry,
        nace_code=nace_code,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        order_email=order_email,
        order_url=order_url,
        punchout_protocol=punchout_protocol,
        punchout_url=punchout_url,
        punchout_from_domain=punchout_from_domain,
        punchout_from_identity=punchout_from_identity,
        punchout_to_domain=punchout_to_domain,
        punchout_to_identity=punchout_to_identity,
        punchout_sender_domain=punchout_sender_domain,
        punchout_sender_identity=punchout_sender_identity,
        punchout_username=punchout_username,
    )
    supplier.full_clean()
    supplier.save()
    return supplier


@transaction.atomic
def product_create(
    *,
    supplier: Supplier,
    supplier_item_number: str,
    name: str,
    unit_code: str,
    unit_price: Decimal,
    gtin: str = "",
    description: str = "",
    brand: str = "",
    pack_quantity: Decimal | None = None,
    pack_unit_code: str = "",
    currency: str = "DKK",
    min_order_quantity: Decimal = Decimal("1"),
    agreement: Agreement | None = None,
    category: Category | None = None,
    unspsc_code: str = "",
    eco_labels: list[str] | None = None,
    is_sustainable: bool = False,
    is_service: bool = False,
    is_active: bool = True,
) -> Product:
    """A product of `supplier`, in the supplier's municipality; its item number is unique there.

    Raises ValidationError naming the field: unknown unit code, bad GTIN, negative price.
    """
    product = Product(
        municipality_id=supplier.municipality_id,
        supplier=supplier,
        supplier_item_number=supplier_item_number,
        name=name,
        unit_code=unit_code,
        unit_price=unit_price,
        gtin=gtin,
        description=description,
        brand=brand,
        pack_quantity=pack_quantity,
        pack_unit_code=pack_unit_code,
        currency=currency,
        min_order_quantity=min_order_quantity,
        agreement=agreement,
        category=category,
        unspsc_code=unspsc_code,
        eco_labels=eco_labels or [],
        is_sustainable=is_sustainable,
        is_service=is_service,
        is_active=is_active,
    )
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def supplier_punchout_secret_set(*, supplier: Supplier, secret: str) -> Supplier:
    """Store the supplier's punch-out shared secret (or password), encrypted; '' removes it."""
    supplier.punchout_secret_encrypted = credential_encrypt(secret) if secret else None
    Supplier.objects.filter(pk=supplier.pk).update(
        punchout_secret_encrypted=supplier.punchout_secret_encrypted
    )
    return supplier


def supplier_punchout_secret(*, supplier: Supplier) -> str:
    """The shared secret in clear text, for the moment a request is signed. Never log it.

    Raises CredentialError(UNREADABLE) if the configured keys cannot open it; '' if none is set.
    """
    if not supplier.punchout_secret_encrypted:
        return ""
    return credential_decrypt(bytes(supplier.punchout_secret_encrypted))
