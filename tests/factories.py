"""Test data, made through the real workflow functions where a status is involved."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from requests_app import workflow
from requests_app.models import RequestType

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    is_staff = True


_counter = iter(range(1, 10**9))


def make_request(*, verified: bool = True, request_type: str = RequestType.ACCESS, **fields):
    """A request as the web form creates it, optionally confirmed by the subject."""
    n = next(_counter)
    values = {
        "full_name": f"Subject {n}",
        "email": f"subject{n}@example.be",
        "language": "nl",
        **fields,
    }
    request = workflow.create_request(request_type=request_type, **values)
    if verified:
        workflow.verify(request)
    return request


def sent_email(template: str):
    """The message sent from the outbox row of this template (its stored body is
    blanked once sent): the one in Django's test outbox with the same subject."""
    from django.core import mail

    from requests_app.models import OutgoingEmail

    row = OutgoingEmail.objects.filter(template=template, sent_at__isnull=False).latest("created_at")
    matches = [message for message in mail.outbox if message.subject == row.subject]
    assert matches, f"no sent message for {template}"
    return matches[-1]
