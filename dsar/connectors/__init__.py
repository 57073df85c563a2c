"""Connectors: one module per kind, each registering itself with ``base.register``.

The project's own kinds are imported when first needed (``base.BUILT_IN``),
not here: SQLAlchemy and httpx are tens of megabytes that a web process,
which receives requests and never reads a source, need not hold (issue 17).
"""

from dsar.connectors.base import ConnectorError, TransientConnectorError, connector_for, kinds  # noqa: F401
