"""The demo marketing platform's data: contacts, newsletter subscriptions and
webinar registrations in a small SQLite file under ``settings.DSAR_DEMO_DIR``.

A file rather than memory, so that what the execution engine changes through
the demo API (an unsubscription, an erasure) survives a restart and is seen by
every process of the web server. Created by ``load_demo`` (or at the API's
first call) from a fixed Faker seed, so that every installation starts from
the same data; kept while its version is the same. Delete the file to start
again from the seed. The demo subject, Lotte Peeters, is in every table.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dsar.demo import crm as demo_crm

VERSION = "2"
SEED = 4711
DEMO_EMAIL = "lotte.peeters@example.be"
NEWSLETTERS = ["Corilus Nieuws", "Productupdates CareConnect", "Subverwerkers-notificaties", "Actualités Daylight"]
WEBINARS = [
    ("2023-10-05", "eHealth-certificaat in 10 minuten"),
    ("2024-02-15", "Nouveautés e-Fact 2024"),
    ("2024-06-20", "Cyber Protect voor de huisartsenpraktijk"),
]
RESOURCES = ("contacts", "subscriptions", "webinars")

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    organisation TEXT, job_title TEXT, postal_code TEXT, phone TEXT,
    ip_address TEXT, source TEXT, lead_score INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT, restricted_at TEXT
);
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    newsletter TEXT NOT NULL,
    subscribed_at TEXT NOT NULL, double_opt_in_ip TEXT, unsubscribed_at TEXT
);
CREATE INDEX subscriptions_email ON subscriptions (email);
CREATE TABLE webinars (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    webinar TEXT NOT NULL, date TEXT NOT NULL,
    consent_given_at TEXT NOT NULL, consent_withdrawn_at TEXT,
    attended INTEGER NOT NULL, questions_asked TEXT NOT NULL
);
CREATE INDEX webinars_email ON webinars (email);
"""

# What a correction may change (PATCH), and how each value is checked.
EDITABLE = {
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "first_name": re.compile(r"^\S.{0,99}$"),
    "last_name": re.compile(r"^\S.{0,99}$"),
    "organisation": re.compile(r"^.{0,200}$"),
    "job_title": re.compile(r"^.{0,100}$"),
    "postal_code": re.compile(r"^[0-9A-Za-z -]{2,10}$"),
    "phone": re.compile(r"^\+?[0-9 ()./-]{6,25}$"),
}
REQUIRED = {"email", "first_name", "last_name"}


class NotFound(Exception):
    """No contact with this e-mail address."""


class Invalid(Exception):
    """The request is wrong; the message says how (in the API's language, English)."""


def database_path() -> Path:
    return Path(settings.DSAR_DEMO_DIR) / "marketing.sqlite3"


def seed_dataset() -> dict[str, list[dict]]:
    """The seeded data (always the same): 61 contacts, their subscriptions and registrations."""
    from faker import Faker  # only to seed: a web process serving the demo need not hold it

    Faker.seed(SEED)
    rng = random.Random(SEED)
    fakers = [Faker("nl_BE"), Faker("fr_BE")]
    french = Faker("fr_FR")
    contacts = [
        {
            "id": "mk-0001",
            "email": DEMO_EMAIL,
            "first_name": "Lotte",
            "last_name": "Peeters",
            "organisation": "Huisartsenpraktijk Peeters",
            "job_title": "Huisarts",
            "postal_code": "9000",
            "phone": "+32 470 12 34 56",
            "ip_address": "81.82.197.14",
            "source": "website form www.corilus.be",
            "lead_score": 42,
            "created_at": "2021-03-02T10:14:00+01:00",
        }
    ]
    for index in range(60):
        fake = fakers[index % 2]
        first, last = fake.first_name(), fake.last_name()
        address = demo_crm.belgian_address("fr" if index % 2 else "nl", fakers[0], french)
        contacts.append(
            {
                "id": f"mk-{index + 2:04d}",
                "email": f"{first}.{last}.{index}@example.be".lower().replace(" ", ""),
                "first_name": first,
                "last_name": last,
                "organisation": address["company_name"],
                "job_title": rng.choice(["Huisarts", "Apotheker", "Kinésithérapeute", "Dentiste", "Praktijkmanager"]),
                "postal_code": address["postal_code"],
                "phone": fakers[0].phone_number(),  # fr_BE has no Belgian numbers of its own
                "ip_address": fake.ipv4_public(),
                "source": rng.choice(["website form www.corilus.be", "trade fair", "webinar"]),
                "lead_score": rng.randint(0, 100),
                "created_at": fake.date_time_between("-5y", "-1d").isoformat(),
            }
        )
    subscriptions, registrations = [], []
    for contact in contacts:
        is_demo = contact["email"] == DEMO_EMAIL
        for newsletter in NEWSLETTERS[:3] if is_demo else rng.sample(NEWSLETTERS, rng.randint(0, 2)):
            subscriptions.append(
                {
                    "email": contact["email"],
                    "newsletter": newsletter,
                    "subscribed_at": "2021-03-02T10:15:00+01:00" if is_demo else contact["created_at"],
                    "double_opt_in_ip": contact["ip_address"],
                    "unsubscribed_at": None,
                }
            )
        for date, title in WEBINARS[:2] if is_demo else rng.sample(WEBINARS, rng.randint(0, 1)):
            registrations.append(
                {
                    "email": contact["email"],
                    "webinar": title,
                    "date": date,
                    "consent_given_at": f"{date}T08:00:00+02:00",
                    "consent_withdrawn_at": None,
                    "attended": is_demo or rng.random() < 0.6,
                    "questions_asked": "Hoe vernieuw ik mijn eHealth-certificaat?" if is_demo else "",
                }
            )
    return {"contacts": contacts, "subscriptions": subscriptions, "webinars": registrations}


def ensure_database(stdout=None) -> Path:
    """Create the demo marketing data if it is missing or of another version; keep it otherwise."""
    path = database_path()
    if path.exists():
        try:
            with closing(sqlite3.connect(path)) as connection:
                row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row and row[0] == VERSION:
                if stdout:
                    stdout.write(f"Demo marketing data already present: {path}")
                return path
        except sqlite3.DatabaseError:
            pass
    reset()
    if stdout:
        stdout.write(f"Demo marketing data created: {path}")
    return path


def reset() -> Path:
    """Build the file afresh from the seed, then swap it in (a reader never sees it half-built)."""
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Its own temporary name: two processes may find the file missing at once.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    data = seed_dataset()
    with closing(sqlite3.connect(temporary)) as connection:
        connection.executescript(SCHEMA)
        for table, rows in data.items():
            columns = list(rows[0])
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",  # noqa: S608
                [[row[c] for c in columns] for row in rows],
            )
        connection.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
        connection.commit()
    temporary.replace(path)
    return path


@contextmanager
def _connect(*, write: bool = False):
    path = ensure_database()
    # The web server may run several processes: wait for another writer rather than fail.
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    connection.row_factory = sqlite3.Row
    try:
        if write:
            # Read and write in one transaction, taken at once: two unsubscriptions
            # at the same moment cannot both count the same subscription.
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        else:
            yield connection
    finally:
        connection.close()


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def _as_dict(table: str, row: sqlite3.Row) -> dict:
    item = dict(row)
    if table != "contacts":
        item.pop("id", None)
    if table == "webinars":
        item["attended"] = bool(item["attended"])
    return item


def records(resource: str, email: str) -> list[dict]:
    """The records of one resource for an e-mail address, in a stable order."""
    if resource not in RESOURCES:
        raise NotFound
    with _connect() as connection:
        rows = connection.execute(
            f"SELECT * FROM {resource} WHERE email = ? ORDER BY id",  # noqa: S608 (a known table name)
            [email.strip().lower()],
        ).fetchall()
    return [_as_dict(resource, row) for row in rows]


def contact(email: str) -> dict:
    with _connect() as connection:
        row = connection.execute("SELECT * FROM contacts WHERE email = ?", [email.strip().lower()]).fetchone()
    if row is None:
        raise NotFound
    return _as_dict("contacts", row)


def _require_contact(connection, email: str) -> sqlite3.Row:
    row = connection.execute("SELECT * FROM contacts WHERE email = ?", [email]).fetchone()
    if row is None:
        raise NotFound
    return row


def _names(value, known: list[str], field: str) -> list[str]:
    """A list of names to act on (all when none is given); an unknown name is an error."""
    if value is None:
        return list(known)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"{field} must be a list of names")
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise Invalid(f"unknown {field}: {', '.join(unknown)}")
    return value


def unsubscribe(email: str, *, newsletters: list[str] | None = None) -> int:
    """Unsubscribe from the given newsletters (all when none is given). Returns
    how many subscriptions ended now; those already ended keep their date."""
    email = email.strip().lower()
    chosen = _names(newsletters, NEWSLETTERS, "newsletters")
    with _connect(write=True) as connection:
        _require_contact(connection, email)
        cursor = connection.execute(
            f"UPDATE subscriptions SET unsubscribed_at = ? WHERE email = ? AND unsubscribed_at IS NULL "  # noqa: S608
            f"AND newsletter IN ({', '.join('?' for _ in chosen)})",
            [_now(), email, *chosen],
        )
        return cursor.rowcount


def revoke_webinar_consent(email: str, *, webinars: list[str] | None = None) -> int:
    """Record the withdrawal of the consent given at webinar registrations
    (all when none is given). Returns how many were withdrawn now."""
    email = email.strip().lower()
    chosen = _names(webinars, [title for _, title in WEBINARS], "webinars")
    with _connect(write=True) as connection:
        _require_contact(connection, email)
        cursor = connection.execute(
            f"UPDATE webinars SET consent_withdrawn_at = ? WHERE email = ? AND consent_withdrawn_at IS NULL "  # noqa: S608
            f"AND webinar IN ({', '.join('?' for _ in chosen)})",
            [_now(), email, *chosen],
        )
        return cursor.rowcount


def restrict(email: str) -> int:
    """Mark the contact restricted (Art. 18): 1 when it was not yet, 0 otherwise."""
    email = email.strip().lower()
    with _connect(write=True) as connection:
        _require_contact(connection, email)
        cursor = connection.execute(
            "UPDATE contacts SET restricted_at = ? WHERE email = ? AND restricted_at IS NULL", [_now(), email]
        )
        return cursor.rowcount


def unrestrict(email: str) -> int:
    """Lift the restriction (Art. 18(3)): 1 when the contact was restricted, 0 otherwise."""
    email = email.strip().lower()
    with _connect(write=True) as connection:
        _require_contact(connection, email)
        cursor = connection.execute(
            "UPDATE contacts SET restricted_at = NULL WHERE email = ? AND restricted_at IS NOT NULL", [email]
        )
        return cursor.rowcount


def erase(email: str) -> int:
    """Delete the contact, their subscriptions and registrations. Returns the
    number of rows deleted (0 when there was nothing left)."""
    email = email.strip().lower()
    with _connect(write=True) as connection:
        return sum(
            connection.execute(f"DELETE FROM {table} WHERE email = ?", [email]).rowcount  # noqa: S608
            for table in RESOURCES
        )


def rectify(email: str, changes) -> tuple[int, dict]:
    """Apply corrections to the contact's fields. Returns 1 when something
    changed (0 when every value was already so) and the contact as it now is.
    A new e-mail address carries the subscriptions and registrations with it."""
    email = email.strip().lower()
    if not isinstance(changes, dict) or not changes:
        raise Invalid("send a JSON object with the fields to change")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise Invalid(f"unknown or read-only fields: {', '.join(unknown)}; editable: {', '.join(sorted(EDITABLE))}")
    cleaned: dict[str, str | None] = {}
    for name, value in changes.items():
        if value is None and name not in REQUIRED:
            cleaned[name] = None
            continue
        if not isinstance(value, str) or not EDITABLE[name].match(value.strip()):
            raise Invalid(f"{name}: not a valid value")
        cleaned[name] = value.strip().lower() if name == "email" else value.strip()
    with _connect(write=True) as connection:
        row = _require_contact(connection, email)
        differing = {name: value for name, value in cleaned.items() if row[name] != value}
        if not differing:
            return 0, _as_dict("contacts", row)
        new_email = differing.get("email")
        if new_email and connection.execute("SELECT 1 FROM contacts WHERE email = ?", [new_email]).fetchone():
            raise Invalid("email: another contact has this address")
        assignments = ", ".join(f"{name} = ?" for name in differing)
        connection.execute(
            f"UPDATE contacts SET {assignments}, updated_at = ? WHERE email = ?",  # noqa: S608 (names from EDITABLE)
            [*differing.values(), _now(), email],
        )
        if new_email:
            for table in ("subscriptions", "webinars"):
                connection.execute(f"UPDATE {table} SET email = ? WHERE email = ?", [new_email, email])  # noqa: S608
        row = _require_contact(connection, new_email or email)
        return 1, _as_dict("contacts", row)
