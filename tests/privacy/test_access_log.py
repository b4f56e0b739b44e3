import re

import pytest
from django.contrib import admin
from django.db import DatabaseError, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from binjai_portal.core.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def reveal_url(person, viewer) -> str:
    html = Template("{% load accounts %}{{ p|nik_for:v }}").render(
        Context({"p": person, "v": viewer})
    )
    return re.search(r'href="([^"]+)"', html).group(1)


def test_officer_unmasks_a_nik_with_a_reason_and_the_citizen_sees_it(
    client, citizen, permit_verifier
):
    url = reveal_url(citizen, permit_verifier)
    assert citizen.nik not in url
    client.force_login(permit_verifier)
    page = client.get(url).content.decode()
    assert citizen.nik not in page  # asking first
    # Without a reason: a message, nothing shown, nothing logged.
    page = client.post(url, {"reason": ""}).content.decode()
    assert citizen.nik not in page
    assert not AccessLog.objects.exists()
    page = client.post(url, {"reason": "Verifikasi berkas izin PBG"}).content.decode()
    assert citizen.nik in page
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.viewer, entry.subject_id) == ("nik", permit_verifier, citizen.pk)
    assert entry.reason == "Verifikasi berkas izin PBG"

    client.force_login(citizen)
    mine = client.get(reverse("privacy:access-mine")).content.decode()
    assert "Verifikasi berkas izin PBG" in mine and permit_verifier.full_name in mine


def test_unmasking_needs_the_permission_and_a_valid_token(client, citizen, kelurahan_officer):
    client.force_login(kelurahan_officer)
    assert client.get(reverse("privacy:nik-reveal", args=["palsu"])).status_code == 404
    from binjai_portal.accounts.templatetags.accounts import nik_reveal_token

    url = reverse("privacy:nik-reveal", args=[nik_reveal_token(citizen)])
    assert client.post(url, {"reason": "ingin tahu saja"}).status_code == 404
    assert not AccessLog.objects.exists()


def test_staff_view_of_a_patients_booking_is_logged(client, booking, clinic_clerk, citizen):
    client.force_login(clinic_clerk)
    assert client.get(reverse("dokter:ticket", args=[booking.code])).status_code == 200
    entry = AccessLog.objects.get()
    assert entry.kind == "queue" and entry.subject_id == citizen.pk
    assert entry.dependant_id == booking.patient_dependant_id
    # The citizen's own view is not an access by the government.
    client.force_login(citizen)
    client.get(reverse("dokter:ticket", args=[booking.code]))
    assert AccessLog.objects.count() == 1


def test_moderator_view_of_a_confidential_reporter_is_logged(client, citizen, moderator):
    from tests.masyarakat.factories import ticket_make

    ticket = ticket_make(reporter=citizen, confidential=True)
    client.force_login(moderator)
    assert client.get(ticket.get_absolute_url()).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.subject_id) == ("reporter", citizen.pk)


def test_an_export_with_personal_data_is_logged(citizen, moderator):
    from binjai_portal.core import exports
    from binjai_portal.core.privacy.access import reset_current_user, set_current_user

    token = set_current_user(moderator)
    try:
        b"".join(exports.csv_response([["a", "b"]], filename="aman.csv", stream=True))
        assert not AccessLog.objects.exists()
        response = exports.csv_response([[citizen.full_name, citizen.phone]], filename="x.csv")
        assert response.status_code == 200
        book = exports.table_book(["Nama", "E-mail"], [["A", citizen.email]], title="t")
        exports.xlsx_response(book, filename="y.xlsx")
        exports.xlsx_response(
            exports.table_book(["Nama"], [["A"]], title="t"),
            filename="names.xlsx",
            personal_data=True,
            subject_ids=[citizen.pk],
        )
    finally:
        reset_current_user(token)
    records = list(AccessLog.objects.order_by("pk").values_list("kind", "record", "subject_id"))
    assert records == [
        ("export", "export:x.csv", None),
        ("export", "export:y.xlsx", None),
        ("export", "export:names.xlsx", citizen.pk),
    ]


def test_the_log_is_append_only_in_the_admin_and_the_database(citizen, moderator):
    from binjai_portal.core.privacy.access import access_log_record

    entry = access_log_record(viewer=moderator, kind="nik", record="x", subject_id=citizen.pk)
    model_admin = admin.site._registry[AccessLog]
    request = RequestFactory().get("/")
    request.user = moderator
    moderator.is_superuser = True
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(reason="dihapus jejak")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.get(pk=entry.pk).reason == ""


def test_the_admin_change_form_with_the_full_nik_is_logged(client, citizen, make_staff):
    admin_user = make_staff("administrator")
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    assert client.get(url).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.subject_id, entry.reason) == ("nik", citizen.pk, "admin")
