"""Template context every page needs: the menu and the links to the page in each language."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from shop.navigation import MenuItem, menu_for_request


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def navigation(request: HttpRequest) -> dict[str, list[MenuItem] | list[LanguageLink]]:
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    languages = [
        LanguageLink(
            code=code,
            name=str(get_language_info(code)["name_local"]).capitalize(),
            url=translate_url(path, code),
            is_current=current == code,
        )
        for code, _name in settings.LANGUAGES
    ]
    return {"menu": menu_for_request(request), "language_links": languages}
