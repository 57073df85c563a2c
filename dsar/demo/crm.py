"""The demo CRM: a SQLite database of a Belgian medical-software vendor's customers.

Created once under ``settings.DSAR_DEMO_DIR`` (idempotent: an existing file of
the same version is kept), seeded with Faker's nl_BE and fr_BE providers and a
fixed seed so that every installation shows the same data. The demo subject,
Lotte Peeters (customer C-100042), has records in every table.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from faker import Faker

VERSION = "5"
SEED = 20231121
CUSTOMERS = 240

DEMO_SUBJECT: dict[str, Any] = {
    "customer_no": "C-100042",
    "first_name": "Lotte",
    "last_name": "Peeters",
    "email": "lotte.peeters@example.be",
    "phone": "+32 470 12 34 56",
    "gender": "F",
    "language": "nl",
    "street": "Kortrijksesteenweg 112",
    "postal_code": "9000",
    "city": "Gent",
    "company_name": "Huisartsenpraktijk Peeters",
    "enterprise_number": "BE 0712.345.678",
    "profession": "General practitioner",
    "riziv_number": "1-23456-78-004",
    "iban": "BE71 0961 2345 6769",
    "national_number": "88031400289",
    "marketing_opt_in": 1,
    "marketing_opt_in_at": "2021-03-02T10:14:00+01:00",
    "webinar_consent": 1,
    "webinar_consent_at": "2023-09-12T19:02:00+02:00",
    "password_hash": "pbkdf2_sha256$demo$not-a-real-hash",
    "created_at": "2019-06-17T09:30:00+02:00",
}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    customer_no TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    email TEXT NOT NULL, phone TEXT, gender TEXT, language TEXT,
    street TEXT, postal_code TEXT, city TEXT,
    company_name TEXT, enterprise_number TEXT, profession TEXT,
    riziv_number TEXT, iban TEXT, national_number TEXT,
    marketing_opt_in INTEGER NOT NULL DEFAULT 0, marketing_opt_in_at TEXT,
    webinar_consent INTEGER NOT NULL DEFAULT 0, webinar_consent_at TEXT,
    password_hash TEXT, created_at TEXT NOT NULL,
    processing_restricted INTEGER NOT NULL DEFAULT 0, restricted_at TEXT
);
CREATE INDEX customers_email ON customers (email);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_national_number ON customers (national_number);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    contacted_at TEXT NOT NULL, channel TEXT NOT NULL, subject TEXT NOT NULL,
    notes TEXT, ip_address TEXT
);
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE TABLE trainings (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    course TEXT NOT NULL, completed_on TEXT, certificate_no TEXT
);
CREATE INDEX trainings_customer ON trainings (customer_id);
CREATE TABLE licences (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    product TEXT NOT NULL, edition TEXT NOT NULL, seats INTEGER NOT NULL,
    efact_enabled INTEGER NOT NULL, ehealth_certificate_valid_until TEXT,
    valid_from TEXT NOT NULL, valid_until TEXT
);
CREATE INDEX licences_customer ON licences (customer_id);
CREATE TABLE usage_records (
    id INTEGER PRIMARY KEY,
    licence_id INTEGER NOT NULL REFERENCES licences (id),
    recorded_on TEXT NOT NULL, feature TEXT NOT NULL, uses INTEGER NOT NULL,
    device_name TEXT, operating_system TEXT, software_version TEXT, dotnet_version TEXT, ip_address TEXT
);
CREATE INDEX usage_records_licence ON usage_records (licence_id);
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    invoice_no TEXT NOT NULL UNIQUE, issued_on TEXT NOT NULL, due_on TEXT NOT NULL,
    total_excl_vat TEXT NOT NULL, vat TEXT NOT NULL, total TEXT NOT NULL,
    paid INTEGER NOT NULL, payment_iban TEXT
);
CREATE INDEX invoices_customer ON invoices (customer_id);
CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    description TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price TEXT NOT NULL, amount TEXT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);
"""

PRODUCTS = [
    ("CareConnect", "Huisarts", Decimal("89.00")),
    ("HealthOne", "Pro", Decimal("74.50")),
    ("Daylight", "Apotheek", Decimal("129.00")),
    ("Corilus Cyber Protect", "Advanced Security", Decimal("19.90")),
]
FEATURES = ["e-Fact", "eHealthBox", "Recip-e", "MyCareNet", "Agenda", "Labo-resultaten", "Chapter IV"]
PROFESSIONS = ["General practitioner", "Pharmacist", "Physiotherapist", "Dentist", "Paediatrician", "Nurse"]
COURSES = ["CareConnect basis", "e-Fact in de praktijk", "eHealth-certificaat vernieuwen", "Formation Daylight"]


def database_path() -> Path:
    return Path(settings.DSAR_DEMO_DIR) / "crm.sqlite3"


def _riziv(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}-{rng.randint(10000, 99999)}-{rng.randint(10, 99)}-{rng.randint(100, 999)}"


def ensure_database(stdout=None) -> Path:
    """Create the demo CRM if it is missing or of another version; keep it otherwise."""
    path = database_path()
    if path.exists():
        try:
            with sqlite3.connect(path) as connection:
                row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row and row[0] == VERSION:
                if stdout:
                    stdout.write(f"Demo CRM already present: {path}")
                return path
        except sqlite3.DatabaseError:
            pass
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        connection.executescript(SCHEMA)
        _seed(connection)
        connection.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
        connection.commit()
    finally:
        connection.close()
    # Atomic: a worker never sees a half-built database.
    temporary.replace(path)
    if stdout:
        stdout.write(f"Demo CRM created: {path}")
    return path


def belgian_address(language: str, dutch: Faker, french: Faker) -> dict[str, str]:
    """A Belgian street, postcode, municipality and company for a customer of
    ``language``. Faker's fr_BE has no address or company provider of its own
    and falls back to American ones ("074 Catherine Cove Suite 000"), and its
    IBANs are not Belgian: nl_BE gives the postcodes and municipalities (of the
    whole country), French street names and legal forms the Walloon look."""
    if language == "fr":
        street = f"{french.street_name()[:1].upper()}{french.street_name()[1:]} {dutch.building_number()}"
        company = f"{french.last_name()} {french.random_element(('SRL', 'SA', 'SC', '& Associés'))}"
    else:
        street, company = dutch.street_address(), dutch.company()
    return {"street": street, "postal_code": dutch.postcode(), "city": dutch.city(), "company_name": company}


def _seed(connection: sqlite3.Connection) -> None:
    from faker import Faker  # only to seed: a web process serving the demo need not hold it

    Faker.seed(SEED)
    rng = random.Random(SEED)
    fakers = {"nl": Faker("nl_BE"), "fr": Faker("fr_BE")}
    french = Faker("fr_FR")
    customers = [dict(DEMO_SUBJECT)]
    for index in range(CUSTOMERS - 1):
        language = "nl" if index % 3 else "fr"
        fake = fakers[language]
        gender = rng.choice("FM")
        first = fake.first_name_female() if gender == "F" else fake.first_name_male()
        last = fake.last_name()
        opt_in = rng.random() < 0.6
        webinar = rng.random() < 0.3
        customers.append(
            {
                "customer_no": f"C-{100100 + index}",
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{index}@example.be".lower().replace(" ", ""),
                "phone": f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "gender": gender,
                "language": language,
                **belgian_address(language, fakers["nl"], french),
                "enterprise_number": f"BE 0{rng.randint(200, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}",
                "profession": rng.choice(PROFESSIONS),
                "riziv_number": _riziv(rng),
                "iban": fakers["nl"].iban(),
                "national_number": fakers["nl"].ssn(),
                "marketing_opt_in": int(opt_in),
                "marketing_opt_in_at": fake.date_time_between("-5y", "-1y").isoformat() if opt_in else None,
                "webinar_consent": int(webinar),
                "webinar_consent_at": fake.date_time_between("-2y", "-1d").isoformat() if webinar else None,
                "password_hash": "pbkdf2_sha256$demo$not-a-real-hash",
                "created_at": fake.date_time_between("-8y", "-1y").isoformat(),
            }
        )
    columns = list(DEMO_SUBJECT)
    connection.executemany(
        f"INSERT INTO customers ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",  # noqa: S608 - fixed column names
        [[c[col] for col in columns] for c in customers],
    )
    start = dt.date(2019, 1, 1)
    invoice_no = 2019000
    for customer_id, customer in enumerate(customers, start=1):
        fake = fakers[customer["language"]]
        is_demo = customer_id == 1
        for _ in range(4 if is_demo else rng.randint(0, 3)):
            connection.execute(
                "INSERT INTO contacts (customer_id, contacted_at, channel, subject, notes, ip_address) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    customer_id,
                    fake.date_time_between("-4y", "-1d").isoformat(),
                    rng.choice(["phone", "e-mail", "website form", "visit"]),
                    rng.choice(
                        [
                            "Vraag over e-Fact",
                            "Demo CareConnect",
                            "Offerte Cyber Protect",
                            "Probleem met eHealth-certificaat",
                        ]
                    ),
                    fake.sentence(nb_words=12),
                    fake.ipv4_public(),
                ),
            )
        for _ in range(2 if is_demo else rng.randint(0, 2)):
            connection.execute(
                "INSERT INTO trainings (customer_id, course, completed_on, certificate_no) VALUES (?, ?, ?, ?)",
                (
                    customer_id,
                    rng.choice(COURSES),
                    fake.date_between("-4y", "-1d").isoformat(),
                    f"CERT-{rng.randint(10000, 99999)}",
                ),
            )
        products = rng.sample(PRODUCTS, 2 if is_demo else rng.randint(1, 2))
        if is_demo:
            products = [PRODUCTS[0], PRODUCTS[3]]
        for product, edition, price in products:
            valid_from = start + dt.timedelta(days=rng.randint(0, 900))
            cursor = connection.execute(
                "INSERT INTO licences (customer_id, product, edition, seats, efact_enabled, ehealth_certificate_valid_until, valid_from, valid_until) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    customer_id,
                    product,
                    edition,
                    rng.randint(1, 6),
                    int(rng.random() < 0.8),
                    (valid_from + dt.timedelta(days=3 * 365)).isoformat(),
                    valid_from.isoformat(),
                    None,
                ),
            )
            licence_id = cursor.lastrowid
            device = f"PC-{customer['last_name'][:6].upper()}-{rng.randint(1, 9)}"
            connection.executemany(
                "INSERT INTO usage_records (licence_id, recorded_on, feature, uses, device_name, operating_system, software_version, dotnet_version, ip_address) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        licence_id,
                        (valid_from + dt.timedelta(days=30 * month)).isoformat(),
                        rng.choice(FEATURES),
                        rng.randint(1, 400),
                        device,
                        rng.choice(["Windows 10 Pro 22H2", "Windows 11 Pro 23H2"]),
                        f"{product} 2023.{rng.randint(1, 12)}",
                        rng.choice(["4.8.1", "6.0.25", "8.0.1"]),
                        fake.ipv4_public(),
                    )
                    for month in range(6 if is_demo else rng.randint(1, 5))
                ],
            )
            for year in range(2 if is_demo else rng.randint(0, 2)):
                invoice_no += 1
                issued = valid_from + dt.timedelta(days=365 * year)
                seats = rng.randint(1, 3)
                lines = [(f"{product} {edition} — jaarabonnement", seats, price * 12)]
                if rng.random() < 0.5 or is_demo:
                    lines.append(("Installatie en opleiding", 1, Decimal("150.00")))
                total_excl = sum(q * p for _, q, p in lines)
                vat = (total_excl * Decimal("0.21")).quantize(Decimal("0.01"))
                cursor = connection.execute(
                    "INSERT INTO invoices (customer_id, invoice_no, issued_on, due_on, total_excl_vat, vat, total, paid, payment_iban) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        customer_id,
                        f"F{invoice_no}",
                        issued.isoformat(),
                        (issued + dt.timedelta(days=30)).isoformat(),
                        str(total_excl),
                        str(vat),
                        str(total_excl + vat),
                        int(rng.random() < 0.9),
                        customer["iban"],
                    ),
                )
                connection.executemany(
                    "INSERT INTO invoice_lines (invoice_id, description, quantity, unit_price, amount) VALUES (?, ?, ?, ?, ?)",
                    [(cursor.lastrowid, d, q, str(p), str(q * p)) for d, q, p in lines],
                )
