"""Where the exports' own assets are (style sheet, fonts, images).

A module of its own, without WeasyPrint: the content digest of every copy
(``service.layout_fingerprint``) reads the style sheet, and a JSON or CSV copy
must not import WeasyPrint for that (its import costs 0.45 s of CPU and 35 MB,
and fails on a machine without Pango, where JSON and CSV must still be made).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def asset_dir() -> Path:
    return (Path(settings.BASE_DIR) / "config" / "static" / "exports").resolve()
