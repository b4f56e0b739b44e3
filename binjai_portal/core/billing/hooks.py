"""What each service tells billing about the records it bills.

An app registers a kind of bill in its AppConfig.ready(); billing calls `on_paid` in the
transaction that marks the bill paid (so the permit moves on with the payment, or
neither happens), and never imports the app.

    billing.hooks.register("perizinan.application", on_paid=application_payment_received)

`category_names(codes)` gives the names of the bill categories (permit types) in the
active language: a bill keeps the name it was issued with, in Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    on_paid: Callable | None = None  # on_paid(*, subject_id: str, bill) -> None
    category_names: Callable | None = None  # category_names(codes) -> {code: name}


_KINDS: dict[str, Kind] = {}


def register(name: str, *, on_paid=None, category_names=None) -> None:
    _KINDS[name] = Kind(name, on_paid, category_names)


def kind(name: str) -> Kind:
    return _KINDS.get(name, Kind(name))
