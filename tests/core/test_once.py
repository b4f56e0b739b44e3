"""core.once: the one way a reminder, an escalation or an alert is sent once."""

import threading

import pytest
from django.db import connection, connections, transaction

from binjai_portal.core.models import NotifiedOnce
from binjai_portal.core.once import once, once_taken

THREADS = 12


def test_the_first_claim_wins_and_a_second_run_finds_it(db):
    assert once("test.reminder:1") is True
    assert once("test.reminder:1") is False
    assert once("test.reminder:2") is True
    assert once_taken(["test.reminder:1", "test.reminder:3"]) == {"test.reminder:1"}


def test_a_rolled_back_sender_frees_the_key(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert once("test.overdue:7") is True
        raise RuntimeError  # e.g. writing the notifications failed: nothing was sent
    assert not NotifiedOnce.objects.filter(key="test.overdue:7").exists()
    assert once("test.overdue:7") is True


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_once():
    """Twelve workers claim the same key at once, each in its own transaction and
    connection: exactly one wins, the others wait for it and then find the key."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(THREADS)
    won, errors = [], []

    def send():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                if once("test.escalation:42"):
                    won.append(1)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert won == [1]
    assert NotifiedOnce.objects.filter(key="test.escalation:42").count() == 1


def test_a_key_longer_than_the_column_is_claimed_once_and_found_again(db):
    """Keys longer than the column (an alert's cause, say) are stored as their head and a
    digest: claimed once, found by once_taken() under the caller's own key, and two long
    keys that differ only after the column's length stay two keys."""
    head = "command_center.alert:" + "x" * 300
    first, second = head + ":1", head + ":2"
    assert once(first) is True
    assert once(first) is False
    assert once(second) is True
    assert once_taken([first, second, head]) == {first, second}
    stored = set(NotifiedOnce.objects.values_list("key", flat=True))
    assert len(stored) == 2
    assert all(len(k) <= NotifiedOnce._meta.get_field("key").max_length for k in stored)
