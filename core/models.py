"""The shared base model and the one table the kernel owns (worker heartbeats)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


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
