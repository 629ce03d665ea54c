"""PostgreSQL: a punch-out session and its returned cart never point into another
municipality."""

from django.db import migrations

from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [
        ("punchout", "0001_punchout_sessions_and_returned_carts"),
        ("orders", "0009_order_revision_limit_total_and_punchout_lines"),
    ]

    operations = [
        SameMunicipalityKeys(
            unique=["punchout_punchoutsession"],
            references=[
                ("punchout_punchoutsession", "user_id", "org_user"),
                ("punchout_punchoutsession", "unit_id", "org_orgunit"),
                ("punchout_punchoutsession", "supplier_id", "catalog_supplier"),
                ("punchout_returnedcart", "session_id", "punchout_punchoutsession"),
            ],
        ),
    ]
