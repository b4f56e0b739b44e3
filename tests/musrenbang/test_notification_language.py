"""e-Musrenbang's own notices (funding, flags, moderation) are written in the reader's
language, whoever caused them: an English reader gets English in the inbox and by
e-mail, an Indonesian reader Indonesian; a moderator's note stays as typed."""

import pytest
from django.core import mail

from binjai_portal.core.models import Delivery, Notification
from binjai_portal.core.notifications import delivery_send
from musrenbang import services
from musrenbang.models import Status

pytestmark = pytest.mark.django_db


def _mail_of(notification) -> str:
    mail.outbox.clear()
    delivery = Delivery.objects.get(notification=notification, channel="email")
    delivery_send(delivery_id=delivery.pk)
    [message] = mail.outbox
    return f"{message.subject}\n{message.body}"


def _latest(user) -> Notification:
    return Notification.objects.filter(recipient=user).latest("pk")


def test_funded_notice_in_each_readers_language(make_proposal, make_citizen, citizen, tapd):
    proposal = make_proposal(Status.ACCEPTED)
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    supporter = make_citizen()
    assert supporter.language == "id"
    services.proposal_support(proposal=proposal, user=supporter)
    Notification.objects.all().delete()

    services.proposal_mark_funded(
        proposal_id=proposal.pk, actor=tapd, budget_reference="DPA 1.03.02.2.01.0001"
    )

    # The funding notice (beside the transition's own notice), stored in Indonesian.
    [n] = Notification.objects.filter(recipient=citizen, title__contains="didanai APBD")
    title, body = n.title_in("en"), n.body_in("en")
    assert title.startswith(f"{proposal.reference}: funded by the")
    assert body.startswith(f"Proposal {proposal.reference}")
    assert "Follow the budget and spending on the proposal page." in body
    assert "Sub-activity" in body and "Ikuti anggaran" not in body
    email = _mail_of(n)
    assert "funded by the" in email and "Sub-activity" in email
    assert "didanai" not in email and "Ikuti anggaran" not in email

    [n] = Notification.objects.filter(recipient=supporter, title__contains="didanai APBD")
    assert "Ikuti anggaran dan realisasinya" in n.body_in("id")
    email = _mail_of(n)
    assert "didanai APBD" in email and "Sub kegiatan" in email and "funded" not in email


def test_moderation_notice_in_english_keeps_the_moderators_note(
    make_proposal, make_citizen, citizen, moderator
):
    proposal = make_proposal(Status.SUBMITTED)
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    for _ in range(3):
        services.proposal_flag(proposal=proposal, user=make_citizen(), reason="Spam")
    n = _latest(citizen)
    title, body = n.title_in("en"), n.body_in("en")
    assert title == f"Proposal {proposal.reference} temporarily hidden"
    assert body.startswith("Several users have reported your proposal.")
    email = _mail_of(n)
    assert "temporarily hidden" in email and "disembunyikan" not in email

    services.proposal_moderate(
        proposal=proposal, moderator=moderator, restore=True, note="Sudah diperiksa, aman."
    )
    n = _latest(citizen)
    title, body = n.title_in("en"), n.body_in("en")
    assert title == f"Proposal {proposal.reference} is visible again"
    assert "disembunyikan" not in title and "ditampilkan" not in title
    assert body == "Sudah diperiksa, aman."
    # The stored Indonesian text stays for the admin and older readers.
    assert n.title == f"Usulan {proposal.reference} ditampilkan kembali"
