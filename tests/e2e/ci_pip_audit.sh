#!/usr/bin/env bash
# Known vulnerabilities in the pinned runtime packages (requirements.txt), from
# the Python Packaging Advisory Database through pip-audit. It needs the
# advisory service: when that cannot be reached (an offline CI runner) the
# check says so plainly and is skipped, never silently passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
AUDIT=.venv/bin/pip-audit
SERVICE="${PIP_AUDIT_SERVICE:-https://pypi.org/pypi/pip/json}"
if ! .venv/bin/python -c "import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=10)" "$SERVICE" >/dev/null 2>&1; then
  echo "pip-audit SKIPPED: the advisory service ($SERVICE) cannot be reached from this runner; no vulnerability check was made."
  exit 0
fi
# --no-deps: requirements.txt pins every package the processes import; the
# resolver would otherwise need the package index as well.
REPORT="$(mktemp)"
trap 'rm -f "$REPORT"' EXIT
status=0
"$AUDIT" --requirement requirements.txt --no-deps --progress-spinner off --desc on --format json \
  --output "$REPORT" 2>/dev/null || status=$?
.venv/bin/python - "$REPORT" "$status" <<'PYEOF'
import json
import sys

report, status = json.load(open(sys.argv[1])), int(sys.argv[2])
dependencies = report.get("dependencies", [])
audited = [d for d in dependencies if not d.get("skip_reason")]
vulnerable = [d for d in audited if d.get("vulns")]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
        print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
if vulnerable:
    sys.exit("pip-audit FAILED: known vulnerabilities in requirements.txt (above)")
if not audited:
    # The service answered but knows none of our packages (a mirror, a proxy
    # that rewrites pypi.org): nothing was checked, so say so.
    print(f"pip-audit SKIPPED: the advisory service knew none of the {len(dependencies)} packages; no vulnerability check was made.")
    sys.exit(0)
if status not in (0, 1):
    sys.exit(f"pip-audit failed to run (exit {status})")
skipped = len(dependencies) - len(audited)
print(f"pip-audit passed: no known vulnerability in {len(audited)} packages" + (f" ({skipped} could not be looked up)" if skipped else ""))
PYEOF
