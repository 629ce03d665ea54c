"""The supplier self-test: how a municipality onboards a supplier's web shop. An administrator
presses "test" on a supplier whose punch-out is configured: Rekvi runs the setup (cXML request
server to server, or the OCI form), checks the answer, opens the start page, and when a cart
comes back checks it field by field against the standard and the supplier's agreement. The
findings read as a report for the supplier's developers (the standard's words, in English,
inside Danish sentences)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Supplier
from core.http import RemoteRejected, RemoteUnavailable, http_get, http_post
from edi import cxml, safexml, schemas
from org.models import User
from punchout.models import PunchoutSession, ReturnedCart
from punchout.services.sessions import (
    PunchoutError,
    PunchoutErrorCode,
    _session_create,
    oci_start_fields,
    return_url_for,
    returned_cart_identity_note,
    returned_line_price_note,
    setup_request,
    supplier_shop_url,
)


@dataclass(frozen=True)
class SelfTestStart:
    """The self-test's session, and where the administrator's browser goes to shop."""

    session: PunchoutSession
    findings: list[dict[str, object]]
    start_url: str = ""
    form_action: str = ""
    form_fields: list[tuple[str, str]] = field(default_factory=list)


def _found(findings: list[dict[str, object]], ok: bool, text: str) -> bool:
    findings.append({"ok": ok, "text": text})
    return ok


def _start_page_check(findings: list[dict[str, object]], url: str) -> bool:
    try:
        page = http_get(url=url)
    except RemoteRejected as error:
        if error.status == 410:
            return _found(
                findings,
                False,
                _(
                    "The start page answered 410 Gone: the supplier's session had expired "
                    "already. Sessions must last while the person shops."
                ),
            )
        return _found(
            findings,
            False,
            _("The start page answered HTTP %(status)s.") % {"status": error.status},
        )
    except RemoteUnavailable as error:
        return _found(
            findings, False, _("The start page did not answer: %(reason)s") % {"reason": error}
        )
    if "html" not in page.content_type.lower():
        return _found(
            findings,
            False,
            _("The start page is %(type)s, not an HTML page.") % {"type": page.content_type},
        )
    return _found(
        findings, True, _("The start page opened (HTTP %(status)s).") % {"status": page.status}
    )


def _cxml_setup_check(
    findings: list[dict[str, object]], session: PunchoutSession, return_url: str, shop_url: str
) -> str:
    """Send the setup request to `shop_url` and check the answer; the start page URL, or ''
    on failure."""
    try:
        reply = http_post(
            url=shop_url,
            body=setup_request(session, return_url),
            content_type="text/xml; charset=utf-8",
        )
    except RemoteRejected as error:
        _found(
            findings,
            False,
            _("The setup request was refused with HTTP %(status)s.") % {"status": error.status},
        )
        return ""
    except RemoteUnavailable as error:
        _found(findings, False, _("The setup URL did not answer: %(reason)s") % {"reason": error})
        return ""
    _found(findings, True, _("The setup URL answered HTTP %(status)s.") % {"status": reply.status})
    try:
        answer = cxml.punchout_setup_response_parse(reply.body)
    except cxml.CxmlStatusError as error:
        hint = (
            _(" Check the From, To and Sender identities and the shared secret.")
            if error.code in (401, 403)
            else ""
        )
        _found(
            findings,
            False,
            _("The supplier answered cXML status %(code)s %(text)s.%(hint)s")
            % {"code": error.code, "text": error.text, "hint": hint},
        )
        return ""
    except cxml.CxmlError as error:
        _found(
            findings,
            False,
            _("The answer is not a PunchOutSetupResponse: %(reason)s") % {"reason": error},
        )
        return ""
    problems = schemas.validate_cxml(safexml.parse(reply.body).root)
    if problems:
        for problem in problems:
            _found(
                findings,
                False,
                _("The answer breaks the cXML DTD: %(problem)s") % {"problem": problem},
            )
    else:
        _found(findings, True, _("The answer is a valid cXML PunchOutSetupResponse."))
    return answer.start_url


def _cxml_setup_again(
    findings: list[dict[str, object]], session: PunchoutSession, return_url: str, shop_url: str
) -> str:
    """A second setup request, whose start page is for the administrator's browser."""
    try:
        reply = http_post(
            url=shop_url,
            body=setup_request(session, return_url),
            content_type="text/xml; charset=utf-8",
        )
        return cxml.punchout_setup_response_parse(reply.body).start_url
    except (RemoteRejected, RemoteUnavailable, cxml.CxmlError) as error:
        _found(
            findings,
            False,
            _("A second setup request, for your browser, failed: %(reason)s") % {"reason": error},
        )
        return ""


def _oci_entry_check(
    findings: list[dict[str, object]], shop_url: str, fields: list[tuple[str, str]]
) -> bool:
    body = urllib.parse.urlencode(fields).encode()
    try:
        reply = http_post(
            url=shop_url,
            body=body,
            content_type="application/x-www-form-urlencoded",
        )
    except RemoteRejected as error:
        hint = _(" Check the OCI user name and password.") if error.status in (401, 403) else ""
        return _found(
            findings,
            False,
            _("The shop refused the OCI parameters with HTTP %(status)s.%(hint)s")
            % {"status": error.status, "hint": hint},
        )
    except RemoteUnavailable as error:
        return _found(findings, False, _("The shop did not answer: %(reason)s") % {"reason": error})
    return _found(
        findings,
        True,
        _("The shop accepted the OCI parameters (HTTP %(status)s).") % {"status": reply.status},
    )


def punchout_self_test_start(
    *, user: User, supplier: Supplier, return_base_url: str
) -> SelfTestStart:
    """Run the setup checks of the supplier's punch-out and open a self-test session whose
    return URL takes the test cart. The findings are kept on the session. Raises
    PunchoutError(NOT_AVAILABLE) for a supplier without punch-out settings."""
    if supplier.punchout_protocol not in PunchoutSession.Protocol.values or not (
        supplier.punchout_url
    ):
        raise PunchoutError(
            PunchoutErrorCode.NOT_AVAILABLE,
            _("Choose a punch-out protocol and enter the punch-out URL first."),
        )
    session, token = _session_create(
        user=user,
        unit=None,
        supplier=supplier,
        operation=PunchoutSession.Operation.CREATE,
        purpose=PunchoutSession.Purpose.SELF_TEST,
    )
    return_url = return_url_for(return_base_url, token)
    shop_url = supplier_shop_url(url=supplier.punchout_url, served_from=return_base_url)
    findings: list[dict[str, object]] = []
    start = SelfTestStart(session=session, findings=findings)
    if supplier.punchout_protocol == PunchoutSession.Protocol.CXML:
        start_url = _cxml_setup_check(findings, session, return_url, shop_url)
        if start_url and _start_page_check(findings, start_url):
            # the start page Rekvi opened may work only once: the browser gets its own
            browser_url = _cxml_setup_again(findings, session, return_url, shop_url)
            if browser_url:
                start = SelfTestStart(session=session, findings=findings, start_url=browser_url)
    else:
        fields = oci_start_fields(supplier, return_url)
        if _oci_entry_check(findings, shop_url, fields):
            start = SelfTestStart(
                session=session,
                findings=findings,
                form_action=shop_url,
                form_fields=fields,
            )
    opened = bool(start.start_url or start.form_action)
    # conditional (a test cart may already have come back and closed the session)
    PunchoutSession.objects.filter(pk=session.pk, state=PunchoutSession.State.OPEN).update(
        findings=findings,
        start_url=start.start_url[:2000],
        **({} if opened else {"state": PunchoutSession.State.FAILED}),
    )
    return start


def self_test_cart_findings(*, returned: ReturnedCart) -> list[dict[str, object]]:
    """What the test cart shows: whether it could be read, the cXML DTD's verdict on it, and
    each line's refusals and warnings, in the order a developer fixes them."""
    findings: list[dict[str, object]] = []
    if returned.state == ReturnedCart.State.UNREADABLE:
        _found(findings, False, returned.problem)
        return findings
    if returned.state == ReturnedCart.State.CANCELLED:
        _found(
            findings,
            False,
            _(
                "The shop sent cXML status 204 (the punch-out was cancelled), so there is no "
                "cart to check. Test again and send a cart with at least one line."
            ),
        )
        return findings
    if returned.session.protocol == PunchoutSession.Protocol.CXML:
        fields = dict(urllib.parse.parse_qsl(bytes(returned.raw).decode("utf-8", "replace")))
        document = next(
            (
                value.encode()
                for name, value in fields.items()
                if name.lower().replace("_", "-") == "cxml-urlencoded"
            ),
            None,
        )
        if document is not None:
            problems = schemas.validate_cxml(safexml.parse(document).root)
            for problem in problems:
                _found(
                    findings,
                    False,
                    _("The cart breaks the cXML DTD: %(problem)s") % {"problem": problem},
                )
    identity_note = returned_cart_identity_note(returned)
    if identity_note:
        _found(findings, False, identity_note)
    lines = list(returned.lines.order_by("position"))
    if not lines:
        _found(
            findings,
            False,
            _("The cart came back empty. Test again and send a cart with at least one line."),
        )
        return findings
    for line in lines:
        if line.refusal:
            _found(
                findings,
                False,
                _("Line %(line)s (%(item)s): %(text)s")
                % {"line": line.position, "item": line.supplier_item_number, "text": line.refusal},
            )
        note = returned_line_price_note(line)
        for warning in [*line.warnings, *([note] if note else [])]:
            _found(
                findings,
                False,
                _("Line %(line)s (%(item)s): %(text)s")
                % {"line": line.position, "item": line.supplier_item_number, "text": warning},
            )
    if not findings:
        _found(
            findings,
            True,
            ngettext(
                "The cart's %(count)s line meets the standard and the agreement.",
                "The cart's %(count)s lines meet the standard and the agreement.",
                len(lines),
            )
            % {"count": len(lines)},
        )
    return findings
