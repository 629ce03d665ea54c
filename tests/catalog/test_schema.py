"""The search indexes below the ORM are in place after every migration: a migration that
rebuilds catalog_product on SQLite must restore its triggers (catalog.search.sqlite_schema)."""

from __future__ import annotations

import pytest
from django.db import connection

from catalog.search.sqlite_schema import PRODUCT_TRIGGERS

pytestmark = pytest.mark.django_db


def test_the_product_search_index_is_kept_in_step_by_the_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'catalog_product' ORDER BY name"
            )
            assert [row[0] for row in cursor.fetchall()] == sorted(PRODUCT_TRIGGERS)
        else:
            cursor.execute(
                "SELECT generation_expression FROM information_schema.columns "
                "WHERE table_name = 'catalog_product' AND column_name = 'search_vector'"
            )
            assert cursor.fetchone() == ("to_tsvector('simple'::regconfig, search_document)",)
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE relname = 'catalog_catalogueimportrow'"
            )
            assert cursor.fetchone() == ("u",)  # unlogged: staging loads fast


def test_a_product_written_by_sql_is_found_by_the_index() -> None:
    from tests.factories.catalog import ProductFactory

    product = ProductFactory.create(name="Hvedemel 2 kg")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_product SET search_document = 'rugmel' WHERE id = %s", [product.pk]
        )
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM catalog_product_fts WHERE catalog_product_fts MATCH 'rugmel'"
            )
        else:
            cursor.execute(
                "SELECT id FROM catalog_product "
                "WHERE search_vector @@ to_tsquery('simple', 'rugmel')"
            )
        assert cursor.fetchall() == [(product.pk,)]
