"""Fixtures of the workspace tests: signed-in clients per role and requests
made through the workflow, some received long ago (overdue)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from requests_app import workflow
from requests_app.models import Channel, RequestType


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dpo_client(dpo):
    return signed_in(dpo)


@pytest.fixture
def agent_client(agent):
    return signed_in(agent)


@pytest.fixture
def auditor_client(auditor):
    return signed_in(auditor)


@pytest.fixture
def outsider_client(outsider):
    return signed_in(outsider)


def current_code(device) -> str:
    """The code the authenticator app of ``device`` shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def logged_request(
    actor, *, days_ago: int = 0, request_type: str = RequestType.ACCESS, channel: str = Channel.EMAIL, **fields
):
    """A request logged by staff, received ``days_ago`` days ago."""
    values = {
        "full_name": "Lotte Peeters",
        "email": "lotte.peeters@example.be",
        "language": "nl",
        "identity_check": "known_contact",
        **fields,
    }
    return workflow.create_request(
        actor=actor,
        request_type=request_type,
        channel=channel,
        received_at=timezone.now() - dt.timedelta(days=days_ago),
        **values,
    )


@pytest.fixture
def erasure_request(dpo, agent):
    """An erasure request assigned to the agent."""
    request = logged_request(dpo, request_type=RequestType.ERASURE, full_name="Jan Janssens", email="jan@example.be")
    return workflow.assign(request, actor=dpo, assignee=agent)
