"""Celery entry points of the catalogue."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="catalog.catalogue_import_run")
def catalogue_import_run_task(import_id: int) -> None:
    from catalog.services.imports import catalogue_import_run

    catalogue_import_run(import_id=import_id)


@shared_task(name="catalog.catalogue_import_apply")
def catalogue_import_apply_task(import_id: int) -> None:
    from catalog.services.imports import catalogue_import_apply

    catalogue_import_apply(import_id=import_id)


@shared_task(name="catalog.search_index_refresh")
def search_index_refresh_task(municipality_id: int) -> None:
    from catalog.services.search import search_index_refresh

    search_index_refresh(municipality_id=municipality_id)


@shared_task(name="catalog.catalogue_imports_sweep")
def catalogue_imports_sweep_task() -> None:
    from catalog.services.imports import catalogue_imports_sweep

    catalogue_imports_sweep()
