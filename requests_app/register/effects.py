"""What the register's pages answer the engine: whether a request still names
a data category ``dsar_config load --prune`` would delete (it is then retired)."""

from __future__ import annotations

from django.dispatch import receiver

from dsar import signals
from requests_app.models import SubjectRequest

# The type_details keys that name data categories (requests_app.models.SubjectRequest.type_details).
CATEGORY_KEYS = ("categories", "contested_categories")


@receiver(signals.category_in_use, dispatch_uid="requests_app.register.effects.category_in_use")
def category_in_use(sender, *, code: str, **kwargs) -> bool:
    """True when a request (of any age, Art. 5(2)) chose this category: what it asked stays readable."""
    # The text search narrows the requests to read; the lists themselves decide.
    candidates = SubjectRequest.objects.filter(type_details__icontains=f'"{code}"').values_list(
        "type_details", flat=True
    )
    return any(code in ((details or {}).get(key) or []) for details in candidates for key in CATEGORY_KEYS)
