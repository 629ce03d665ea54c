"""The catalogue import pages: upload, follow the progress, read the diff and the problems,
approve or reject; only procurement officers of the municipality get in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from bench.hostile_files import write_xlsx_bomb
from catalog.importers.tabular import csv_text
from catalog.models import Agreement, CatalogueImport, Product, Supplier
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import AgreementFactory, LotFactory, SupplierFactory

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]
HEADING = ["Varenr", "Varenavn", "Pris", "Enhed"]
FIRST = [
    HEADING,
    ["KH-1001", "Kuglepen blå", "32,50", "PK"],
    ["KH-1002", "Notesblok", "54,00", "PK"],
    ["KH-1004", "Limstift 21 g", "8,75", "EA"],
]


@pytest.fixture
def office(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Kontorhuset", cvr="29900019"
    )
    return (
        supplier,
        AgreementFactory.create(
            municipality=tree.municipality,
            number="50.57",
            title="Kontorartikler",
            suppliers=[supplier],
        ),
    )


def _upload(
    client: Client,
    capture: Capture,
    office: tuple[Supplier, Agreement],
    rows: list[list[str]],
    prefix: str = "",
) -> CatalogueImport:
    supplier, agreement = office
    with capture(execute=True):
        response = client.post(
            f"{prefix}/catalogue-imports/new/",
            {
                "supplier": supplier.pk,
                "agreement": agreement.pk,
                "file": SimpleUploadedFile("kontorhuset.csv", csv_text(rows), "text/csv"),
            },
        )
    imported = CatalogueImport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/catalogue-imports/{imported.pk}/"
    return imported


def _decide(client: Client, capture: Capture, imported: CatalogueImport, **data: str) -> Any:
    with capture(execute=True):
        return client.post(f"/catalogue-imports/{imported.pk}/decision/", data)


def test_an_upload_is_checked_and_its_changes_shown_before_approval(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    first = _upload(client, django_capture_on_commit_callbacks, office, FIRST)
    _decide(client, django_capture_on_commit_callbacks, first, decision="approve")
    second_rows = [
        HEADING,
        ["KH-1001", "Kuglepen blå", "34,10", "PK"],
        ["KH-1002", "Notesblok", "48,60", "PK"],
        ["KH-2001", "Farveblyanter", "42,00", "PK"],
        ["KH-2002", "Saks", "24 kr", "EA"],
    ]

    second = _upload(client, django_capture_on_commit_callbacks, office, second_rows)
    text = page_text(client.get(f"/catalogue-imports/{second.pk}/").content)

    assert "Status Afventer godkendelse" in text
    assert (
        "Rækker læst 4 Rækker godkendt 3 Rækker udeladt 1 (varerne, de nævner, bliver som de "
        "er) Værdier ignoreret 0"
    ) in text
    assert (
        "Nye varer 1 Udgåede varer 1 Ændrede varer 2 Prisstigninger 1 Prisfald 1 "
        "Enheds- eller pakningsændringer 0 Uændrede varer 0"
    ) in text
    assert "KH-1002 Notesblok 54,00 kr. 48,60 kr. −10,00 %" in text
    assert "KH-1001 Kuglepen blå 32,50 kr. 34,10 kr. +4,92 %" in text
    assert text.index("KH-1002 Notesblok") < text.index("KH-1001 Kuglepen")  # largest first

    problems = page_text(client.get(f"/catalogue-imports/{second.pk}/?show=problems").content)
    assert "5 Pris 24 kr Prisen “24 kr” er ikke et tal. Række udeladt" in problems
    removed = page_text(client.get(f"/catalogue-imports/{second.pk}/?show=removed").content)
    assert "KH-1004 Limstift 21 g 8,75 kr. – – stk. – udgår af kataloget" in removed
    assert "1 af leverandørens 3 varer på aftalen udgår af kataloget." in text

    unconfirmed = _decide(client, django_capture_on_commit_callbacks, second, decision="approve")
    assert unconfirmed.status_code == 302
    second.refresh_from_db()
    assert second.status == CatalogueImport.Status.READY
    assert (
        "Importen udfaser 1 af leverandørens 3 varer på aftalen. Bekræft, at de skal ud af "
        "kataloget, før importen godkendes."
    ) in page_text(client.get(f"/catalogue-imports/{second.pk}/").content)

    response = _decide(
        client,
        django_capture_on_commit_callbacks,
        second,
        decision="approve",
        confirm_removals="on",
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == CatalogueImport.Status.APPLIED
    text = page_text(client.get(f"/catalogue-imports/{second.pk}/").content)
    assert "Importen er godkendt og bliver nu indført." in text
    assert "Status Indført" in text
    assert "Bekræftet ved godkendelsen 1 vare, der udgår af kataloget" in text
    assert dict(
        Product.objects.filter(is_active=True).values_list("supplier_item_number", "unit_price")
    ) == {
        "KH-1001": Decimal("34.1000"),
        "KH-1002": Decimal("48.6000"),
        "KH-2001": Decimal("42.0000"),
    }


def test_the_pages_speak_english_too(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    rows = [*FIRST, ["KH-2002", "Saks", "24 kr", "EA"]]
    imported = _upload(client, django_capture_on_commit_callbacks, office, rows, prefix="/en")

    text = page_text(client.get(f"/en/catalogue-imports/{imported.pk}/?show=problems").content)

    assert "Status Awaiting approval" in text
    assert "5 Pris 24 kr The price “24 kr” is not a number. Row left out" in text


def test_a_rejection_needs_a_reason_and_changes_nothing(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    imported = _upload(client, django_capture_on_commit_callbacks, office, FIRST)

    without = _decide(client, django_capture_on_commit_callbacks, imported, decision="reject")
    assert without.status_code == 400
    assert "Dette felt er påkrævet." in page_text(without.content)

    _decide(
        client,
        django_capture_on_commit_callbacks,
        imported,
        decision="reject",
        reason="Forkert aftale.",
    )
    imported.refresh_from_db()
    assert imported.status == CatalogueImport.Status.REJECTED
    text = page_text(client.get(f"/catalogue-imports/{imported.pk}/").content)
    assert "Begrundelse for afvisning Forkert aftale." in text
    assert Product.objects.count() == 0
    again = _decide(client, django_capture_on_commit_callbacks, imported, decision="approve")
    assert "Importen afventer ikke godkendelse." in page_text(client.get(again["Location"]).content)


def test_a_file_that_fails_says_why_and_the_list_shows_every_import(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    failed = _upload(
        client, django_capture_on_commit_callbacks, office, [["Nummer", "Tekst"], ["1", "x"]]
    )
    good = _upload(client, django_capture_on_commit_callbacks, office, FIRST)

    text = page_text(client.get(f"/catalogue-imports/{failed.pk}/").content)
    assert "Filen kunne ikke importeres" in text
    assert "Filen har ingen kolonne til varenummer, navn, pris, enhed" in text
    listing = page_text(client.get("/catalogue-imports/").content)
    assert "Kontorhuset 50.57 Kontorartikler kontorhuset.csv Afventer godkendelse 3 nye" in listing
    assert "kontorhuset.csv Mislykkedes –" in listing
    assert listing.index(f"{good.file_name} Afventer") < listing.index("Mislykkedes")
    download = client.get(f"/catalogue-imports/{good.pk}/file/")
    assert b"".join(download.streaming_content) == csv_text(FIRST)  # type: ignore[attr-defined]
    assert download["Content-Disposition"] == 'attachment; filename="kontorhuset.csv"'


def test_the_upload_form_names_what_is_wrong(
    client: Client, tree: Tree, office: tuple[Supplier, Agreement], assortment_admin: User
) -> None:
    supplier, agreement = office
    other_lot = LotFactory.create(
        agreement=AgreementFactory.create(municipality=tree.municipality), code="DA9"
    )
    client.force_login(assortment_admin)

    response = client.post(
        "/catalogue-imports/new/",
        {
            "supplier": supplier.pk,
            "agreement": agreement.pk,
            "lot": other_lot.pk,
            "file": SimpleUploadedFile("priser.pdf", b"%PDF-1.7", "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert "Delaftale DA9 er ikke en delaftale under aftale 50.57." in page_text(response.content)
    response = client.post(
        "/catalogue-imports/new/",
        {
            "supplier": supplier.pk,
            "agreement": agreement.pk,
            "file": SimpleUploadedFile("priser.pdf", b"%PDF-1.7", "application/pdf"),
        },
    )
    assert "“priser.pdf” er ikke en CSV-, XLSX- eller UBL-katalogfil." in page_text(
        response.content
    )
    assert CatalogueImport.objects.count() == 0


def test_the_progress_part_polls_while_the_file_is_read_and_reloads_when_done(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    imported = _upload(client, django_capture_on_commit_callbacks, office, FIRST)
    CatalogueImport.objects.filter(pk=imported.pk).update(
        status=CatalogueImport.Status.PARSING, bytes_read=imported.file_size // 2, rows_read=1
    )

    running = client.get(f"/catalogue-imports/{imported.pk}/progress/", HTTP_HX_REQUEST="true")
    content = running.content.decode()
    assert 'hx-trigger="every 1s"' in content
    assert 'value="49"' in content or 'value="50"' in content
    assert "Læser filen: 1 række læst" in page_text(running.content)
    assert "HX-Refresh" not in running

    CatalogueImport.objects.filter(pk=imported.pk).update(status=CatalogueImport.Status.READY)
    done = client.get(f"/catalogue-imports/{imported.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_only_procurement_officers_of_the_municipality_get_in(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
    requisitioner: User,
    stranger: User,
) -> None:
    client.force_login(assortment_admin)
    imported = _upload(client, django_capture_on_commit_callbacks, office, FIRST)
    assert "Katalogimport" in page_text(client.get("/").content)

    client.force_login(requisitioner)
    assert client.get("/catalogue-imports/").status_code == 403
    assert client.get(f"/catalogue-imports/{imported.pk}/").status_code == 403
    assert client.post(f"/catalogue-imports/{imported.pk}/decision/", {}).status_code == 403
    assert "Katalogimport" not in page_text(client.get("/").content)

    stranger_admin = stranger
    from org.models import OrgUnit, Role
    from tests.factories.org import grant

    grant(
        stranger_admin,
        OrgUnit.objects.get(municipality=stranger.municipality, parent=None),
        Role.ASSORTMENT_ADMIN,
        subtree=True,
    )
    client.force_login(stranger_admin)
    assert client.get(f"/catalogue-imports/{imported.pk}/").status_code == 404
    assert client.get(f"/catalogue-imports/{imported.pk}/file/").status_code == 404
    assert client.get("/catalogue-imports/").status_code == 200
    assert imported.file_name not in page_text(client.get("/catalogue-imports/").content)


def test_a_failed_import_can_be_rejected_on_its_page_and_not_approved(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    failed = _upload(
        client, django_capture_on_commit_callbacks, office, [["Nummer", "Tekst"], ["1", "x"]]
    )
    page = page_text(client.get(f"/catalogue-imports/{failed.pk}/").content)
    assert "Beslutning Hvorfor afvises filen?" in page
    assert "dine kolleger. Afvis" in page

    approved = _decide(client, django_capture_on_commit_callbacks, failed, decision="approve")
    assert approved.status_code == 302
    assert (
        "Importen mislykkedes, så der er intet at godkende: Filen har ingen kolonne til "
        "varenummer, navn, pris, enhed (fundne overskrifter: Nummer, Tekst). Upload filen "
        "igen, rettet, eller afvis denne import."
    ) in page_text(client.get(approved["Location"]).content)

    rejected = _decide(
        client, django_capture_on_commit_callbacks, failed, decision="reject", reason="Forkert fil."
    )
    assert rejected.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.rejection_reason) == ("rejected", "Forkert fil.")
    text = page_text(client.get(rejected["Location"]).content)
    assert "Importen er afvist; kataloget er uændret." in text


def test_a_stuck_import_says_so_and_can_be_rejected_on_its_page(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    imported = _upload(client, django_capture_on_commit_callbacks, office, FIRST)
    restarted = CatalogueImport.objects.filter(pk=imported.pk)
    restarted.update(status=CatalogueImport.Status.PARSING, attempts=2, updated_at=timezone.now())

    progress = client.get(f"/catalogue-imports/{imported.pk}/progress/", HTTP_HX_REQUEST="true")
    assert (
        "Den gik i stå uden at blive færdig (baggrundsprocessen kan være blevet stoppet) og er "
        "startet igen: forsøg 2 af 3."
    ) in page_text(progress.content)
    page = page_text(client.get(f"/catalogue-imports/{imported.pk}/").content)
    assert "Importen er gået i stå" not in page
    assert "Afvis" not in page

    restarted.update(updated_at=timezone.now() - timedelta(minutes=31))
    page = page_text(client.get(f"/catalogue-imports/{imported.pk}/").content)
    assert (
        "Importen er gået i stå Der er ikke sket noget med filen i 30 minutter; "
        "baggrundsprocessen kan være blevet stoppet. Rekvi starter den selv igen, eller melder "
        "den mislykket med en forklaring efter nogle forsøg. Du kan også afvise den."
    ) in page
    _decide(
        client, django_capture_on_commit_callbacks, imported, decision="reject", reason="Hænger."
    )
    imported.refresh_from_db()
    assert imported.status == CatalogueImport.Status.REJECTED


def test_a_csv_value_over_the_limit_is_refused_on_the_page_not_a_server_error(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    client.force_login(assortment_admin)
    imported = _upload(
        client,
        django_capture_on_commit_callbacks,
        office,
        [*FIRST, ["KH-1005", "x" * 140_000, "1,00", "EA"]],
    )

    text = page_text(client.get(f"/catalogue-imports/{imported.pk}/").content)
    assert (
        "Række 5, kolonne Varenavn (2) indeholder en værdi på mere end 131072 tegn; en værdi i "
        "et CSV-katalog må højst være på 131072 tegn."
    ) in text


def test_an_xlsx_bomb_uploaded_fails_with_its_reason_and_a_normal_workbook_is_read(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
    tmp_path: Path,
) -> None:
    client.force_login(assortment_admin)
    supplier, agreement = office
    bomb, normal = tmp_path / "bombe.xlsx", tmp_path / "katalog.xlsx"
    write_xlsx_bomb(bomb, 300_000_000)
    write_xlsx_bomb(normal, 30)
    uploaded = {}
    for path in (bomb, normal):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/catalogue-imports/new/",
                {
                    "supplier": supplier.pk,
                    "agreement": agreement.pk,
                    "file": SimpleUploadedFile(path.name, path.read_bytes()),
                },
            )
        uploaded[path.name] = CatalogueImport.objects.latest("pk")
        assert response.status_code == 302
        assert response["Location"] == f"/catalogue-imports/{uploaded[path.name].pk}/"

    refused, read = uploaded["bombe.xlsx"], uploaded["katalog.xlsx"]
    page = client.get(f"/catalogue-imports/{refused.pk}/")
    text = page_text(page.content)
    packed = refused.failure_params["packed"]
    assert page.status_code == 200
    assert "Filen kunne ikke importeres" in text
    ratio, packed_da = f"{300_000_303 // packed:,}", f"{packed:,}".replace(",", ".")
    assert (
        f"Delen xl/sharedStrings.xml i Excel-filen fylder {ratio.replace(',', '.')} gange sin "
        f"pakkede størrelse udpakket (300.000.303 byte ud af {packed_da}); grænsen er 100 "
        "gange. En så tæt pakket fil afvises, da den kan være en zip-bombe."
    ) in text
    download = client.get(f"/catalogue-imports/{refused.pk}/file/")
    assert b"".join(download.streaming_content) == bomb.read_bytes()  # type: ignore[attr-defined]
    assert (read.status, read.added) == (CatalogueImport.Status.READY, 1)
    assert Product.objects.count() == 0
