"""Fixtures of the API tests: tokens for the standing actors and a client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from requests_app.api.models import ApiToken


@pytest.fixture
def make_token(db):
    def make(user, *, name="test", days=30):
        _token, clear = ApiToken.issue(user=user, name=name, days=days)
        return clear

    return make


@pytest.fixture
def api(make_token):
    """api(actor, method, url, data=None, **extra): actor is a user (a fresh token
    is made for them), a clear token string, or None (anonymous)."""
    tokens: dict = {}

    def call(actor, method: str, url: str, data=None, *, format="json", **extra):
        client = APIClient()
        if actor is not None:
            if isinstance(actor, str):
                clear = actor
            else:
                clear = tokens.setdefault(actor.pk, make_token(actor))
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
        return getattr(client, method.lower())(url, data, format=format if data is not None else None, **extra)

    return call


@pytest.fixture
def expired_token(dpo):
    token, clear = ApiToken.issue(user=dpo, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return clear


@pytest.fixture
def revoked_token(dpo):
    token, clear = ApiToken.issue(user=dpo, name="leaked", days=30)
    token.revoke()
    return clear
