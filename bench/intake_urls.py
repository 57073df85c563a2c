"""The project's URLs plus the floor of bench_intake: a bare Django view that
does one INSERT on the same database, through the same server, middleware and
persistent connection as the intake it is compared with."""

import json

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as project_urlpatterns

FLOOR_TABLE = "bench_intake_floor"


@csrf_exempt
def floor(request):
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (full_name, email, created) VALUES (%s, %s, now()) RETURNING id",
            [data["full_name"], data["email"]],
        )
        (pk,) = cursor.fetchone()
    return HttpResponse(str(pk), status=201, content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
