"""Signals other apps listen to, so that the catalogue need not know them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent once an approved catalogue import is live (after its transaction commits), with
#: `catalogue_import` (a CatalogueImport). Its `changes` hold the price changes and the
#: items that left the catalogue: the favourite lists listen, to flag their lines and tell
#: their owners (see `catalog.selectors.catalogue_alert_list_for_products`).
catalogue_changes_applied = Signal()
