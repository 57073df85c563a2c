"""The demo marketing API, served by the app itself under /demo/marketing/ so
that `make run` has an HTTP source to gather from and to act on (never in
production).

Reading: JSON resources looked up by e-mail address, paginated with a
``next`` link: contacts, newsletter subscriptions and webinar registrations.
Writing, for the execution engine (each answers ``{"changed": n}``):

- ``POST contacts/<email>/unsubscribe`` (``{"newsletters": [...]}``, all when left out)
- ``POST contacts/<email>/revoke-webinar-consent`` (``{"webinars": [...]}``, all when left out)
- ``POST contacts/<email>/restrict`` and ``POST contacts/<email>/unrestrict``
- ``PATCH contacts/<email>`` with the fields to correct
- ``DELETE contacts/<email>``: the contact, their subscriptions and registrations (404 once gone)

The data lives in ``dsar.demo.marketing`` (a SQLite file, made up with Faker
and a fixed seed); the demo subject Lotte Peeters is present in each
resource. When ``DSAR_DEMO_MARKETING_TOKEN`` is set, every call needs
``Authorization: Bearer <token>``; without it (development) none is asked.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dsar.demo import marketing as demo_marketing

app_name = "demo"

PAGE_SIZE = 2


def _demo_only():
    if settings.PRODUCTION:
        raise Http404


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def demo_api(view):
    """The demo's guard (never in production), the optional bearer token, and
    the API's failures as JSON answers."""

    def wrapped(request, *args, **kwargs):
        _demo_only()
        token = settings.DSAR_DEMO_MARKETING_TOKEN
        if token:
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return _error("a valid bearer token is required", status=401)
        try:
            return view(request, *args, **kwargs)
        except demo_marketing.NotFound:
            return _error("no contact with this e-mail address", status=404)
        except demo_marketing.Invalid as exc:
            return _error(str(exc))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    # The callers are other systems with a token, not browsers with a session.
    return csrf_exempt(wrapped)


def _body(request, *, required: bool = False) -> dict:
    if not request.body.strip():
        if required:
            raise demo_marketing.Invalid("send a JSON object")
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise demo_marketing.Invalid("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise demo_marketing.Invalid("send a JSON object")
    return body


def _only(body: dict, allowed: set[str]) -> dict:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise demo_marketing.Invalid(f"unknown keys: {', '.join(unknown)}")
    return body


@require_GET
@demo_api
def index(request):
    return JsonResponse(
        {"service": "Demo marketing API", "resources": list(demo_marketing.RESOURCES), "writable": True}
    )


@require_GET
@demo_api
def resource(request, name: str):
    if name not in demo_marketing.RESOURCES:
        raise Http404
    email = (request.GET.get("email") or "").strip().lower()
    if not email:
        return _error("the email parameter is required")
    matches = demo_marketing.records(name, email)
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    chunk = matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    has_next = page * PAGE_SIZE < len(matches)
    next_url = None
    if has_next:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        next_url = f"{request.path}?{query.urlencode()}"
    return JsonResponse({"count": len(matches), "results": chunk, "next": next_url})


@require_http_methods(["GET", "PATCH", "DELETE"])
@demo_api
def contact(request, email: str):
    """One contact: read it, correct it (PATCH with the fields), or erase it with everything linked to it."""
    if request.method == "GET":
        return JsonResponse(demo_marketing.contact(email))
    if request.method == "PATCH":
        changed, corrected = demo_marketing.rectify(email, _body(request, required=True))
        return JsonResponse({"changed": changed, "contact": corrected})
    changed = demo_marketing.erase(email)
    if not changed:
        return JsonResponse({"error": "no contact with this e-mail address", "changed": 0}, status=404)
    return JsonResponse({"changed": changed})


@require_POST
@demo_api
def unsubscribe(request, email: str):
    body = _only(_body(request), {"newsletters"})
    return JsonResponse({"changed": demo_marketing.unsubscribe(email, newsletters=body.get("newsletters"))})


@require_POST
@demo_api
def revoke_webinar_consent(request, email: str):
    body = _only(_body(request), {"webinars"})
    return JsonResponse({"changed": demo_marketing.revoke_webinar_consent(email, webinars=body.get("webinars"))})


@require_POST
@demo_api
def restrict(request, email: str):
    _only(_body(request), set())
    return JsonResponse({"changed": demo_marketing.restrict(email)})


@require_POST
@demo_api
def unrestrict(request, email: str):
    _only(_body(request), set())
    return JsonResponse({"changed": demo_marketing.unrestrict(email)})


urlpatterns = [
    path("marketing/", index, name="marketing"),
    path("marketing/contacts/<str:email>", contact, name="marketing_contact"),
    path("marketing/contacts/<str:email>/unsubscribe", unsubscribe, name="marketing_unsubscribe"),
    path(
        "marketing/contacts/<str:email>/revoke-webinar-consent",
        revoke_webinar_consent,
        name="marketing_revoke_webinar_consent",
    ),
    path("marketing/contacts/<str:email>/restrict", restrict, name="marketing_restrict"),
    path("marketing/contacts/<str:email>/unrestrict", unrestrict, name="marketing_unrestrict"),
    path("marketing/<slug:name>", resource, name="marketing_resource"),
]
