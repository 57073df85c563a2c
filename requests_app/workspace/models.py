"""A staff member's saved views of the queue.

Defined here and imported by ``requests_app.models``, so they belong to the
``requests_app`` app and its migrations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dsar.core.models import TimeStampedModel


class SavedQueueFilter(TimeStampedModel):
    """A name and the queue's query string, for one staff member only.

    The query holds the structured filters and the sort order, never the
    search text: a search usually names a person, and a saved view would keep
    it past the request's retention period (Art. 5(1)(c) and (e)).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_queue_filters", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("query"), max_length=500, blank=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            # One name once per person: saving under a taken name replaces the view.
            models.UniqueConstraint(fields=("user", "name"), name="saved_queue_filter_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
