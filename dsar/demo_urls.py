"""The demo marketing API, served by the app itself under /demo/marketing/ so
that `make run` has an HTTP source to gather from (never in production).

JSON resources looked up by e-mail address, paginated with a ``next`` link:
contacts, newsletter subscriptions and webinar registrations. The data is
made up (Faker nl_BE / fr_BE with a fixed seed); the demo subject Lotte
Peeters is present in each resource.
"""

from __future__ import annotations

import random
from functools import lru_cache

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET
from faker import Faker

app_name = "demo"

SEED = 4711
PAGE_SIZE = 2
DEMO_EMAIL = "lotte.peeters@example.be"
NEWSLETTERS = ["Corilus Nieuws", "Productupdates CareConnect", "Subverwerkers-notificaties", "Actualités Daylight"]
WEBINARS = [
    ("2023-10-05", "eHealth-certificaat in 10 minuten"),
    ("2024-02-15", "Nouveautés e-Fact 2024"),
    ("2024-06-20", "Cyber Protect voor de huisartsenpraktijk"),
]


@lru_cache(maxsize=1)
def dataset() -> dict[str, list[dict]]:
    Faker.seed(SEED)
    rng = random.Random(SEED)
    fakers = [Faker("nl_BE"), Faker("fr_BE")]
    contacts = [
        {
            "id": "mk-0001",
            "email": DEMO_EMAIL,
            "first_name": "Lotte",
            "last_name": "Peeters",
            "organisation": "Huisartsenpraktijk Peeters",
            "job_title": "Huisarts",
            "postal_code": "9000",
            "phone": "+32 470 12 34 56",
            "ip_address": "81.82.197.14",
            "source": "website form www.corilus.be",
            "lead_score": 42,
            "created_at": "2021-03-02T10:14:00+01:00",
        }
    ]
    for index in range(60):
        fake = fakers[index % 2]
        first, last = fake.first_name(), fake.last_name()
        contacts.append(
            {
                "id": f"mk-{index + 2:04d}",
                "email": f"{first}.{last}.{index}@example.be".lower().replace(" ", ""),
                "first_name": first,
                "last_name": last,
                "organisation": fake.company(),
                "job_title": rng.choice(["Huisarts", "Apotheker", "Kinésithérapeute", "Dentiste", "Praktijkmanager"]),
                "postal_code": fake.postcode(),
                "phone": fake.phone_number(),
                "ip_address": fake.ipv4_public(),
                "source": rng.choice(["website form www.corilus.be", "trade fair", "webinar"]),
                "lead_score": rng.randint(0, 100),
                "created_at": fake.date_time_between("-5y", "-1d").isoformat(),
            }
        )
    subscriptions, registrations = [], []
    for contact in contacts:
        is_demo = contact["email"] == DEMO_EMAIL
        for newsletter in NEWSLETTERS[:3] if is_demo else rng.sample(NEWSLETTERS, rng.randint(0, 2)):
            subscriptions.append(
                {
                    "email": contact["email"],
                    "newsletter": newsletter,
                    "subscribed_at": "2021-03-02T10:15:00+01:00" if is_demo else contact["created_at"],
                    "double_opt_in_ip": contact["ip_address"],
                    "unsubscribed_at": None,
                }
            )
        for date, title in WEBINARS[:2] if is_demo else rng.sample(WEBINARS, rng.randint(0, 1)):
            registrations.append(
                {
                    "email": contact["email"],
                    "webinar": title,
                    "date": date,
                    "consent_given_at": f"{date}T08:00:00+02:00",
                    "attended": is_demo or rng.random() < 0.6,
                    "questions_asked": "Hoe vernieuw ik mijn eHealth-certificaat?" if is_demo else "",
                }
            )
    return {"contacts": contacts, "subscriptions": subscriptions, "webinars": registrations}


def _demo_only():
    if settings.PRODUCTION:
        raise Http404


@require_GET
def index(request):
    _demo_only()
    return JsonResponse({"service": "Demo marketing API", "resources": ["contacts", "subscriptions", "webinars"]})


@require_GET
def resource(request, name: str):
    _demo_only()
    data = dataset().get(name)
    if data is None:
        raise Http404
    email = (request.GET.get("email") or "").strip().lower()
    if not email:
        return JsonResponse({"error": "the email parameter is required"}, status=400)
    matches = [item for item in data if item["email"] == email]
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


urlpatterns = [
    path("marketing/", index, name="marketing"),
    path("marketing/<slug:name>", resource, name="marketing_resource"),
]
