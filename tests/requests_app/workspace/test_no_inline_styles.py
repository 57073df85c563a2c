"""The content security policy blocks inline style attributes: the pages a
browser shows carry none (e-mails and PDF templates, read elsewhere, may)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
BROWSER_PAGES = ["intake", "workspace", "delivery", "audit", "execution", "forwarding"]
INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)


@pytest.mark.parametrize("folder", BROWSER_PAGES)
def test_no_page_template_carries_an_inline_style(folder):
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in sorted((TEMPLATES / folder).rglob("*.html"))
        if INLINE_STYLE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
