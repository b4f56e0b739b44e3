"""The declared workflow of a queue entry (Booking.status).

One patient is called per poli at a time: `queue_call_next` refuses while an entry of the
poli is still "called". The clerk resolves it explicitly: "start" (the patient came in),
"recall" (call the same number again) or "mark_absent" (skip: the patient did not come;
"requeue" puts a late arrival back with their number)."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts.roles import PETUGAS_PUSKESMAS
from binjai_portal.core.workflow import OWNER, SYSTEM, Action, State, Workflow

from .models import Booking

S = Booking.Status
STAFF = (PETUGAS_PUSKESMAS,)

BOOKING = Workflow(
    name="dokter.booking",
    states=(
        State(S.BOOKED, S.BOOKED.label),
        State(S.CHECKED_IN, S.CHECKED_IN.label),
        State(S.CALLED, S.CALLED.label),
        State(S.SERVING, S.SERVING.label),
        State(S.DONE, S.DONE.label, final=True),
        State(S.TRANSFERRED, S.TRANSFERRED.label, final=True),
        State(S.ABSENT, S.ABSENT.label),
        State(S.CANCELLED, S.CANCELLED.label, final=True),
    ),
    actions=(
        Action("check_in", (S.BOOKED,), S.CHECKED_IN, roles=STAFF, label=_("Hadir")),
        Action("call", (S.CHECKED_IN,), S.CALLED, roles=STAFF, label=_("Panggil")),
        Action("recall", (S.CALLED,), S.CALLED, roles=STAFF, label=_("Panggil ulang")),
        Action(
            "mark_absent", (S.CALLED, S.CHECKED_IN), S.ABSENT, roles=STAFF, label=_("Tidak hadir")
        ),
        Action(
            "requeue", (S.ABSENT,), S.CHECKED_IN, roles=STAFF, label=_("Masukkan lagi ke antrean")
        ),
        Action("start", (S.CALLED,), S.SERVING, roles=STAFF, label=_("Mulai layani")),
        Action("finish", (S.SERVING,), S.DONE, roles=STAFF, label=_("Selesai")),
        Action("transfer", (S.SERVING,), S.TRANSFERRED, roles=STAFF, label=_("Rujuk ke poli lain")),
        Action(
            "undo_transfer", (S.TRANSFERRED,), S.SERVING, roles=STAFF, label=_("Batalkan rujukan")
        ),
        Action("cancel", (S.BOOKED,), S.CANCELLED, roles=(OWNER, *STAFF), label=_("Batalkan")),
        Action(
            "withdraw", (S.CHECKED_IN,), S.CANCELLED, roles=STAFF, label=_("Tarik dari antrean")
        ),
        # The end of the day (queue_close_day, a scheduled task): what is still open closes.
        Action("close_day_done", (S.SERVING,), S.DONE, roles=(SYSTEM,), label=_("Tutup hari")),
        Action(
            "close_day_absent",
            (S.BOOKED, S.CHECKED_IN, S.CALLED),
            S.ABSENT,
            roles=(SYSTEM,),
            label=_("Tutup hari"),
        ),
    ),
    scope={"unit_field": "facility__unit", "owner_field": "booked_by"},
)
