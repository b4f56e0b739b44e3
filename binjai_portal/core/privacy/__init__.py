"""Personal data protection (UU 27/2022) as a shared capability: see registry.py."""

from .registry import (
    ARCHIVE_SCHEDULE,
    DEMO_POLICY,
    PURPOSE_PERIOD,
    Basis,
    Processing,
    Section,
    allow,
    declare,
    eraser,
    exporter,
    not_personal,
    retention,
    when,
)

__all__ = [
    "ARCHIVE_SCHEDULE",
    "DEMO_POLICY",
    "PURPOSE_PERIOD",
    "Basis",
    "Processing",
    "Section",
    "allow",
    "declare",
    "eraser",
    "exporter",
    "retention",
    "not_personal",
    "when",
]
