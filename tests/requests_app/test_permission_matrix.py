"""Every route of the project × every role: who gets what.

The routes come from Django's resolver (the DRF router's included, with every
HTTP method each accepts); the expected outcome of each (route, method) for
each role is declared in ``MATRIX`` below. A route the table does not know
fails the build: a new view must say who may reach it. The rules themselves
live in ``requests_app.permissions``; this is their proof, pages and API alike.

The roles: the DPO, the privacy agent the request is assigned to, another
privacy agent, an auditor, a signed-in user with no role, and an anonymous
visitor. URL parameters are real objects (a request with attachments, its
exports and a manual task with a file; an erasure with a plan; a connector, a
webhook and its delivery, an API token...), made once for the module: each
test runs in a transaction that is rolled back, so a DPO's POST changes
nothing the next test sees.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from requests_app.accounts import roles
from tests.factories import UserFactory, make_request

ROLES = ("dpo", "agent", "other_agent", "auditor", "outsider", "anonymous")

# An outcome is a status code, or "login": a redirect to the workspace's
# sign-in page; "admin": to the admin's.
# ``MATRIX[(route, method)]`` gives one outcome per role, in the order of ROLES.
S = "200 200 200 200 403 login"  # a staff page every role reads
API_S = "200 200 200 200 403 401"  # an API resource every role reads


def _outcomes(spec: str) -> tuple[str, ...]:
    outcomes = tuple(spec.split())
    assert len(outcomes) == len(ROLES), spec
    return outcomes


MATRIX: dict[tuple[str, str], str] = {
    # The embedded e-mail backend's outbox: only outside production (config/dev_urls.py).
    ("dev:outbox", "GET"): "200 200 200 200 200 200",
    ("dev:outbox", "POST"): "200 200 200 200 200 200",
    ("dev:outbox_message", "GET"): "404 404 404 404 404 404",
    ("dev:outbox_message", "POST"): "404 404 404 404 404 404",
    # Django's and the platform's own: health check, language switch.
    ("healthz", "GET"): "200 200 200 200 200 200",
    ("healthz", "POST"): "200 200 200 200 200 200",
    ("set_language", "GET"): "302 302 302 302 302 302",
    ("set_language", "POST"): "302 302 302 302 302 302",
    # The copy's review (delivery). Reading the records and previews: permissions.can_read_copy,
    # refused to another agent (issue 16 item 8). Writes: auditors refused first (403); another agent
    # is refused by the service, recorded, and sent back with a message (302).
    ("exports:records", "GET"): "200 200 403 200 403 login",
    ("exports:records", "POST"): "200 200 403 200 403 login",
    ("exports:records_reveal", "GET"): "405 405 405 405 405 405",
    ("exports:records_reveal", "POST"): "302 302 302 403 403 login",
    ("exports:exclude", "GET"): "405 405 405 403 403 login",
    ("exports:exclude", "POST"): "302 302 302 403 403 login",
    ("exports:regenerate", "GET"): "405 405 405 403 403 login",
    ("exports:regenerate", "POST"): "302 302 302 403 403 login",
    # The release's confirmation page (issue 15): every role reads the summary; only a DPO
    # releases (the others are refused by the workflow, recorded); unconfirmed, nothing goes out (400).
    ("exports:release", "GET"): "200 200 200 200 403 login",
    ("exports:release", "POST"): "400 302 302 403 403 login",
    ("exports:transmission", "GET"): "405 405 405 403 403 login",
    ("exports:transmission", "POST"): "302 302 302 403 403 login",
    ("exports:preview", "GET"): "200 200 403 200 403 login",
    ("exports:preview", "POST"): "200 200 403 200 403 login",
    ("exports:preview_json", "GET"): "200 200 403 200 403 login",
    ("exports:preview_json", "POST"): "200 200 403 200 403 login",
    # The plan panel's forms (an erasure's plan). Another agent's refusal is recorded and shown (302).
    # task_id is a gathering task and notice_id names no notice: 404 once past the role checks.
    ("execution:acknowledge", "GET"): "404 404 404 404 404 404",
    ("execution:acknowledge", "POST"): "404 404 404 404 404 404",
    ("execution:plan", "GET"): S,
    ("execution:plan", "POST"): S,
    ("execution:change_item", "GET"): "405 405 405 405 405 405",
    ("execution:change_item", "POST"): "302 302 302 403 403 login",
    ("execution:approve", "GET"): "405 405 405 405 405 405",
    ("execution:approve", "POST"): "302 302 302 403 403 login",
    ("execution:resume", "GET"): "405 405 405 405 405 405",
    ("execution:resume", "POST"): "302 302 302 403 403 login",
    ("execution:recompute", "GET"): "405 405 405 405 405 405",
    ("execution:recompute", "POST"): "302 302 302 403 403 login",
    ("execution:lift_restriction", "GET"): "405 405 405 405 405 405",
    ("execution:lift_restriction", "POST"): "302 302 302 403 403 login",
    ("execution:tell_recipients", "GET"): "405 405 405 405 405 405",
    ("execution:tell_recipients", "POST"): "302 302 302 403 403 login",
    ("execution:map_correction", "GET"): "405 405 405 405 405 405",
    ("execution:map_correction", "POST"): "302 302 302 403 403 login",
    ("execution:choose_categories", "GET"): "405 405 405 405 405 405",
    ("execution:choose_categories", "POST"): "302 302 302 403 403 login",
    ("execution:complete_task", "GET"): "405 405 405 405 405 405",
    ("execution:complete_task", "POST"): "404 404 404 403 403 login",
    ("execution:remind", "GET"): "405 405 405 405 405 405",
    ("execution:remind", "POST"): "404 404 404 403 403 login",
    # Art. 19: the DPO records why a recipient was not told; Art. 18(3): a scheduled lifting cancelled.
    ("execution:settle_notice", "GET"): "405 405 405 405 405 405",
    ("execution:settle_notice", "POST"): "404 404 404 403 403 login",
    ("execution:cancel_lift", "GET"): "405 405 405 405 405 405",
    ("execution:cancel_lift", "POST"): "404 404 404 403 403 login",
    # Gathering: retry a source, complete a task (its assignee may: other_agent here), a task's file
    # (the copy's rule), test a connection (the DPO's).
    ("processing:retry_source", "GET"): "405 405 405 405 405 405",
    ("processing:retry_source", "POST"): "302 302 403 403 403 login",
    ("processing:complete_task", "GET"): "405 405 405 405 405 405",
    ("processing:complete_task", "POST"): "302 302 302 403 403 login",
    ("processing:task_file", "GET"): "200 200 403 200 403 login",
    ("processing:task_file", "POST"): "405 405 405 405 405 405",
    ("processing:test_connection", "GET"): "405 405 405 405 405 405",
    ("processing:test_connection", "POST"): "302 403 403 403 403 login",
    # The register and the sources (issue 15, point 8): every role reads them (permissions.can_read_register);
    # only the DPO loads a file, tests a connection or previews a subject (can_manage_desk). Past the
    # checks, the DPO's empty upload is shown again (200), nothing waits to be confirmed (302), and the
    # empty preview asks for an identifier (400).
    ("register:register", "GET"): S,
    ("register:register", "POST"): "405 405 405 405 405 405",
    ("register:load", "GET"): "200 403 403 403 403 login",
    ("register:load", "POST"): "200 403 403 403 403 login",
    ("register:load_confirm", "GET"): "405 405 405 405 405 405",
    ("register:load_confirm", "POST"): "302 403 403 403 403 login",
    ("sources:list", "GET"): S,
    ("sources:list", "POST"): "405 405 405 405 405 405",
    ("sources:source", "GET"): S,
    ("sources:source", "POST"): "405 405 405 405 405 405",
    ("sources:test", "GET"): "405 405 405 405 405 405",
    ("sources:test", "POST"): "302 403 403 403 403 login",
    ("sources:preview", "GET"): "405 405 405 405 405 405",
    ("sources:preview", "POST"): "400 403 403 403 403 login",
    # Every role makes tokens; one revokes its own (the agent's token here), a DPO anyone's.
    ("api_tokens:list", "GET"): S,
    ("api_tokens:list", "POST"): "400 400 400 400 403 login",
    ("api_tokens:revoke", "GET"): "405 405 405 405 405 405",
    ("api_tokens:revoke", "POST"): "302 302 403 403 403 login",
    # The workspace. Sign-in and sign-out are reachable by all.
    ("workspace:queue", "GET"): S,
    ("workspace:queue", "POST"): "405 405 405 405 405 405",
    # The queue's CSV: read like the queue. Bulk actions: auditors refused first; an empty
    # form is refused with the form shown again (400). Saved views: one's own, any role.
    ("workspace:queue_csv", "GET"): S,
    ("workspace:queue_csv", "POST"): "405 405 405 405 405 405",
    ("workspace:bulk", "GET"): "405 405 405 405 405 405",
    ("workspace:bulk", "POST"): "400 400 400 403 403 login",
    ("workspace:save_view", "GET"): "405 405 405 405 405 405",
    ("workspace:save_view", "POST"): "302 302 302 302 403 login",
    ("workspace:delete_view", "GET"): "405 405 405 405 405 405",
    ("workspace:delete_view", "POST"): "404 404 404 404 403 login",
    ("workspace:login", "GET"): "302 302 302 302 302 200",
    ("workspace:login", "POST"): "302 302 302 302 302 200",
    ("workspace:login", "PUT"): "302 302 302 302 302 200",
    ("workspace:logout", "POST"): "login login login login login login",
    ("workspace:two_factor", "GET"): S,
    ("workspace:two_factor", "POST"): S,
    # Single sign-on's pages answer 404 while no identity provider is configured
    # (tests/requests_app/accounts/sso/ signs in against a real one).
    ("workspace:sso_start", "GET"): "404 404 404 404 404 404",
    ("workspace:sso_start", "POST"): "405 405 405 405 405 405",
    ("workspace:sso_callback", "GET"): "404 404 404 404 404 404",
    ("workspace:sso_callback", "POST"): "405 405 405 405 405 405",
    ("workspace:sso_ended", "GET"): "404 404 404 404 404 404",
    ("workspace:sso_ended", "POST"): "405 405 405 405 405 405",
    ("workspace:log_request", "GET"): "200 200 200 403 403 login",
    ("workspace:log_request", "POST"): "200 200 200 403 403 login",
    ("workspace:dashboard", "GET"): S,
    ("workspace:dashboard", "POST"): "405 405 405 405 405 405",
    ("workspace:dashboard_csv", "GET"): S,
    ("workspace:dashboard_csv", "POST"): "405 405 405 405 405 405",
    # Live progress (issue 15): JSON every role reads, polled by the request page and the queue.
    ("workspace:progress", "GET"): S,
    ("workspace:progress", "POST"): "405 405 405 405 405 405",
    ("workspace:queue_progress", "GET"): S,
    ("workspace:queue_progress", "POST"): "405 405 405 405 405 405",
    ("workspace:request", "GET"): S,
    ("workspace:request", "POST"): "405 405 405 405 405 405",
    ("workspace:reveal_national_number", "GET"): "405 405 405 405 405 405",
    ("workspace:reveal_national_number", "POST"): "302 302 302 403 403 login",
    ("workspace:download_attachment", "GET"): "200 200 403 200 403 login",
    ("workspace:download_attachment", "POST"): "405 405 405 405 405 405",
    ("workspace:delete_attachment", "GET"): "405 405 405 405 405 405",
    ("workspace:delete_attachment", "POST"): "302 403 403 403 403 login",
    ("workspace:place_hold", "GET"): "405 405 405 405 405 405",
    ("workspace:place_hold", "POST"): "400 400 400 400 403 login",
    ("workspace:lift_hold", "GET"): "405 405 405 405 405 405",
    ("workspace:lift_hold", "POST"): "400 302 302 302 403 login",
    ("workspace:action", "GET"): "405 405 405 405 405 405",
    ("workspace:action", "POST"): "302 302 302 403 403 login",
    # The subject's pages: no role plays a part (the link and its code do).
    ("download:page", "GET"): "200 200 200 200 200 200",
    ("download:page", "POST"): "302 302 302 302 302 302",
    ("download:file", "GET"): "302 302 302 302 302 302",
    ("download:file", "POST"): "302 302 302 302 302 302",
    ("forwarding:acknowledge", "GET"): "200 200 200 200 200 200",
    ("forwarding:acknowledge", "POST"): "200 200 200 200 200 200",
    # The API: the same rules (401 without a token, 403 without a role).
    ("api:schema", "GET"): "200 200 200 200 200 200",
    ("api:docs", "GET"): "200 200 200 200 200 200",
    ("api:redoc", "GET"): "200 200 200 200 200 200",
    ("api:me", "GET"): API_S,
    ("api:request-list", "GET"): API_S,
    ("api:request-list", "POST"): "400 400 400 403 403 400",
    ("api:request-detail", "GET"): API_S,
    ("api:request-approve", "POST"): "409 409 403 403 403 401",
    ("api:request-assign", "POST"): "400 400 400 400 403 401",
    ("api:request-attachment-download", "GET"): "200 200 403 200 403 401",
    ("api:request-attachments", "GET"): API_S,
    ("api:request-change-type", "POST"): "400 400 400 400 403 401",
    ("api:request-close", "POST"): "409 409 403 403 403 401",
    ("api:request-complete-task", "POST"): "400 400 400 403 403 401",
    ("api:request-events", "GET"): API_S,
    # The evidence pack: permissions.can_export_evidence (DPO and auditor).
    ("api:request-evidence", "GET"): "200 403 403 200 403 401",
    ("api:request-export-download", "GET"): "200 200 403 200 403 401",
    ("api:request-exports", "GET"): API_S,
    ("api:request-exports-exclude", "POST"): "400 400 400 400 403 401",
    ("api:request-extend", "POST"): "400 400 400 400 403 401",
    ("api:request-forward", "POST"): "400 400 400 400 403 401",
    # Issue 14's leftovers: the identity check (staff work) and the fee (DPO only), validated first.
    ("api:request-identity-check", "POST"): "400 400 400 400 403 401",
    ("api:request-fee", "POST"): "400 400 400 400 403 401",
    # Issue 18: the check of a representative's mandate (permissions.can_check_mandate), validated first.
    ("api:request-mandate-check", "POST"): "400 400 400 400 403 401",
    # The representative's section of the request page. The matrix's request has no representative:
    # the check's empty form and the missing document send staff back to the page with a message.
    ("representation:check", "GET"): "405 405 405 405 405 405",
    ("representation:check", "POST"): "302 302 302 403 403 login",
    ("representation:download", "GET"): "302 302 403 302 403 login",
    ("representation:download", "POST"): "405 405 405 405 405 405",
    ("api:request-retention-hold-lift", "POST"): "409 403 403 403 403 401",
    ("api:request-notes", "GET"): API_S,
    ("api:request-notes", "POST"): "400 400 400 400 403 401",
    ("api:request-retention-hold", "POST"): "400 400 400 400 403 401",
    ("api:request-plan", "GET"): API_S,
    ("api:request-plan-approve", "POST"): "400 403 403 403 403 401",
    ("api:request-plan-correction", "POST"): "400 400 400 400 403 401",
    ("api:request-plan-item", "POST"): "400 400 400 400 403 401",
    ("api:request-plan-lift-restriction", "POST"): "400 400 400 400 403 401",
    ("api:request-plan-recompute", "POST"): "200 200 403 403 403 401",
    ("api:request-plan-remind", "POST"): "404 404 404 404 403 401",
    ("api:request-plan-settle", "POST"): "404 404 404 404 403 401",
    # Art. 18(3): the scheduled lifting (none on this erasure: 404 past the role checks).
    ("api:request-plan-lift", "GET"): "404 404 404 404 403 401",
    ("api:request-plan-lift-cancel", "POST"): "404 404 404 404 403 401",
    # The privacy mailbox (issue 18): staff read, DPOs and agents triage (permissions.can_handle_requests).
    ("inbox:list", "GET"): "200 200 200 200 403 login",
    ("inbox:list", "POST"): "200 200 200 200 403 login",
    ("inbox:item", "GET"): "404 404 404 404 403 login",
    ("inbox:item", "POST"): "404 404 404 404 403 login",
    ("inbox:convert", "GET"): "405 405 405 405 405 405",
    ("inbox:convert", "POST"): "404 404 404 403 403 login",
    ("inbox:attach", "GET"): "405 405 405 405 405 405",
    ("inbox:attach", "POST"): "404 404 404 403 403 login",
    ("inbox:dismiss", "GET"): "405 405 405 405 405 405",
    ("inbox:dismiss", "POST"): "404 404 404 403 403 login",
    ("inbox:download_attachment", "GET"): "404 404 404 404 403 login",
    ("inbox:download_attachment", "POST"): "404 404 404 404 403 login",
    # The audit evidence (requests_app.audit): permissions.can_read_audit, the DPO and the auditor.
    ("audit:log", "GET"): "200 403 403 200 403 login",
    ("audit:log", "POST"): "405 405 405 405 405 405",
    ("audit:log_csv", "GET"): "200 403 403 200 403 login",
    ("audit:log_csv", "POST"): "405 405 405 405 405 405",
    ("audit:verify", "GET"): "405 405 405 405 405 405",
    ("audit:verify", "POST"): "302 403 403 302 403 login",
    ("audit:evidence_pack", "GET"): "200 403 403 200 403 login",
    ("audit:evidence_pack", "POST"): "405 405 405 405 405 405",
    ("api:inbox-list", "GET"): "200 200 200 200 403 401",
    ("api:inbox-detail", "GET"): "404 404 404 404 403 401",
    ("api:inbox-convert", "POST"): "404 404 404 404 403 401",
    ("api:inbox-attach", "POST"): "404 404 404 404 403 401",
    ("api:inbox-dismiss", "POST"): "404 404 404 404 403 401",
    ("api:request-plan-resume", "POST"): "409 409 403 403 403 401",
    ("api:request-plan-tell-recipients", "POST"): "409 409 403 403 403 401",
    ("api:request-records", "GET"): "200 200 403 200 403 401",
    # Art. 15(4): withholding single fields (delivery.services.set_withheld); an empty body is 400
    # for who may change the copy and for another agent (refused by the service once the body is valid).
    ("api:request-record-withhold", "POST"): "400 400 400 403 403 401",
    ("api:request-record-give-back", "POST"): "400 400 400 403 403 401",
    ("api:request-reject", "POST"): "400 400 400 400 403 401",
    ("api:request-release", "POST"): "200 403 403 403 403 401",
    # Four eyes (issue 15): a DPO asks, another approves; nothing waits for approval here (409).
    ("api:request-release-request", "POST"): "200 403 403 403 403 401",
    ("api:request-release-approve", "POST"): "409 403 403 403 403 401",
    ("api:request-request-info", "POST"): "400 400 400 400 403 401",
    ("api:request-source-retry", "POST"): "409 409 403 403 403 401",
    ("api:request-sources", "GET"): API_S,
    ("api:request-tasks", "GET"): API_S,
    ("api:request-transmission", "POST"): "400 400 400 400 403 401",
    ("api:category-list", "GET"): API_S,
    ("api:category-list", "POST"): "400 403 403 403 403 401",
    ("api:category-detail", "DELETE"): "204 403 403 403 403 401",
    ("api:category-detail", "GET"): API_S,
    ("api:category-detail", "PATCH"): "200 403 403 403 403 401",
    ("api:category-detail", "PUT"): "400 403 403 403 403 401",
    ("api:recipient-list", "GET"): API_S,
    ("api:recipient-list", "POST"): "400 403 403 403 403 401",
    ("api:recipient-detail", "DELETE"): "204 403 403 403 403 401",
    ("api:recipient-detail", "GET"): API_S,
    ("api:recipient-detail", "PATCH"): "200 403 403 403 403 401",
    ("api:recipient-detail", "PUT"): "400 403 403 403 403 401",
    ("api:activity-list", "GET"): API_S,
    ("api:activity-list", "POST"): "400 403 403 403 403 401",
    ("api:activity-detail", "DELETE"): "204 403 403 403 403 401",
    ("api:activity-detail", "GET"): API_S,
    ("api:activity-detail", "PATCH"): "200 403 403 403 403 401",
    ("api:activity-detail", "PUT"): "400 403 403 403 403 401",
    ("api:connector-list", "GET"): API_S,
    ("api:connector-list", "POST"): "400 403 403 403 403 401",
    ("api:connector-detail", "DELETE"): "409 403 403 403 403 401",
    ("api:connector-detail", "GET"): API_S,
    # Past the permission check, a change is validated against the whole stored configuration
    # (the module's connector has no tables): 400 is the DPO being let through.
    ("api:connector-detail", "PATCH"): "400 403 403 403 403 401",
    ("api:connector-detail", "PUT"): "400 403 403 403 403 401",
    ("api:connector-test", "POST"): "200 403 403 403 403 401",
    ("api:webhook-list", "GET"): "200 403 403 403 403 401",
    ("api:webhook-list", "POST"): "400 403 403 403 403 401",
    ("api:webhook-detail", "DELETE"): "204 403 403 403 403 401",
    ("api:webhook-detail", "GET"): "200 403 403 403 403 401",
    ("api:webhook-detail", "PATCH"): "200 403 403 403 403 401",
    ("api:webhook-detail", "PUT"): "400 403 403 403 403 401",
    ("api:webhook-deliveries", "GET"): "200 403 403 403 403 401",
    ("api:webhook-rotate-secret", "POST"): "200 403 403 403 403 401",
    ("api:webhook-delivery-list", "GET"): "200 403 403 403 403 401",
    ("api:webhook-delivery-detail", "GET"): "200 403 403 403 403 401",
    ("api:webhook-delivery-redeliver", "POST"): "201 403 403 403 403 401",
    ("api:not-found", "GET"): "404 404 404 404 404 404",
    ("api:not-found", "POST"): "404 404 404 404 404 404",
    # The demo sources' own pages (the demo marketing API): no role plays a part.
    ("demo:marketing", "GET"): "200 200 200 200 200 200",
    ("demo:marketing", "POST"): "405 405 405 405 405 405",
    ("demo:marketing_contact", "GET"): "200 200 200 200 200 200",
    ("demo:marketing_contact", "POST"): "405 405 405 405 405 405",
    ("demo:marketing_unsubscribe", "GET"): "405 405 405 405 405 405",
    ("demo:marketing_unsubscribe", "POST"): "400 400 400 400 400 400",
    ("demo:marketing_revoke_webinar_consent", "GET"): "405 405 405 405 405 405",
    ("demo:marketing_revoke_webinar_consent", "POST"): "400 400 400 400 400 400",
    ("demo:marketing_restrict", "GET"): "405 405 405 405 405 405",
    ("demo:marketing_restrict", "POST"): "400 400 400 400 400 400",
    ("demo:marketing_unrestrict", "GET"): "405 405 405 405 405 405",
    ("demo:marketing_unrestrict", "POST"): "400 400 400 400 400 400",
    ("demo:marketing_resource", "GET"): "400 400 400 400 400 400",
    ("demo:marketing_resource", "POST"): "405 405 405 405 405 405",
    # The subject's public pages: no role plays a part (unknown tokens: 404).
    ("intake:form", "GET"): "200 200 200 200 200 200",
    ("intake:form", "POST"): "400 400 400 400 400 400",
    ("intake:submitted", "GET"): "200 200 200 200 200 200",
    ("intake:submitted", "POST"): "200 200 200 200 200 200",
    ("intake:verify", "GET"): "404 404 404 404 404 404",
    ("intake:verify", "POST"): "404 404 404 404 404 404",
    ("intake:status", "GET"): "404 404 404 404 404 404",
    ("intake:status", "POST"): "405 405 405 405 405 405",
    ("intake:reply", "GET"): "405 405 405 405 405 405",
    ("intake:reply", "POST"): "404 404 404 404 404 404",
    ("intake:cancel", "GET"): "404 404 404 404 404 404",
    ("intake:cancel", "POST"): "404 404 404 404 404 404",
    ("intake:new_link", "GET"): "200 200 200 200 200 200",
    ("intake:new_link", "POST"): "400 400 400 400 400 400",
    ("intake:new_link_sent", "GET"): "200 200 200 200 200 200",
    ("intake:new_link_sent", "POST"): "200 200 200 200 200 200",
}

# The Django admin decides by Django's own staff flag and model permissions
# (``roles.DPO_ADMIN_MODELS``, tested in tests/engine/test_admin.py), not by
# this module's rules: here, every admin page sends an anonymous visitor to the
# admin's sign-in page (but the sign-in page itself, and the sign-out).
ADMIN_NAMESPACE = "admin"

# The ESPs' inbound webhooks of the privacy mailbox (django-anymail): no role
# reaches them, the provider's signature or anymail's shared secret does; they
# are tested with real signed posts in tests/requests_app/inbox/. Declared here
# so that a new route in this namespace is a decision too.
ESP_ROUTES = {
    "anymail:mailgun_inbound_webhook",
    "anymail:postmark_inbound_webhook",
    "anymail:sendgrid_inbound_webhook",
}
ADMIN_ANONYMOUS = {"admin:login": "200", "admin:logout": "302"}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def _methods(entry: URLPattern) -> list[str]:
    actions = getattr(entry.callback, "actions", None)
    if actions:  # a DRF router route: the methods it maps
        return sorted(method.upper() for method in actions)
    view_class = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
    if view_class is not None and hasattr(view_class, "http_method_names"):
        # A class-based view (an APIView, the sign-in page): the methods it defines.
        return sorted(
            m.upper() for m in view_class.http_method_names if m not in ("options", "head") and hasattr(view_class, m)
        )
    return ["GET", "POST"]  # a function view: both, each with its declared outcome (405 where refused)


def _route_key(pattern: str, namespace: str | None, entry: URLPattern) -> str:
    name = entry.name or pattern
    return f"{namespace}:{name}" if namespace else name


def routes() -> list[tuple[str, str, str]]:
    """(key, pattern, method) of every route the project serves."""
    found = []
    for pattern, namespace, entry in _walk(get_resolver().url_patterns):
        key = _route_key(pattern, namespace, entry)
        if (namespace or "").split(":")[0] == ADMIN_NAMESPACE:
            found.append((key, pattern, "GET"))
            continue
        for method in _methods(entry):
            found.append((key, pattern, method))
    return found


ROUTES = routes()


# ------------------------------------------------------------------------------
# The objects the URLs name, made once for the module
# ------------------------------------------------------------------------------
ID_COPY = b"\x89PNG\r\n\x1a\n an identity card"


def _upload(name: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, ID_COPY)
    upload.checked_content_type = "image/png"  # as the intake form sets it after sniffing the file
    return upload


def _build_world(tmp: Path) -> dict:
    from dsar.core.crypto import encrypt_bytes
    from dsar.exports.models import ExportFile
    from dsar.models import (
        DataCategory,
        Job,
        ManualTask,
        ManualTaskFile,
        ProcessingActivity,
        Recipient,
        SourceRecord,
        SourceRun,
    )
    from requests_app import workflow
    from requests_app.api.models import ApiToken, WebhookDelivery, WebhookSubscription
    from requests_app.delivery import services as delivery_services
    from requests_app.execution.selectors import plan_for
    from requests_app.intake.services import reply
    from requests_app.management.commands.load_demo import DEMO_CONTROLLER
    from requests_app.models import Attachment, ControllerProfile, RequestType, Status
    from tests.support.execution_factories import build_crm, make_manual, make_register
    from tests.support.export_factories import make_job

    roles.ensure_groups()
    users = {}
    for name, group in (
        ("dpo", roles.DPO),
        ("agent", roles.AGENT),
        ("other_agent", roles.AGENT),
        ("auditor", roles.AUDITOR),
    ):
        users[name] = UserFactory(username=name)
        users[name].groups.add(Group.objects.get(name=group))
    users["outsider"] = UserFactory(username="outsider")
    dpo, agent = users["dpo"], users["agent"]
    ControllerProfile.objects.create(**DEMO_CONTROLLER)
    crm_url = f"sqlite:///{tmp / 'crm.sqlite3'}"
    build_crm(crm_url)
    crm = make_register(crm_url)

    # An access request assigned to the agent: the subject sent two files; in review with its exports.
    access = make_request(
        request_type=RequestType.ACCESS,
        full_name="Lotte Peeters",
        email="lotte.peeters@example.be",
        customer_number="C-100042",
    )
    workflow.assign(access, actor=dpo, assignee=agent)
    workflow.request_info(access, actor=dpo, body="Which customer number, please?")
    reply(access, body="Here is my ID card.", files=[_upload("id-card.png"), _upload("letter.png")])
    workflow.approve(access, actor=dpo)
    access.refresh_from_db()
    if access.status != Status.IN_REVIEW:
        if access.status == Status.APPROVED:
            workflow.start_processing(access)
        make_job(access.reference)
        workflow.processing_done(access)
    access.refresh_from_db()
    assert access.status == Status.IN_REVIEW, access.status
    assert ExportFile.objects.filter(job__external_ref=access.reference).exists()
    job = Job.objects.filter(external_ref=access.reference).latest("pk")
    run = SourceRun.objects.create(job=job, connector=make_manual(), status=SourceRun.Status.DONE)
    task = ManualTask.objects.create(run=run, instructions="Look in the archive.", assignee=users["other_agent"])
    task_file = ManualTaskFile(task=task, original_name="archive.txt", content_type="text/plain", size=5)
    task_file.file.save("archive.txt", ContentFile(encrypt_bytes(b"found")), save=True)
    _link, download_token = delivery_services.create_link(access)

    # An erasure assigned to the agent, its plan computed from the CRM.
    erasure = make_request(
        request_type=RequestType.ERASURE,
        full_name="Lotte Peeters",
        email="lotte.peeters@example.be",
        customer_number="C-100042",
        language="nl",
        type_details={"scope": "all"},
    )
    workflow.assign(erasure, actor=dpo, assignee=agent)
    workflow.approve(erasure, actor=dpo)
    plan = plan_for(erasure)
    assert plan is not None and plan.items.exists()

    # A request forwarded to its controller: the acknowledgement link.
    forwarded = make_request()
    _forwarding, forwarding_token = workflow.forward(
        forwarded, actor=dpo, controller_name="Acme NV", controller_email="privacy@acme.example"
    )

    hook = WebhookSubscription.objects.create(url="https://hooks.example.org/dsar", events=["*"], created_by=dpo)
    delivery = WebhookDelivery.objects.create(subscription=hook, event_kind="request.created", payload={})
    agent_token, _clear = ApiToken.issue(user=agent, name="scripts", days=30)
    # The DPO's token carries the ``connectors`` scope, so the matrix shows what the role allows;
    # a token without it is refused connector changes (tests/requests_app/api/test_connector_changes.py).
    tokens = {
        name: ApiToken.issue(user=user, name="matrix", days=30, scopes=["connectors"] if name == "dpo" else [])[1]
        for name, user in users.items()
    }
    attachments = {a.original_name: a.pk for a in Attachment.objects.filter(message__request=access)}
    return {
        "users": {name: user.pk for name, user in users.items()},
        "tokens": tokens,
        "values": {
            "reference": access.reference,
            "plan_reference": erasure.reference,
            "attachment_id": attachments["id-card.png"],
            "deleted_attachment_id": attachments["letter.png"],
            "run_id": run.pk,
            "task_id": task.pk,
            # Any record: the empty body is refused before the record is looked up.
            "record_id": SourceRecord.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
            "file_id": task_file.pk,
            "item_id": plan.items.order_by("pk").first().pk,
            "index": 0,
            "notice_id": 0,
            "lift_id": 0,
            "download_token": download_token,
            "forwarding_token": forwarding_token,
            "connector": crm.code,
            "category": DataCategory.objects.order_by("pk").first().code,
            "recipient": Recipient.objects.order_by("pk").first().code,
            "activity": ProcessingActivity.objects.order_by("pk").first().code,
            "webhook": hook.pk,
            "delivery": str(delivery.pk),
            "api_token": agent_token.pk,
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    tmp = Path(tempfile.mkdtemp(prefix="dsar-matrix-"))
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with override_settings(MEDIA_ROOT=tmp / "files", DSAR_OUTBOX_DIR=tmp / "outbox"):
        with django_db_blocker.unblock():
            try:
                yield _build_world(tmp)
            finally:
                # Committed outside the tests' transactions: gone before the next module.
                call_command("flush", interactive=False, verbosity=0)
    celery_app.conf.task_always_eager = previous_eager
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_files(world):
    """The module's files stay where the world put them (overrides the suite's per-test folder)."""


def _value(world: dict, key: str, name: str) -> str:
    values = world["values"]
    if name == "reference":
        plan_routes = key.startswith("execution:") or key.startswith("api:request-plan")
        return values["plan_reference"] if plan_routes else values["reference"]
    if name == "attachment_id" and "delete" in key:
        return str(values["deleted_attachment_id"])
    if name == "token":
        if key.startswith("download:"):
            return values["download_token"]
        if key.startswith("forwarding:"):
            return values["forwarding_token"]
        return "not-a-token"  # the subject's status and verification links, a recipient's acknowledgement
    if name == "code":
        if key.startswith(("inbox:", "api:inbox")):
            return "no-such-item"  # past the role checks, an item nobody has: 404
        for prefix, value in (
            ("api:category", "category"),
            ("api:recipient", "recipient"),
            ("api:activity", "activity"),
        ):
            if key.startswith(prefix):
                return values[value]
        return values["connector"]
    if name == "pk":
        if key.startswith("api:webhook-delivery"):
            return values["delivery"]
        if key.startswith("api:webhook"):
            return str(values["webhook"])
        return str(values["api_token"])
    fixed = {
        "fmt": "json",
        "file_format": "json",
        "source": "crm",
        "action": "approve",
        "email": "lotte.peeters@example.be",
        "name": "contacts",
        "id": "1",
        "content_type_id": "1",
        "object_id": "1",
        "app_label": "requests_app",
        "view_id": "1",  # a saved view nobody has: 404 past the role checks
        "url": "nothing/",
    }
    if name in fixed:
        return fixed[name]
    return str(values[name])


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _url(world: dict, key: str, pattern: str) -> str:
    if key == "api:not-found":
        return "/api/v1/nothing-here/"
    path = _PARAM.sub(lambda m: _value(world, key, m.group(1) or m.group(2)), pattern)
    return "/" + path.replace("^", "").replace("$", "")


def _client(world: dict, role: str, api: bool):
    from django.contrib.auth import get_user_model

    if api:
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['tokens'][role]}")
        return client
    client = Client()
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(pk=world["users"][role]))
    return client


def _outcome(response) -> str:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    if location.startswith("/workspace/sign-in/"):
        return "login"
    if location.startswith("/admin/login/"):
        return "admin"
    return str(response.status_code)


def _is_admin(key: str) -> bool:
    return key.split(":")[0] == ADMIN_NAMESPACE


def _expected(key: str, method: str) -> tuple[str, ...] | None:
    if key in ESP_ROUTES:
        return ("esp",) * len(ROLES)
    if _is_admin(key):
        return (ADMIN_ANONYMOUS.get(key, "admin"),) * len(ROLES)
    spec = MATRIX.get((key, method))
    return _outcomes(spec) if spec else None


CASES = [
    (key, pattern, method, role)
    for key, pattern, method in ROUTES
    for role in ROLES
    if (not _is_admin(key) or role == "anonymous") and key not in ESP_ROUTES
]


def test_every_route_has_a_declared_rule():
    unknown = sorted({f"{key} {method}" for key, _pattern, method in ROUTES if _expected(key, method) is None})
    assert not unknown, "Routes without a rule in MATRIX (say who may reach them):\n" + "\n".join(unknown)


def test_the_matrix_names_no_route_that_is_gone():
    known = {(key, method) for key, _pattern, method in ROUTES}
    assert not set(MATRIX) - known, sorted(set(MATRIX) - known)


@pytest.mark.parametrize(("key", "pattern", "method", "role"), CASES, ids=[f"{k}-{m}-{r}" for k, _p, m, r in CASES])
def test_the_route_answers_each_role_as_declared(world, db, key, pattern, method, role):
    expected = _expected(key, method)
    if expected is None:
        pytest.fail(f"{key} {method} has no rule in MATRIX: say who may reach it.")
    client = _client(world, role, api=pattern.startswith("api/v1/"))
    response = getattr(client, method.lower())(_url(world, key, pattern))
    assert _outcome(response) == expected[ROLES.index(role)], (
        key,
        method,
        role,
        response.status_code,
        getattr(response, "content", b"")[:300],
    )
