"""Where the desk may connect: one policy for connectors and webhook targets.

A DPO (or a stolen DPO token) configures URLs the worker then calls with its
own network position: without a policy, a connector or a webhook could read
the cloud metadata service, the desk's own database or any internal service
(server-side request forgery; Art. 32 GDPR asks for security appropriate to
the risk). So every URL is checked when it is saved, when it is tested and at
each connection, on the addresses its host name resolves to at that moment.

Refused, in production:
- loopback, private, link-local, shared (CGNAT), reserved, multicast and
  documentation ranges (everything Python does not call global);
- IPv6 forms that embed an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``,
  IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::/96`` and ``64:ff9b:1::/48``,
  6to4 ``2002::/16``, Teredo ``2001::/32``): they reach IPv4 hosts that the
  rules above are meant to keep out, e.g. ``[::7f00:1]`` is 127.0.0.1;
- the desk's own database host.
Refused everywhere, development included: the cloud metadata addresses.

Connectors may be allowed more by the operator (sources usually live on the
internal network): ``DSAR_SOURCE_ALLOWED_HOSTS`` lists host names and
addresses or networks (``crm-db.internal,10.20.0.0/16``). Webhook targets
never are: they go to the public Internet.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# The instance metadata services of AWS, GCP, Azure, OpenStack (169.254.169.254),
# Alibaba (100.100.100.200), Oracle (192.0.0.192) and AWS's IPv6 one.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
)
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"})

# IPv6 prefixes whose addresses carry an IPv4 address inside.
EMBEDDED_IPV4 = tuple(
    ipaddress.ip_network(n)
    for n in ("::ffff:0:0/96", "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32", "::ffff:0:0:0/96")
)


class AddressRefused(ValueError):
    """The host may not be reached; the message says why, in plain words (translated)."""


class Unresolvable(AddressRefused):
    """The host name has no address now: at a connection, a transient failure like any other."""


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: int
    addresses: tuple[str, ...]  # the checked addresses, to connect to; empty: not resolved (development)


def allowed_entries() -> tuple[list[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """``DSAR_SOURCE_ALLOWED_HOSTS``: host names, and addresses or networks."""
    names, networks = [], []
    for entry in getattr(settings, "DSAR_SOURCE_ALLOWED_HOSTS", []) or []:
        entry = entry.strip().lower().strip("[]")
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.append(entry.rstrip("."))
    return names, networks


def _own_database_hosts() -> set[str]:
    hosts = set()
    for database in settings.DATABASES.values():
        host = (database.get("HOST") or "").strip().lower().strip("[]")
        if host and not host.startswith("/"):
            hosts.add(host)
    return hosts


def refusal(address: Address) -> str | None:
    """Why this address may not be reached in production, or None."""
    if address in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    if address.is_loopback or address.is_unspecified:
        return _("a private or local address")
    if isinstance(address, ipaddress.IPv6Address) and any(address in net for net in EMBEDDED_IPV4):
        return _("an IPv6 form of an IPv4 address (mapped, NAT64, 6to4 or Teredo)")
    # is_global is False for loopback, private, link-local, shared (CGNAT),
    # reserved and documentation ranges alike.
    if not address.is_global or address.is_multicast:
        return _("a private or local address")
    return None


def resolve(host: str, port: int) -> list[Address]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Unresolvable(_("The host name %(host)s cannot be resolved.") % {"host": host}) from exc
    addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if not addresses:
        raise Unresolvable(_("The host name %(host)s cannot be resolved.") % {"host": host})
    return addresses


def check_host(
    host: str,
    port: int,
    *,
    use_allow_list: bool = True,
    production: bool | None = None,
    resolve_names: bool | None = None,
) -> tuple[str, ...]:
    """Check a host as the connection would reach it; return the addresses checked.

    In production the name is resolved and every address must pass (one bad
    answer among several is enough to refuse: the client could pick it). Out
    of production only the metadata service is refused, so that a developer's
    sources on 127.0.0.1 keep working.
    """
    production = settings.PRODUCTION if production is None else production
    host = host.strip("[]").lower().rstrip(".")
    names, networks = allowed_entries() if use_allow_list else ([], [])
    if host in names:
        # The operator named this host: it is trusted whatever it resolves to.
        return ()
    if host in METADATA_HOSTS:
        raise AddressRefused(
            _("%(host)s is the cloud metadata service: the desk never connects to it.") % {"host": host}
        )
    if production and host in _own_database_hosts():
        raise AddressRefused(
            _("%(host)s is the desk's own database: a source or a webhook may not point to it.") % {"host": host}
        )
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None and not (production if resolve_names is None else resolve_names):
        # Out of production a name is not resolved when a URL is saved
        # (offline development); each connection still checks its address.
        return ()
    addresses = resolve(host, port)
    for address in addresses:
        if any(address in network for network in networks):
            continue
        reason = refusal(address)
        if reason is None:
            continue
        if not production and address not in METADATA_ADDRESSES:
            continue
        if use_allow_list:
            raise AddressRefused(
                _(
                    "%(host)s points to %(address)s, %(reason)s: add it to DSAR_SOURCE_ALLOWED_HOSTS "
                    "if this source really lives there."
                )
                % {"host": host, "address": address, "reason": reason}
            )
        raise AddressRefused(
            _("%(host)s points to %(address)s, %(reason)s: webhooks go to public addresses only.")
            % {"host": host, "address": address, "reason": reason}
        )
    return tuple(str(a) for a in addresses)


def check_url(url: str, *, use_allow_list: bool = True, production: bool | None = None) -> Target:
    """Check the host of a URL (any scheme with a host: http, https, postgresql...)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(_("This is not a valid URL.")) from exc
    if not parts.hostname:
        raise AddressRefused(_("The URL must name a host."))
    port = port or {"https": 443, "http": 80}.get(parts.scheme, 0)
    addresses = check_host(parts.hostname, port, use_allow_list=use_allow_list, production=production)
    return Target(url=url, host=parts.hostname, port=port, addresses=addresses)


# ------------------------------------------------------------------------------
# At each connection: an httpcore network backend that checks the address it
# connects to, so that a DNS answer changed after the check (rebinding) or a
# redirect cannot reach a refused address.
# ------------------------------------------------------------------------------
def policy_transport(*, use_allow_list: bool = True, **kwargs):
    """An httpx transport whose every connection goes through ``check_host``."""
    import httpcore
    import httpx

    class PolicyBackend(httpcore.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            # AddressRefused goes through httpx unchanged (it is not an
            # httpcore error): the caller tells the DPO why, and does not retry.
            try:
                addresses = check_host(host, port, use_allow_list=use_allow_list, resolve_names=True)
            except Unresolvable as exc:
                raise httpcore.ConnectError(str(exc)) from exc
            # Connect to an address that was checked, never to a new answer;
            # each in turn, as the system's resolver would (a host that says
            # "localhost" is ::1 first and 127.0.0.1 second on some systems).
            last_error: Exception | None = None
            for address in addresses or [host]:
                try:
                    return super().connect_tcp(
                        str(address),
                        port,
                        timeout=timeout,
                        local_address=local_address,
                        socket_options=socket_options,
                    )
                except httpcore.ConnectError as exc:
                    last_error = exc
            assert last_error is not None
            raise last_error

    transport = httpx.HTTPTransport(**kwargs)
    # httpx builds its connection pool without a way to pass a network
    # backend; the pool reads it at each new connection.
    transport._pool._network_backend = PolicyBackend()
    return transport
