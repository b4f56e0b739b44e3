"""Registry of demo-data seeders: each app registers one in its AppConfig.ready().

`manage.py seed_demo` runs them in order. Seeders must be idempotent (running twice
changes nothing) and mark what they create as demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Seeder:
    name: str
    func: Callable[[Callable[[str], None]], None]  # receives a `log(line)` callable
    order: int


_SEEDERS: dict[str, Seeder] = {}


def register(name: str, func: Callable, *, order: int = 100) -> None:
    _SEEDERS[name] = Seeder(name, func, order)


def seeders() -> list[Seeder]:
    return sorted(_SEEDERS.values(), key=lambda s: (s.order, s.name))
