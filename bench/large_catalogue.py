"""A large synthetic Danish catalogue for the benchmarks: 1,000,000 products over 40 suppliers.

It starts with the curated families of `synthetic_catalogue` (look-alikes, near-duplicates) and
goes on with a broad public-sector assortment: office, IT, cleaning, food, tools, furniture,
care aids, toys and kitchen, each product type in brands, colours or materials, sizes and
model series, as a real wholesale catalogue repeats near-identical items. Seeded and
reproducible: the same arguments always give the same rows, in the same order.
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from stdnum import ean

from bench.synthetic_catalogue import SUPPLIER_PREFIXES, SyntheticProduct, catalogue

#: How many rows come from the curated families before the broad assortment takes over.
CURATED = 5000


@dataclass(frozen=True)
class Area:
    category: str
    unit_code: str
    attributes: tuple[str, ...]
    sizes: tuple[str, ...]
    brands: tuple[str, ...]
    price: tuple[int, int]  # DKK, lowest and highest
    nouns: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area(
        "Kontorartikler",
        "EA",
        ("blå", "sort", "rød", "grøn", "assorterede farver", "genbrugsplast", "FSC"),
        ("1 stk.", "5 stk.", "10 stk.", "50 stk.", "A4", "A5"),
        ("Kontorhuset", "Skrivefix", "Nordpen", "Papyrus", "Officio", "Bürostar", "Linea"),
        (5, 250),
        (
            "Kuglepen",
            "Blyant",
            "Gelpen",
            "Fineliner",
            "Tusch",
            "Whiteboardmarker",
            "Overstregningspen",
            "Viskelæder",
            "Lineal",
            "Kontorsaks",
            "Hæftemaskine",
            "Hulmaskine",
            "Tape",
            "Tapedispenser",
            "Limstift",
            "Notesblok",
            "Kollegieblok",
            "Ringbind",
            "Brevordner",
            "Plastlomme",
            "Chartek",
            "Kuvert",
            "Adresseetiket",
            "Printerpapir",
            "Kopipapir",
            "Farvet karton",
            "Elastikmappe",
            "Brevbakke",
            "Kalender",
            "Datostempel",
            "Stempelpude",
            "Tonerpatron",
            "Blækpatron",
            "Laminerlomme",
            "Elastikker",
            "Papirclips",
            "Tegnestifter",
            "Whiteboard",
            "Opslagstavle",
            "Flipover",
            "Flipoverpapir",
            "Regnemaskine",
            "Hæfteklammer",
            "Dokumentholder",
            "Skrivebordsunderlag",
            "Arkivæske",
            "Registerfaneblade",
        ),
    ),
    Area(
        "IT og AV",
        "EA",
        ("sort", "hvid", "grå", "trådløs", "USB-C", "bluetooth"),
        ("", "1 m", "2 m", "3 m", "14 tommer", "24 tommer", "27 tommer"),
        ("Datatek", "Nordlys IT", "Bitvaerk", "Logicom", "Skærmhuset", "Pixelpro", "Netkraft"),
        (49, 12000),
        (
            "Bærbar computer",
            "Computerskærm",
            "Tastatur",
            "Mus",
            "Musemåtte",
            "Headset",
            "Webkamera",
            "Dockingstation",
            "USB-nøgle",
            "Ekstern harddisk",
            "Netværkskabel",
            "HDMI-kabel",
            "USB-kabel",
            "Oplader",
            "Strømforsyning",
            "Laserprinter",
            "Dokumentscanner",
            "Projektor",
            "Tablet",
            "Mobiltelefon",
            "Tabletcover",
            "Skærmfilter",
            "Router",
            "Netværksswitch",
            "Powerbank",
            "Højttaler",
            "Mikrofon",
            "Skærmholder",
            "Kabelkanal",
            "Adapter",
        ),
    ),
    Area(
        "Rengøring og hygiejne",
        "EA",
        ("uparfumeret", "parfumeret", "Svanemærket", "økomærket", "koncentreret", "blå", "hvid"),
        ("500 ml", "1 l", "5 l", "10 l", "50 stk.", "100 stk.", "rulle"),
        ("Renhed", "Pletfri", "Skinnende", "Nordrent", "Hygiejnehuset", "Klarvask", "Rentex"),
        (9, 900),
        (
            "Opvaskemiddel",
            "Gulvsæbe",
            "Universalrengøring",
            "Håndsæbe",
            "Hånddesinfektion",
            "Overfladedesinfektion",
            "Affaldssække",
            "Skraldespand",
            "Moppe",
            "Gulvklud",
            "Karklud",
            "Rengøringssvamp",
            "Viskestykke",
            "Toiletpapir",
            "Håndklædeark",
            "Køkkenrulle",
            "Nitrilhandsker",
            "Vinylhandsker",
            "Engangsforklæde",
            "Kost",
            "Fejebakke",
            "Støvsugerposer",
            "Vaskemiddel",
            "Skyllemiddel",
            "Afkalker",
            "Toiletrens",
            "Glasrens",
            "Microfiberklud",
            "Spand",
            "Sæbedispenser",
        ),
    ),
    Area(
        "Fødevarer",
        "EA",
        ("økologisk", "fuldkorn", "laktosefri", "frost", "let", "glutenfri", ""),
        ("250 g", "500 g", "1 kg", "2 kg", "1 l", "5 kg", "10 stk."),
        ("Gårdens", "Nordmølle", "Mejerigården", "Havets", "Marken", "Kolonialen", "Fjordfrugt"),
        (6, 320),
        (
            "Sødmælk",
            "Letmælk",
            "Skummetmælk",
            "Minimælk",
            "Yoghurt naturel",
            "Skyr",
            "Skæreost",
            "Smør",
            "Æg",
            "Rugbrød",
            "Franskbrød",
            "Havregryn",
            "Müsli",
            "Ris",
            "Pasta",
            "Kartofler",
            "Gulerødder",
            "Løg",
            "Æbler",
            "Bananer",
            "Pærer",
            "Appelsiner",
            "Agurk",
            "Tomater",
            "Kaffebønner",
            "Formalet kaffe",
            "Te",
            "Appelsinjuice",
            "Saftevand",
            "Kyllingebryst",
            "Hakket oksekød",
            "Leverpostej",
            "Skinkepålæg",
            "Fiskefrikadeller",
            "Makrel i tomat",
            "Ærter",
            "Majs",
            "Kidneybønner",
            "Olivenolie",
            "Rapsolie",
            "Havsalt",
            "Sort peber",
            "Bagepulver",
            "Gær",
            "Honning",
            "Jordbærsyltetøj",
            "Rosiner",
            "Hvedemel",
            "Rugmel",
        ),
    ),
    Area(
        "Værktøj og el",
        "EA",
        ("forkromet", "isoleret", "sort", "gul", "LED", "genopladelig", "professionel"),
        ("", "sæt", "10 stk.", "100 stk.", "3 m", "5 m", "18 V"),
        ("Værkmester", "Håndværkeren", "Nordtool", "Boltex", "Elektrikeren", "Kraftværk"),
        (15, 3500),
        (
            "Skruetrækker",
            "Hammer",
            "Kombinationstang",
            "Bitsæt",
            "Metalbor",
            "Træbor",
            "Boremaskine",
            "Skruemaskine",
            "Vaterpas",
            "Målebånd",
            "Tommestok",
            "Hobbykniv",
            "Træskruer",
            "Søm",
            "Rawlplugs",
            "Kabelbindere",
            "Isoleringstape",
            "Arbejdslampe",
            "LED-pære",
            "Forlængerledning",
            "Stikdåse",
            "AA-batterier",
            "Lommelygte",
            "Arbejdshandsker",
            "Sikkerhedsbriller",
            "Høreværn",
            "Trappestige",
            "Trillebør",
            "Skovl",
            "Rive",
            "Værktøjskasse",
            "Loddekolbe",
        ),
    ),
    Area(
        "Møbler og inventar",
        "EA",
        ("eg", "bøg", "hvid", "sort", "grå", "med armlæn", "stabelbar"),
        ("", "80 cm", "120 cm", "160 cm", "180 cm"),
        ("Møbelhuset", "Nordinventar", "Kontormøbler", "Skolemøbler", "Sæde", "Bordet"),
        (400, 9000),
        (
            "Kontorstol",
            "Skrivebord",
            "Hæve-sænkebord",
            "Reol",
            "Arkivskab",
            "Stabelstol",
            "Sofa",
            "Mødebord",
            "Garderobe",
            "Skrivebordslampe",
            "Skoleborde",
            "Elevstol",
            "Børnestol",
            "Madras",
            "Puf",
            "Tavle",
            "Skammel",
            "Skohylde",
        ),
    ),
    Area(
        "Pleje og hjælpemidler",
        "EA",
        ("str. S", "str. M", "str. L", "latexfri", "steril", "justerbar", "foldbar"),
        ("", "10 stk.", "50 stk.", "100 stk.", "pakke"),
        ("Plejehuset", "Hjælpemiddelcentret", "Omsorg", "Care Nordic", "Mobilia", "Trygge"),
        (12, 8000),
        (
            "Plaster",
            "Forbinding",
            "Gazekompres",
            "Bleer",
            "Hagesmække",
            "Vådservietter",
            "Hudcreme",
            "Solcreme",
            "Termometer",
            "Førstehjælpskasse",
            "Rollator",
            "Kørestol",
            "Badebænk",
            "Toiletforhøjer",
            "Gribetang",
            "Inkontinensbind",
            "Hæveseng",
            "Forflytningsbælte",
            "Stødpude",
            "Strømpepåtager",
        ),
    ),
    Area(
        "Legetøj og kreative materialer",
        "EA",
        ("assorterede farver", "træ", "plast", "Svanemærket", "stor", "lille"),
        ("", "6 stk.", "12 stk.", "24 farver", "500 g", "sæt"),
        ("Legekassen", "Kreahuset", "Plan Toys", "Barnets", "Legeland", "Farvelade"),
        (19, 1200),
        (
            "Farveblyanter",
            "Tuscher",
            "Fingermaling",
            "Modellervoks",
            "Perler",
            "Børnesaks",
            "Bold",
            "Puslespil",
            "Byggeklodser",
            "Dukke",
            "Legebil",
            "Sandlegetøj",
            "Tegnepapir",
            "Vandfarver",
            "Pensler",
            "Hobbylim",
            "Glimmer",
            "Kridt",
            "Sjippetov",
            "Brætspil",
        ),
    ),
    Area(
        "Køkken og servering",
        "EA",
        ("hvid", "rustfri", "hærdet glas", "porcelæn", "genanvendelig", "kompostérbar"),
        ("", "6 stk.", "12 stk.", "50 stk.", "1 l", "2 l"),
        ("Køkkenhuset", "Servera", "Nordkøkken", "Gastro", "Bordkunst", "Kantinen"),
        (8, 2500),
        (
            "Tallerkener",
            "Drikkeglas",
            "Kaffekopper",
            "Bestik",
            "Gryde",
            "Stegepande",
            "Køkkenkniv",
            "Skærebræt",
            "Termokande",
            "Kaffemaskine",
            "Elkedel",
            "Opvaskebørste",
            "Madpapir",
            "Husholdningsfilm",
            "Alufolie",
            "Fryseposer",
            "Engangstallerkener",
            "Servietter",
            "Kaffefiltre",
            "Bageplade",
        ),
    ),
)


def _products_of(area: Area) -> list[tuple[str, str, str, str]]:
    """Every (noun, attribute, size, brand) of the area, nouns outermost."""
    return list(itertools.product(area.nouns, area.attributes, area.sizes, area.brands))


def large_catalogue(
    count: int, *, suppliers: int = 40, seed: int = 2026
) -> Iterator[SyntheticProduct]:
    """`count` products: the curated families first (up to CURATED), then the broad
    assortment, areas and combinations interleaved, model series repeating them."""
    yield from catalogue(min(count, CURATED), suppliers=suppliers, seed=seed)
    generator = random.Random(seed + 1)
    combinations = [_products_of(area) for area in AREAS]
    orders = []
    for options in combinations:
        order = list(range(len(options)))
        generator.shuffle(order)
        orders.append(order)
    produced = CURATED
    for series in itertools.count(1):
        for position in range(max(len(options) for options in combinations)):
            for area, options, order in zip(AREAS, combinations, orders, strict=True):
                if position >= len(options):
                    continue
                if produced >= count:
                    return
                noun, attribute, size, brand = options[order[position]]
                supplier = (
                    zlib.crc32(f"{area.category}/{brand}".encode()) + produced * 7
                ) % suppliers
                parts = [noun, *(part for part in (attribute, size) if part)]
                name = ", ".join(parts) + f" – {brand}, model {series}"
                body = f"{produced:012d}"[-12:]
                low, high = area.price
                price = Decimal(generator.randint(low * 100, high * 100)) / 100
                eco = attribute in ("økologisk", "Svanemærket", "økomærket", "FSC")
                yield SyntheticProduct(
                    key=f"{noun}/{attribute}/{size}/{brand}/{series}",
                    family=noun,
                    supplier=supplier,
                    item_number=f"{SUPPLIER_PREFIXES[supplier]}-{produced + 10000}",
                    gtin=body + ean.calc_check_digit(body),
                    name=name,
                    brand=brand,
                    category=area.category,
                    unit_code=area.unit_code,
                    price=price,
                    is_sustainable=eco,
                    eco_labels=("organic_dk",) if attribute == "økologisk" else (),
                )
                produced += 1
