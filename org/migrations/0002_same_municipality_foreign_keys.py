"""PostgreSQL: a row and the rows it points to belong to the same municipality, enforced by the
database, so that no code path, the admin included, can attach one municipality's data to
another's."""

from django.db import migrations

from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [("org", "0001_organisation_people_roles_budgets")]

    operations = [
        SameMunicipalityKeys(
            unique=["org_orgunit", "org_user", "org_costcentre"],
            references=[
                ("org_orgunit", "parent_id", "org_orgunit"),
                ("org_deliveryaddress", "unit_id", "org_orgunit"),
                ("org_costcentre", "unit_id", "org_orgunit"),
                ("org_membership", "unit_id", "org_orgunit"),
                ("org_membership", "user_id", "org_user"),
                ("org_monthlybudget", "cost_centre_id", "org_costcentre"),
            ],
        )
    ]
