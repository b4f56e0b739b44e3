"""The declared workflow of a queue entry (Booking.status).

One patient is called per poli at a time: `queue_call_next` refuses while an entry of the
poli is still "called". The clerk resolves it explicitly: "start" (the patient came in),
"recall" (call the same number again) or "mark_absent" (skip: the patient did not come;
"requeue" puts a late arrival back with their number)."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts.roles import PETUGAS_PUSKESMAS
from binjai_portal.core.workflow import OWNER, SYSTEM, Action, State, Workflow

# The states, declared here once; Booking.Status is BOOKING.text_choices("Status").
BOOKED, CHECKED_IN, CALLED, SERVING = "booked", "checked_in", "called", "serving"
DONE, TRANSFERRED, ABSENT, CANCELLED = "done", "transferred", "absent", "cancelled"

STAFF = (PETUGAS_PUSKESMAS,)

BOOKING = Workflow(
    name="dokter.booking",
    states=(
        State(BOOKED, _("Dipesan")),
        State(CHECKED_IN, _("Hadir, menunggu")),
        State(CALLED, _("Dipanggil")),
        State(SERVING, _("Sedang dilayani")),
        State(DONE, _("Selesai"), final=True),
        State(TRANSFERRED, _("Dirujuk ke poli lain"), final=True),
        State(ABSENT, _("Tidak hadir")),
        State(CANCELLED, _("Dibatalkan"), final=True),
    ),
    actions=(
        Action("check_in", (BOOKED,), CHECKED_IN, roles=STAFF, label=_("Hadir")),
        Action("call", (CHECKED_IN,), CALLED, roles=STAFF, label=_("Panggil")),
        Action("recall", (CALLED,), CALLED, roles=STAFF, label=_("Panggil ulang")),
        Action("mark_absent", (CALLED, CHECKED_IN), ABSENT, roles=STAFF, label=_("Tidak hadir")),
        Action("requeue", (ABSENT,), CHECKED_IN, roles=STAFF, label=_("Masukkan lagi ke antrean")),
        Action("start", (CALLED,), SERVING, roles=STAFF, label=_("Mulai layani")),
        Action("finish", (SERVING,), DONE, roles=STAFF, label=_("Selesai")),
        Action("transfer", (SERVING,), TRANSFERRED, roles=STAFF, label=_("Rujuk ke poli lain")),
        Action("undo_transfer", (TRANSFERRED,), SERVING, roles=STAFF, label=_("Batalkan rujukan")),
        Action("cancel", (BOOKED,), CANCELLED, roles=(OWNER, *STAFF), label=_("Batalkan")),
        Action("withdraw", (CHECKED_IN,), CANCELLED, roles=STAFF, label=_("Tarik dari antrean")),
        # The end of the day (queue_close_day, a scheduled task): what is still open closes.
        Action("close_day_done", (SERVING,), DONE, roles=(SYSTEM,), label=_("Tutup hari")),
        Action(
            "close_day_absent",
            (BOOKED, CHECKED_IN, CALLED),
            ABSENT,
            roles=(SYSTEM,),
            label=_("Tutup hari"),
        ),
    ),
    scope={"unit_field": "facility__unit", "owner_field": "booked_by"},
    model="dokter.Booking",
)
