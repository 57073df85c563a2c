"""Sections other areas add to the subject's status page (e.g. the download
of an access copy), so that each adds its part without editing the page.

Like ``requests_app.panels`` for the workspace: ``register_section(Section(...))``.
A section's template receives ``subject_request`` plus its own context and
must show only what the subject may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    order: int = 100
    # (subject_request) -> extra template context
    context: Callable = field(default=lambda subject_request: {})
    # (subject_request) -> whether the section shows for this request
    applies: Callable = field(default=lambda subject_request: True)


_sections: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    _sections[section.key] = section
    return section


def sections_for(subject_request) -> list[tuple[Section, dict]]:
    return [
        (section, section.context(subject_request))
        for section in sorted(_sections.values(), key=lambda s: s.order)
        if section.applies(subject_request)
    ]
