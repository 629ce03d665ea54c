"""Every write to the catalogue, and the rules that go with it.

catalogue: agreements, lots, suppliers, products, assortment rules, the e-handel policy;
search: the search index; imports: supplier catalogue imports, their diff and approval.
"""

from catalog.services.catalogue import (
    agreement_create,
    agreement_supplier_add,
    agreement_validity_set,
    assortment_rule_create,
    category_create,
    ehandel_policy_set,
    lot_create,
    lot_supplier_add,
    product_create,
    search_fields_set,
    supplier_create,
    supplier_punchout_identity_accept,
    supplier_punchout_point,
    supplier_punchout_secret,
    supplier_punchout_secret_set,
)
from catalog.services.search import SearchRefreshOutcome, search_index_refresh

__all__ = [
    "SearchRefreshOutcome",
    "agreement_create",
    "agreement_supplier_add",
    "agreement_validity_set",
    "assortment_rule_create",
    "category_create",
    "ehandel_policy_set",
    "lot_create",
    "lot_supplier_add",
    "product_create",
    "search_fields_set",
    "search_index_refresh",
    "supplier_create",
    "supplier_punchout_identity_accept",
    "supplier_punchout_point",
    "supplier_punchout_secret",
    "supplier_punchout_secret_set",
]
