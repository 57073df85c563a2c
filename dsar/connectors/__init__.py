"""Connectors: one module per kind, each registering itself with ``base.register``."""

from dsar.connectors import http, manual, sql  # noqa: F401  (registration)
from dsar.connectors.base import ConnectorError, TransientConnectorError, connector_for, kinds  # noqa: F401
