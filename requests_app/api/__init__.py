"""The REST API (``/api/v1/``) and its webhooks: a Django app, label ``api``.

One shape, per resource: ``views/<resource>.py`` holds the views of a
resource and ``serializers/<resource>.py`` the serializers they use, under
the same name. The resources are ``requests`` (the public intake, the queue,
a request, its workflow actions, holds and notes), the panels of a request:
``plan`` (execution plan, Art. 19 notices), ``sources`` (the gathering),
``exports`` (the files and the records in them, Art. 15(4)),
``manual_tasks``, ``attachments``; then ``register`` (Art. 30),
``connectors``, ``webhooks`` and ``me``. A request's panels are mixins of
``views.requests.RequestViewSet``, so that every route under
``/api/v1/requests/{reference}/`` keeps its URL name and operationId.

Around them:
- ``urls.py``: the router, every route of the API, the schema and its pages;
- ``base.py``: what every view shares (token authentication, throttles,
  pagination, JSON errors and their schema, the JSON 404) and the helpers
  and serializers several resources use;
- ``permissions.py``: who may reach an endpoint (the workflow decides the rest);
- ``authentication.py``, ``models.py`` (tokens, webhook subscriptions and
  deliveries), ``intake.py`` (JSON to the web form's validation and back),
  ``webhooks.py`` (signing and delivering events), ``tasks.py``;
- the contract (docs/openapi.json, what clients are generated from):
  ``operations.py`` names every operation (its ``operationId``), ``base.ApiAutoSchema``
  gives each one request content type and JSON errors, ``schema_hooks.py``
  finishes the schema for generators and validators; ``make schema`` writes
  it, ``API_VERSION`` below versions it (docs/api-changelog.md).

The request list's filters are the workspace queue's own
(``requests_app.workspace.selectors.QueueFilterSet``): the same filter gives
the same requests on the page and here.
"""

# The version of the API contract (semantic: MAJOR.MINOR.PATCH), in this one
# place: the schema's ``info.version`` and the generated Python client's
# package version both read it. A change that breaks a client goes under a new
# URL prefix (/api/v2/), never into /api/v1/; see docs/api-changelog.md.
API_VERSION = "1.4.0"
