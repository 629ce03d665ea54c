"""Slowing down an address that fails to log in often, without ever locking it out.

A whole municipality may reach Rekvi from one outgoing address, so an address is never
locked: once LOGIN_ADDRESS_FAILURE_LIMIT logins from it have failed within
LOGIN_ADDRESS_WINDOW_MINUTES, each further attempt from it must come at least
LOGIN_ADDRESS_DELAY_SECONDS after the last one that was checked, and one that comes sooner
is refused without its password being checked. Guessing from one address is then one try
per few seconds, while the people behind it can still log in. (A username tried from one
address is locked out by django-axes; see the settings.) Counted in the cache: Redis in real
mode, so every web process sees the same numbers.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache

_FAILURES = "login-address-failures:{}"
_CHECKED = "login-address-checked:{}"


def _window_seconds() -> int:
    return int(settings.LOGIN_ADDRESS_WINDOW_MINUTES) * 60


def login_address_wait_seconds(address: str) -> int:
    """Seconds before a login from `address` is checked; 0 when it may be checked now."""
    if cache.get(_FAILURES.format(address), 0) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return 0
    last_checked = cache.get(_CHECKED.format(address))
    if last_checked is None:
        return 0
    remaining = last_checked + settings.LOGIN_ADDRESS_DELAY_SECONDS - time.time()
    return math.ceil(remaining) if remaining > 0 else 0


def login_address_checked(address: str) -> None:
    """A login from `address` is being checked now: the next one waits from here."""
    cache.set(_CHECKED.format(address), time.time(), timeout=_window_seconds())


def login_address_failed(address: str) -> None:
    """A login from `address` failed: one more in its window."""
    key = _FAILURES.format(address)
    if cache.add(key, 1, timeout=_window_seconds()):
        return
    try:
        cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=_window_seconds())
