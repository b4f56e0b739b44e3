import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(citizen, child, booking, moderator):
    from tests.masyarakat.factories import ticket_make
    from tests.perizinan.factories import building_type, draft

    ticket = ticket_make(reporter=citizen, title="Lampu jalan mati di gang kami")
    application = draft(building_type(), citizen)
    return {"ticket": ticket, "booking": booking, "child": child, "application": application}


def test_citizen_downloads_every_record_about_them_and_their_family(client, citizen, everything):
    client.force_login(citizen)
    response = client.get(reverse("privacy:my-data-json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    titles = {s["title"] for s in data["sections"]}
    assert {"Profil akun", "Anggota keluarga", "Antrean berobat (e-Dokter)"} <= titles
    assert "Pengaduan (e-Masyarakat)" in titles and "Permohonan izin (e-Perizinan)" in titles
    assert "Usulan musrenbang" in titles
    assert citizen.full_name in text
    assert everything["child"].full_name in text
    assert everything["booking"].code in text
    assert "Demam tiga hari" in text
    assert everything["ticket"].number in text
    assert everything["application"].permit_type.name in text
    assert citizen.nik not in text  # the NIK stays masked even in the owner's copy
    assert citizen.masked_nik in text

    pdf = client.get(reverse("privacy:my-data-pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    page = client.get(reverse("privacy:my-data")).content.decode()
    assert everything["booking"].code in page and everything["child"].full_name in page


def test_another_citizen_sees_none_of_it(client, make_citizen, everything):
    other = make_citizen()
    client.force_login(other)
    text = client.get(reverse("privacy:my-data-json")).content.decode()
    assert everything["booking"].code not in text
    assert everything["ticket"].number not in text
    assert "Budi Anak Siti" not in text
