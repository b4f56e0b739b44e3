"""The alert's workflow: raised open, acknowledged by someone responsible, closed with a note."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import Action, State, Workflow

OPEN, ACKNOWLEDGED, CLOSED = "open", "acknowledged", "closed"

# Leadership and the administrator act on every alert; agency and facility officers
# (unit-bound roles) on their own unit's alerts only.
ACTORS = (roles.PIMPINAN, roles.ADMINISTRATOR, roles.PETUGAS_OPD, roles.PETUGAS_PUSKESMAS)

ALERT = Workflow(
    name="command_center.alert",
    states=(
        State(OPEN, _("Terbuka")),
        State(ACKNOWLEDGED, _("Diketahui")),
        State(CLOSED, _("Ditutup"), final=True),
    ),
    actions=(
        Action("acknowledge", (OPEN,), ACKNOWLEDGED, roles=ACTORS, label=_("Tandai diketahui")),
        Action(
            "close",
            (OPEN, ACKNOWLEDGED),
            CLOSED,
            roles=ACTORS,
            label=_("Tutup peringatan"),
            note_required=True,
        ),
    ),
    scope={"unit_field": "unit"},
    model="command_center.Alert",
)
