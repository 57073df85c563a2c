"""The pages that need a wider Content-Security-Policy than the default, and why.

The API's documentation pages (drf-spectacular with its sidecar, so that
nothing is loaded from a CDN): Swagger UI draws images from data: URLs, and
Redoc injects its own <style> elements at run time (styled-components, which
carry no nonce) and parses the schema in a web worker started from a blob.
Their scripts still need the page's nonce or come from this server: Swagger UI
is served by drf-spectacular's "split" view, whose start-up script is a file
of its own rather than an inline block.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace, csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


def swagger_view(**kwargs):
    return csp_update({"img-src": ["data:"]})(SpectacularSwaggerSplitView.as_view(**kwargs))


def redoc_view(**kwargs):
    view = SpectacularRedocView.as_view(**kwargs)
    # A style-src with a nonce makes browsers ignore 'unsafe-inline': Redoc's
    # run-time styles need the latter alone, on this page only.
    view = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(view)
    return csp_update({"worker-src": [SELF, "blob:"], "img-src": ["data:"]})(view)
