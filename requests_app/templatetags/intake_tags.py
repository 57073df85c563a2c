"""Template helpers of the subject's pages."""

from django import template

from requests_app.intake.details import summary_for_subject

register = template.Library()


@register.filter
def described(field):
    """The field's widget, pointing assistive technology at its hint and error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def describedby(field) -> str:
    """The ids a fieldset should point to (for radio and checkbox groups)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def request_summary(request, typed=False) -> list[str]:
    """What the subject asked, as lines for an e-mail (see ``summary_for_subject``)."""
    return summary_for_subject(request.request_type, request.type_details or {}, typed=typed)
