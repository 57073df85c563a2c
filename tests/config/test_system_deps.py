"""scripts/system-deps: the one list of Debian packages, per release and purpose."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-deps"


def _list(tmp_path, os_release: str, *purposes: str) -> list[str]:
    release = tmp_path / "os-release"
    release.write_text(os_release)
    result = subprocess.run(  # noqa: S603
        [SCRIPT, "list", *purposes],
        env={"PATH": "/usr/bin:/bin", "SYSTEM_DEPS_OS_RELEASE": str(release)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    ("os_release", "glib"),
    [
        ('ID=debian\nVERSION_ID="12"\n', "libglib2.0-0"),
        ('ID=debian\nVERSION_ID="13"\n', "libglib2.0-0t64"),
        ('ID=debian\nVERSION_ID="14"\n', "libglib2.0-0t64"),
        ("ID=debian\n", "libglib2.0-0t64"),  # testing and sid have no VERSION_ID
    ],
)
def test_it_names_glib_as_each_debian_release_calls_it(tmp_path, os_release, glib):
    packages = _list(tmp_path, os_release, "pdf")

    assert packages == [glib, "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"]


def test_it_lists_only_the_purposes_asked_for(tmp_path):
    debian_12 = 'VERSION_ID="12"\n'

    assert _list(tmp_path, debian_12, "venv") == ["python3-venv"]
    assert _list(tmp_path, debian_12, "tests", "browser") == ["poppler-utils", "chromium"]


def test_an_unknown_command_is_refused():
    result = subprocess.run([SCRIPT, "install", "pdf"], capture_output=True, text=True)  # noqa: S603

    assert result.returncode == 2
    assert "usage" in result.stderr
