"""The register's texts (one per language) in the reader's language."""

from django import template

from dsar.models import pick

register = template.Library()


@register.filter
def in_language(texts) -> str:
    """``{"en": ..., "nl": ...}`` in the active language, else English, else any."""
    return pick(texts) if isinstance(texts, dict) else ""
