import pytest
from django.urls import reverse

from binjai_portal.core.privacy import services
from binjai_portal.core.privacy.models import Consent, RightsRequest
from tests.accounts.test_views import registration_data

pytestmark = pytest.mark.django_db


def test_registration_tick_is_recorded_as_acceptance_of_the_current_notice(
    client, kelurahan, notice
):
    response = client.post(reverse("accounts:register"), registration_data(kelurahan))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.notice == notice
    assert consent.source == Consent.Source.REGISTRATION


def test_a_new_version_asks_again_and_accepting_records_it(client, citizen, notice):
    services.consent_accept(user=citizen, notice=notice)
    client.force_login(citizen)
    assert client.get(reverse("accounts:profile")).status_code == 200

    v2 = services.notice_publish(
        actor=None, title="Versi 2", body="Isi baru", summary_of_changes="x"
    )
    client.force_login(citizen)  # asked at the next login
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("privacy:notice"))
    assert client.get(reverse("privacy:my-data")).status_code == 200  # its own pages open
    # Refusing to tick changes nothing.
    assert client.post(reverse("privacy:notice"), {}).status_code == 200
    assert not Consent.objects.filter(user=citizen, notice=v2).exists()
    response = client.post(
        reverse("privacy:notice"), {"agree": "on", "next": reverse("accounts:profile")}
    )
    assert response["Location"] == reverse("accounts:profile")
    assert Consent.objects.filter(user=citizen, notice=v2, source="prompt").exists()
    assert client.get(reverse("accounts:profile")).status_code == 200
    # Both versions stay on record, each with its own time.
    assert citizen.privacy_consents.count() == 2


def test_staff_and_posts_are_not_redirected(client, moderator, citizen, notice):
    client.force_login(moderator)
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile-edit"), {})
    assert not response.get("Location", "").startswith(reverse("privacy:notice"))


def test_withdrawal_is_recorded_and_goes_to_the_dpo_within_72_hours(client, citizen, notice, dpo):
    services.consent_accept(user=citizen, notice=notice)
    client.force_login(citizen)
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Pasal 40" in page  # what withdrawal means is explained
    response = client.post(reverse("privacy:consent-withdraw"))
    req = RightsRequest.objects.get()
    assert response["Location"] == req.get_absolute_url()
    assert req.kind == "erasure"
    assert (req.due_at - req.received_at).total_seconds() == 72 * 3600
    assert Consent.objects.get().withdrawn_at is not None
    # Withdrawn: not asked again on every page, but can accept again.
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.post(reverse("privacy:consent-withdraw")).status_code == 302
    assert RightsRequest.objects.count() == 1
