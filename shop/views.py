"""The pages of the web shell. Each view reads through a selector and renders; no rules here."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import CatalogueImport
from catalog.selectors import (
    ASSORTMENT_ROLES,
    SEARCH_CANDIDATES,
    NotVisibleError,
    SearchFilters,
    SearchResult,
    SearchTimeoutError,
    assortment_explain,
    assortment_product_page,
    assortment_rule_list_for_unit,
    assortment_unit_get,
    catalogue_change_list,
    catalogue_change_rows,
    catalogue_import_choices,
    catalogue_import_get,
    catalogue_import_is_stale,
    catalogue_import_is_stuck,
    catalogue_import_kept_fields,
    catalogue_import_list,
    catalogue_import_progress,
    catalogue_import_uncategorised,
    category_list_for,
    ehandel_policy_get,
    product_search,
    supplier_category_groups,
    supplier_get_for_curation,
    supplier_list_for_unit,
)
from catalog.services.categories import (
    CategoryMappingError,
    GroupChoice,
    category_mapping_choose,
)
from catalog.services.imports import (
    CatalogueImportError,
    catalogue_import_approve,
    catalogue_import_receive,
    catalogue_import_reject,
)
from core.client import client_address
from core.csp import csp_allow_form_action, url_origin
from core.errors import ApplicationError
from core.login_guard import (
    login_address_checked,
    login_address_failed,
    login_address_wait_seconds,
)
from core.params import BadInput, read_id, read_ids, read_key_id, read_number, refuse_nul
from core.selectors import heartbeat_list_status
from orders.models import CartLine, FavouriteList, Order, StandardPackage
from orders.selectors import (
    OrderFilters,
    cart_find,
    cart_line_get,
    cart_page,
    delegate_candidates,
    delegation_list_for,
    favourite_list_get,
    favourite_list_lines,
    favourite_list_visible,
    order_get,
    order_list_awaiting_approval,
    order_list_visible,
    order_may_decide,
    order_may_edit,
    order_sum,
    order_totals_by_month,
    package_get,
    package_list,
)
from orders.services import (
    ApprovalError,
    CartError,
    CheckoutChoices,
    FreeText,
    OrderEdit,
    OrderEditError,
    OrderEditErrorCode,
    ToCartOutcome,
    approval_reasons,
    cart_checkout,
    cart_free_text_add,
    cart_get_for,
    cart_line_add,
    cart_line_quantity_set,
    cart_line_remove,
    delegation_create,
    delegation_end,
    favourite_line_add,
    favourite_line_quantity_set,
    favourite_line_remove,
    favourite_list_create,
    favourite_list_may_edit,
    favourite_list_to_cart,
    free_text_hints,
    order_approve,
    order_cancel,
    order_edit,
    order_goods_receive,
    order_reject,
    order_reorder,
    order_send_back,
    package_to_carts,
)
from orders.services.receipts import RECEIVABLE
from org.models import ADMIN_ROLES, ORGANISATION_ADMIN_ROLES, OrgUnit, Role, User
from org.selectors import (
    budget_list_for_unit,
    cost_centre_list,
    delivery_address_list,
    membership_limit_summary,
    membership_list_approvers,
    membership_list_for_user,
    org_unit_get,
    org_unit_is_visible,
    org_unit_list_actable,
    org_unit_list_children,
    org_unit_list_visible,
    user_has_role,
)
from punchout.models import PunchoutSession, ReturnedCart
from punchout.selectors import (
    punchout_supplier_get,
    punchout_supplier_list,
    returned_cart_get,
    returned_cart_list_pending,
    self_test_get,
    self_test_supplier_list,
)
from punchout.services import (
    PunchoutError,
    punchout_cart_discard,
    punchout_cart_take,
    punchout_self_test_start,
    punchout_session_start,
    returned_cart_identity_note,
    returned_line_price_note,
    self_test_cart_findings,
)
from shop.forms import (
    CatalogueImportForm,
    CatalogueImportRejectForm,
    CheckoutForm,
    DelegationForm,
    FavouriteListForm,
    FreeTextForm,
    LoginForm,
    OrderEditForm,
)
from shop.templatetags.rekvi_format import quantity_display


class LoginView(auth_views.LoginView):
    """Rekvi's login (the admin's too). An address that fails often is slowed down
    (core.login_guard); a username tried from one address is locked out (django-axes, which
    answers with `login_locked_out`)."""

    template_name = "shop/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = client_address(request)
        wait = login_address_wait_seconds(address)
        if wait:  # refused unchecked: the password is not looked at
            context = self.get_context_data(
                form=LoginForm(request, initial={"username": request.POST.get("username", "")}),
                login_wait_seconds=wait,
            )
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        login_address_checked(address)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        login_address_failed(client_address(self.request))
        return super().form_invalid(form)


def login_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page when django-axes has locked out the username from this address: why,
    and for how long (each attempt meanwhile starts the wait again)."""
    minutes = int(settings.LOGIN_LOCKOUT_MINUTES)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    response = render(
        request,
        "shop/login.html",
        {
            "form": LoginForm(request, initial={"username": username}),
            "next": request.POST.get("next", ""),
            "login_locked_minutes": minutes,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def _acting_user(request: HttpRequest) -> User:
    """The signed-in person (login_required has run); anyone else is refused."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a parameter that cannot be read, with what is wrong with it (core.params)."""
    message = exception.message if isinstance(exception, BadInput) else ""
    return render(request, "400.html", {"message": message}, status=400)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """'My units': the units the person belongs to, their role and limits in each."""
    user = _acting_user(request)
    return render(
        request,
        "shop/home.html",
        {"unit_roles": membership_list_for_user(user=user)},
    )


@require_GET
@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit: EAN number, place in the tree, addresses, cost centres, approvers, budgets."""
    user = _acting_user(request)
    try:
        unit = org_unit_get(user=user, unit_id=unit_id)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc
    year = timezone.localdate().year
    return render(
        request,
        "shop/unit_detail.html",
        {
            "unit": unit,
            "parent_is_visible": unit.parent_id is not None
            and org_unit_is_visible(user=user, unit_id=unit.parent_id),
            "children": org_unit_list_children(user=user, unit=unit),
            "addresses": delivery_address_list(user=user, unit=unit),
            "cost_centres": cost_centre_list(user=user, unit=unit),
            "approvers": membership_list_approvers(unit=unit, amount=Decimal("0.00")),
            "budgets": budget_list_for_unit(user=user, unit=unit, year=year),
            "budget_year": year,
            "month_names": [MONTHS_3[month] for month in range(1, 13)],
        },
    )


@require_GET
@login_required
def system_status(request: HttpRequest) -> HttpResponse:
    """For administrators: which mode Rekvi runs in and whether background work is alive."""
    user = _acting_user(request)
    if not (user.is_superuser or user_has_role(user=user, roles=ORGANISATION_ADMIN_ROLES)):
        raise PermissionDenied
    return render(
        request,
        "shop/system_status.html",
        {
            "mode": settings.REKVI_MODE,
            "database_vendor": connection.vendor,
            "is_eager": settings.CELERY_TASK_ALWAYS_EAGER,
            "heartbeats": heartbeat_list_status(),
            "shows_sources": user.is_superuser,  # host names are the platform operator's
            "stale_after": settings.HEARTBEAT_STALE_AFTER_SECONDS,
        },
    )


ASSORTMENT_PAGE_SIZE = 50


@require_GET
@login_required
def ehandel_policy(request: HttpRequest) -> HttpResponse:
    """The municipality's e-handel policy: what is bought how, by whom, up to which amount."""
    user = _acting_user(request)
    try:
        page = ehandel_policy_get(user=user, on=timezone.localdate())
    except NotVisibleError as exc:
        raise Http404 from exc
    return render(
        request,
        "shop/ehandel_policy.html",
        {"policy": page, "limits": membership_limit_summary(user=user)},
    )


@require_GET
@login_required
def assortment_units(request: HttpRequest) -> HttpResponse:
    """For procurement officers: the units whose assortment they curate."""
    user = _acting_user(request)
    units = org_unit_list_actable(user=user, roles=ASSORTMENT_ROLES)
    if not units.exists():
        raise PermissionDenied
    return render(request, "shop/assortment_units.html", {"units": units})


@require_GET
@login_required
def assortment_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit's assortment: the rules in effect and, product by product, whether it is
    visible and which rule decides it."""
    user = _acting_user(request)
    try:
        unit = assortment_unit_get(user=user, unit_id=unit_id)
    except NotVisibleError as exc:
        raise Http404 from exc
    text = refuse_nul("q", request.GET.get("q", "")).strip()
    page_number = _page_number(request)
    rules = assortment_rule_list_for_unit(unit=unit, with_targets=True)
    products, total = assortment_product_page(
        unit=unit,
        text=text,
        offset=(page_number - 1) * ASSORTMENT_PAGE_SIZE,
        limit=ASSORTMENT_PAGE_SIZE,
    )
    pages = max((total + ASSORTMENT_PAGE_SIZE - 1) // ASSORTMENT_PAGE_SIZE, 1)
    return render(
        request,
        "shop/assortment_unit.html",
        {
            "unit": unit,
            "rules": rules,
            "verdicts": assortment_explain(rules=rules, products=products, on=timezone.localdate()),
            "text": text,
            "total": total,
            "page_number": page_number,
            "pages": pages,
            "previous_page": page_number - 1 if page_number > 1 else None,
            "next_page": page_number + 1 if page_number < pages else None,
        },
    )


@require_GET
@login_required
def catalogue_search(request: HttpRequest) -> HttpResponse:
    """Search the assortment of a unit the person buys for. With htmx, only the results."""
    user = _acting_user(request)
    units = list(org_unit_list_actable(user=user))
    if not units:
        raise PermissionDenied
    unit_id = read_id(request.GET, "unit") or units[0].pk
    unit = next((candidate for candidate in units if candidate.pk == unit_id), None)
    if unit is None:
        raise Http404
    text = refuse_nul("q", request.GET.get("q", ""))
    filters = SearchFilters(
        agreement_ids=read_ids(request.GET.getlist("agreement"), "agreement"),
        supplier_ids=read_ids(request.GET.getlist("supplier"), "supplier"),
        category_ids=read_ids(request.GET.getlist("category"), "category"),
        eco_label=refuse_nul("eco_label", request.GET.get("eco_label", "")),
    )
    search_error = ""
    try:
        result = product_search(
            user=user, unit=unit, text=text, on=timezone.localdate(), filters=filters
        )
    except SearchTimeoutError as exc:
        result = SearchResult([], 0, False, {}, [], [], [], [])
        search_error = exc.message
    context = {
        "units": units,
        "unit": unit,
        "text": text,
        "result": result,
        "search_error": search_error,
        "filters": filters,
        "searched": bool(text.strip()),
        "result_cap": SEARCH_CANDIDATES,
        "favourite_lists": list(favourite_list_visible(user=user).filter(unit=unit)),
    }
    template = (
        "shop/includes/search_results.html"
        if getattr(request, "htmx", False)
        else "shop/catalogue_search.html"
    )
    return render(request, template, context)


# --- Catalogue imports (procurement officers) --------------------------------------------------

IMPORT_PAGE_SIZE = 25
CHANGE_PAGE_SIZE = 50
#: The tables of an import's page: what each shows.
IMPORT_TABLES = (
    "jumps",
    "prices",
    "units",
    "added",
    "removed",
    "changed",
    "uncategorised",
    "problems",
)


def _import_or_404(user: User, import_id: int) -> CatalogueImport:
    try:
        return catalogue_import_get(user=user, import_id=import_id)
    except NotVisibleError as exc:
        raise Http404 from exc


def _curator(request: HttpRequest) -> User:
    user = _acting_user(request)
    if not user_has_role(user=user, roles=ASSORTMENT_ROLES):
        raise PermissionDenied
    return user


#: The last page number a list goes to (a page past the end shows the last one).
MAX_PAGE = 1_000_000


def _page_number(request: HttpRequest) -> int:
    return read_number(request.GET, "page", default=1, min_value=1, max_value=MAX_PAGE)


@require_GET
@login_required
def catalogue_imports(request: HttpRequest) -> HttpResponse:
    """The municipality's catalogue imports, newest first."""
    user = _curator(request)
    page = Paginator(catalogue_import_list(user=user), IMPORT_PAGE_SIZE).get_page(
        _page_number(request)
    )
    return render(request, "shop/catalogue_imports.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def catalogue_import_new(request: HttpRequest) -> HttpResponse:
    """Upload a supplier's catalogue file; it is read in the background."""
    user = _curator(request)
    form = CatalogueImportForm(
        request.POST or None, request.FILES or None, choices=catalogue_import_choices(user=user)
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = catalogue_import_receive(
                supplier=form.cleaned_data["supplier"],
                agreement=form.cleaned_data["agreement"],
                lot=form.cleaned_data["lot"],
                file=upload,
                file_name=upload.name or "catalogue",
                file_format=form.cleaned_data["file_format"],
                by=user,
            )
        except CatalogueImportError as exc:
            form.add_error(exc.field or None, str(exc.message))
        else:
            return redirect("shop:catalogue_import_detail", import_id=imported.pk)
    return render(request, "shop/catalogue_import_new.html", {"form": form})


def _import_table(request: HttpRequest, imported: CatalogueImport) -> tuple[str, Page[Any] | None]:
    """Which table of the import to show, and its page."""
    counts = {
        "jumps": imported.price_jumps,
        "prices": imported.price_increases + imported.price_decreases,
        "units": imported.unit_changes,
        "added": imported.added,
        "removed": imported.removed,
        "changed": imported.changed,
        "uncategorised": imported.uncategorised,
        "problems": imported.problem_count + imported.warning_count,
    }
    shown = request.GET.get("show", "")
    if shown not in IMPORT_TABLES:
        shown = next((name for name in IMPORT_TABLES if counts[name]), "prices")
    if shown == "problems":
        rows: Any = imported.problems.all()
    elif shown == "uncategorised":
        rows = catalogue_import_uncategorised(catalogue_import=imported)
    elif shown == "jumps":
        rows = catalogue_change_list(
            catalogue_import=imported, price_changes=True, price_jumps=True
        )
    elif shown == "prices":
        rows = catalogue_change_list(catalogue_import=imported, price_changes=True)
    elif shown == "units":
        rows = catalogue_change_list(catalogue_import=imported).filter(is_unit_change=True)
    else:
        rows = catalogue_change_list(catalogue_import=imported, kind=shown)
    if imported.status in (CatalogueImport.Status.FAILED, CatalogueImport.Status.RECEIVED):
        return shown, None
    page = Paginator(rows, CHANGE_PAGE_SIZE).get_page(_page_number(request))
    if shown not in ("problems", "uncategorised"):
        page.object_list = catalogue_change_rows(changes=page.object_list)
    return shown, page


@require_GET
@login_required
def catalogue_import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """One import: its progress while it is read, then its diff and problems, and the
    decision."""
    user = _curator(request)
    imported = _import_or_404(user, import_id)
    return render(
        request,
        "shop/catalogue_import_detail.html",
        _import_page(request, imported, CatalogueImportRejectForm()),
    )


def _import_page(
    request: HttpRequest, imported: CatalogueImport, reject_form: CatalogueImportRejectForm
) -> dict[str, Any]:
    """What an import's page shows."""
    shown, page = _import_table(request, imported)
    return {
        "imported": imported,
        "progress": catalogue_import_progress(catalogue_import=imported),
        "shown": shown,
        "page": page,
        "reject_form": reject_form,
        "kept_fields": catalogue_import_kept_fields(catalogue_import=imported),
        "is_stale": catalogue_import_is_stale(catalogue_import=imported),
        "is_stuck": catalogue_import_is_stuck(catalogue_import=imported),
        "stuck_minutes": settings.CATALOGUE_IMPORT_STUCK_MINUTES,
        "jump_factor": settings.CATALOGUE_PRICE_JUMP_FACTOR,
    }


@require_GET
@login_required
def catalogue_import_progress_part(request: HttpRequest, import_id: int) -> HttpResponse:
    """The progress part of an import's page, polled by htmx while the import runs; once it
    has finished, the whole page is loaded again."""
    user = _curator(request)
    imported = _import_or_404(user, import_id)
    progress = catalogue_import_progress(catalogue_import=imported)
    response = render(
        request,
        "shop/includes/import_progress.html",
        {"imported": imported, "progress": progress},
    )
    if not progress.is_running:
        response["HX-Refresh"] = "true"
    return response


def _local_path(request: HttpRequest, url: str) -> str:
    """`url` if it leads back into Rekvi; '' otherwise."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_http_methods(["GET", "POST"])
@login_required
def supplier_categories(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """The municipality's category for each group of a supplier's items: chosen here and
    remembered for the supplier's next catalogues, or suggested by Rekvi."""
    user = _curator(request)
    try:
        supplier = supplier_get_for_curation(user=user, supplier_id=supplier_id)
    except NotVisibleError as exc:
        raise Http404 from exc
    every_group = supplier_category_groups(supplier=supplier)
    groups = [group for group in every_group if group.source]
    if request.method == "POST":
        choices = []
        for number in range(
            read_number(request.POST, "groups", default=0, max_value=len(every_group))
        ):
            source = refuse_nul(f"source-{number}", request.POST.get(f"source-{number}", ""))
            key = refuse_nul(f"key-{number}", request.POST.get(f"key-{number}", ""))
            chosen = read_id(request.POST, f"group-{number}")
            previous = read_id(request.POST, f"previous-{number}")
            if source and key and chosen != previous:
                choices.append(
                    GroupChoice(
                        source=source,
                        key=key,
                        category_id=chosen,
                        previous_id=previous,
                        check_previous=True,
                    )
                )
        try:
            outcome = category_mapping_choose(supplier=supplier, by=user, choices=choices)
        except CategoryMappingError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                ngettext(
                    "The categories are saved; %(count)s item moved.",
                    "The categories are saved; %(count)s items moved.",
                    outcome.items_moved,
                )
                % {"count": outcome.items_moved},
            )
        back = _local_path(request, request.POST.get("next", ""))
        if back:
            return redirect(back)
        return redirect("shop:supplier_categories", supplier_id=supplier.pk)
    return render(
        request,
        "shop/supplier_categories.html",
        {
            "supplier": supplier,
            "groups": groups,
            "without": next(
                (group for group in every_group if not group.source),
                None,
            ),
            "categories": category_list_for(supplier=supplier),
            "next": _local_path(request, request.GET.get("next", "")),
        },
    )


@require_POST
@login_required
def catalogue_import_decide(request: HttpRequest, import_id: int) -> HttpResponse:
    """Approve or reject an import that awaits approval; reject one that failed or is stuck."""
    user = _curator(request)
    imported = _import_or_404(user, import_id)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            catalogue_import_approve(
                catalogue_import=imported,
                by=user,
                confirm_price_jumps=request.POST.get("confirm_price_jumps") == "on",
                confirm_removals=request.POST.get("confirm_removals") == "on",
            )
            messages.success(request, _("The import is approved and is being applied."))
        elif decision == "reject":
            form = CatalogueImportRejectForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "shop/catalogue_import_detail.html",
                    _import_page(request, imported, form),
                    status=400,
                )
            catalogue_import_reject(
                catalogue_import=imported, by=user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The import is rejected; the catalogue is unchanged."))
        else:
            return HttpResponseBadRequest(_("Choose approve or reject."))
    except CatalogueImportError as exc:
        messages.error(request, str(exc.message))
    return redirect("shop:catalogue_import_detail", import_id=imported.pk)


@require_GET
@login_required
def catalogue_import_file(request: HttpRequest, import_id: int) -> FileResponse:
    """The file as it was received."""
    user = _curator(request)
    imported = _import_or_404(user, import_id)
    return FileResponse(
        imported.file.open("rb"), as_attachment=True, filename=imported.file_name or "catalogue"
    )


# --- Cart, checkout and orders -----------------------------------------------------------------

ORDER_PAGE_SIZE = 25


def _actable_unit(user: User, unit_id: object) -> tuple[list[OrgUnit], OrgUnit]:
    """The units the person orders for, and the one asked for (the first if none); 404 for a
    unit they may not order for, 403 for someone who orders for none."""
    units = list(org_unit_list_actable(user=user))
    if not units:
        raise PermissionDenied
    wanted = read_id({"unit": unit_id}, "unit")
    if wanted is None:
        return units, units[0]
    unit = next((candidate for candidate in units if candidate.pk == wanted), None)
    if unit is None:
        raise Http404
    return units, unit


def _visible_order(user: User, number: str) -> Order:
    """The order, if the person may see it; 404 otherwise (not yours and not there alike)."""
    try:
        return order_get(user=user, number=number)
    except Order.DoesNotExist as exc:
        raise Http404 from exc


def _typed_revision(request: HttpRequest) -> int | None:
    """The order revision a form was made from, if it sent one."""
    return read_id(request.POST, "revision")


def _refusal_on_form(form: Any, error: ApplicationError) -> None:
    """Show a service's refusal at the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _back_to(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if (
        target.startswith("/")  # a path: redirect() would take another word for a view's name
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


@require_POST
@login_required
def cart_add(request: HttpRequest) -> HttpResponse:
    """Put a catalogue item in the cart of the unit bought for. With htmx, only a short
    answer next to the button; without, back to the page it came from."""
    user = _acting_user(request)
    _units, unit = _actable_unit(user, request.POST.get("unit"))
    product_id = read_id(request.POST, "product")
    ok = False
    if product_id is None:
        message = _("Choose an item to put in the cart.")
    else:
        try:
            cart = cart_get_for(user=user, unit=unit)
            line = cart_line_add(
                cart=cart,
                product_id=product_id,
                quantity=request.POST.get("quantity", "1"),
                on=timezone.localdate(),
            )
            message = _("The cart now holds %(quantity)s of %(name)s.") % {
                "quantity": quantity_display(line.quantity),
                "name": line.product.name if line.product else line.description,
            }
            ok = True
        except CartError as exc:
            message = exc.message
    if getattr(request, "htmx", False):
        return render(
            request,
            "shop/includes/cart_added.html",
            {"ok": ok, "message": message, "unit": unit},
            status=200 if ok else 422,
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(_back_to(request, f"{reverse('shop:cart')}?unit={unit.pk}"))


@require_GET
@login_required
def cart(request: HttpRequest) -> HttpResponse:
    """The cart of one unit bought for: lines by supplier (an order each), totals, limit."""
    user = _acting_user(request)
    units, unit = _actable_unit(user, request.GET.get("unit"))
    found = cart_find(user=user, unit=unit)
    page = cart_page(cart=found) if found else None
    waiting = returned_cart_list_pending(user=user, unit=unit)
    return render(
        request,
        "shop/cart.html",
        {"units": units, "unit": unit, "page": page, "waiting": waiting},
    )


@require_POST
@login_required
def cart_line_change(request: HttpRequest, line_id: int) -> HttpResponse:
    """Change a line's quantity, or take it out."""
    user = _acting_user(request)
    try:
        line = cart_line_get(user=user, line_id=line_id)
    except CartLine.DoesNotExist as exc:
        raise Http404 from exc
    name = line.product.name if line.product else line.description
    if request.POST.get("action") == "remove":
        cart_line_remove(line=line)
        messages.success(request, _("%(name)s is out of the cart.") % {"name": name})
    else:
        try:
            cart_line_quantity_set(line=line, quantity=request.POST.get("quantity", ""))
            messages.success(
                request,
                _("The quantity of %(name)s is now %(quantity)s.")
                % {"name": name, "quantity": quantity_display(line.quantity)},
            )
        except CartError as exc:
            messages.error(request, f"{name}: {exc.message}")
    return redirect(f"{reverse('shop:cart')}?unit={line.cart.unit_id}")


@require_http_methods(["GET", "POST"])
@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    """Delivery, cost centre and reference for the cart of one unit; ordering makes one order
    per supplier."""
    user = _acting_user(request)
    _units, unit = _actable_unit(user, request.GET.get("unit") or request.POST.get("unit"))
    found = cart_find(user=user, unit=unit)
    if found is None or not found.lines.exists():
        messages.info(request, _("The cart is empty: add an item first."))
        return redirect(f"{reverse('shop:cart')}?unit={unit.pk}")
    form = CheckoutForm(
        request.POST or None,
        addresses=delivery_address_list(user=user, unit=unit),
        cost_centres=cost_centre_list(user=user, unit=unit),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orders = cart_checkout(
                cart=found, choices=CheckoutChoices(**data), on=timezone.localdate()
            )
        except CartError as exc:
            _refusal_on_form(form, exc)
        else:
            for order in orders:
                if order.status == Order.Status.AWAITING_APPROVAL:
                    text = _("Order %(number)s to %(supplier)s awaits approval.")
                else:
                    text = _("Order %(number)s to %(supplier)s is approved.")
                messages.success(
                    request, text % {"number": order.number, "supplier": order.supplier.name}
                )
            return redirect("shop:order_list")
    return render(
        request,
        "shop/checkout.html",
        {"form": form, "unit": unit, "page": cart_page(cart=found)},
        status=422 if request.method == "POST" else 200,
    )


def _order_filters(user: User, query: Any, today: Any) -> tuple[OrderFilters, list[Any]]:
    """The filters chosen on the order list (unknown values are ignored), and the months one
    can choose: this one and the twelve before it."""
    months = []
    month = today.replace(day=1)
    for _step in range(13):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    try:
        typed_unit = read_id(query, "unit")
    except BadInput:
        typed_unit = None  # a filter it cannot read is left out, as an unknown one is
    unit = (
        org_unit_list_visible(user=user).filter(pk=typed_unit).first()
        if typed_unit is not None
        else None
    )
    typed_month = str(query.get("month", ""))
    chosen = next((m for m in months if m.strftime("%Y-%m") == typed_month), None)
    typed_status = str(query.get("status", ""))
    status = typed_status if typed_status in Order.Status.values else None
    return OrderFilters(unit=unit, month=chosen, status=status), months


@require_GET
@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """The orders of the units the person may see, newest first; a leader narrows them to a
    unit (with the units below it), a month and a status, and sees what they add up to."""
    user = _acting_user(request)
    today = timezone.localdate()
    filters, months = _order_filters(user, request.GET, today)
    orders = order_list_visible(user=user, filters=filters)
    page = Paginator(orders, ORDER_PAGE_SIZE).get_page(request.GET.get("page"))
    year = today.year
    totals = order_totals_by_month(user=user, year=year, unit=filters.unit)
    query = "&".join(
        f"{name}={value}"
        for name, value in (
            ("unit", filters.unit.pk if filters.unit else ""),
            ("month", filters.month.strftime("%Y-%m") if filters.month else ""),
            ("status", filters.status or ""),
        )
        if value
    )
    return render(
        request,
        "shop/orders.html",
        {
            "page": page,
            "year": year,
            "totals": totals,
            "year_total": sum((row.total for row in totals), Decimal(0)),
            "filters": filters,
            "filtered": filters != OrderFilters(),
            "summary": order_sum(orders=orders),
            "units": org_unit_list_visible(user=user),
            "months": months,
            "statuses": Order.Status.choices,
            "query": f"{query}&" if query else "",
        },
    )


@require_GET
@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One order: its lines, delivery, reference and what happened to it."""
    user = _acting_user(request)
    order = _visible_order(user, number)
    return render(
        request,
        "shop/order_detail.html",
        {
            "order": order,
            "may_decide": order_may_decide(user=user, order=order),
            "approval_reasons": approval_reasons(list(order.lines.all())),
            "may_edit": order_may_edit(user=user, order=order),
            "may_receive": order.unit.municipality.uses_goods_receipt
            and order.status in RECEIVABLE
            and org_unit_list_actable(user=user).filter(pk=order.unit_id).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """The orders waiting for the person's approval, oldest first; hand-overs while away."""
    user = _acting_user(request)
    delegations = delegation_list_for(user=user, on=timezone.localdate())
    if not user_has_role(user=user, roles=[Role.APPROVER]) and not delegations["received"]:
        raise PermissionDenied
    form = DelegationForm(request.POST or None, candidates=delegate_candidates(user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegation_create(
                approver=user,
                delegate=data["delegate"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                today=timezone.localdate(),
            )
        except ApprovalError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s approves in your place from %(start)s to %(end)s.")
                % {
                    "person": data["delegate"].get_full_name(),
                    "start": date_format(data["starts_on"]),
                    "end": date_format(data["ends_on"]),
                },
            )
            return redirect("shop:approval_queue")
    orders = list(order_list_awaiting_approval(user=user)[:200])
    return render(
        request,
        "shop/approvals.html",
        {
            "orders": orders,
            "form": form,
            "delegations": delegations,
            "is_approver": user_has_role(user=user, roles=[Role.APPROVER]),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def delegation_end_view(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """End a hand-over now: the approver is back."""
    user = _acting_user(request)
    found = delegation_list_for(user=user, on=timezone.localdate())["given"]
    delegation = next((item for item in found if item.pk == delegation_id), None)
    if delegation is None:
        raise Http404
    delegation_end(delegation=delegation, by=user, today=timezone.localdate())
    messages.success(request, _("You approve your orders yourself again."))
    return redirect("shop:approval_queue")


@require_POST
@login_required
def order_decide(request: HttpRequest, number: str) -> HttpResponse:
    """Approve, reject (with a reason) or send back an order that waits for approval."""
    user = _acting_user(request)
    order = _visible_order(user, number)
    action = request.POST.get("action", "")
    reason = refuse_nul("reason", request.POST.get("reason", ""))
    revision = _typed_revision(request)
    try:
        if action == "approve":
            order_approve(order=order, by=user, revision=revision)
            messages.success(request, _("Order %(number)s is approved.") % {"number": number})
        elif action == "reject":
            order_reject(order=order, by=user, reason=reason, revision=revision)
            messages.success(request, _("Order %(number)s is rejected.") % {"number": number})
        elif action == "send_back":
            order_send_back(order=order, by=user, reason=reason, revision=revision)
            messages.success(
                request,
                _("Order %(number)s is sent back to %(person)s, whose cart holds its lines again.")
                % {
                    "number": number,
                    "person": order.placed_by.get_full_name() or order.placed_by.get_username(),
                },
            )
        else:
            return HttpResponseBadRequest(_("Choose approve, reject or send back."))
    except ApprovalError as exc:
        messages.error(request, exc.message)
        return redirect("shop:order_detail", number=number)
    return redirect("shop:approval_queue")


# --- Favourite lists ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def favourite_lists(request: HttpRequest) -> HttpResponse:
    """The person's favourite lists and those shared with their units; a new list."""
    user = _acting_user(request)
    units, _unit = _actable_unit(user, None)
    form = FavouriteListForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            created = favourite_list_create(
                owner=user,
                unit=form.cleaned_data["unit"],
                name=form.cleaned_data["name"],
                is_shared=form.cleaned_data["is_shared"],
            )
        except CartError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(request, _("The list %(name)s is made.") % {"name": created.name})
            return redirect("shop:favourite_list", list_id=created.pk)
    return render(
        request,
        "shop/favourite_lists.html",
        {"lists": favourite_list_visible(user=user), "form": form},
        status=422 if request.method == "POST" else 200,
    )


def _favourite_or_404(user: User, list_id: int) -> FavouriteList:
    try:
        return favourite_list_get(user=user, list_id=list_id)
    except FavouriteList.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
@login_required
def favourite_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """A list's items with their usual quantities, to change and put in the cart at once."""
    user = _acting_user(request)
    found = _favourite_or_404(user, list_id)
    return render(
        request,
        "shop/favourite_list.html",
        {
            "favourite": found,
            "lines": favourite_list_lines(favourite_list=found, user=user, on=timezone.localdate()),
            "may_edit": favourite_list_may_edit(favourite_list=found, user=user),
        },
    )


def _to_cart_done(
    request: HttpRequest, outcome: ToCartOutcome, added: str, unit_id: int
) -> HttpResponse:
    """Say what went into the cart, and what could not; then show the cart."""
    messages.success(request, added)
    if outcome.left_out:
        messages.warning(
            request,
            _("Not put in the cart, since they can no longer be ordered: %(names)s.")
            % {"names": ", ".join(outcome.left_out)},
        )
    return redirect(f"{reverse('shop:cart')}?unit={unit_id}")


@require_POST
@login_required
def favourite_list_cart(request: HttpRequest, list_id: int) -> HttpResponse:
    """Put the whole list in the cart, with the quantities as typed on the page."""
    user = _acting_user(request)
    found = _favourite_or_404(user, list_id)
    typed: dict[int, object] = {
        read_key_id(key, "quantity-"): value
        for key, value in request.POST.items()
        if key.startswith("quantity-")
    }
    try:
        outcome = favourite_list_to_cart(
            favourite_list=found, user=user, on=timezone.localdate(), quantities=typed
        )
    except CartError as exc:
        messages.error(request, exc.message)
        return redirect("shop:favourite_list", list_id=found.pk)
    added = ngettext(
        "%(count)s item from %(name)s is in the cart.",
        "%(count)s items from %(name)s are in the cart.",
        len(outcome.added),
    ) % {"count": len(outcome.added), "name": found.name}
    return _to_cart_done(request, outcome, added, found.unit_id)


@require_POST
@login_required
def favourite_line_change(request: HttpRequest, list_id: int, line_id: int) -> HttpResponse:
    """Change an item's usual quantity, or take it off the list."""
    user = _acting_user(request)
    found = _favourite_or_404(user, list_id)
    line = found.lines.select_related("product", "favourite_list").filter(pk=line_id).first()
    if line is None:
        raise Http404
    try:
        if request.POST.get("action") == "remove":
            favourite_line_remove(line=line, by=user)
            messages.success(request, _("%(name)s is off the list.") % {"name": line.product.name})
        else:
            favourite_line_quantity_set(
                line=line, by=user, quantity=request.POST.get("default_quantity", "")
            )
            messages.success(
                request,
                _("The usual quantity of %(name)s is now %(quantity)s.")
                % {"name": line.product.name, "quantity": quantity_display(line.default_quantity)},
            )
    except CartError as exc:
        messages.error(request, f"{line.product.name}: {exc.message}")
    return redirect("shop:favourite_list", list_id=found.pk)


@require_POST
@login_required
def favourite_add(request: HttpRequest) -> HttpResponse:
    """Put a catalogue item on one of the person's lists (from the search results)."""
    user = _acting_user(request)
    list_id = read_id(request.POST, "favourite_list")
    product_id = read_id(request.POST, "product")
    if list_id is None or product_id is None:
        return HttpResponseBadRequest(_("Choose a list and an item."))
    found = _favourite_or_404(user, list_id)
    try:
        favourite_line_add(
            favourite_list=found,
            by=user,
            product_id=product_id,
            quantity=request.POST.get("quantity", "1"),
            on=timezone.localdate(),
        )
        ok, message = True, _("On the list %(name)s.") % {"name": found.name}
    except CartError as exc:
        ok, message = False, exc.message
    if getattr(request, "htmx", False):
        return render(
            request,
            "shop/includes/cart_added.html",
            {"ok": ok, "message": message, "unit": found.unit, "favourite": found},
            status=200 if ok else 422,
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(_back_to(request, reverse("shop:favourite_list", args=[found.pk])))


@require_POST
@login_required
def order_reorder_view(request: HttpRequest, number: str) -> HttpResponse:
    """Put an earlier order's items in the cart again."""
    user = _acting_user(request)
    order = _visible_order(user, number)
    try:
        outcome = order_reorder(order=order, user=user, on=timezone.localdate())
    except CartError as exc:
        messages.error(request, exc.message)
        return redirect("shop:order_detail", number=number)
    added = ngettext(
        "%(count)s item from order %(number)s is in the cart.",
        "%(count)s items from order %(number)s are in the cart.",
        len(outcome.added),
    ) % {"count": len(outcome.added), "number": number}
    return _to_cart_done(request, outcome, added, order.unit_id)


# --- Free-text orders --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def free_text(request: HttpRequest) -> HttpResponse:
    """A line for what is not in the catalogue (fritekstordre), to a supplier on one of the
    unit's agreements; matching agreement items are shown while the person types."""
    user = _acting_user(request)
    _units, unit = _actable_unit(user, request.GET.get("unit") or request.POST.get("unit"))
    today = timezone.localdate()
    form = FreeTextForm(
        request.POST or None, suppliers=supplier_list_for_unit(user=user, unit=unit, on=today)
    )
    hints: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = cart_free_text_add(
                cart=cart_get_for(user=user, unit=unit),
                free_text=FreeText(
                    description=data["description"],
                    quantity=data["quantity"],
                    unit_code=data["unit_code"],
                    estimated_unit_price=data["estimated_unit_price"],
                    supplier_id=data["supplier"].pk,
                    supplier_item_number=data["supplier_item_number"],
                    link=data["link"],
                    reason=data["reason"],
                ),
                on=today,
            )
        except CartError as exc:
            _refusal_on_form(form, exc)
            hints = free_text_hints(user=user, unit=unit, description=data["description"], on=today)
        else:
            messages.success(
                request, _("%(name)s is in the cart as free text.") % {"name": line.description}
            )
            return redirect(f"{reverse('shop:cart')}?unit={unit.pk}")
    return render(
        request,
        "shop/free_text.html",
        {"form": form, "unit": unit, "hints": hints},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def free_text_hint(request: HttpRequest) -> HttpResponse:
    """The agreement items that match what the person is describing (htmx, as they type)."""
    user = _acting_user(request)
    _units, unit = _actable_unit(user, request.GET.get("unit"))
    hints = free_text_hints(
        user=user,
        unit=unit,
        description=refuse_nul("description", request.GET.get("description", "")),
        on=timezone.localdate(),
    )
    return render(request, "shop/includes/free_text_hints.html", {"hints": hints, "unit": unit})


# --- Standard packages -------------------------------------------------------------------------


@require_GET
@login_required
def packages(request: HttpRequest) -> HttpResponse:
    """The municipality's standard packages."""
    user = _acting_user(request)
    return render(request, "shop/packages.html", {"packages": package_list(user=user)})


@require_http_methods(["GET", "POST"])
@login_required
def package_detail(request: HttpRequest, package_id: int) -> HttpResponse:
    """A package's items, and how many packages each unit gets, into their carts at once."""
    user = _acting_user(request)
    try:
        package = package_get(user=user, package_id=package_id)
    except StandardPackage.DoesNotExist as exc:
        raise Http404 from exc
    units, _first = _actable_unit(user, None)
    error = ""
    if request.method == "POST":
        counts: dict[int, object] = {
            unit.pk: request.POST.get(f"unit-{unit.pk}", "") for unit in units
        }
        try:
            placed = package_to_carts(
                package=package, user=user, counts=counts, on=timezone.localdate()
            )
        except CartError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s × %(name)s is in the cart of %(units)s unit.",
                    "%(count)s × %(name)s are in the carts of %(units)s units.",
                    len(placed),
                )
                % {"count": sum(placed.values()), "name": package.name, "units": len(placed)},
            )
            return redirect(f"{reverse('shop:cart')}?unit={next(iter(placed))}")
    return render(
        request,
        "shop/package_detail.html",
        {
            "package": package,
            "rows": [(unit, request.POST.get(f"unit-{unit.pk}", "")) for unit in units],
            "error": error,
        },
        status=422 if error else 200,
    )


@require_POST
@login_required
def order_receive(request: HttpRequest, number: str) -> HttpResponse:
    """Register what of an order has arrived, line by line."""
    user = _acting_user(request)
    order = _visible_order(user, number)
    received: dict[int, object] = {
        read_key_id(key, "received-"): value
        for key, value in request.POST.items()
        if key.startswith("received-")
    }
    try:
        updated = order_goods_receive(order=order, by=user, received=received)
    except CartError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Receipt registered: the order is %(status)s.")
            % {"status": updated.get_status_display().lower()},
        )
    return redirect("shop:order_detail", number=number)


def _order_edit_from_post(request: HttpRequest, data: dict[str, Any], order: Order) -> OrderEdit:
    """The placer's changes: `quantity-<line>` fields, `remove-<line>` boxes, the details."""
    quantities: dict[int, object] = {}
    removed: set[int] = set()
    for key, value in request.POST.items():
        name, _dash, _position = key.partition("-")
        if name == "quantity":
            quantities[read_key_id(key, "quantity-")] = value
        elif name == "remove" and value:
            removed.add(read_key_id(key, "remove-"))
    centre = data["cost_centre"]
    account: str | None = data["account"].strip() or centre.default_account
    if centre.pk != order.cost_centre_id and data["account"].strip() == order.account:
        account = None  # the account shown was the old centre's: the new centre's applies
    return OrderEdit(
        quantities=quantities,
        removed=frozenset(removed),
        delivery_address=data["delivery_address"],
        requested_delivery_date=data["requested_delivery_date"],
        clear_requested_delivery_date=data["requested_delivery_date"] is None,
        cost_centre=centre,
        account=account,
        personreference=data["personreference"],
        note_to_supplier=data["note_to_supplier"],
    )


@require_http_methods(["GET", "POST"])
@login_required
def order_edit_view(request: HttpRequest, number: str) -> HttpResponse:
    """Change an order that has not been sent: quantities, lines, delivery and booking. An
    approved order goes back for approval when it is changed."""
    user = _acting_user(request)
    order = _visible_order(user, number)
    if not order_may_edit(user=user, order=order):
        messages.error(request, _("This order can no longer be changed."))
        return redirect("shop:order_detail", number=number)
    form = OrderEditForm(
        request.POST or None,
        initial={
            "delivery_address": order.delivery_address_id,
            "requested_delivery_date": order.requested_delivery_date,
            "cost_centre": order.cost_centre_id,
            "account": order.account,
            "personreference": order.personreference,
            "note_to_supplier": order.note_to_supplier,
            "revision": order.revision,
        },
        addresses=delivery_address_list(user=user, unit=order.unit),
        cost_centres=cost_centre_list(user=user, unit=order.unit),
    )
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {
            key: str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("quantity-")
        }
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = order_edit(
                    order=order,
                    by=user,
                    edit=_order_edit_from_post(request, data, order),
                    on=timezone.localdate(),
                    revision=data["revision"],
                )
            except OrderEditError as exc:
                if exc.code == OrderEditErrorCode.CHANGED:
                    # start again from the order as it is now, with its new revision
                    messages.error(request, exc.message)
                    return redirect("shop:order_edit", number=number)
                _refusal_on_form(form, exc)
            else:
                if changed.status == Order.Status.AWAITING_APPROVAL:
                    text = _("Order %(number)s is changed and awaits approval.")
                else:
                    text = _("Order %(number)s is changed and approved.")
                messages.success(request, text % {"number": number})
                return redirect("shop:order_detail", number=number)
    lines = list(order.lines.all())
    for line in lines:
        line.typed_quantity = typed.get(  # type: ignore[attr-defined]
            f"quantity-{line.position}", quantity_display(line.quantity)
        )
        line.is_removed = request.POST.get(f"remove-{line.position}") == "1"  # type: ignore[attr-defined]
    return render(
        request,
        "shop/order_edit.html",
        {"order": order, "form": form, "lines": lines},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def order_cancel_view(request: HttpRequest, number: str) -> HttpResponse:
    """Cancel an order that has not been sent."""
    user = _acting_user(request)
    order = _visible_order(user, number)
    try:
        order_cancel(
            order=order,
            by=user,
            reason=refuse_nul("reason", request.POST.get("reason", "")),
            revision=_typed_revision(request),
        )
    except OrderEditError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Order %(number)s is cancelled.") % {"number": number})
    return redirect("shop:order_detail", number=number)


@require_GET
@login_required
def punchout_suppliers(request: HttpRequest) -> HttpResponse:
    """The web shops of the unit's suppliers the person can punch out to, as tiles."""
    user = _acting_user(request)
    units, unit = _actable_unit(user, request.GET.get("unit"))
    suppliers = punchout_supplier_list(user=user, unit=unit, on=timezone.localdate())
    return render(
        request,
        "shop/punchout_suppliers.html",
        {"units": units, "unit": unit, "suppliers": suppliers},
    )


@require_POST
@login_required
def punchout_start(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """Open the supplier's web shop for the unit: to shop, or to change or look at the lines
    that came from it. cXML goes straight to the shop's start page; OCI posts a form there."""
    user = _acting_user(request)
    _units, unit = _actable_unit(user, request.POST.get("unit"))
    today = timezone.localdate()
    supplier = punchout_supplier_get(user=user, unit=unit, supplier_id=supplier_id, on=today)
    if supplier is None:
        raise Http404
    operation = request.POST.get("operation", PunchoutSession.Operation.CREATE)
    if operation not in PunchoutSession.Operation.values:
        return HttpResponseBadRequest(_("Choose to shop, change or look."))
    try:
        started = punchout_session_start(
            user=user,
            unit=unit,
            supplier=supplier,
            return_base_url=request.build_absolute_uri("/"),
            on=today,
            operation=operation,
        )
    except PunchoutError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('shop:punchout_suppliers')}?unit={unit.pk}")
    if started.redirect_url and not url_origin(started.redirect_url):
        messages.error(
            request,
            _("The web shop answered with a start page Rekvi cannot open: %(url)s")
            % {"url": started.redirect_url[:200]},
        )
        return redirect(f"{reverse('shop:punchout_suppliers')}?unit={unit.pk}")
    # cXML: the shop's start page is opened by a link the page follows at once (not a redirect:
    # browsers hold a redirect after a form post to the form's page's form-action). OCI: the
    # page posts the form to the shop, whose origin its policy allows.
    response = render(
        request,
        "shop/punchout_form.html",
        {"supplier": supplier, "start": started},
    )
    return csp_allow_form_action(response, started.form_action)


@require_http_methods(["GET", "POST"])
@login_required
def punchout_review(request: HttpRequest, cart_id: int) -> HttpResponse:
    """The cart a supplier's web shop sent back, line by line with what the checks found,
    for its owner to take into their cart or put aside."""
    user = _acting_user(request)
    try:
        returned = returned_cart_get(cart_id=cart_id)
    except ReturnedCart.DoesNotExist as exc:
        raise Http404 from exc
    session = returned.session
    if session.user_id != user.pk:
        return render(
            request,
            "punchout/refused.html",
            {
                "message": _(
                    "This cart came back from a punch-out someone else started. Nothing was "
                    "imported; start the punch-out yourself from Rekvi."
                )
            },
            status=403,
        )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                punchout_cart_discard(returned=returned, user=user)
                messages.success(request, _("The web shop's cart is put aside."))
            else:
                taken = punchout_cart_take(returned=returned, user=user, on=timezone.localdate())
                messages.success(
                    request,
                    ngettext(
                        "%(count)s line from %(supplier)s is in your cart.",
                        "%(count)s lines from %(supplier)s are in your cart.",
                        len(taken),
                    )
                    % {"count": len(taken), "supplier": session.supplier.name},
                )
        except (PunchoutError, CartError) as exc:
            messages.error(request, exc.message)
            return redirect("shop:punchout_review", cart_id=cart_id)
        return redirect(f"{reverse('shop:cart')}?unit={session.unit_id}")
    lines = list(returned.lines.all())
    for line in lines:
        note = returned_line_price_note(line)
        line.notes = [  # type: ignore[attr-defined]
            *line.warnings,
            *([note] if note else []),
            *([line.approval_reason] if line.approval_reason else []),
        ]
    return render(
        request,
        "shop/punchout_review.html",
        {
            "returned": returned,
            "session": session,
            "identity_note": returned_cart_identity_note(returned),
            "lines": lines,
            "usable": [line for line in lines if not line.refusal],
            "refused": [line for line in lines if line.refusal],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def punchout_self_tests(request: HttpRequest) -> HttpResponse:
    """The suppliers' web shops an administrator can test, and the test itself: the setup is
    checked at once, then the administrator shops and sends a test cart back."""
    user = _acting_user(request)
    if not user_has_role(user=user, roles=ADMIN_ROLES):
        raise PermissionDenied
    suppliers = self_test_supplier_list(user=user)
    if request.method == "POST":
        supplier_id = read_id(request.POST, "supplier")
        supplier = suppliers.filter(pk=supplier_id).first() if supplier_id else None
        if supplier is None:
            raise Http404
        try:
            started = punchout_self_test_start(
                user=user, supplier=supplier, return_base_url=request.build_absolute_uri("/")
            )
        except PunchoutError as exc:
            messages.error(request, exc.message)
            return redirect("shop:punchout_self_tests")
        # the way into the shop carries the single-use return URL: shown now, never again
        response = render(
            request,
            "shop/punchout_self_test.html",
            {
                "session": started.session,
                "findings": started.findings,
                "start": started,
                "problems": sum(1 for finding in started.findings if not finding["ok"]),
            },
        )
        return csp_allow_form_action(response, started.form_action)
    return render(request, "shop/punchout_self_tests.html", {"suppliers": suppliers})


@require_GET
@login_required
def punchout_self_test(request: HttpRequest, session_id: int) -> HttpResponse:
    """A self-test's report: the setup checks, the way into the shop, and once the test cart
    is back, what is wrong with it field by field."""
    user = _acting_user(request)
    if not user_has_role(user=user, roles=ADMIN_ROLES):
        raise PermissionDenied
    try:
        session = self_test_get(user=user, session_id=session_id)
    except PunchoutSession.DoesNotExist as exc:
        raise Http404 from exc
    returned = ReturnedCart.objects.filter(session=session).first()
    cart_findings = self_test_cart_findings(returned=returned) if returned else []
    return render(
        request,
        "shop/punchout_self_test.html",
        {
            "session": session,
            "findings": session.findings,
            "returned": returned,
            "cart_findings": cart_findings,
            "problems": sum(
                1 for finding in [*session.findings, *cart_findings] if not finding["ok"]
            ),
        },
    )
