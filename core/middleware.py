"""A database that cannot be reached answers 503 with Retry-After, in the person's language.

PostgreSQL restarting, a network fault or a full connection pool raise `OperationalError` or
`InterfaceError` on connecting; instead of Django's bare "Server Error (500)" a person gets a
page saying that Rekvi cannot reach its database and to try again shortly, and a program gets
the API's form of a refusal with the code `database_unavailable`. The page needs nothing from
the database: no person, no session, no menu.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = "database_unavailable"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("The database cannot be reached: %s", exception)
        retry_after = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS)
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": _("Rekvi cannot reach its database just now. Try again in a moment."),
                    "code": DATABASE_UNAVAILABLE,
                    "field": None,
                },
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("core/database_unavailable.html"), status=503)
        response["Retry-After"] = retry_after
        return response
