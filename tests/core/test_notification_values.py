"""Values in a notification are formatted when it is read, in the reader's language:
dates, times, money and the names of records that have an English name beside the
Indonesian one. Formatting them before storing froze them in the actor's language."""

import ast
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.notifications import Rupiah, Text, notify

from .test_exports import PACKAGES as APPS  # the project's code packages
from .test_exports import ROOT

WIB = ZoneInfo("Asia/Jakarta")


def _stored_in_indonesian(text: Text) -> Text:
    """As it comes back from the database: written while Indonesian was active."""
    from django.utils.translation import override

    with override("id"):
        return Text.from_json(text.to_json())


def test_money_dates_and_times_are_formatted_in_the_readers_language():
    text = _stored_in_indonesian(
        Text(
            "%(a)s|%(d)s|%(dt)s|%(t)s",
            a=Rupiah(Decimal("1250000")),
            d=datetime.date(2026, 12, 2),
            dt=datetime.datetime(2026, 12, 2, 7, 5, tzinfo=WIB),
            t=datetime.time(7, 5),
        )
    )
    assert text.render("id") == "Rp\u00a01.250.000|2 Desember 2026|2 Desember 2026 07.05|07.05"
    assert text.render("en") == "Rp\u00a01,250,000|2 December 2026|2 December 2026 07:05|07:05"


@pytest.mark.django_db
def test_a_record_with_an_english_name_is_named_in_the_readers_language(citizen, regions):
    from binjai_portal.accounts.models import Unit
    from tests.dokter.factories import FacilityFactory, PoliFactory

    facility = FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"))
    poli = PoliFactory(facility=facility, name="Poli Gigi", code="gigi", letter="G")
    poli.name_en = "Dental clinic"
    poli.save()
    note = notify(
        recipient=citizen,
        title=Text(_("Silakan menuju %(poli)s."), poli=poli),
        channels=(),
    )
    note.refresh_from_db()
    assert note.title_in("id") == "Silakan menuju Poli Gigi."
    assert note.title_in("en") == "Please go to Dental clinic."
    # Without an English name, English readers see the Indonesian one.
    poli.name_en = ""
    poli.save()
    fallback = notify(
        recipient=citizen, title=Text(_("Silakan menuju %(poli)s."), poli=poli), channels=()
    )
    assert fallback.title_in("en") == "Please go to Poli Gigi."


# The guard: no app code formats a value before putting it into a Text.

FORMATTERS = {"rupiah", "date", "number", "percent", "time"}  # binjai_portal.core.formatting
TO_TEXT = {"strftime", "date_format", "isoformat", "intcomma", "floatformat"}
# Records whose name has an English field (modeltranslation): pass the record itself.
TRANSLATED = {"poli", "permit_type", "category", "agency", "unit", "urusan"}


def _preformatted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = node.func.value
        if node.func.attr in TO_TEXT or (
            node.func.attr in FORMATTERS
            and isinstance(owner, ast.Name)
            and owner.id == "formatting"
        ):
            return f"{node.func.attr}(...)"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in FORMATTERS | TO_TEXT:
            return f"{node.func.id}(...)"
    if isinstance(node, ast.Attribute) and node.attr == "name":
        owner = node.value
        if isinstance(owner, ast.Attribute | ast.Name):
            name = owner.attr if isinstance(owner, ast.Attribute) else owner.id
            if name in TRANSLATED:
                return f"{name}.name"
    if isinstance(node, ast.IfExp):
        return _preformatted(node.body) or _preformatted(node.orelse)
    return None


def _text_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if (isinstance(f, ast.Name) and f.id == "Text") or (
                isinstance(f, ast.Attribute) and f.attr == "Text"
            ):
                yield node


def test_no_app_code_formats_a_value_before_storing_it_in_a_text():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for call in _text_calls(tree):
                for kw in call.keywords:
                    what = _preformatted(kw.value)
                    if what:
                        found.append(f"{path.relative_to(ROOT)}:{kw.value.lineno} {kw.arg}={what}")
    assert not found, (
        "Pass the value itself (a date, Rupiah(amount), the record) so it is formatted in "
        "the reader's language:\n" + "\n".join(found)
    )


@pytest.mark.django_db
def test_a_records_subject_names_its_permit_type_in_the_readers_language(citizen, regions):
    """ "Permit application #21 “Izin Usaha Mikro dan Kecil (IUMK)”" in English, once."""
    from binjai_portal.core.notifications import subject_text
    from perizinan.models import Application
    from tests.perizinan.factories import building_type

    kind = building_type()
    kind.name_en = "Micro and Small Business Permit"
    kind.save()
    application = Application(pk=21, permit_type=kind, applicant=citizen)
    stored = _stored_in_indonesian(subject_text(application))
    assert stored.render("en").endswith("“Micro and Small Business Permit”")
    assert stored.render("id").endswith(f"“{kind.name_ind}”")
