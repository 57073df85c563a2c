"""A represented request in words: whose address the confirmation link proved."""

from django import template

from requests_app.representation.selectors import verification_words

register = template.Library()


@register.filter
def confirmed_how(subject_request) -> str:
    """How the request was confirmed, naming the representative's address when
    the link went to them (the DPO must know whose address was proved)."""
    return verification_words(subject_request)
