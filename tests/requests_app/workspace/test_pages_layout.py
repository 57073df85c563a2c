"""Every workspace page wears the workspace's header and navigation."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_api_tokens_page_is_in_the_workspace_navigation(dpo, client):
    client.force_login(dpo)

    queue = client.get(reverse("workspace:queue")).content.decode()
    tokens = client.get(reverse("api_tokens:list")).content.decode()

    assert f'href="{reverse("api_tokens:list")}"' in queue
    assert 'class="ws-nav"' in tokens
    assert f'<a href="{reverse("api_tokens:list")}" aria-current="page">' in tokens
