"""The project's WSGI application as bench_intake's gunicorn serves it, with
one header added to every response: ``X-Bench-Served: <pid> <n>``, the worker
process that answered and how many intake requests (every path but the
floor's /bench/) it has served so far. The benchmark reads it to send each
worker its 1,000 requests before it measures the workers' memory (issue 17:
a worker stays under 150 MB after 1,000 requests)."""

import os

from config.wsgi import application as project_application

_served = 0


def application(environ, start_response):
    global _served
    if not environ.get("PATH_INFO", "").startswith("/bench/"):
        _served += 1
    header = ("X-Bench-Served", f"{os.getpid()} {_served}")

    def counted(status, headers, exc_info=None):
        return start_response(status, [*headers, header], exc_info)

    return project_application(environ, counted)
