"""The one small interface every kind of source implements.

The engine gives a connector the subject's identity and an operation; the
connector finds (or, for the rights that change data, plans and applies)
what it holds. Kinds register themselves with ``register``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from importlib import import_module

from django.utils.translation import gettext, gettext_noop

from dsar.models import Connector as ConnectorModel


class Message(str):
    """Plain words for the DPO: English text that can also be shown translated.

    It is a ``str`` (stored and logged as English); ``template`` and ``params``
    let the workspace show it in the reader's language (``translate``). The
    template is marked with ``gettext_noop`` where it is written.
    """

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        text = template % params if params else template
        message = super().__new__(cls, text)
        message.template, message.params = template, params
        return message

    def as_dict(self) -> dict:
        return {
            "template": self.template,
            "params": {k: v.as_dict() if isinstance(v, Message) else str(v) for k, v in self.params.items()},
        }

    def replace_values(self, func) -> Message:
        """The same message with ``func`` applied to every text parameter (e.g. to scrub them)."""
        params = {k: v.replace_values(func) if isinstance(v, Message) else func(str(v)) for k, v in self.params.items()}
        return Message(self.template, **params)


def translate(stored) -> str:
    """A message stored with ``Message.as_dict`` (or plain text) in the active language."""
    if isinstance(stored, dict) and "template" in stored:
        params = {k: translate(v) for k, v in (stored.get("params") or {}).items()}
        try:
            return gettext(stored["template"]) % params if params else gettext(stored["template"])
        except (KeyError, TypeError, ValueError):
            # A translation with broken placeholders must not hide the message.
            return stored["template"] % params if params else stored["template"]
    return str(stored)


def as_stored(message) -> dict | str:
    return message.as_dict() if isinstance(message, Message) else str(message)


class ConnectorError(Exception):
    """A source failed; the message is plain words for the DPO, never a secret."""

    #: Transient errors (timeouts, connection refused) are retried with backoff.
    transient = False

    @property
    def message(self) -> Message | str:
        return self.args[0] if self.args else ""


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

    @classmethod
    def from_dict(cls, values: dict) -> SubjectIdentity:
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v or "") for k, v in (values or {}).items() if k in known})


@dataclass
class FoundRecord:
    entity: str  # table or resource name
    data: dict
    category: str = ""  # DataCategory.code
    # The identity fields (``SubjectIdentity`` names) this record was found by;
    # a row followed from a matched row carries that row's. Empty: not known
    # (a person's findings). The caller decides which of them were verified.
    matched_on: list[str] = field(default_factory=list)


@dataclass
class FindResult:
    """What ``find`` returns: the records as a stream, warnings filled as it goes."""

    records: Iterator[FoundRecord]
    warnings: list[str] = field(default_factory=list)


class BaseConnector:
    """A kind of source. Subclasses set ``kind`` and implement ``find`` and
    ``test_connection``; the operations that change data (erase, rectify,
    restrict, stop a processing) are added by the execution engine on the same
    classes and announced in ``Connector.operations``."""

    kind: str = ""

    def __init__(self, model: ConnectorModel):
        self.model = model
        self.config = model.config or {}

    @classmethod
    def validate_config(cls, config: dict) -> list[tuple[str, str]]:
        """Problems with a configuration, as (field path, plain-words message)
        pairs; empty when it is valid. Used by the YAML loader and the admin."""
        return []

    def secret(self, key: str, *, required: bool = True) -> str:
        """The secret named by the environment variable in ``config[key]``.

        Only the variable's name is ever stored; the value is read at the
        moment of use and never written to the database or a log."""
        variable = self.config.get(key) or ""
        if not variable:
            if required:
                raise ConnectorError(
                    Message(
                        gettext_noop("The configuration does not name the environment variable '%(key)s'."), key=key
                    )
                )
            return ""
        from dsar.connectors.secrets import read_secret

        value = read_secret(variable)
        if not value and required:
            raise ConnectorError(
                Message(
                    gettext_noop(
                        "The environment variable %(variable)s (named by '%(key)s') is not set for the worker."
                    ),
                    variable=variable,
                    key=key,
                )
            )
        return value

    def test_connection(self) -> str:
        """Check the source is reachable and configured; return a short success
        message, or raise ConnectorError saying what is wrong in plain words."""
        raise NotImplementedError

    def find(self, identity: SubjectIdentity) -> FindResult:
        """Stream the subject's records (read-only)."""
        raise NotImplementedError


_kinds: dict[str, type[BaseConnector]] = {}
# The project's kinds and their modules, imported on first use: each module
# registers its class when imported (``register``).
BUILT_IN = {"http": "dsar.connectors.http", "manual": "dsar.connectors.manual", "sql": "dsar.connectors.sql"}


def register(cls: type[BaseConnector]) -> type[BaseConnector]:
    _kinds[cls.kind] = cls
    return cls


def _load(kind: str) -> type[BaseConnector] | None:
    if kind not in _kinds and kind in BUILT_IN:
        import_module(BUILT_IN[kind])
    return _kinds.get(kind)


def connector_for(model: ConnectorModel) -> BaseConnector:
    cls = _load(model.kind)
    if cls is None:
        raise ConnectorError(Message(gettext_noop("No connector of kind '%(kind)s' is installed."), kind=model.kind))
    return cls(model)


def kinds() -> dict[str, type[BaseConnector]]:
    for kind in BUILT_IN:
        _load(kind)
    return dict(_kinds)
