"""Personal data protection (UU 27/2022) as a shared capability: see registry.py."""

from .registry import (
    Basis,
    Processing,
    Section,
    allow,
    declare,
    eraser,
    exporter,
    retention,
    when,
)

__all__ = [
    "Basis",
    "Processing",
    "Section",
    "allow",
    "declare",
    "eraser",
    "exporter",
    "retention",
    "when",
]
