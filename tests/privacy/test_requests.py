import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from binjai_portal.accounts.models import User
from binjai_portal.core.models import Notification, StatusChange
from binjai_portal.core.privacy import services
from binjai_portal.core.privacy.models import RightsRequest
from binjai_portal.core.workdays import add_working_days
from binjai_portal.core.workflow import TransitionRefused

pytestmark = pytest.mark.django_db


def test_citizen_asks_for_a_correction_and_the_dpo_answers_within_the_limit(
    client, citizen, child, dpo, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:request-new"),
            {
                "kind": "correction",
                "dependant": str(child.pk),
                "about": "Tanggal lahir anak",
                "details": "Yang benar 4 Maret 2015",
            },
        )
    req = RightsRequest.objects.get()
    assert response["Location"] == req.get_absolute_url()
    assert req.reference.startswith("PDP-") and req.dependant_id == child.pk
    assert req.sla_due == add_working_days(timezone.localdate(req.received_at), 3)
    assert req.due_at - req.received_at == datetime.timedelta(hours=72)
    assert Notification.objects.filter(recipient=dpo).exists()  # the DPO is told

    # The citizen cannot answer their own request.
    assert (
        client.post(
            reverse("privacy:request-act", args=[req.reference]), {"action": "fulfil", "note": "x"}
        ).status_code
        == 404
    )

    client.force_login(dpo)
    assert client.get(reverse("privacy:request-list")).status_code == 200
    client.post(
        reverse("privacy:request-act", args=[req.reference]),
        {"action": "fulfil", "note": "Tanggal lahir sudah diperbaiki."},
    )
    req.refresh_from_db()
    assert req.status == "done" and req.answered_at and req.answer
    assert req.sla_due is None
    steps = list(
        StatusChange.objects.filter(workflow="privacy.rights_request").values_list(
            "to_state", flat=True
        )
    )
    assert steps == ["submitted", "done"]
    assert Notification.objects.filter(recipient=citizen, title__contains="Dipenuhi").exists()


def test_refusal_needs_a_lawful_reason_and_a_note(citizen, dpo):
    req = services.rights_request_create(
        user=citizen, kind="erasure", about="Izin saya", details="hapus"
    )
    with pytest.raises(ValidationError):
        services.rights_request_act(request=req, actor=dpo, action="refuse", note="Tidak bisa")
    with pytest.raises(TransitionRefused):
        services.rights_request_act(
            request=req, actor=dpo, action="refuse", note="", refusal="legal_retention"
        )
    services.rights_request_act(
        request=req,
        actor=dpo,
        action="refuse",
        note="Arsip perizinan wajib disimpan.",
        refusal="legal_retention",
    )
    req.refresh_from_db()
    assert req.status == "refused" and req.get_refusal_display().startswith("Data wajib disimpan")


def test_only_the_dpo_acts(citizen, moderator):
    req = services.rights_request_create(user=citizen, kind="erasure", about="x", details="y")
    with pytest.raises(PermissionDenied):
        services.rights_request_act(request=req, actor=moderator, action="fulfil", note="ok")
    assert RightsRequest.objects.get().status == "submitted"


def test_granted_erasure_anonymises_the_account(citizen, child, dpo):
    req = services.rights_request_create(
        user=citizen, kind="erasure", about="akun", details="hapus akun saya"
    )
    services.rights_request_act(request=req, actor=dpo, action="fulfil", note="Akun dihapus.")
    user = User.objects.get(pk=citizen.pk)
    assert not user.is_active and user.email is None and user.phone is None
    assert user.nik != citizen.nik and user.full_name == "Akun dihapus"
    assert not user.dependants.exists()
    assert "accounts: akun dianonimkan" in RightsRequest.objects.get().answer


def test_other_citizens_cannot_open_a_request(client, citizen, make_citizen):
    req = services.rights_request_create(user=citizen, kind="correction", about="x", details="y")
    client.force_login(make_citizen())
    assert client.get(req.get_absolute_url()).status_code == 404
