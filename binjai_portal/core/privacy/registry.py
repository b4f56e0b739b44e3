"""The record of processing activities (UU 27/2022 Pasal 31), declared in code by each app.

Each app's `privacy.py` declares what personal data it holds, why, on which legal basis
(Pasal 20 ayat 2), who may see it and how long it is kept, and registers the functions
that export a citizen's data ("Data saya", Pasal 7 and 13) and that apply the retention
period (Pasal 42-44). This module imports no app: `PrivacyConfig.ready()` imports every
installed app's `privacy` module, as the KPI registry imports `metrics`.

    # dokter/privacy.py
    from binjai_portal.core import privacy

    privacy.declare(privacy.Processing(app="dokter", key="bookings", ...))

    @privacy.exporter("dokter")
    def export(user) -> list[privacy.Section]: ...

    @privacy.retention("dokter", "bookings")
    def purge(now) -> int: ...  # rows anonymised or deleted
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


class Basis:
    """Legal bases of Pasal 20 ayat (2) UU 27/2022, by the letter of the paragraph."""

    CONSENT = "a"  # persetujuan yang sah secara eksplisit
    CONTRACT = "b"  # pemenuhan kewajiban perjanjian
    LEGAL_OBLIGATION = "c"  # pemenuhan kewajiban hukum pengendali
    VITAL_INTEREST = "d"  # pelindungan kepentingan vital subjek
    PUBLIC_TASK = "e"  # tugas dalam rangka kepentingan umum / pelayanan publik / kewenangan
    LEGITIMATE_INTEREST = "f"  # kepentingan sah lainnya

    LABELS = {
        "a": _("Persetujuan eksplisit (Pasal 20 ayat 2 huruf a)"),
        "b": _("Pelaksanaan perjanjian (Pasal 20 ayat 2 huruf b)"),
        "c": _("Kewajiban hukum pengendali (Pasal 20 ayat 2 huruf c)"),
        "d": _("Kepentingan vital subjek data (Pasal 20 ayat 2 huruf d)"),
        "e": _(
            "Tugas pelayanan publik / kewenangan pengendali berdasarkan peraturan "
            "(Pasal 20 ayat 2 huruf e)"
        ),
        "f": _("Kepentingan sah lainnya (Pasal 20 ayat 2 huruf f)"),
    }


# The source of a retention period that no regulation fixes yet (the DPO decides).
DEMO_POLICY = _("kebijakan demo (menunggu keputusan Pejabat PDP)")
# Kept while its purpose lasts: processing ends and the data is erased when the purpose
# is reached (UU 27/2022 Pasal 42 ayat 1 huruf b, Pasal 43 ayat 1 huruf a).
PURPOSE_PERIOD = _(
    "selama tujuan belum tercapai: UU 27/2022 Pasal 42 ayat 1 huruf b dan Pasal 43 ayat 1 huruf a"
)
# Kept as a regional archive: destroyed by the archive retention schedule (UU 27/2022
# Pasal 44 ayat 1 huruf a; the schedule itself comes from the archives law, UU 43/2009).
ARCHIVE_SCHEDULE = _(
    "jadwal retensi arsip daerah (UU 27/2022 Pasal 44 ayat 1 huruf a; UU 43/2009 "
    "Kearsipan); lamanya belum ditetapkan di portal"
)


@dataclass(frozen=True)
class Processing:
    """One processing activity: a category of personal data and what is done with it."""

    app: str
    key: str
    label: object
    data: tuple  # the kinds of personal data (labels)
    purpose: object
    basis: str  # a Basis letter
    recipients: object  # who may see it
    retention: object  # the period, in words
    retention_days: int | None = None  # None: kept while the account exists
    # Where the period comes from: a regulation's article, or DEMO_POLICY until the data
    # protection officer decides. Never a regulation the period is not actually from.
    retention_source: object = ""
    # The models ("app_label.Model") that hold this data: the registry test fails for a
    # model with a personal-data field that no processing covers.
    models: tuple[str, ...] = ()
    specific: bool = False  # data pribadi yang bersifat spesifik (Pasal 4 ayat 2: health, children)
    erasable: bool = True  # may the subject have it erased (Pasal 8), or must the region keep it
    keep_reason: object = ""  # why not, when not erasable (shown when a request is refused)

    @property
    def basis_label(self) -> str:
        return str(Basis.LABELS.get(self.basis, self.basis))

    @property
    def needs_consent(self) -> bool:
        return self.basis == Basis.CONSENT


@dataclass(frozen=True)
class Section:
    """A part of a citizen's data as an exporter returns it: plain values only."""

    app: str
    title: str
    records: tuple[dict, ...]  # {label: value}; values are str, int, or None


def when(value) -> str:
    """A timestamp as an export shows it: local time, to the minute (readable, sortable)."""
    if value is None:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@dataclass
class Registry:
    processings: dict[tuple[str, str], Processing] = field(default_factory=dict)
    exporters: dict[str, Callable] = field(default_factory=dict)
    retentions: dict[tuple[str, str], Callable[[datetime.datetime], int]] = field(
        default_factory=dict
    )
    erasers: dict[str, Callable] = field(default_factory=dict)
    # URL names ("privacy:my-data-json") whose responses exist to carry personal data to
    # the person it is about or to an authorised officer, with the reason.
    allowed_urls: dict[str, str] = field(default_factory=dict)
    # Models with a field that looks like personal data but is not (an office's phone).
    not_personal: dict[str, str] = field(default_factory=dict)

    def declare(self, processing: Processing) -> Processing:
        if processing.basis not in Basis.LABELS:
            raise ValueError(f"{processing.app}.{processing.key}: unknown basis {processing.basis}")
        self.processings[(processing.app, processing.key)] = processing
        return processing

    def sorted_processings(self) -> list[Processing]:
        return sorted(self.processings.values(), key=lambda p: (p.app, p.key))


registry = Registry()


def declare(processing: Processing) -> Processing:
    return registry.declare(processing)


def exporter(app: str):
    """func(user) -> iterable of Section: everything the app holds about the user and
    their dependants, as plain values."""

    def decorator(func):
        registry.exporters[app] = func
        return func

    return decorator


def retention(app: str, key: str):
    """func(now) -> number of records anonymised or deleted because their period ended.
    The key is the Processing's key whose period it applies."""

    def decorator(func):
        registry.retentions[(app, key)] = func
        return func

    return decorator


def eraser(app: str):
    """func(user) -> str: erase (or anonymise) what the app may erase of the user's data
    when an erasure request is granted; returns a summary for the reply."""

    def decorator(func):
        registry.erasers[app] = func
        return func

    return decorator


def allow(*, url_name: str, reason: str) -> None:
    """Declare a response that may carry a NIK, phone number or e-mail address: the
    minimisation check of the test suite (tests/privacy_scan.py) skips exactly this URL
    name and nothing else. The reason says whose data and why (Pasal 16 ayat 2)."""
    if not reason:
        raise ValueError(f"{url_name}: an allowed place needs its reason")
    registry.allowed_urls[url_name] = reason


def not_personal(*, model: str, reason: str) -> None:
    """Declare that a model's name/phone/address fields are not a person's (an office's
    published contact, a unit's name), for the registry's coverage test."""
    if not reason:
        raise ValueError(f"{model}: say why it holds no personal data")
    registry.not_personal[model] = reason


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("privacy")
