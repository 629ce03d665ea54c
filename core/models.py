"""The shared base model and the one table the kernel owns (worker heartbeats)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.identifiers import COMPACT, LENGTH, IdentifierValidator


class IdentifierFormField(forms.CharField):
    """Accepts an identifier as people type it (spaces, dashes, dots, a DK prefix) and cleans it
    to its compact form before any length or check-digit validation."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs["max_length"] = 40  # room for separators; the model field checks the real length
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return COMPACT[self.kind](text) if text else text


class IdentifierField(models.CharField):
    """A GLN (EAN number), GTIN or CVR number: stored compact, checked by python-stdnum.

    The value is compacted before validation, so "29 90 01 24" and "DK29900124" are stored as
    "29900124"; an invalid number is refused with a message naming the field and the value.
    """

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        if kind not in COMPACT:
            raise ValueError(f"unknown identifier kind {kind!r}")
        self.kind = kind
        kwargs.setdefault("max_length", LENGTH[kind])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if kwargs.get("max_length") == LENGTH[self.kind]:
            del kwargs["max_length"]
        return name, path, args, kwargs

    @cached_property
    def validators(self) -> list[Any]:
        return [*super().validators, IdentifierValidator(self.kind, capfirst(self.verbose_name))]

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return COMPACT[self.kind](text) if text else text

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or IdentifierFormField,
            choices_form_class=choices_form_class,
            **{"kind": self.kind, **kwargs},
        )


class HttpsURLField(models.URLField):
    """A URL field whose form treats an address typed without a scheme as https://."""

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        kwargs.setdefault("assume_scheme", "https")
        if form_class is not None:
            kwargs["form_class"] = form_class
        if choices_form_class is not None:
            kwargs["choices_form_class"] = choices_form_class
        return super().formfield(**kwargs)


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, set by the database layer on insert and save."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """The last time a source of background work (a Celery worker, `run_periodic`) was alive.

    Platform data, not a municipality's: it says whether Rekvi's own machinery runs.
    """

    source = models.CharField(_("source"), max_length=200, unique=True)
    last_seen_at = models.DateTimeField(_("last seen"))
    beats = models.PositiveBigIntegerField(_("beats"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.source


def foreign_municipality_errors(row: models.Model, *fields: str) -> dict[str, str]:
    """For each named foreign key of `row` that points into another municipality than the
    row's own, the message "This belongs to another municipality." by field name."""
    errors: dict[str, str] = {}
    own = getattr(row, "municipality_id", None)
    for field in fields:
        if getattr(row, f"{field}_id", None) is None:
            continue
        if getattr(getattr(row, field), "municipality_id", None) != own:
            errors[field] = str(_("This belongs to another municipality."))
    return errors
