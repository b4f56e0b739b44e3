"""What the applicant and the office meet on the permit pages: the open draft offered
again, business fields only for businesses, who holds the file, the survey photos for the
head, and a withdrawal that is small, labelled and confirmed."""

import datetime
import re

import pytest
from django.urls import reverse

from perizinan import services
from perizinan import workflows as wf
from perizinan.models import Application
from tests.musrenbang.factories import photo

from . import factories

pytestmark = pytest.mark.django_db


def test_start_offers_the_open_draft_and_a_second_click_continues_it(client, building, citizen):
    client.force_login(citizen)
    url = reverse("perizinan:apply", args=[building.code])
    assert "Lanjutkan draf" not in client.get(url).content.decode()
    first = client.post(url)
    draft = Application.objects.get(applicant=citizen)
    assert first["Location"] == reverse("perizinan:application-edit", args=[draft.pk])
    html = client.get(url).content.decode()
    assert (
        "Lanjutkan draf" in html and reverse("perizinan:application-edit", args=[draft.pk]) in html
    )
    again = client.post(url)  # the same button once more: the same draft, no new one
    assert again["Location"] == reverse("perizinan:application-edit", args=[draft.pk])
    assert Application.objects.filter(applicant=citizen).count() == 1
    client.post(url, {"new": "1"})  # asked for explicitly
    assert Application.objects.filter(applicant=citizen).count() == 2


def test_personal_applicant_keeps_no_business_fields(client, building, citizen):
    app = factories.draft(building, citizen)
    client.force_login(citizen)
    url = reverse("perizinan:application-edit", args=[app.pk])
    html = client.get(url).content.decode()
    assert "perizinan/application_form.js" in html  # hides them while "Perorangan"
    r = client.post(
        url,
        {
            "applicant_kind": "person",
            "business_name": "CV Lama",
            "nib": "12",  # malformed, typed before switching to Perorangan
            "npwp": "123456789012345",
            "intent": "save",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    app.refresh_from_db()
    assert (app.applicant_kind, app.business_name, app.nib, app.npwp) == ("person", "", "", "")
    r = client.post(url, {"applicant_kind": "business", "business_name": "", "intent": "save"})
    assert r.status_code == 200 and "Wajib diisi untuk badan usaha" in r.content.decode()


def test_service_drops_business_identity_of_a_personal_applicant(building, citizen):
    app = factories.draft(building, citizen)
    services.application_update(
        application=app,
        actor=citizen,
        details={"applicant_kind": "person", "nib": "1234567890123", "business_name": "PT X"},
    )
    app.refresh_from_db()
    assert app.nib == "" and app.business_name == ""


def test_at_technical_review_the_applicant_sees_which_agency_holds_the_file(
    client, practice, citizen, permit_verifier
):
    app = factories.submitted(practice, citizen)
    client.force_login(citizen)
    html = client.get(app.get_absolute_url()).content.decode()
    assert "petugas verifikasi berkas" in html
    services.application_accept(application=app, actor=permit_verifier)
    assert app.status == wf.REVIEW
    html = client.get(app.get_absolute_url()).content.decode()
    holder = re.search(r'data-testid="holder".*?</p>', html, re.S).group(0)
    assert app.agency.name in holder and "kajian teknis" in holder


def test_the_head_sees_the_survey_photos_the_applicant_does_not(
    client, building, citizen, permit_verifier, surveyor, head
):
    app = factories.submitted(building, citizen)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_schedule_survey(
        application=app,
        actor=surveyor,
        surveyor=surveyor,
        survey_date=datetime.date.today() + datetime.timedelta(days=1),
    )
    services.application_report_survey(
        application=app, actor=surveyor, findings="Sesuai gambar.", photos=[photo("lokasi.png")]
    )
    token = app.survey_photos.get().token
    photo_url = reverse("core:upload", args=[token])
    client.force_login(head)
    html = client.get(app.get_absolute_url()).content.decode()
    assert "Foto survei lapangan" in html and photo_url in html
    assert client.get(photo_url).status_code == 200
    client.force_login(citizen)
    assert photo_url not in client.get(app.get_absolute_url()).content.decode()


def test_withdrawal_is_a_small_labelled_and_confirmed_action(client, practice, citizen):
    app = factories.submitted(practice, citizen)
    client.force_login(citizen)
    html = client.get(app.get_absolute_url()).content.decode()
    block = re.search(r'<details class="[^"]*pz-withdraw.*?</details>', html, re.S).group(0)
    assert "Cabut permohonan" in block
    assert "data-confirm=" in block and "tidak dapat dilanjutkan" in block
    assert "btn-sm" in block and ">Kirim<" not in block
    assert html.count("tindakan/withdraw/") == 1  # not also as a big card
    r = client.post(reverse("perizinan:application-act", args=[app.pk, "withdraw"]), {})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == wf.WITHDRAWN


def test_the_head_is_asked_before_a_decision(
    client, practice, citizen, permit_verifier, dinkes_officer, head
):
    app = factories.submitted(practice, citizen)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(application=app, actor=dinkes_officer, recommendation="OK")
    client.force_login(head)
    html = client.get(app.get_absolute_url()).content.decode()
    form = re.search(r"<form[^>]*tindakan/decide/[^>]*>", html).group(0)
    assert "data-confirm=" in form and "tidak dapat diubah" in form
