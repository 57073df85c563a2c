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
"$AUDIT" --requirement requirements.txt --no-deps --progress-spinner off --desc on
echo "pip-audit passed: no known vulnerability in requirements.txt"
