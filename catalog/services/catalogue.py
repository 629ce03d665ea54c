"""Writes to the catalogue core: agreements, categories, suppliers, products.

(Catalogue import, diff and approval come with their own services.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import (
    Agreement,
    AgreementLot,
    AgreementSupplier,
    AssortmentRule,
    Category,
    EhandelPolicy,
    LotSupplier,
    Product,
    Supplier,
)
from catalog.search.analysis import Analyzer, item_number_key
from catalog.search.vocabulary import analyzer_for
from core.encryption import credential_decrypt, credential_encrypt
from org.models import Municipality, OrgUnit


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
    joined_on: date | None = None,
    social_clauses: str = "",
    sustainability_requirements: str = "",
    terms_for_buyers: str = "",
) -> Agreement:
    """A framework agreement; its number is unique in the municipality, its end after its start.
    `joined_on` is when the municipality joined it (None: not joined, nothing orderable)."""
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
        joined_on=joined_on,
        social_clauses=social_clauses,
        sustainability_requirements=sustainability_requirements,
        terms_for_buyers=terms_for_buyers,
    )
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_validity_set(
    *, agreement: Agreement, valid_from: date, valid_to: date, joined_on: date | None
) -> Agreement:
    """Change when an agreement applies (e.g. an extension is used) and since when the
    municipality has joined it."""
    agreement.valid_from, agreement.valid_to = valid_from, valid_to
    agreement.joined_on = joined_on
    agreement.full_clean()
    agreement.save(update_fields=["valid_from", "valid_to", "joined_on", "updated_at"])
    return agreement


@transaction.atomic
def lot_create(
    *, agreement: Agreement, code: str, title: str, is_available: bool = True
) -> AgreementLot:
    """A lot (delaftale) of `agreement`; `is_available` False where the municipality may not buy
    on it."""
    lot = AgreementLot(
        municipality_id=agreement.municipality_id,
        agreement=agreement,
        code=code,
        title=title,
        is_available=is_available,
    )
    lot.full_clean()
    lot.save()
    return lot


@transaction.atomic
def lot_supplier_add(*, lot: AgreementLot, supplier: Supplier) -> LotSupplier:
    """Record that `supplier` was awarded `lot` (once)."""
    award = LotSupplier(municipality_id=lot.municipality_id, lot=lot, supplier=supplier)
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def agreement_supplier_add(*, agreement: Agreement, supplier: Supplier) -> AgreementSupplier:
    """Record that `supplier` is on `agreement` (once): its catalogues may be imported to it."""
    AgreementSupplier(
        municipality_id=agreement.municipality_id, agreement=agreement, supplier=supplier
    ).clean()  # both of one municipality
    link, _created = AgreementSupplier.objects.get_or_create(
        agreement=agreement,
        supplier=supplier,
        defaults={"municipality_id": agreement.municipality_id},
    )
    return link


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
    punchout_cart_identities: Sequence[str] = (),
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
        punchout_cart_identities=list(punchout_cart_identities),
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
    lot: AgreementLot | None = None,
    category: Category | None = None,
    unspsc_code: str = "",
    eco_labels: list[str] | None = None,
    is_sustainable: bool = False,
    is_service: bool = False,
    is_active: bool = True,
) -> Product:
    """A product of `supplier`, in the supplier's municipality; its item number is unique there.
    On an agreement, it puts the supplier on the agreement too.

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
        lot=lot,
        category=category,
        category_is_manual=category is not None,
        unspsc_code=unspsc_code,
        eco_labels=eco_labels or [],
        is_sustainable=is_sustainable,
        is_service=is_service,
        is_active=is_active,
    )
    product.full_clean()
    search_fields_set(product, analyzer_for(product.municipality_id))
    product.save()
    if agreement is not None:  # an item on an agreement puts its supplier on it
        agreement_supplier_add(agreement=agreement, supplier=supplier)
    return product


def search_fields_set(product: Product, analyzer: Analyzer) -> None:
    """The product's search tokens and item number key, from its current fields."""
    category_name = product.category.name if product.category_id and product.category else ""
    product.search_document = " ".join(
        analyzer.document_tokens(product.name, product.brand, category_name, product.description)
    )
    product.item_number_key = item_number_key(product.supplier_item_number)


@transaction.atomic
def supplier_punchout_secret_set(*, supplier: Supplier, secret: str) -> Supplier:
    """Store the supplier's punch-out shared secret (or password), encrypted; '' removes it."""
    supplier.punchout_secret_encrypted = credential_encrypt(secret) if secret else None
    Supplier.objects.filter(pk=supplier.pk).update(
        punchout_secret_encrypted=supplier.punchout_secret_encrypted
    )
    return supplier


@transaction.atomic
def supplier_punchout_point(
    *, supplier: Supplier, url: str, username: str, secret: str, order_url: str = ""
) -> Supplier:
    """Point the supplier's punch-out (and, if given, its cXML order endpoint) at `url`, with
    the OCI user name and the shared secret or password (stored encrypted)."""
    fields: dict[str, object] = {"punchout_url": url, "punchout_username": username}
    if order_url:
        fields["order_url"] = order_url
    Supplier.objects.filter(pk=supplier.pk).update(**fields)
    for name, value in fields.items():
        setattr(supplier, name, value)
    return supplier_punchout_secret_set(supplier=supplier, secret=secret)


@transaction.atomic
def supplier_punchout_identity_accept(*, supplier: Supplier, identity: str) -> Supplier:
    """Let the supplier's web shop sign returned carts with `identity` (added to the listed
    identities unless it is accepted already, letter case ignored). Raises ValidationError
    naming punchout_cart_identities for a blank or too long identity."""
    text = identity.strip()
    if not 0 < len(text) <= 200:
        raise ValidationError(
            {"punchout_cart_identities": _("Write one identity of 1 to 200 characters per line.")}
        )
    if text.casefold() in {known.casefold() for known in supplier.punchout_accepted_identities}:
        return supplier
    supplier.punchout_cart_identities = [*supplier.punchout_cart_identities, text]
    Supplier.objects.filter(pk=supplier.pk).update(
        punchout_cart_identities=supplier.punchout_cart_identities
    )
    return supplier


def supplier_punchout_secret(*, supplier: Supplier) -> str:
    """The shared secret in clear text, for the moment a request is signed. Never log it.

    Raises CredentialError(UNREADABLE) if the configured keys cannot open it; '' if none is set.
    """
    if not supplier.punchout_secret_encrypted:
        return ""
    return credential_decrypt(bytes(supplier.punchout_secret_encrypted))


@transaction.atomic
def assortment_rule_create(
    *,
    unit: OrgUnit,
    action: str,
    agreement: Agreement | None = None,
    supplier: Supplier | None = None,
    category: Category | None = None,
    product: Product | None = None,
    is_recommended: bool = False,
    is_sustainable_choice: bool = False,
    note: str = "",
) -> AssortmentRule:
    """A rule of `unit`'s assortment, about exactly one agreement, supplier, category or
    product. Raises ValidationError for none or several targets, a second rule for the same
    target on the unit, marks on an exclude rule, or a target of another municipality."""
    rule = AssortmentRule(
        municipality_id=unit.municipality_id,
        unit=unit,
        action=action,
        agreement=agreement,
        supplier=supplier,
        category=category,
        product=product,
        is_recommended=is_recommended,
        is_sustainable_choice=is_sustainable_choice,
        note=note,
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def ehandel_policy_set(
    *, municipality: Municipality, introduction: str, closing_text: str
) -> EhandelPolicy:
    """The words around the municipality's generated e-handel policy page."""
    policy = EhandelPolicy.objects.filter(municipality=municipality).first() or EhandelPolicy(
        municipality=municipality
    )
    policy.introduction, policy.closing_text = introduction, closing_text
    policy.full_clean()
    policy.save()
    return policy
