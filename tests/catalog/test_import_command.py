"""`manage.py import_catalogue`: progress, a summary, and a clear error for a wrong argument."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.importers.tabular import csv_text
from catalog.models import CatalogueImport, Product
from org.models import User
from tests.conftest import PUBLIC_FIXTURES, Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "kontorhuset.csv"
    path.write_bytes(
        csv_text(
            [
                ["Varenr", "Varenavn", "Pris", "Enhed"],
                ["KH-1001", "Kuglepen blå", "32,50", "PK"],
                ["KH-1002", "Notesblok", "ukendt", "PK"],
                ["KH-1004", "Limstift 21 g", "8,75", "EA"],
            ]
        )
    )
    return path


@pytest.fixture
def office(tree: Tree) -> None:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Kontorhuset", cvr="29900019"
    )
    AgreementFactory.create(municipality=tree.municipality, number="50.57", suppliers=[supplier])


@pytest.mark.usefixtures("office")
def test_the_command_prints_progress_and_a_summary_and_leaves_approval_to_a_person(
    catalogue_file: Path,
) -> None:
    out = io.StringIO()

    call_command(
        "import_catalogue", str(catalogue_file), supplier="29900019", agreement="50.57", stdout=out
    )

    imported = CatalogueImport.objects.get()
    lines = out.getvalue().splitlines()
    assert lines[0] == "Reading kontorhuset.csv (0.0 MB) from Kontorhuset on agreement 50.57."
    assert lines[1] == "  3 rows read (100 %)"
    assert lines[2].startswith("Read 3 rows in ")
    assert lines[2].endswith(": 2 accepted, 1 left out, 0 values ignored.")
    assert lines[3:] == [
        "Whole catalogue: 2 new, 0 gone, 0 changed (0 price increases, 0 price decreases, "
        "0 unit or pack changes), 0 unchanged.",
        "Numbers are written with a decimal comma (row 2, Pris: 32,50).",
        "Not in the file, kept as they are: description, brand, GTIN (EAN), pack contents, "
        "currency, the supplier's category, UNSPSC code, minimum order quantity.",
        "Problems (1 of 1):",
        "  row 3, Pris (left out): The price “ukendt” is not a number.",
        f"Import {imported.pk} awaits approval by a procurement officer in Rekvi.",
    ]
    assert imported.status == CatalogueImport.Status.READY
    assert Product.objects.count() == 0


@pytest.mark.usefixtures("office")
def test_the_command_applies_at_once_when_a_procurement_officer_approves(
    catalogue_file: Path, assortment_admin: User
) -> None:
    out = io.StringIO()

    call_command(
        "import_catalogue",
        str(catalogue_file),
        supplier="DK 29 90 00 19",
        agreement="50.57",
        approve_as="indkoebskonsulent",
        stdout=out,
    )

    imported = CatalogueImport.objects.get()
    assert out.getvalue().splitlines()[-1] == (
        f"Import {imported.pk} is applied (approved by {assortment_admin})."
    )
    assert dict(Product.objects.values_list("supplier_item_number", "unit_price")) == {
        "KH-1001": Decimal("32.5000"),
        "KH-1004": Decimal("8.7500"),
    }


@pytest.mark.usefixtures("office")
def test_a_forced_format_and_a_failing_file(tmp_path: Path) -> None:
    path = tmp_path / "katalog.dat"
    path.write_bytes((PUBLIC_FIXTURES / "rekvi/peppol/Catalogue.xml").read_bytes())

    with pytest.raises(CommandError) as error:
        call_command(
            "import_catalogue",
            str(path),
            supplier="29900019",
            agreement="50.57",
            format="peppol",
            stdout=io.StringIO(),
        )

    assert str(error.value) == (
        "The import failed: The catalogue is from Renhed & Hygiejne A/S (0184 29900108), "
        "not from Kontorhuset."
    )
    assert CatalogueImport.objects.get().format == "peppol"


@pytest.mark.usefixtures("office")
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"supplier": "12345678", "agreement": "50.57"}, "No supplier with CVR 12345678."),
        (
            {"supplier": "29900019", "agreement": "99.99"},
            "No agreement 99.99 in Testby Kommune.",
        ),
        (
            {"supplier": "29900019", "agreement": "50.57", "approve_as": "nobody"},
            "No user nobody in Testby Kommune.",
        ),
    ],
)
def test_a_wrong_argument_is_named(
    catalogue_file: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("import_catalogue", str(catalogue_file), stdout=io.StringIO(), **options)

    assert str(error.value) == message
    assert CatalogueImport.objects.count() == 0
