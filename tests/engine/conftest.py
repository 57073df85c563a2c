"""Fixtures of the engine's tests: source databases on real engines, a local
HTTP API, and connectors made through the YAML loader's models."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine, text

from dsar.models import Connector

SCHEMA = [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, customer_no VARCHAR(20) NOT NULL, email VARCHAR(200) NOT NULL, "
    "phone VARCHAR(40), full_name VARCHAR(200), password_hash VARCHAR(200))",
    "CREATE INDEX customers_email ON customers (email)",
    "CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
    "invoice_no VARCHAR(20) NOT NULL, total DECIMAL(10, 2) NOT NULL, issued_on DATE NOT NULL, "
    "FOREIGN KEY (customer_id) REFERENCES customers (id))",
    "CREATE TABLE invoice_lines (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL, "
    "description VARCHAR(200) NOT NULL, amount DECIMAL(10, 2) NOT NULL, FOREIGN KEY (invoice_id) REFERENCES invoices (id))",
    # No foreign key: the relation is configured.
    "CREATE TABLE tickets (id INTEGER PRIMARY KEY, customer_ref VARCHAR(20) NOT NULL, subject VARCHAR(200) NOT NULL)",
    "CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL)",
]
DROP = ["DROP TABLE IF EXISTS invoice_lines", "DROP TABLE IF EXISTS invoices", "DROP TABLE IF EXISTS tickets",
        "DROP TABLE IF EXISTS customers", "DROP TABLE IF EXISTS products"]  # fmt: skip


def seed(url: str, *, customers: int = 3) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in DROP + SCHEMA:
            connection.execute(text(statement))
        connection.execute(
            text(
                "INSERT INTO customers (id, customer_no, email, phone, full_name, password_hash) "
                "VALUES (:id, :no, :email, :phone, :name, 'hash')"
            ),
            [
                {
                    "id": 1,
                    "no": "C-100042",
                    "email": "lotte.peeters@example.be",
                    "phone": "+32 470 12 34 56",
                    "name": "Lotte Peeters",
                },
                *[
                    {
                        "id": i,
                        "no": f"C-{200000 + i}",
                        "email": f"other{i}@example.be",
                        "phone": "",
                        "name": f"Other {i}",
                    }
                    for i in range(2, customers + 1)
                ],
            ],
        )
        connection.execute(
            text(
                "INSERT INTO invoices (id, customer_id, invoice_no, total, issued_on) VALUES (:id, :c, :no, :t, '2024-01-31')"
            ),
            [
                {"id": 10, "c": 1, "no": "F1", "t": "121.00"},
                {"id": 11, "c": 1, "no": "F2", "t": "60.50"},
                {"id": 12, "c": 2, "no": "F3", "t": "10.00"},
            ],
        )
        connection.execute(
            text("INSERT INTO invoice_lines (id, invoice_id, description, amount) VALUES (:id, :i, :d, :a)"),
            [
                {"id": 100, "i": 10, "d": "CareConnect", "a": "100.00"},
                {"id": 101, "i": 10, "d": "Installation", "a": "21.00"},
                {"id": 102, "i": 11, "d": "Cyber Protect", "a": "60.50"},
                {"id": 103, "i": 12, "d": "Other's line", "a": "10.00"},
            ],
        )
        connection.execute(
            text("INSERT INTO tickets (id, customer_ref, subject) VALUES (:id, :ref, :s)"),
            [{"id": 1, "ref": "C-100042", "s": "e-Fact question"}, {"id": 2, "ref": "C-200002", "s": "Other"}],
        )
    engine.dispose()


def sql_config(url: str, **extra) -> dict:
    return {
        "url": url,
        "tables": {
            "customers": {
                "match": {"email": "email", "customer_number": "customer_no", "phone": "phone"},
                "category": "identification",
                "exclude_columns": ["password_hash"],
            },
            "invoices": {"category": "financial"},
            "invoice_lines": {"category": "financial"},
        },
        "relations": [{"parent": "customers.customer_no", "child": "tickets.customer_ref"}],
        **extra,
    }


def make_connector(code: str = "", *, kind: str = "sql", config: dict | None = None, **fields) -> Connector:
    return Connector.objects.create(
        code=code or f"src-{uuid.uuid4().hex[:8]}",
        name=fields.pop("name", code or "Source"),
        kind=kind,
        config=config or {},
        identity_fields=fields.pop("identity_fields", ["email", "customer_number", "phone"]),
        operations=fields.pop("operations", ["access"]),
        **fields,
    )


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    seed(url)
    return url


def _reachable(url: str) -> str:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return ""
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__


POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_SOURCE = "postgresql+psycopg://postgres@127.0.0.1:5432/dsar_wt5_source"
MARIADB_SOURCE = "mysql+pymysql://root@127.0.0.1:3306/test"


@pytest.fixture(scope="session")
def postgres_source_url():
    problem = _reachable(POSTGRES_ADMIN)
    if problem:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({problem}): PostgreSQL source tests skipped")
    engine = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = 'dsar_wt5_source'")).scalar()
        if not exists:
            connection.execute(text("CREATE DATABASE dsar_wt5_source"))
    engine.dispose()
    seed(POSTGRES_SOURCE)
    return POSTGRES_SOURCE


@pytest.fixture(scope="session")
def mariadb_source_url():
    problem = _reachable(MARIADB_SOURCE)
    if problem:
        pytest.skip(f"MariaDB is not reachable on 127.0.0.1:3306 ({problem}): MariaDB source tests skipped")
    seed(MARIADB_SOURCE)
    return MARIADB_SOURCE


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def source_url(request, tmp_path):
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_source_url")
    return request.getfixturevalue("mariadb_source_url")


# ------------------------------------------------------------------------------
# A local HTTP API
# ------------------------------------------------------------------------------
class FakeAPI:
    """Routes: path -> function(query, headers) returning (status, body dict, delay seconds)."""

    def __init__(self):
        self.routes: dict = {}
        self.requests: list[dict] = []
        self.url = ""

    def route(self, path: str):
        def register(func):
            self.routes[path] = func
            return func

        return register


@pytest.fixture
def fake_api():
    api = FakeAPI()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            api.requests.append({"path": parts.path, "raw": self.path, "query": query, "headers": dict(self.headers)})
            handler = api.routes.get(parts.path)
            status, body, delay = handler(query, self.headers) if handler else (404, {"error": "not found"}, 0)
            if delay:
                time.sleep(delay)
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield api
    server.shutdown()
    server.server_close()


# A small web shop nobody here wrote, as a SQLite file and a PostgreSQL schema (issue 12's configuration checks).
SHOP_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/dsar_h12"


def _build_shop(engine: sa.Engine, schema: str | None) -> None:
    """A small web shop nobody here wrote: customers, invoices, invoice lines, real foreign keys."""
    meta = sa.MetaData(schema=schema)
    sa.Table(
        "clients",
        meta,
        sa.Column("client_no", sa.Integer, primary_key=True),
        sa.Column("mail", sa.String(200), nullable=False),
        sa.Column("full_name", sa.String(200)),
    )
    sa.Table(
        "bills",
        meta,
        sa.Column("bill_id", sa.Integer, primary_key=True),
        sa.Column("client_no", sa.ForeignKey("clients.client_no" if not schema else f"{schema}.clients.client_no")),
        sa.Column("issued", sa.Date),
        sa.Column("reference", sa.String(20)),
    )
    meta.create_all(engine)


@pytest.fixture(params=["sqlite", "postgresql"])
def shop_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "shop.sqlite3"
        engine = sa.create_engine(f"sqlite:///{path}")
        _build_shop(engine, None)
        engine.dispose()
        yield f"sqlite:///{path}", None
        return
    engine = sa.create_engine(SHOP_PG_URL)
    try:
        engine.connect().close()
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL database dsar_h12 is not reachable")
    schema = f"shop_{uuid.uuid4().hex[:8]}"
    with engine.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    _build_shop(engine, schema)
    yield SHOP_PG_URL, schema
    with engine.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
