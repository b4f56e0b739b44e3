"""Two complaints forwarded to an agency give two notifications that say which is which."""

import pytest

from binjai_portal.core.models import Notification

from .factories import ticket_assigned

pytestmark = pytest.mark.django_db


def test_two_tickets_give_two_distinguishable_notifications(citizen, moderator):
    first = ticket_assigned(reporter=citizen, moderator=moderator, title="Lampu jalan padam")
    second = ticket_assigned(reporter=citizen, moderator=moderator, title="Sampah menumpuk")
    titles = list(
        Notification.objects.filter(recipient=citizen, title__contains="Diteruskan ke OPD")
        .order_by("pk")
        .values_list("title", "body")
    )
    assert len(titles) == 2 and titles[0][0] != titles[1][0]
    assert first.number in titles[0][0] and "Lampu jalan padam" in titles[0][1]
    assert second.number in titles[1][0] and "Sampah menumpuk" in titles[1][1]
