"""An article of the GDPR cited as the reader's language cites it.

The exports keep the article as a code ("15(1)(e)": the JSON's ``article``,
machine-readable). The PDF prints it for a person, who reads "art. 15, lid 1,
e)" in Dutch, "art. 15, paragraphe 1, e)" in French, "Art. 15 Abs. 1 lit. e"
in German: each form is a translation of the English one, so the catalogues
(locale/*/django.po) hold the legal usage of every language in one place.
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# "15", "15(4)", "15(1)(e)": an article, its paragraph, its point.
_CODE = re.compile(r"^(?P<article>\d+)(?:\((?P<paragraph>\d+)\))?(?:\((?P<point>[a-z])\))?$")


@register.filter
def gdpr_article(code: str) -> str:
    """``15(1)(e)`` as the active language cites it; an unknown code as given, after "Art."."""
    found = _CODE.match(code or "")
    if found is None:
        return _("Art. %(article)s") % {"article": code}
    parts = found.groupdict()
    if parts["point"] and parts["paragraph"]:
        return _("Art. %(article)s(%(paragraph)s)(%(point)s)") % parts
    if parts["paragraph"]:
        return _("Art. %(article)s(%(paragraph)s)") % parts
    return _("Art. %(article)s") % parts
