"""Abstract base models shared by both apps (no tables of their own)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """``created_at`` once, ``updated_at`` on every save.

    ``created_at`` defaults to ``timezone.now`` rather than ``auto_now_add`` so
    that tests and imports can set it; it is not editable in forms or the admin.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
