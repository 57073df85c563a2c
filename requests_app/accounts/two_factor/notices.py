"""Telling a staff member that their authenticator app was removed.

Removing an app leaves the account protected by its password alone until a
new app is enrolled, and whoever signs in first enrols theirs. The owner is
told at once, so that a removal they did not ask for (a leaked password
combined with a mistaken or malicious reset) is noticed and reported.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

from requests_app.emails import queue_email, staff_language

log = logging.getLogger(__name__)


def notify_removed(apps, *, by) -> None:
    for app in apps:
        owner = app.user
        # Staff-facing, no request: the log line is the record a DPO can find.
        log.info("Authenticator app %s of user %s removed by user %s.", app.pk, owner.pk, getattr(by, "pk", None))
        if not owner.email:
            continue
        queue_email(
            "two_factor_removed",
            to=owner.email,
            context={
                "name": owner.get_full_name() or owner.get_username(),
                "app_name": app.name,
                "removed_by": by.get_full_name() or by.get_username(),
                "removed_at": timezone.now(),
                "url": settings.SITE_URL + "/workspace/two-factor/",
            },
            language=staff_language(owner),
        )
