"""The Content-Security-Policy in a real browser: the main pages, the workspace
and the API documentation (Swagger UI, Redoc) work, and the browser reports no
violation on any of them."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_request
from tests.fixtures.workspace import logged_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright adds this before any script of the page (it is not itself subject
# to the page's policy): every violation the browser reports is collected.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(COLLECT_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.console_messages = console
    return page


def _violations(page) -> list[str]:
    reported = page.evaluate("window.__csp || []")
    refused = [text for text in page.console_messages if "Content Security Policy" in text]
    return reported + refused


def _visit(page, path: str, ready: str) -> None:
    page.goto(path)
    page.locator(ready).first.wait_for()
    page.wait_for_timeout(300)  # late violations (styles injected after load)
    assert _violations(page) == [], f"{path}: {_violations(page)}"


def test_the_public_pages_run_without_a_csp_violation(watched, db):
    request = make_request(verified=True)
    _visit(watched, "/", "form")
    # The form's own script runs: the type-specific sections react to the choice.
    watched.locator("input[name=request_type][value=erasure]").check()
    watched.wait_for_timeout(200)
    assert _violations(watched) == []
    _visit(watched, f"/status/{request.token}/", "main")


def test_the_workspace_runs_without_a_csp_violation(watched, dpo, settings):
    settings.DSAR_REQUIRE_2FA = False
    letter = logged_request(dpo, channel="letter", full_name="Lotte Peeters", email="lotte.peeters@example.be")
    watched.goto("/workspace/")
    watched.get_by_label("Username").fill("dpo")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Sign in").click()
    watched.get_by_role("heading", name="Queue").wait_for()
    assert _violations(watched) == []
    _visit(watched, f"/workspace/requests/{letter.reference}/", "main")
    _visit(watched, "/workspace/dashboard/", "svg.chart")
    _visit(watched, "/workspace/audit/", "#audit-events")
    _visit(watched, "/workspace/api-tokens/", "form")


def test_the_api_documentation_works_under_the_policy(watched, db):
    _visit(watched, "/api/v1/docs/", ".swagger-ui .info")
    assert "DSAR desk API" in watched.locator(".swagger-ui .info").inner_text()
    watched.goto("/api/v1/redoc/")
    watched.locator("redoc h1").first.wait_for()
    assert "DSAR desk API" in watched.locator("redoc h1").first.inner_text()
    watched.wait_for_timeout(300)
    # Redoc's bundle hard-codes its maker's logo on a CDN: the policy keeps it
    # out (nothing is loaded from elsewhere), and that is the only refusal.
    reported = watched.evaluate("window.__csp || []")
    assert all(v.startswith("img-src https://cdn.redoc.ly/") for v in reported), reported
