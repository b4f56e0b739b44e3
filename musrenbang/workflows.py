"""The proposal's path through the musrenbang cycle, declared once."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import OWNER, Action, State, Workflow

# The states, declared here once; models.Status is PROPOSAL.text_choices("Status").
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
REJECTED = "rejected"
MERGED = "merged"
VERIFIED = "verified"
RANKED_KELURAHAN = "ranked_kelurahan"
FORWARDED_KECAMATAN = "forwarded_kecamatan"
RANKED_KECAMATAN = "ranked_kecamatan"
FORWARDED_CITY = "forwarded_city"
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
FUNDED = "funded"
COMPLETED = "completed"
CARRIED_OVER = "carried_over"


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
        State(DRAFT, _("Draf")),
        State(SUBMITTED, _("Diajukan")),
        State(RETURNED, _("Dikembalikan untuk perbaikan")),
        State(REJECTED, _("Ditolak"), final=True),
        State(MERGED, _("Digabung (duplikat)"), final=True),
        State(VERIFIED, _("Terverifikasi kelurahan")),
        State(RANKED_KELURAHAN, _("Diperingkat forum kelurahan")),
        State(FORWARDED_KECAMATAN, _("Diteruskan ke kecamatan")),
        State(RANKED_KECAMATAN, _("Diperingkat forum kecamatan")),
        State(FORWARDED_CITY, _("Diteruskan ke kota")),
        State(ACCEPTED, _("Diterima dalam RKPD")),
        State(NOT_ACCEPTED, _("Tidak diterima"), final=True),
        State(FUNDED, _("Didanai APBD")),
        State(COMPLETED, _("Selesai dilaksanakan"), final=True),
        State(CARRIED_OVER, _("Dibawa ke siklus berikutnya"), final=True),
    ),
    actions=(
        Action("submit", (DRAFT,), SUBMITTED, roles=(OWNER,), label=_("Ajukan")),
        Action(
            "resubmit",
            (RETURNED,),
            SUBMITTED,
            roles=(OWNER,),
            label=_("Ajukan ulang"),
        ),
        Action(
            "verify",
            (SUBMITTED,),
            VERIFIED,
            roles=(KEL,),
            label=_("Verifikasi"),
            notify=_proposer,
        ),
        Action(
            "return",
            (SUBMITTED,),
            RETURNED,
            roles=(KEL,),
            label=_("Kembalikan untuk perbaikan"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "reject",
            (SUBMITTED,),
            REJECTED,
            roles=(KEL,),
            label=_("Tolak"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "merge",
            (SUBMITTED,),
            MERGED,
            roles=(KEL,),
            label=_("Gabungkan sebagai duplikat"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "rank_kelurahan",
            (VERIFIED,),
            RANKED_KELURAHAN,
            roles=(KEL,),
            label=_("Tetapkan peringkat forum kelurahan"),
            notify=_proposer,
        ),
        Action(
            "forward_kecamatan",
            (RANKED_KELURAHAN,),
            FORWARDED_KECAMATAN,
            roles=(KEL,),
            label=_("Teruskan ke kecamatan"),
            notify=_proposer,
        ),
        Action(
            "rank_kecamatan",
            (FORWARDED_KECAMATAN,),
            RANKED_KECAMATAN,
            roles=(KEC,),
            label=_("Tetapkan peringkat forum kecamatan"),
            notify=_proposer,
        ),
        Action(
            "forward_city",
            (RANKED_KECAMATAN,),
            FORWARDED_CITY,
            roles=(KEC,),
            label=_("Teruskan ke kota"),
            notify=_proposer,
        ),
        Action(
            "accept",
            (FORWARDED_CITY,),
            ACCEPTED,
            roles=(BAPPEDA,),
            label=_("Terima dalam RKPD"),
            notify=_proposer,
        ),
        Action(
            "not_accept",
            (FORWARDED_CITY,),
            NOT_ACCEPTED,
            roles=(BAPPEDA,),
            label=_("Tidak diterima"),
            note_required=True,
            notify=_proposer,
        ),
        Action(
            "fund",
            (ACCEPTED,),
            FUNDED,
            roles=(TAPD, BAPPEDA),
            label=_("Tandai didanai"),
            note_required=True,
            # proposer and supporters hear of it by name from services.proposal_mark_funded
        ),
        Action(
            "defund",
            (FUNDED,),
            ACCEPTED,
            roles=(TAPD, BAPPEDA),
            label=_("Batalkan pendanaan"),
            note_required=True,
        ),
        Action(
            "complete",
            (FUNDED,),
            COMPLETED,
            # the agency that carries out the work (its unit is the proposal's agency)
            roles=(OPD, BAPPEDA),
            label=_("Tandai selesai"),
        ),
        Action(
            "carry_over",
            (ACCEPTED,),
            CARRIED_OVER,
            roles=(OWNER, BAPPEDA),
            label=_("Bawa ke siklus berikutnya"),
            notify=_proposer,
        ),
    ),
    scope={"region_field": "kelurahan", "owner_field": "proposer", "unit_field": "agency"},
    model="musrenbang.Proposal",
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
