"""What runs when a staff member signs in (listed in requests_app.effects)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from requests_app.accounts import roles


@receiver(user_logged_in)
def remember_staff_language(sender, request, user, **kwargs) -> None:
    """Keep the language a staff member signs in with, for the e-mails the desk
    sends them (``emails.staff_language``); once per sign-in, never per page."""
    from requests_app.models import Language, StaffLanguage

    language = (translation.get_language() or "")[:2]
    if request is None or language not in Language.values or not roles.is_staff_member(user):
        return
    StaffLanguage.objects.update_or_create(user=user, defaults={"language": language})
