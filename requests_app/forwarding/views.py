"""The provider's acknowledgement page (public, reached by the e-mailed link)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from requests_app.forwarding import selectors, services


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge_view(request, token: str):
    """GET shows a button, so that mail scanners following links do not
    acknowledge in the provider's place."""
    forwarding = selectors.find(token)
    if forwarding is None:
        raise Http404
    if request.method == "POST":
        forwarding = services.acknowledge(forwarding)
    return render(request, "forwarding/acknowledge.html", {"forwarding": forwarding})
