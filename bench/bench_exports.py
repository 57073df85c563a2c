"""Exports: the PDF of a subject with 1,000 records (target under 5 s), pages
per second and our overhead over WeasyPrint alone; the JSON of 100,000
records as a stream (target under 300 MB peak memory).

Runs on its own scratch database (var/bench/) unless DATABASE_URL is set.
The JSON export runs in a fresh process so its peak memory is its own.
"""

from __future__ import annotations

import gc
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import child_figures, figure, print_load, start_child  # noqa: E402

PDF_RECORDS = 1_000
PDF_TARGET_S = 5.0  # issue 6, on this two-core machine
# Interleaved with WeasyPrint alone: 2 x 3 renders of 5 to 8 s (5 runs took 80 s of a
# slow machine's 15 minutes, issue 17).
PDF_RUNS = 3
WIDE_RUNS = 2
# 100,000 for the figures; fewer (BENCH_JSON_RECORDS) while developing.
JSON_RECORDS = int(os.environ.get("BENCH_JSON_RECORDS", "100000"))
# Issue 17: rendered in parts (dsar.exports.pdf_parts), peak under 400 MB.
PDF_LARGE_RECORDS = int(os.environ.get("BENCH_PDF_LARGE_RECORDS", "10000"))
PDF_LARGE_TARGET_MB = 400


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DSAR_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _record(n: int) -> tuple[str, str, dict]:
    """Every fourth record a contact in the CRM, the others invoices in the ERP."""
    if n % 4 == 0:
        return (
            "contacts",
            "contact",
            {
                "name": "Lotte Peeters",
                "email": "lotte.peeters@example.be",
                "city": "Sint-Niklaas",
                "note": f"Gesprek nr. {n}: vroeg naar één offerte — réponse envoyée",
            },
        )
    return (
        "invoices",
        "billing",
        {
            "number": f"F-2026-{n:06d}",
            "date": "2026-03-14",
            "amount": round(10 + n * 0.37, 2),
            "paid": n % 3 == 0,
            "description": "Licentie CareConnect — maandabonnement",
        },
    )


def _json_floor(records: int) -> float:
    """The floor of the JSON copy: the same records, made in Python (no
    database, no decryption) and written with one json.dumps each to a
    buffered file, as a bare streamed export would. Seconds."""
    import tempfile

    with tempfile.TemporaryFile("w", encoding="utf-8") as out:
        started = time.perf_counter()
        out.write('{"records": [')
        for n in range(records):
            entity, category, data = _record(n)
            if n:
                out.write(",")
            out.write(json.dumps({"entity": entity, "category": category, "data": data}, ensure_ascii=False))
        out.write("]}")
        out.flush()
        return time.perf_counter() - started


def _job(reference: str, records: int):
    from dsar.models import Job, SourceRecord, SourceRun
    from tests.support.export_factories import add_records, make_job

    Job.objects.filter(external_ref=reference).delete()
    job = make_job(reference, crm_records=[], erp_records=[])
    crm, erp = job.runs.get(connector__code="crm"), job.runs.get(connector__code="erp")
    batch = 5_000
    for start in range(0, records, batch):
        contacts, invoices = [], []
        for n in range(start, min(start + batch, records)):
            (contacts if n % 4 == 0 else invoices).append(_record(n))
        add_records(crm, contacts, start=start)
        add_records(erp, invoices, start=start)
    for run in (crm, erp):
        run.record_count = SourceRecord.objects.filter(run=run).count()
        run.save()
    assert SourceRun.objects.filter(job=job).count() == 2
    return job


WIDE_FIELDS = 12


def _wide_job(reference: str, records: int):
    """Records too wide for a table (more columns than MAX_TABLE_COLUMNS): each
    becomes its own field/value block in the PDF, the costlier layout."""
    from dsar.models import Job, SourceRecord
    from tests.support.export_factories import add_records, make_job

    Job.objects.filter(external_ref=reference).delete()
    job = make_job(reference, crm_records=[], erp_records=[])
    crm = job.runs.get(connector__code="crm")
    rows = [
        (
            "logins",
            "contact",
            {
                "name": "Lotte Peeters",
                "email": "lotte.peeters@example.be",
                "phone": "+32 3 776 12 34",
                "street": "Grote Markt 1",
                "postcode": "9100",
                "city": "Sint-Niklaas",
                "country": "BE",
                "language": "nl",
                "customer_number": f"C-{n:06d}",
                "riziv": "1-23456-78-901",
                "created": "2024-02-01T09:30:00+01:00",
                "note": f"Aanmelding nr. {n} — réponse envoyée",
            },
        )
        for n in range(records)
    ]
    assert len(rows[0][2]) == WIDE_FIELDS
    add_records(crm, rows)
    crm.record_count = SourceRecord.objects.filter(run=crm).count()
    crm.save()
    return job


def bench_pdf_wide() -> None:
    from dsar.exports import pdf_export
    from dsar.exports.json_export import write_json

    job = _wide_job("BENCH-PDF-WIDE", PDF_RECORDS)
    spec = _spec(job)
    json_out = io.StringIO()
    write_json(spec, json_out)
    json_bytes = json_out.getvalue().encode()
    runs = []
    for _ in range(WIDE_RUNS):
        out = io.BytesIO()
        with _timed(runs):
            pages = pdf_export.write_pdf(spec, out, json_bytes=json_bytes, json_sha256="0" * 64)
    best = min(wall for wall, _cpu in runs)
    figure(f"pdf_{PDF_RECORDS}_wide_records", best, "s")
    print(
        f"PDF, {PDF_RECORDS} records of {WIDE_FIELDS} fields (field/value blocks): {pages} pages, "
        f"best {best:.2f} s of {WIDE_RUNS} (wall {_runs(runs, 0)} s; CPU {_runs(runs, 1)} s), target < {PDF_TARGET_S:.0f} s: "
        f"{'met' if best < PDF_TARGET_S else 'NOT met'}"
    )


def _spec(job, language="nl"):
    from dsar.exports.content import ExportSpec
    from dsar.exports.register import register_snapshot
    from tests.support.export_factories import CONTROLLER

    return ExportSpec(job=job, controller=CONTROLLER, register=register_snapshot(), language=language)


def bench_pdf() -> None:
    from weasyprint import HTML

    from dsar.exports import pdf_export
    from dsar.exports.fetcher import StaticOnlyFetcher
    from dsar.exports.json_export import write_json

    job = _job("BENCH-PDF", PDF_RECORDS)
    spec = _spec(job)
    json_out = io.StringIO()
    write_json(spec, json_out)
    json_bytes = json_out.getvalue().encode()
    pdf_export.write_pdf(spec, io.BytesIO(), json_bytes=json_bytes)  # warm-up: fonts, templates

    # Ours and WeasyPrint alone interleaved, so that load from other processes
    # on the shared machine weighs on both alike. Wall time is what the target
    # is about; CPU time (this process's) moves less with that load.
    html = pdf_export.render_html(spec)
    ours, alone = [], []
    for _ in range(PDF_RUNS):
        out = io.BytesIO()
        # Neither side pays for the other's garbage: WeasyPrint alone leaves a
        # whole document's cycles to the collector, which our export's final
        # collection would otherwise sweep inside its own timing (0.5 s CPU).
        gc.collect()
        with _timed(ours):
            pages = pdf_export.write_pdf(spec, out, json_bytes=json_bytes, json_sha256="0" * 64)
        fetcher = StaticOnlyFetcher()
        gc.collect()
        with _timed(alone):
            HTML(string=html, base_url=fetcher.base_url(), url_fetcher=fetcher).write_pdf(io.BytesIO())
    load = os.getloadavg()[0]
    best = min(wall for wall, _cpu in ours)
    best_cpu = min(cpu for _wall, cpu in ours)
    alone_best = min(wall for wall, _cpu in alone)
    alone_cpu = min(cpu for _wall, cpu in alone)

    print(
        f"PDF, {PDF_RECORDS} records: {pages} pages, {len(out.getvalue()) / 1e6:.1f} MB (PDF/A-3a, tagged, JSON attached)"
    )
    verdict = "met" if best < PDF_TARGET_S else "NOT met"
    median = statistics.median(wall for wall, _cpu in ours)
    print(
        f"  our export: {best:.2f} s (best of {PDF_RUNS}; median {median:.2f} s), "
        f"target < {PDF_TARGET_S:.0f} s: {verdict}"
    )
    print(f"    wall per run: {_runs(ours, 0)} s; CPU per run: {_runs(ours, 1)} s (best {best_cpu:.2f})")
    print(
        f"  pages per second: {pages / best:.1f}, records per second: {PDF_RECORDS / best:.0f} "
        f"(load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"  WeasyPrint alone on the same HTML (plain PDF, default settings): {alone_best:.2f} s, CPU {alone_cpu:.2f} s; "
        f"ratio ours/alone = {best / alone_best:.2f} (CPU {best_cpu / alone_cpu:.2f})"
    )
    figure(f"pdf_{PDF_RECORDS}_records", median, "s", statistics.median(wall for wall, _cpu in alone))
    # The same ratio in this process's CPU time, which other processes on a
    # shared machine move much less than the wall time.
    figure(
        f"pdf_{PDF_RECORDS}_records_cpu",
        statistics.median(cpu for _wall, cpu in ours),
        "s",
        statistics.median(cpu for _wall, cpu in alone),
    )


@contextmanager
def _timed(runs: list):
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    runs.append((time.perf_counter() - wall, time.process_time() - cpu))


def _runs(runs: list, index: int) -> str:
    return ", ".join(f"{run[index]:.2f}" for run in runs)


def bench_json() -> None:
    job = _job("BENCH-JSON", JSON_RECORDS)
    started = time.perf_counter()
    figures = child_figures(start_child("bench.bench_exports", "--json-child", str(job.pk)))
    elapsed = time.perf_counter() - started
    print(
        f"JSON, {figures['records']} records streamed to an encrypted file: {figures['size'] / 1e6:.1f} MB, "
        f"{figures['seconds']:.1f} s to write ({elapsed:.1f} s with process start-up)"
    )
    print(
        f"  peak memory of the exporting process: {figures['peak_mb']:.0f} MB "
        f"(of which {figures['baseline_mb']:.0f} MB before the export started) — target < 300 MB"
    )
    print(
        f"  runs: {', '.join(f'{run:.2f}' for run in figures['runs'])} s; floor (median): {figures['floor_seconds']:.2f} s"
    )
    figure(f"json_{JSON_RECORDS}_records", figures["seconds"], "s", figures["floor_seconds"])
    # What decrypting the records alone costs, over the same floor: the least the copy can take.
    figure(f"json_{JSON_RECORDS}_records_decrypt_only", figures["decrypt_seconds"], "s", figures["floor_seconds"])
    figure(f"json_{JSON_RECORDS}_records_memory", figures["peak_mb"] - figures["baseline_mb"], "MB")


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not ru_maxrss: on Linux
    that carries the parent's peak across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


JSON_ROUNDS = 3


def _decrypt_only(job) -> float:
    """Decrypting the job's records alone (the key ring fetched once, as the
    copy does), nothing else: the part of the copy no writer can save. Seconds."""
    from django.db.models import ExpressionWrapper, F, TextField

    from dsar.core import crypto
    from dsar.models import SourceRecord

    decrypt = crypto.keyring().decrypt_text
    started = time.perf_counter()
    # The ciphertext as stored, past the field's own decryption.
    tokens = SourceRecord.objects.filter(run__job=job).values_list(
        ExpressionWrapper(F("data"), output_field=TextField()), flat=True
    )
    for token in tokens.iterator(chunk_size=1000):
        decrypt(token)
    return time.perf_counter() - started


def _json_child(job_id: str) -> None:
    _setup()
    from dsar.exports import service
    from dsar.models import Job

    baseline = _peak_mb()
    job = Job.objects.get(pk=job_id)
    # Rounds of export then floor, interleaved, medians of each: on a loaded
    # machine one floor alone drifts by a factor of two between runs.
    exports, floors = [], []
    for _round in range(JSON_ROUNDS):
        started = time.perf_counter()
        (export,) = service.generate(_spec(job), ["json"])
        exports.append(time.perf_counter() - started)
        floors.append(_json_floor(export.record_count))
    peak = _peak_mb()
    print(
        json.dumps(
            {
                "records": export.record_count,
                "size": export.size,
                "seconds": statistics.median(exports),
                "runs": exports,
                "peak_mb": peak,
                "baseline_mb": baseline,
                "floor_seconds": statistics.median(floors),
                "decrypt_seconds": _decrypt_only(job),
            }
        )
    )


def large_pdf_job():
    """The job of PDF_LARGE_RECORDS records whose report ``start_pdf_large`` renders."""
    return _job("BENCH-PDF-LARGE", PDF_LARGE_RECORDS)


def start_pdf_large(job, mode: str = "parts") -> subprocess.Popen:
    """The report of ``job`` rendered in a fresh process, so that its peak memory is its own."""
    return start_child("bench.bench_exports", "--pdf-child", str(job.pk), mode)


def report_pdf_large(child: subprocess.Popen, mode: str, load_before: float, beside: str = "") -> None:
    """Wait for ``start_pdf_large``'s process and print its figures."""
    figures = child_figures(child)
    load = max(load_before, os.getloadavg()[0])
    suffix = "" if mode == "parts" else "_one_pass"
    print(
        f"PDF, {figures['records']} records ({mode}{beside}): {figures['pages']} pages, "
        f"{figures['size'] / 1e6:.1f} MB, {figures['seconds']:.1f} s (CPU {figures['cpu_seconds']:.1f} s); "
        f"peak memory {figures['peak_mb']:.0f} MB ({figures['baseline_mb']:.0f} MB before it started), "
        f"target <= {PDF_LARGE_TARGET_MB} MB (load average up to {load:.1f})"
    )
    figure(f"pdf_{PDF_LARGE_RECORDS}_records{suffix}_peak_rss", figures["peak_mb"], "MB")
    figure(f"pdf_{PDF_LARGE_RECORDS}_records{suffix}", figures["seconds"], "s")
    figure(f"pdf_{PDF_LARGE_RECORDS}_records{suffix}_cpu", figures["cpu_seconds"], "s")


def bench_pdf_large_one_pass() -> None:
    """``BENCH_PDF_ONE_PASS=1``: the PDF of 10,000 records made in one
    WeasyPrint pass (the threshold raised past it), in a fresh process: what
    it cost before, 51 s and 1.1 GB on this machine, too long to run every
    time. ``make bench`` measures it in parts (the target: peak memory) in
    bench_memory, beside the pool process's PDFs: both are memory figures."""
    report_pdf_large(start_pdf_large(large_pdf_job(), "one-pass"), "one-pass", os.getloadavg()[0])


def _pdf_child(job_id: str, mode: str) -> None:
    _setup()
    from dsar.exports import pdf_export, pdf_parts
    from dsar.exports.json_export import write_json
    from dsar.models import Job

    if mode == "one-pass":
        pdf_parts.PARTS_THRESHOLD = 10**9
    spec = _spec(Job.objects.get(pk=job_id))
    json_out = io.StringIO()
    records = write_json(spec, json_out)
    json_bytes = json_out.getvalue().encode()
    del json_out
    baseline = _peak_mb()
    out = io.BytesIO()
    started, cpu = time.perf_counter(), time.process_time()
    pages = pdf_export.write_pdf(spec, out, json_bytes=json_bytes, json_sha256="0" * 64)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        json.dumps(
            {
                "records": records,
                "pages": pages,
                "size": len(out.getvalue()),
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mb": _peak_mb(),
                "baseline_mb": baseline,
            }
        )
    )


def main() -> None:
    _setup()
    print_load("start")
    bench_pdf()
    bench_pdf_wide()
    print_load("after the PDFs")
    if os.environ.get("BENCH_PDF_ONE_PASS") == "1":
        bench_pdf_large_one_pass()
        print_load("after the large PDF")
    bench_json()
    print_load("end")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--json-child":
        _json_child(sys.argv[2])
    elif len(sys.argv) > 3 and sys.argv[1] == "--pdf-child":
        _pdf_child(sys.argv[2], sys.argv[3])
    elif sys.argv[1:] == ["--json"]:
        # The JSON figures alone (a few minutes less than the PDFs before them).
        _setup()
        print_load("start")
        bench_json()
        print_load("end")
    else:
        main()
