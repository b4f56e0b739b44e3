"""Privacy notifications: the DPO's new-request notice in each DPO's language; the
incident notice, the DPO's own words, the same in every language (issue 14)."""

import pytest
from django.utils import timezone

from binjai_portal.core.privacy import services
from tests.untranslated import read_as

pytestmark = pytest.mark.django_db


def test_new_rights_request_in_the_dpos_language(citizen, dpo, django_capture_on_commit_callbacks):
    dpo.language = "en"
    dpo.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        req = services.rights_request_create(
            user=citizen, kind="correction", about="Alamat", details="Salah ketik"
        )
    title, _body, _mails = read_as(dpo)
    assert title == f"New data subject rights request: {req.reference}"
    dpo.language = "id"
    title, _body, _mails = read_as(dpo)
    assert title == f"Permintaan hak subjek data baru: {req.reference}"


def test_incident_notice_is_sent_as_written(dpo, make_citizen):
    victim = make_citizen()
    victim.language = "en"
    victim.save(update_fields=["language"])
    incident = services.incident_create(
        actor=dpo, title="x", description="y", data_disclosed="z", discovered_at=timezone.now()
    )
    incident.affected.add(victim)
    services.incident_notify(
        incident=incident, actor=dpo, title="Data Anda 100% aman?", body="Kami minta maaf."
    )
    title, body, _mails = read_as(victim)
    assert (title, body) == ("Data Anda 100% aman?", "Kami minta maaf.")
