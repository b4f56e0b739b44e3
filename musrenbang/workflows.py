"""The proposal's path through the musrenbang cycle, declared once."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import OWNER, Action, State, Workflow

from .models import Status


def _proposer(p):
    return [p.proposer]


KEL, KEC, BAPPEDA, TAPD, OPD = (
    roles.PETUGAS_KELURAHAN,
    roles.PETUGAS_KECAMATAN,
    roles.BAPPEDA,
    roles.TAPD,
    roles.PETUGAS_OPD,
)

PROPOSAL = Workflow(
    name="musrenbang.proposal",
    states=(
        State(Status.DRAFT, Status.DRAFT.label),
        State(Status.SUBMITTED, Status.SUBMITTED.label),
        State(Status.RETURNED, Status.RETURNED.label),
        State(Status.REJECTED, Status.REJECTED.label, final=True),
        State(Status.MERGED, Status.MERGED.label, final=True),
        State(Status.VERIFIED, Status.VERIFIED.label),
        State(Status.RANKED_KELURAHAN, Status.RANKED_KELURAHAN.label),
        State(Status.FORWARDED_KECAMATAN, Status.FORWARDED_KECAMATAN.label),
        State(Status.RANKED_KECAMATAN, Status.RANKED_KECAMATAN.label),
        State(Status.FORWARDED_CITY, Status.FORWARDED_CITY.label),
        State(Status.ACCEPTED, Status.ACCEPTED.label),
        State(Status.NOT_ACCEPTED, Status.NOT_ACCEPTED.label, final=True),
        State(Status.FUNDED, Status.FUNDED.label),
        State(Status.COMPLETED, Status.COMPLETED.label, final=True),
        State(Status.CARRIED_OVER, Status.CARRIED_OVER.label, final=True),
    ),
    actions=(
        Action("submit", (Status.DRAFT,), Status.SUBMITTED, roles=(OWNER,), label=_("Ajukan")),
        Action(
            "resubmit",
            (Status.RETURNED,),
            Status.SUBMITTED,
            roles=(OWNER,),
            label=_("Ajukan ulang"),
        ),
        Action(
            "verify",
            (Status.SUBMITTED,),
            Status.VERIFIED,
            roles=(KEL,),
            label=_("Verifikasi"),
            notify=_proposer,
        ),
        Action(
            "return",
            (Status.SUBMITTED,),
            Status.RETURNED,
            roles=(KEL,),
            label=_("Kembalikan untuk perbaikan"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "reject",
            (Status.SUBMITTED,),
            Status.REJECTED,
            roles=(KEL,),
            label=_("Tolak"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "merge",
            (Status.SUBMITTED,),
            Status.MERGED,
            roles=(KEL,),
            label=_("Gabungkan sebagai duplikat"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "rank_kelurahan",
            (Status.VERIFIED,),
            Status.RANKED_KELURAHAN,
            roles=(KEL,),
            label=_("Tetapkan peringkat forum kelurahan"),
            notify=_proposer,
        ),
        Action(
            "forward_kecamatan",
            (Status.RANKED_KELURAHAN,),
            Status.FORWARDED_KECAMATAN,
            roles=(KEL,),
            label=_("Teruskan ke kecamatan"),
            notify=_proposer,
        ),
        Action(
            "rank_kecamatan",
            (Status.FORWARDED_KECAMATAN,),
            Status.RANKED_KECAMATAN,
            roles=(KEC,),
            label=_("Tetapkan peringkat forum kecamatan"),
            notify=_proposer,
        ),
        Action(
            "forward_city",
            (Status.RANKED_KECAMATAN,),
            Status.FORWARDED_CITY,
            roles=(KEC,),
            label=_("Teruskan ke kota"),
            notify=_proposer,
        ),
        Action(
            "accept",
            (Status.FORWARDED_CITY,),
            Status.ACCEPTED,
            roles=(BAPPEDA,),
            label=_("Terima dalam RKPD"),
            notify=_proposer,
        ),
        Action(
            "not_accept",
            (Status.FORWARDED_CITY,),
            Status.NOT_ACCEPTED,
            roles=(BAPPEDA,),
            label=_("Tidak diterima"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "fund",
            (Status.ACCEPTED,),
            Status.FUNDED,
            roles=(TAPD, BAPPEDA),
            label=_("Tandai didanai"),
            note_required=True,
            # proposer and supporters hear of it by name from services.proposal_mark_funded
        ),
        Action(
            "defund",
            (Status.FUNDED,),
            Status.ACCEPTED,
            roles=(TAPD, BAPPEDA),
            label=_("Batalkan pendanaan"),
            note_required=True,
        ),
        Action(
            "complete",
            (Status.FUNDED,),
            Status.COMPLETED,
            # the agency that carries out the work (its unit is the proposal's agency)
            roles=(OPD, BAPPEDA),
            label=_("Tandai selesai"),
        ),
        Action(
            "carry_over",
            (Status.ACCEPTED,),
            Status.CARRIED_OVER,
            roles=(OWNER, BAPPEDA),
            label=_("Bawa ke siklus berikutnya"),
            notify=_proposer,
        ),
    ),
    scope={"region_field": "kelurahan", "owner_field": "proposer", "unit_field": "agency"},
)

# Actions an officer takes from the proposal's staff page (others have their own screens).
OFFICER_ACTIONS = (
    "verify",
    "return",
    "reject",
    "merge",
    "forward_kecamatan",
    "forward_city",
    "not_accept",
)
# Refusal actions: their note is the reason shown to the citizen.
REFUSALS = ("return", "reject", "merge", "not_accept")

# What each irreversible step does, asked before it runs (<form data-confirm>).
CONFIRM = {
    "submit": _(
        "Ajukan usulan ke kelurahan? Setelah diajukan, usulan tidak dapat diubah lagi "
        "kecuali petugas mengembalikannya untuk perbaikan."
    ),
    "resubmit": _("Ajukan ulang usulan ke kelurahan? Usulan tidak dapat diubah lagi."),
    "verify": _(
        "Verifikasi usulan ini? Usulan masuk daftar forum kelurahan dan pengusul diberi tahu."
    ),
    "return": _(
        "Kembalikan usulan ke pengusul untuk perbaikan? Pengusul diberi tahu beserta alasan Anda."
    ),
    "reject": _(
        "Tolak usulan ini? Penolakan bersifat final: usulan tidak dapat diajukan lagi dan "
        "pengusul diberi tahu beserta alasan Anda."
    ),
    "merge": _(
        "Gabungkan usulan ini sebagai duplikat? Langkah ini final: usulan ditutup dan "
        "dukungannya diarahkan ke usulan tujuan."
    ),
    "forward_kecamatan": _(
        "Teruskan ke musrenbang kecamatan? Usulan keluar dari daftar kelurahan dan tidak "
        "dapat ditarik kembali."
    ),
    "forward_city": _(
        "Teruskan ke kota (Bappeda)? Usulan keluar dari daftar kecamatan dan tidak dapat "
        "ditarik kembali."
    ),
    "accept": _("Terima usulan dalam RKPD? Pengusul diberi tahu."),
    "not_accept": _(
        "Nyatakan usulan tidak diterima? Keputusan ini final dan pengusul diberi tahu."
    ),
    "fund": _("Tandai usulan didanai APBD? Pengusul diberi tahu."),
    "complete": _("Tandai usulan selesai dilaksanakan? Langkah ini final."),
    "carry_over": _(
        "Bawa usulan ke siklus berikutnya? Usulan ini ditutup dan draf baru dibuat di "
        "siklus berikutnya."
    ),
}

# Steps an officer may take for several proposals at once from the list.
BULK_ACTIONS = ("verify", "forward_kecamatan", "forward_city")
BULK_LIMIT = 100
