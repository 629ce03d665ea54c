"""Pausing Python's cyclic garbage collector while a large input is read."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading a large file or form makes many short-lived, acyclic objects; the cyclic
    collector would walk them again and again. It is paused while they are made (reference
    counting still frees everything) and runs as usual afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
