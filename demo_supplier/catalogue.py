"""The demo suppliers and their web-shop catalogues, as literal data (nothing is read at run time).

Two fictional suppliers of the Fjordby demo: "Nordlys IT A/S" (punch-out over cXML) and
"Kontorhuset Danmark A/S" (punch-out over OCI). Either protocol reaches either shop.

The items the Fjordby agreements list (shop/fixtures/demo/fjordby.json, suppliers S01 and S06)
carry the same supplier item number, name, unit, price and UNSPSC code here, except where the
web-shop price deliberately differs from the agreement price (`agreement_price` is then set,
so a test or a person can see the difference). The other items are not in the agreement
catalogue: accessories and related products a person can still put in the punch-out cart.

Prices are DKK excluding VAT, for `price_unit` units of `unit` (UN/ECE Rec 20): 4.90 with a
price unit of 100 is 4.90 kr. for 100 paper clips. Kontorhuset's texts are all ISO-8859-1, the
character set its OCI form posts in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Protocol(StrEnum):
    CXML = "cxml"
    OCI = "oci"


@dataclass(frozen=True)
class Supplier:
    slug: str  # in the URL: /demo-supplier/<slug>/...
    name: str
    protocol: Protocol  # the supplier's usual punch-out protocol (both are served)
    cvr: str
    identity: str  # the supplier's own cXML credential (NetworkID)
    supports_edit: bool  # the returned cXML cart allows operation="edit" later
    oci_charset: str  # the accept-charset of the OCI return form
    tagline: str


NORDLYS = Supplier(
    slug="nordlys-it",
    name="Nordlys IT A/S",
    protocol=Protocol.CXML,
    cvr="29900078",
    identity="NORDLYS-IT-29900078",
    supports_edit=True,
    oci_charset="UTF-8",
    tagline="Computere, tilbehør og klargøring til det offentlige",
)
KONTORHUSET = Supplier(
    slug="kontorhuset",
    name="Kontorhuset Danmark A/S",
    protocol=Protocol.OCI,
    cvr="29900019",
    identity="KONTORHUSET-29900019",
    supports_edit=False,
    oci_charset="ISO-8859-1",
    tagline="Kontor- og skoleartikler siden 1987",
)
SUPPLIERS: dict[str, Supplier] = {supplier.slug: supplier for supplier in (NORDLYS, KONTORHUSET)}


class Stock(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"
    OUT = "out"


@dataclass(frozen=True)
class Manufacturer:
    name: str
    code: str  # OCI MANUFACTCODE


@dataclass(frozen=True)
class Product:
    supplier: str  # Supplier.slug
    sku: str  # the supplier's item number (cXML SupplierPartID, OCI VENDORMAT)
    name: str
    description: str
    unit: str  # UN/ECE Rec 20
    price: Decimal  # DKK excl. VAT, for `price_unit` units
    unspsc: str
    manufacturer: Manufacturer
    manufacturer_part_no: str
    lead_time_days: int
    stock: Stock = Stock.IN_STOCK
    restock_days: int = 0  # when out of stock: expected back in this many days
    price_unit: int = 1
    related: tuple[str, ...] = ()
    agreement_price: Decimal | None = None  # set only where it differs from `price`

    @property
    def unit_price(self) -> Decimal:
        """The price of one unit (unrounded)."""
        return self.price / self.price_unit

    @property
    def price_text(self) -> str:
        per = f"{self.price_unit} {unit_label(self.unit)}" if self.price_unit != 1 else None
        return f"{kroner(self.price)} pr. {per or unit_label(self.unit)}"

    @property
    def stock_text(self) -> str:
        if self.stock is Stock.IN_STOCK:
            return "På lager"
        if self.stock is Stock.LOW:
            return "Få på lager"
        return f"Ikke på lager – forventes om {self.restock_days} dage"

    @property
    def lead_time_text(self) -> str:
        return "1 hverdag" if self.lead_time_days == 1 else f"{self.lead_time_days} hverdage"


_UNIT_LABELS = {
    "EA": "stk.",
    "PK": "pakke",
    "BX": "æske",
    "SET": "sæt",
    "HUR": "time",
    "RM": "ris",
}


def unit_label(code: str) -> str:
    """A short Danish label for the unit codes the catalogue uses."""
    return _UNIT_LABELS.get(code, code)


def kroner(amount: Decimal) -> str:
    """Danish money text: 1.234,50 kr."""
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} kr."


def _m(name: str, code: str) -> Manufacturer:
    return Manufacturer(name, code)


SKRIVO = _m("Skrivo", "SKRIVO")
PAPYRA = _m("Papyra", "PAPYRA")
KLIPSO = _m("Klipso", "KLIPSO")
ORDNING = _m("Ordning Kontor", "ORDNING")
TONERIX = _m("Tonerix", "TONERIX")
LYSLAMPE = _m("Lyslampe", "LYSLAMPE")
FAESTNING = _m("Fæstning Beslag", "FAESTNING")
NORDBOOK = _m("Nordbook", "NORDBOOK")
KVIST = _m("Kvist Computer", "KVIST")
PERIFER = _m("Perifer", "PERIFER")
SKAERMVAERK = _m("Skærmværk", "SKAERMV")
NORDLYS_SERVICE = _m("Nordlys IT", "NORDLYS")
KABELHUSET = _m("Kabelhuset", "KABELH")

_K = KONTORHUSET.slug
_N = NORDLYS.slug


def _p(
    supplier: str,
    sku: str,
    name: str,
    unit: str,
    price: str,
    unspsc: str,
    *,
    description: str,
    manufacturer: Manufacturer,
    manufacturer_part_no: str,
    lead_time_days: int,
    stock: Stock = Stock.IN_STOCK,
    restock_days: int = 0,
    price_unit: int = 1,
    related: tuple[str, ...] = (),
    agreement_price: str | None = None,
) -> Product:
    return Product(
        supplier=supplier,
        sku=sku,
        name=name,
        description=description,
        unit=unit,
        price=Decimal(price),
        unspsc=unspsc,
        manufacturer=manufacturer,
        manufacturer_part_no=manufacturer_part_no,
        lead_time_days=lead_time_days,
        stock=stock,
        restock_days=restock_days,
        price_unit=price_unit,
        related=related,
        agreement_price=Decimal(agreement_price) if agreement_price is not None else None,
    )


PRODUCTS: tuple[Product, ...] = (
    # --- Kontorhuset Danmark A/S: on the 50.57 agreement (fjordby.json, S01) -------------------
    _p(
        _K,
        "KH-1001",
        "Kuglepen blå, medium, 10 stk.",
        "PK",
        "32.50",
        "44121700",
        description="Kuglepen med klik, blå skrift, medium spids (1,0 mm). Pakke med 10 stk.",
        manufacturer=SKRIVO,
        manufacturer_part_no="SK-BP10-BL",
        lead_time_days=1,
        related=("KH-4009", "KH-1010", "KH-1002"),
    ),
    _p(
        _K,
        "KH-1002",
        "Gule notesblokke 76×76 mm, 12 blokke",
        "PK",
        "54.00",
        "14111500",
        description="Selvklæbende notesblokke, 76×76 mm, gul. 12 blokke à 100 ark.",
        manufacturer=PAPYRA,
        manufacturer_part_no="PA-NB7676-12",
        lead_time_days=1,
        related=("KH-1001",),
    ),
    _p(
        _K,
        "KH-1003",
        "Whiteboardtusch, 4 farver",
        "PK",
        "36.00",
        "44121700",
        description="Whiteboardtusch med rund spids i sort, blå, rød og grøn. Tørrer ikke ud "
        "med hætten af i 24 timer.",
        manufacturer=SKRIVO,
        manufacturer_part_no="SK-WB4",
        lead_time_days=1,
        stock=Stock.LOW,
        related=("KH-4006",),
    ),
    _p(
        _K,
        "KH-1004",
        "Limstift 21 g",
        "EA",
        "8.75",
        "31201600",
        description="Limstift uden opløsningsmidler til papir, pap og fotos. 21 g.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-LS21",
        lead_time_days=1,
    ),
    _p(
        _K,
        "KH-1005",
        "Saks 21 cm",
        "EA",
        "24.50",
        "44121600",
        description="Kontorsaks med blød grebsdel, 21 cm, rustfri stålklinge.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-SA21",
        lead_time_days=1,
    ),
    _p(
        _K,
        "KH-1006",
        "Ringbind A4, 40 mm ryg",
        "EA",
        "19.95",
        "44122000",
        description="Ringbind i A4 med 2-rings mekanik og 40 mm ryg. Sort.",
        manufacturer=ORDNING,
        manufacturer_part_no="OR-RB40-S",
        lead_time_days=2,
        related=("KH-1007",),
    ),
    _p(
        _K,
        "KH-1007",
        "Ringbind A4 af genbrugspap, 40 mm ryg",
        "EA",
        "22.95",
        "44122000",
        description="Svanemærket ringbind af 100 % genbrugspap, A4, 40 mm ryg.",
        manufacturer=ORDNING,
        manufacturer_part_no="OR-RB40-G",
        lead_time_days=2,
        related=("KH-1006",),
    ),
    _p(
        _K,
        "KH-1008",
        "Hæftemaskine, 20 ark",
        "EA",
        "69.00",
        "44121600",
        description="Hæftemaskine til 20 ark, bruger hæfteklammer 24/6 og 26/6.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-HM20",
        lead_time_days=1,
        related=("KH-1009", "KH-4007"),
    ),
    _p(
        _K,
        "KH-1009",
        "Hæfteklammer 24/6, 1.000 stk.",
        "BX",
        "9.50",
        "44122100",
        description="Galvaniserede hæfteklammer 24/6. Æske med 1.000 stk.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-HK246",
        lead_time_days=1,
        related=("KH-1008",),
    ),
    _p(
        _K,
        "KH-1010",
        "Blyant HB med viskelæder, 12 stk.",
        "PK",
        "28.00",
        "44121700",
        description="FSC-mærket blyant, hårdhed HB, med viskelæder. Pakke med 12 stk.",
        manufacturer=SKRIVO,
        manufacturer_part_no="SK-BL12-HB",
        lead_time_days=1,
        related=("KH-2001",),
    ),
    _p(
        _K,
        "KH-2001",
        "Farveblyanter, 24 farver",
        "PK",
        "42.00",
        "44121700",
        description="FSC-mærkede farveblyanter i 24 farver, til skole og daginstitution.",
        manufacturer=SKRIVO,
        manufacturer_part_no="SK-FB24",
        lead_time_days=2,
        related=("KH-2002", "KH-1010"),
    ),
    _p(
        _K,
        "KH-2002",
        "Tegnepapir A3 hvid, 250 ark",
        "PK",
        "89.00",
        "14111500",
        description="Hvidt tegnepapir, A3, 120 g/m². Pakke med 250 ark.",
        manufacturer=PAPYRA,
        manufacturer_part_no="PA-TP-A3-250",
        lead_time_days=3,
        stock=Stock.LOW,
        related=("KH-2001",),
    ),
    _p(
        _K,
        "KH-2003",
        "Skolehæfte A5 linieret, 10 stk.",
        "PK",
        "35.00",
        "14111500",
        description="Svanemærket skolehæfte, A5, linieret, 32 sider. Pakke med 10 stk.",
        manufacturer=PAPYRA,
        manufacturer_part_no="PA-SH-A5L-10",
        lead_time_days=2,
    ),
    # the web-shop price is not the agreement price (489.00)
    _p(
        _K,
        "KH-3001",
        "Toner sort til multifunktionsprinter, 3.000 sider",
        "EA",
        "519.00",
        "44103100",
        agreement_price="489.00",
        description="Original sort toner til kontorets multifunktionsprinter. Rækker til ca. "
        "3.000 sider ved 5 % dækning. Tomme patroner tages retur.",
        manufacturer=TONERIX,
        manufacturer_part_no="TX-3000-BK",
        lead_time_days=3,
        related=("KH-4005", "KH-4004"),
    ),
    # --- Kontorhuset Danmark A/S: the web shop only --------------------------------------------
    _p(
        _K,
        "KH-1011",
        "Papirclips 28 mm, forzinkede",
        "EA",
        "4.90",
        "44122100",
        price_unit=100,
        description="Forzinkede papirclips, 28 mm. Prisen er pr. 100 stk.; bestil i hele stk.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-PC28",
        lead_time_days=1,
    ),
    _p(
        _K,
        "KH-1012",
        "Elastikker, assorterede størrelser",
        "EA",
        "12.00",
        "44122100",
        price_unit=100,
        description="Elastikker af naturgummi i assorterede størrelser. Prisen er pr. 100 stk.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-EL-ASS",
        lead_time_days=2,
    ),
    _p(
        _K,
        "KH-1013",
        "Tegnestifter, messing",
        "EA",
        "14.50",
        "44122100",
        price_unit=100,
        description="Tegnestifter med messinghoved til opslagstavler. Prisen er pr. 100 stk.",
        manufacturer=FAESTNING,
        manufacturer_part_no="FB-TS-MS",
        lead_time_days=2,
    ),
    _p(
        _K,
        "KH-4001",
        "Skrivebordslampe LED, dæmpbar",
        "EA",
        "349.00",
        "39111500",
        description="LED-skrivebordslampe med trinløs dæmpning og 3 lysfarver. 8 W, "
        "energiklasse A.",
        manufacturer=LYSLAMPE,
        manufacturer_part_no="LL-SL8-D",
        lead_time_days=4,
        stock=Stock.OUT,
        restock_days=10,
    ),
    _p(
        _K,
        "KH-4002",
        "Dokumentholder til skærm",
        "EA",
        "129.00",
        "44111500",
        description="Dokumentholder med klemme og linjelineal, til montering ved skærmen.",
        manufacturer=ORDNING,
        manufacturer_part_no="OR-DH1",
        lead_time_days=3,
    ),
    _p(
        _K,
        "KH-4003",
        "Fodstøtte, ergonomisk, justerbar",
        "EA",
        "299.00",
        "56101500",
        description="Fodstøtte med skridsikker overflade og justerbar hældning (0-15°).",
        manufacturer=ORDNING,
        manufacturer_part_no="OR-FS2",
        lead_time_days=5,
        stock=Stock.LOW,
    ),
    _p(
        _K,
        "KH-4004",
        "Kopipapir A4 80 g, 500 ark",
        "RM",
        "39.00",
        "14111500",
        description="Hvidt kopipapir, A4, 80 g/m², til laser- og blækprintere. Sælges i ris à 500 "
        "ark. (Hele paller købes på aftalens delaftale 2.)",
        manufacturer=PAPYRA,
        manufacturer_part_no="PA-KP-A4-500",
        lead_time_days=1,
        related=("KH-3001",),
    ),
    _p(
        _K,
        "KH-4005",
        "Tonersæt farve (cyan, magenta, gul)",
        "SET",
        "1199.00",
        "44103100",
        description="Sæt med tre originale farvetonere (cyan, magenta og gul) til kontorets "
        "multifunktionsprinter. Ca. 2.500 sider pr. farve ved 5 % dækning. Tomme patroner tages "
        "retur uden beregning.",
        manufacturer=TONERIX,
        manufacturer_part_no="TX-2500-CMY",
        lead_time_days=5,
        stock=Stock.OUT,
        restock_days=14,
        related=("KH-3001",),
    ),
    _p(
        _K,
        "KH-4006",
        "Whiteboardvisker, magnetisk",
        "EA",
        "29.00",
        "44111900",
        description="Magnetisk whiteboardvisker med udskiftelig filt.",
        manufacturer=ORDNING,
        manufacturer_part_no="OR-WV1",
        lead_time_days=2,
        related=("KH-1003",),
    ),
    _p(
        _K,
        "KH-4007",
        "Hæfteklammer 26/6, 5.000 stk.",
        "BX",
        "32.00",
        "44122100",
        description="Hæfteklammer 26/6, forzinkede. Æske med 5.000 stk.",
        manufacturer=KLIPSO,
        manufacturer_part_no="KL-HK266-5",
        lead_time_days=2,
        related=("KH-1008",),
    ),
    _p(
        _K,
        "KH-4008",
        "Skrue M4 × 12 mm til reolsystem, rustfri",
        "EA",
        "38.00",
        "31161500",
        price_unit=100,
        description="Rustfri maskinskrue M4 × 12 mm med undersænket hoved, til kontorets "
        "reolsystem. Prisen er pr. 100 stk.",
        manufacturer=FAESTNING,
        manufacturer_part_no="FB-M4X12-A2",
        lead_time_days=3,
    ),
    _p(
        _K,
        "KH-4009",
        "Refill til kuglepen, blå, 10 stk.",
        "PK",
        "45.00",
        "44121700",
        description="Refill med blå skrift til kuglepen KH-1001. Pakke med 10 stk.",
        manufacturer=SKRIVO,
        manufacturer_part_no="SK-RF10-BL",
        lead_time_days=2,
        related=("KH-1001",),
    ),
    # --- Nordlys IT A/S: on the 02.31 agreement (fjordby.json, S06) ----------------------------
    _p(
        _N,
        "NI-LAP14",
        'Bærbar computer 14", 16 GB RAM, 512 GB SSD',
        "EA",
        "6495.00",
        "43211503",
        description='Bærbar computer med 14" skærm (1920 × 1200), 16 GB RAM og 512 GB SSD. '
        "TCO Certified og EPEAT Gold. 3 års garanti på stedet.",
        manufacturer=NORDBOOK,
        manufacturer_part_no="NB-14-G5-16-512",
        lead_time_days=3,
        related=("NI-DOCK", "NI-BAG14", "NI-MOUSE", "NI-IMG", "NI-WARR3"),
    ),
    _p(
        _N,
        "NI-LAP16",
        'Bærbar computer 16", 32 GB RAM, 1 TB SSD',
        "EA",
        "9295.00",
        "43211503",
        description='Kraftig bærbar computer med 16" skærm, 32 GB RAM og 1 TB SSD, til CAD og '
        "GIS. TCO Certified.",
        manufacturer=NORDBOOK,
        manufacturer_part_no="NB-16-P3-32-1T",
        lead_time_days=5,
        stock=Stock.LOW,
        related=("NI-DOCK", "NI-MON27", "NI-IMG"),
    ),
    _p(
        _N,
        "NI-MAC13",
        'Bærbar computer 13", macOS, 16 GB RAM, 512 GB SSD',
        "EA",
        "8995.00",
        "43211503",
        description='Bærbar computer med macOS, 13" skærm, 16 GB RAM og 512 GB SSD. EPEAT Gold.',
        manufacturer=KVIST,
        manufacturer_part_no="KV-13-M-16-512",
        lead_time_days=4,
        related=("NI-DEP", "NI-CHG65", "NI-GRAV"),
    ),
    _p(
        _N,
        "NI-TAB11",
        'Tablet 11", 128 GB, Wi-Fi',
        "EA",
        "3195.00",
        "43211509",
        description='Tablet med 11" skærm, 128 GB lager og Wi-Fi. Til skole og hjemmepleje.',
        manufacturer=KVIST,
        manufacturer_part_no="KV-T11-128-W",
        lead_time_days=3,
        related=("NI-CASE11", "NI-DEP"),
    ),
    # the web-shop price is not the agreement price (1195.00)
    _p(
        _N,
        "NI-DOCK",
        "Dockingstation USB-C",
        "EA",
        "1249.00",
        "43211603",
        agreement_price="1195.00",
        description="USB-C-dockingstation med 2 × HDMI, 4 × USB, netværk og 100 W opladning.",
        manufacturer=PERIFER,
        manufacturer_part_no="PF-DOCK-C100",
        lead_time_days=2,
        related=("NI-MON24", "NI-KB", "NI-MOUSE"),
    ),
    _p(
        _N,
        "NI-BAG14",
        'Computertaske 14", genanvendt polyester',
        "EA",
        "249.00",
        "43211600",
        description='Computertaske til 14" bærbar, af genanvendt polyester (GRS).',
        manufacturer=PERIFER,
        manufacturer_part_no="PF-BAG14-R",
        lead_time_days=2,
    ),
    _p(
        _N,
        "NI-SERV",
        "Klargøring og levering, pr. time",
        "HUR",
        "545.00",
        "81112300",
        description="Tekniker klargør og leverer udstyr på adressen, afregnet pr. påbegyndt time.",
        manufacturer=NORDLYS_SERVICE,
        manufacturer_part_no="NI-SERV",
        lead_time_days=5,
    ),
    _p(
        _N,
        "NI-DEP",
        "DEP-tilmelding (Apple Business Manager) / Windows Autopilot, pr. enhed",
        "EA",
        "95.00",
        "81111800",
        description="Enheden tilmeldes kommunens Apple Business Manager eller Windows Autopilot "
        "før levering.",
        manufacturer=NORDLYS_SERVICE,
        manufacturer_part_no="NI-DEP",
        lead_time_days=2,
    ),
    _p(
        _N,
        "NI-IMG",
        "Installation af Fjordby Kommunes standard-image, pr. enhed",
        "EA",
        "295.00",
        "81111800",
        description="Kommunens standard-image installeres og testes før levering.",
        manufacturer=NORDLYS_SERVICE,
        manufacturer_part_no="NI-IMG",
        lead_time_days=5,
    ),
    _p(
        _N,
        "NI-GRAV",
        "Lasergravering af inventarnummer og kommunelogo, pr. enhed",
        "EA",
        "75.00",
        "81112300",
        description="Inventarnummer og kommunens logo graveres i låget med laser.",
        manufacturer=NORDLYS_SERVICE,
        manufacturer_part_no="NI-GRAV",
        lead_time_days=5,
    ),
    _p(
        _N,
        "NI-RET",
        "Miljørigtig afhentning og datasletning af gammelt udstyr, pr. enhed",
        "EA",
        "125.00",
        "81112300",
        description="Gammelt udstyr hentes, data slettes certificeret, og udstyret genbruges "
        "eller genanvendes (WEEE).",
        manufacturer=NORDLYS_SERVICE,
        manufacturer_part_no="NI-RET",
        lead_time_days=10,
    ),
    # --- Nordlys IT A/S: the web shop only -----------------------------------------------------
    _p(
        _N,
        "NI-MOUSE",
        "Trådløs mus, ergonomisk",
        "EA",
        "149.00",
        "43211708",
        description="Trådløs ergonomisk mus med USB-modtager og Bluetooth.",
        manufacturer=PERIFER,
        manufacturer_part_no="PF-MS-ERG",
        lead_time_days=1,
    ),
    _p(
        _N,
        "NI-KB",
        "Tastatur, dansk layout, trådløst",
        "EA",
        "299.00",
        "43211706",
        description="Trådløst tastatur med dansk layout (æ, ø, å) og numerisk tastatur.",
        manufacturer=PERIFER,
        manufacturer_part_no="PF-KB-DK",
        lead_time_days=1,
        related=("NI-MOUSE",),
    ),
    _p(
        _N,
        "NI-MON24",
        'Skærm 24", Full HD, højdejusterbar',
        "EA",
        "1495.00",
        "43211902",
        description='24" IPS-skærm, 1920 × 1080, højdejusterbar fod, HDMI og DisplayPort.',
        manufacturer=SKAERMVAERK,
        manufacturer_part_no="SV-24-FHD-H",
        lead_time_days=2,
        related=("NI-DOCK", "NI-CAB-USBC"),
    ),
    _p(
        _N,
        "NI-MON27",
        'Skærm 27", QHD, USB-C',
        "EA",
        "2695.00",
        "43211902",
        description='27" IPS-skærm, 2560 × 1440, USB-C med 65 W opladning.',
        manufacturer=SKAERMVAERK,
        manufacturer_part_no="SV-27-QHD-C",
        lead_time_days=6,
        stock=Stock.OUT,
        restock_days=12,
        related=("NI-DOCK",),
    ),
    _p(
        _N,
        "NI-HEAD",
        "Headset med støjreduktion, USB",
        "EA",
        "649.00",
        "43211600",
        description="Headset med aktiv støjreduktion og mikrofon, certificeret til Teams.",
        manufacturer=PERIFER,
        manufacturer_part_no="PF-HS-ANC",
        lead_time_days=2,
    ),
    _p(
        _N,
        "NI-CHG65",
        "USB-C-oplader 65 W",
        "EA",
        "349.00",
        "43211600",
        description="Ekstra USB-C-oplader, 65 W, til bærbare computere og tablets.",
        manufacturer=PERIFER,
        manufacturer_part_no="PF-CHG65",
        lead_time_days=1,
    ),
    _p(
        _N,
        "NI-CASE11",
        'Cover til tablet 11", med stativ',
        "EA",
        "249.00",
        "43211600",
        description='Robust cover med stativ til tablet 11" (NI-TAB11). Tåler fald fra 1,2 m.',
        manufacturer=PERIFER,
        manufacturer_part_no="PF-CV11",
        lead_time_days=2,
        stock=Stock.LOW,
    ),
    _p(
        _N,
        "NI-CAB-USBC",
        "USB-C-kabel 1 m",
        "EA",
        "89.00",
        "26121600",
        description="USB-C til USB-C-kabel, 1 m, 100 W, 10 Gbit/s.",
        manufacturer=KABELHUSET,
        manufacturer_part_no="KB-CC-1M",
        lead_time_days=1,
    ),
    _p(
        _N,
        "NI-TIE",
        "Kabelbindere 200 mm, sorte",
        "EA",
        "29.00",
        "39121700",
        price_unit=100,
        description="Kabelbindere af nylon, 200 × 3,6 mm, sorte. Prisen er pr. 100 stk.",
        manufacturer=KABELHUSET,
        manufacturer_part_no="KB-KB200-S",
        lead_time_days=1,
    ),
    _p(
        _N,
        "NI-SCREW",
        "Rackskruer M6 med burmøtrik",
        "EA",
        "189.00",
        "31161500",
        price_unit=100,
        description='Skruer M6 med burmøtrik og skive til 19"-rack. Prisen er pr. 100 sæt.',
        manufacturer=KABELHUSET,
        manufacturer_part_no="KB-M6-CAGE",
        lead_time_days=3,
    ),
    _p(
        _N,
        "NI-WARR3",
        "Udvidet garanti, 3 år ekstra, bærbar",
        "EA",
        "695.00",
        "81112300",
        description="Forlænger garantien på stedet med 3 år for én bærbar computer.",
        manufacturer=NORDLYS_SERVICE,
        manufacturer_part_no="NI-WARR3",
        lead_time_days=1,
    ),
    _p(
        _N,
        "NI-LOCK",
        "Kabellås til bærbar, med nøgle",
        "EA",
        "199.00",
        "46171500",
        description="Kabellås med nøgle, 1,8 m stålwire, til bærbare computere og docking.",
        manufacturer=PERIFER,
        manufacturer_part_no="PF-LOCK-K",
        lead_time_days=2,
    ),
)

_BY_SKU: dict[tuple[str, str], Product] = {(p.supplier, p.sku): p for p in PRODUCTS}


def supplier_get(slug: str) -> Supplier:
    """The supplier by its URL slug; KeyError for an unknown one."""
    return SUPPLIERS[slug]


def product_get(*, supplier: Supplier, sku: str) -> Product | None:
    """The supplier's product with this item number, or None."""
    return _BY_SKU.get((supplier.slug, sku))


def product_find(sku: str) -> Product | None:
    """Any supplier's product with this item number (for the pictures), or None."""
    return next((product for product in PRODUCTS if product.sku == sku), None)


def product_list(*, supplier: Supplier, query: str = "") -> list[Product]:
    """The supplier's products, in catalogue order, whose item number, name, description or
    manufacturer contains every word of `query` (letter case ignored)."""
    words = query.casefold().split()
    found = []
    for product in PRODUCTS:
        if product.supplier != supplier.slug:
            continue
        haystack = " ".join(
            (
                product.sku,
                product.name,
                product.description,
                product.manufacturer.name,
                product.manufacturer_part_no,
            )
        ).casefold()
        if all(word in haystack for word in words):
            found.append(product)
    return found


def product_list_related(product: Product) -> list[Product]:
    """The products shown as related on a product's page."""
    related = (_BY_SKU.get((product.supplier, sku)) for sku in product.related)
    return [item for item in related if item is not None]
