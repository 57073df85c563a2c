"""The one small interface every kind of source implements.

The engine gives a connector the subject's identity and an operation; the
connector finds (or, for the rights that change data, plans and applies)
what it holds. Kinds register themselves with ``register``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from dsar.models import Connector as ConnectorModel


class ConnectorError(Exception):
    """A source failed; the message is plain words for the DPO, never a secret."""

    #: Transient errors (timeouts, connection refused) are retried with backoff.
    transient = False


class TransientConnectorError(ConnectorError):
    transient = True


@dataclass(frozen=True)
class SubjectIdentity:
    """Who the data is about. The national number is never used to verify
    identity, only to find records where the controller may process it."""

    email: str = ""
    full_name: str = ""
    phone: str = ""
    customer_number: str = ""
    national_number: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    def available(self, fields: list[str]) -> dict[str, str]:
        """The identifiers among ``fields`` that are known for this subject."""
        return {name: value for name in fields if (value := getattr(self, name, ""))}


@dataclass
class FoundRecord:
    entity: str  # table or resource name
    data: dict
    category: str = ""  # DataCategory.code


@dataclass
class FindResult:
    """What ``find`` returns: the records as a stream, warnings filled as it goes."""

    records: Iterator[FoundRecord]
    warnings: list[str] = field(default_factory=list)


class BaseConnector:
    kind: str = ""

    def __init__(self, model: ConnectorModel):
        self.model = model
        self.config = model.config or {}

    def test_connection(self) -> str:
        """Check the source is reachable and configured; return a short success
        message, or raise ConnectorError saying what is wrong in plain words."""
        raise NotImplementedError

    def find(self, identity: SubjectIdentity) -> FindResult:
        """Stream the subject's records (read-only)."""
        raise NotImplementedError


_kinds: dict[str, type[BaseConnector]] = {}


def register(cls: type[BaseConnector]) -> type[BaseConnector]:
    _kinds[cls.kind] = cls
    return cls


def connector_for(model: ConnectorModel) -> BaseConnector:
    try:
        return _kinds[model.kind](model)
    except KeyError as exc:
        raise ConnectorError(f"No connector of kind '{model.kind}' is installed.") from exc
