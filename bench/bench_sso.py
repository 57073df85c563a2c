"""Single sign-on: what asking the identity provider on every request costs.

A session opened through the provider is checked at its userinfo endpoint
before each page (DSAR_OIDC_RECHECK_SECONDS=0, the default), so that a person
removed from the group is out at their next click. This measures the queue
page (empty queue) for the same agent:
- ``sso_queue_every_request_median``: SSO session, the provider asked each time;
- ``sso_queue_interval_median``: SSO session with DSAR_OIDC_RECHECK_SECONDS=60
  (the provider asked once, then not within the minute);
- floor: a password session of the same role (no provider involved).
The provider is oidc-provider-mock on a thread of this process (local HTTP,
no network latency): with a provider across a network, add its round trip.
Takes about half a minute.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlsplit

from bench.figures import figure, median_ms, print_load

RUNS = 60


def main() -> None:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        base = f"http://localhost:{server.server_port}"
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DSAR_OIDC_ISSUER": base,
                "DSAR_OIDC_CLIENT_ID": "bench",
                "DSAR_OIDC_CLIENT_SECRET": "bench-secret",
                "DSAR_OIDC_ROLE_AGENT": "privacy-agents",
                "DSAR_OIDC_VERIFY_KID": "false",
            }
        )
        os.environ.setdefault("DSAR_VAR_DIR", os.path.join(os.getcwd(), "var", "bench-sso"))
        import django

        django.setup()
        import requests
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.test import Client, override_settings

        from requests_app.accounts import roles
        from tests.factories import UserFactory

        call_command("migrate", verbosity=0)
        roles.ensure_groups()
        requests.put(f"{base}/users/bench-agent", json={"groups": ["privacy-agents"]}, timeout=5).raise_for_status()

        sso = Client()
        authorize = sso.get("/workspace/sso/start/").url
        back = urlsplit(
            requests.post(authorize, data={"sub": "bench-agent"}, allow_redirects=False, timeout=5).headers["Location"]
        )
        assert sso.get(f"{back.path}?{back.query}").status_code == 302

        password = Client()
        agent = UserFactory(username=f"bench-password-agent-{os.getpid()}")
        agent.groups.add(Group.objects.get(name=roles.AGENT))
        password.force_login(agent)

        def timed(client) -> list[float]:
            samples = []
            for _ in range(RUNS):
                start = time.perf_counter()
                response = client.get("/workspace/")
                samples.append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
            return samples

        print_load("start")
        # Interleaved, so that the floor and the figures see the same load.
        floor, every, interval = [], [], []
        for _ in range(3):
            floor += timed(password)
            every += timed(sso)
            with override_settings(DSAR_OIDC_RECHECK_SECONDS=60):
                interval += timed(sso)
        figure("sso_queue_every_request_median", median_ms(every), "ms", floor=median_ms(floor))
        figure("sso_queue_interval_median", median_ms(interval), "ms", floor=median_ms(floor))
        print_load("end")


if __name__ == "__main__":
    main()
