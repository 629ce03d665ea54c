"""The demo supplier's tests: Django's test client, no browser and no database (none of these
tests is marked django_db, so pytest-django refuses any query they would make)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any, Protocol
from urllib.parse import urlencode

import pytest
from django.test import Client

from edi import safexml
from tests.conftest import page_text

IDENTITY = "FJORDBY-29900124"
SECRET = "test-secret-Æ&<>"
OCI_USER = "fjordby"
OCI_PASSWORD = "oci-test-password"
BROWSER_FORM_POST = "https://rekvi.fjordby.example/punchout/return/tok-123/"
HOOK_URL = "https://rekvi.fjordby.example/punchout/return/tok-456/"
BUYER_COOKIE = "c0ffee-4711"


class Response(Protocol):
    """What the tests read of a test client's response."""

    status_code: int
    content: bytes

    def __getitem__(self, header: str) -> str: ...

    def get(self, header: str, default: str) -> str: ...


@pytest.fixture(autouse=True)
def _accounts(settings: Any) -> None:
    """The buyers the demo supplier knows, the same in both test lanes."""
    settings.DEMO_SUPPLIER_ACCOUNTS = {IDENTITY: SECRET}
    settings.DEMO_SUPPLIER_OCI_ACCOUNTS = {OCI_USER: OCI_PASSWORD}
    settings.DEMO_SUPPLIER_SESSION_MINUTES = 60


@pytest.fixture
def client() -> Client:
    """A test client that checks CSRF tokens, as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


@dataclass(frozen=True)
class ItemOut:
    sku: str
    quantity: str
    aux_id: str | None = None


def setup_request(
    *,
    operation: str = "create",
    identity: str = IDENTITY,
    secret: str = SECRET,
    buyer_cookie: str = BUYER_COOKIE,
    url: str = BROWSER_FORM_POST,
    items: tuple[ItemOut, ...] = (),
    selected_item: str | None = None,
) -> bytes:
    """A PunchOutSetupRequest as Rekvi sends one (the structure of the friendsofcxml sample)."""
    lines = []
    for number, item in enumerate(items, start=1):
        aux = (
            f"<SupplierPartAuxiliaryID>{escape(item.aux_id)}</SupplierPartAuxiliaryID>"
            if item.aux_id is not None
            else ""
        )
        lines.append(
            f"""    <ItemOut quantity="{item.quantity}" lineNumber="{number}">
      <ItemID><SupplierPartID>{escape(item.sku)}</SupplierPartID>{aux}</ItemID>
      <ItemDetail>
        <UnitPrice><Money currency="DKK">100.00</Money></UnitPrice>
        <Description xml:lang="da-DK">Vare</Description>
        <UnitOfMeasure>EA</UnitOfMeasure>
        <Classification domain="UNSPSC">43211503</Classification>
      </ItemDetail>
    </ItemOut>
"""
        )
    selected = (
        f"<SelectedItem><ItemID><SupplierPartID>{escape(selected_item)}</SupplierPartID>"
        "</ItemID></SelectedItem>"
        if selected_item
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.071/cXML.dtd">
<cXML version="1.2.071" payloadID="20261126100000.42@rekvi.fjordby.example"
      timestamp="2026-11-26T10:00:00+01:00" xml:lang="da-DK">
  <Header>
    <From><Credential domain="NetworkID"><Identity>{escape(IDENTITY)}</Identity></Credential></From>
    <To><Credential domain="NetworkID"><Identity>NORDLYS-IT-29900078</Identity></Credential></To>
    <Sender>
      <Credential domain="NetworkID">
        <Identity>{escape(identity)}</Identity>
        <SharedSecret>{escape(secret)}</SharedSecret>
      </Credential>
      <UserAgent>Rekvi</UserAgent>
    </Sender>
  </Header>
  <Request deploymentMode="test">
    <PunchOutSetupRequest operation="{operation}">
      <BuyerCookie>{escape(buyer_cookie)}</BuyerCookie>
      <Extrinsic name="UserEmail">anne@fjordby.example</Extrinsic>
      <BrowserFormPost><URL>{escape(url)}</URL></BrowserFormPost>
      <Contact role="endUser"><Name xml:lang="da-DK">Anne Jensen</Name>
        <Email>anne@fjordby.example</Email></Contact>
      <ShipTo><Address isoCountryCode="DK" addressID="SOL-A1">
        <Name xml:lang="da-DK">Solsikken</Name>
        <PostalAddress name="default"><Street>Solsikkevej 1</Street><City>Fjordby</City>
          <PostalCode>9999</PostalCode><Country isoCountryCode="DK">Danmark</Country>
        </PostalAddress></Address></ShipTo>
      {selected}
{"".join(lines)}    </PunchOutSetupRequest>
  </Request>
</cXML>
""".encode()


def text_of(response: Response) -> str:
    """What a person reads on the page, character references resolved."""
    return unescape(page_text(response.content))


def post_setup(
    client: Client, body: bytes, *, supplier: str = "nordlys-it", query: str = ""
) -> Response:
    response = client.post(
        f"/demo-supplier/{supplier}/cxml/setup{query}", body, content_type="text/xml"
    )
    return response


def start_path(response: Response) -> str:
    """The path of the StartPage URL in a PunchOutSetupResponse."""
    root = safexml.parse(response.content).root
    url = root.findtext("Response/PunchOutSetupResponse/StartPage/URL")
    assert url is not None
    assert url.startswith("http://testserver/demo-supplier/")
    return url.removeprefix("http://testserver")


def shop_base(path: str) -> str:
    """/demo-supplier/<supplier>/shop/<token>/ from any shop page's path."""
    head, marker, rest = path.partition("/shop/")
    return f"{head}{marker}{rest.split('/', 1)[0]}/"


def csrf(client: Client, path: str) -> str:
    """Load a shop page (as a person would before pressing a button) and give its CSRF token."""
    page = client.get(path)
    assert page.status_code == 200, page.content
    token = client.cookies["csrftoken"].value
    return token


def shop_post(client: Client, path: str, data: dict[str, str]) -> Response:
    token = csrf(client, f"{shop_base(path)}cart/")
    response = client.post(path, {**data, "csrfmiddlewaretoken": token})
    return response


@dataclass
class ReturnForm:
    action: str = ""
    method: str = ""
    target: str | None = None
    accept_charset: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # inline text, or "src=" and the file
    form_action: str = ""  # the page's Content-Security-Policy form-action sources

    def value(self, name: str) -> str:
        [value] = [value for key, value in self.fields if key == name]
        return value


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form = ReturnForm()
        self._in_form = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == "return-form":
            self._in_form = True
            self.form.action = attributes.get("action") or ""
            self.form.method = attributes.get("method") or ""
            self.form.target = attributes.get("target")
            self.form.accept_charset = attributes.get("accept-charset") or ""
        elif tag == "input" and self._in_form and attributes.get("type") == "hidden":
            self.form.fields.append((attributes["name"] or "", attributes.get("value") or ""))
        elif tag == "script":
            self._in_script = True
            if attributes.get("src"):
                self.form.scripts.append(f"src={attributes['src']}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.form.scripts.append(data)


def return_form(response: Response) -> ReturnForm:
    """The auto-posted form of a return page, its hidden fields as a browser would post them."""
    assert response.status_code == 200, response.content
    reader = _FormReader()
    reader.feed(response.content.decode())
    for directive in response.get("Content-Security-Policy", "").split(";"):
        name, _space, sources = directive.strip().partition(" ")
        if name == "form-action":
            reader.form.form_action = sources
    return reader.form


def oci_entry_path(supplier: str = "kontorhuset", query: str = "", **parameters: str) -> str:
    values = {
        "HOOK_URL": HOOK_URL,
        "USERNAME": OCI_USER,
        "PASSWORD": OCI_PASSWORD,
        "~OkCode": "ADDI",
        "~TARGET": "_top",
        "~CALLER": "CTLG",
        **parameters,
    }
    separator = "&" if query else "?"
    return f"/demo-supplier/{supplier}/oci/{query}{separator}{urlencode(values)}"
