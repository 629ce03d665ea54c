"""Data migrations of the catalogue, run on the models as they are now."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from catalog.models import CatalogueChange, CatalogueImport, Product
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_only_categories_no_import_set_are_marked_as_chosen_by_hand(tree: Tree) -> None:
    migration = importlib.import_module("catalog.migrations.0018_product_categories_set_by_hand")
    category = CategoryFactory.create(municipality=tree.municipality)
    agreement = AgreementFactory.create(municipality=tree.municipality)
    by_hand = ProductFactory.create(
        municipality=tree.municipality, agreement=agreement, category=category
    )
    imported = ProductFactory.create(
        municipality=tree.municipality, agreement=agreement, category=category
    )
    without = ProductFactory.create(municipality=tree.municipality, agreement=agreement)
    Product.objects.update(category_is_manual=False)  # as before the migration
    catalogue_import = CatalogueImport.objects.create(
        municipality=tree.municipality,
        supplier=imported.supplier,
        agreement=agreement,
        format="csv",
        file_name="k.csv",
        sha256="0" * 64,
    )
    CatalogueChange.objects.create(
        municipality=tree.municipality,
        catalogue_import=catalogue_import,
        product=imported,
        supplier_item_number=imported.supplier_item_number,
        kind="added",
        name=imported.name,
    )

    migration.category_is_manual_backfill(apps, None)

    assert dict(Product.objects.values_list("pk", "category_is_manual")) == {
        by_hand.pk: True,
        imported.pk: False,
        without.pk: False,
    }
