"""A small engine for the declared workflows of proposals, complaints, permits and budgets.

A workflow is declared in code: states (label, SLA in working days, whether the SLA
clock pauses there) and actions (from which states to which, who may take it,
whether a note is required). `transition()` is the only way a record's status
changes: it checks the actor's role and unit, refuses anything undeclared, writes the
new state and a history row in one transaction, and queues the notifications.

    PROPOSAL = Workflow(
        name="musrenbang.proposal",
        states=(State("draft", _("Draf")), State("submitted", _("Diajukan"), sla_days=5)),
        actions=(Action("submit", ("draft",), "submitted", roles=(OWNER,)),),
        scope={"region_field": "kelurahan", "owner_field": "proposer"},
    )
"""

from __future__ import annotations

import datetime
import functools
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts.scoping import scope_queryset

from . import workdays
from .models import StatusChange
from .notifications import Text, notify, subject_text

# Every workflow that names its model, by name (the states guard reads them).
DECLARED: dict[str, Workflow] = {}

OWNER = "@owner"  # pseudo-role: the record's owner (scope["owner_field"])
SYSTEM = "@system"  # pseudo-role: a scheduled task acting with actor=None


@dataclass(frozen=True, eq=False)
class Holder:
    """Whoever proved they hold one record's secret (the reporter of an anonymous report,
    by its number and follow secret): that record's OWNER, for that record only, and
    nobody's account. History records the step with no actor, as for a citizen without
    an account; `pk` is deliberately absent so it is never taken for a user."""

    model: type[models.Model]
    record_pk: int
    is_authenticated = False
    is_active = True
    is_staff = False
    is_superuser = False

    def holds(self, obj) -> bool:
        return isinstance(obj, self.model) and obj.pk == self.record_pk

    def has_role(self, *roles) -> bool:
        return False


@dataclass(frozen=True)
class State:
    name: str
    label: str | Promise
    sla_days: int | Callable[[models.Model], int | None] | None = None
    pauses_sla: bool = False
    final: bool = False
    # What the record's owner can do next in this state, said in its notification.
    next_step: str | Promise = ""


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str | Promise = ""
    note_required: bool = False
    # recipients(obj) -> users to notify after the transition commits
    notify: Callable[[models.Model], Iterable] | None = None
    # What a recipient who is not the owner (an officer) can do next; default below.
    next_step: str | Promise = ""


class TransitionRefused(ValidationError):
    """Raised with a user-facing message; nothing was changed.

    code is one of: "undeclared", "role", "unit", "note". A ValidationError, so a view
    (or `core.actions.run_action`) handles a refused step like any other invalid input.
    """

    def __init__(self, message, *, code: str):
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self):
        return (functools.partial(type(self), code=self.code), (self.message,))


def refused_message(exc: Exception) -> str:
    """The user-facing text of a refusal: a ValidationError's (or TransitionRefused's)
    messages joined, else the exception's text (PermissionDenied with a message)."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


@dataclass(frozen=True)
class Workflow:
    name: str
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    state_field: str = "status"
    scope: dict = field(default_factory=dict)  # scope_queryset() kwargs for unit checks
    due_field: str | None = None  # DateField holding the SLA due date
    paused_field: str | None = None  # DateField: since when the SLA clock is paused
    # The model whose state_field holds these states ("app_label.Model"); its field's
    # choices are text_choices() of this workflow (tests/core/test_workflow_states.py).
    model: str = ""

    def __post_init__(self):
        names = {s.name for s in self.states}
        if len(names) != len(self.states):
            raise ValueError(f"{self.name}: a state is declared twice")
        for a in self.actions:
            unknown = (set(a.sources) | {a.target}) - names
            if unknown:
                raise ValueError(f"{self.name}.{a.name}: unknown states {sorted(unknown)}")
        if self.model:
            DECLARED[self.name] = self

    def text_choices(self, name: str = "Status") -> type[models.TextChoices]:
        """The declared states as a Django TextChoices, the one list a model's field
        and code use: member DRAFT = "draft" (the English code, upper-cased), its label
        the state's translated label, in the declared order.

            class Budget(models.Model):
                Status = wf.BUDGET.text_choices("Status")
                status = models.CharField(choices=Status.choices, default=Status.DRAFT)

        Called in a class body (or at module level), the enum is named where it is
        assigned (`dokter.models.Booking.Status`), so its members pickle."""
        caller = sys._getframe(1)
        owner = (
            caller.f_locals.get("__qualname__") if caller.f_locals is not caller.f_globals else None
        )
        return models.TextChoices(
            name,
            [(s.name.upper(), (s.name, s.label)) for s in self.states],
            module=caller.f_globals.get("__name__"),
            qualname=f"{owner}.{name}" if owner else name,
        )

    def state(self, name: str) -> State:
        return next(s for s in self.states if s.name == name)

    def label(self, name: str) -> str:
        return next((s.label for s in self.states if s.name == name), name)

    def choices(self) -> list[tuple[str, str]]:
        return [(s.name, s.label) for s in self.states]

    def action(self, name: str) -> Action | None:
        return next((a for a in self.actions if a.name == name), None)

    def _has_role(self, user, action: Action, obj) -> bool:
        if user is None:
            return SYSTEM in action.roles
        if isinstance(user, Holder):
            return OWNER in action.roles and user.holds(obj)
        if not user.is_authenticated or not user.is_active:
            return False
        if OWNER in action.roles and self.scope.get("owner_field"):
            if getattr(obj, f"{self.scope['owner_field']}_id") == user.pk:
                return True
        people = [r for r in action.roles if r not in (OWNER, SYSTEM)]
        return bool(people) and (user.is_superuser or user.has_role(*people))

    def _in_unit(self, user, obj) -> bool:
        if isinstance(user, Holder):
            return user.holds(obj)
        if not self.scope:
            return True
        qs = type(obj)._default_manager.filter(pk=obj.pk)
        return scope_queryset(qs, user, **self.scope).exists()

    def refusal(self, obj, user, action: str, *, current: str | None = None):
        """Why user may not take action on obj now (a TransitionRefused to raise or
        show), or None when they may. current: the state, if read under a lock."""
        declared = self.action(action)
        if current is None:
            current = getattr(obj, self.state_field)
        if declared is None or current not in declared.sources:
            return TransitionRefused(
                _("Tindakan ini tidak tersedia saat status %(state)s.")
                % {"state": self.label(current)},
                code="undeclared",
            )
        if not self._has_role(user, declared, obj):
            return TransitionRefused(_("Anda tidak berwenang melakukan tindakan ini."), code="role")
        if user is not None and not self._in_unit(user, obj):
            return TransitionRefused(
                _("Data ini di luar wilayah atau unit kerja Anda."), code="unit"
            )
        return None

    def available_actions(self, obj, user) -> list[Action]:
        """Actions the user may take on obj now (for buttons); one unit query at most."""
        current = getattr(obj, self.state_field)
        candidates = [
            a for a in self.actions if current in a.sources and self._has_role(user, a, obj)
        ]
        if candidates and not self._in_unit(user, obj):
            return []
        return candidates


def _sla_days(state: State, obj) -> int | None:
    return state.sla_days(obj) if callable(state.sla_days) else state.sla_days


def _apply_sla(workflow: Workflow, obj, old: State | None, new: State, today) -> list[str]:
    changed: list[str] = []
    if not workflow.due_field:
        return changed
    resumed = False
    if workflow.paused_field:
        paused_on = getattr(obj, workflow.paused_field)
        if new.pauses_sla and paused_on is None:
            setattr(obj, workflow.paused_field, today)
            changed.append(workflow.paused_field)
        elif not new.pauses_sla and paused_on is not None:
            # The clock stood still while the citizen was asked: push the due date on.
            due = getattr(obj, workflow.due_field)
            if due is not None:
                paused = workdays.working_days_between(paused_on, today)
                setattr(obj, workflow.due_field, workdays.add_working_days(due, paused))
                changed.append(workflow.due_field)
            setattr(obj, workflow.paused_field, None)
            changed.append(workflow.paused_field)
            resumed = True
    days = _sla_days(new, obj)
    if days is not None and not new.pauses_sla and not resumed:
        setattr(obj, workflow.due_field, workdays.add_working_days(today, days))
        changed.append(workflow.due_field)
    elif new.final and getattr(obj, workflow.due_field) is not None:
        setattr(obj, workflow.due_field, None)
        changed.append(workflow.due_field)
    return changed


@transaction.atomic
def transition(
    obj: models.Model,
    *,
    workflow: Workflow,
    action: str,
    actor,
    note: str = "",
    extra_fields: Iterable[str] = (),
    today: datetime.date | None = None,
) -> StatusChange:
    """Apply a declared action to obj, or raise TransitionRefused and change nothing.

    extra_fields: other fields the caller set on obj that must be saved with the state.
    """
    declared = workflow.action(action)
    model = type(obj)
    # Lock the row so two officers acting at once cannot both move it.
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    current = getattr(locked, workflow.state_field)
    refused = workflow.refusal(obj, actor, action, current=current)
    if refused is not None:
        raise refused
    note = (note or "").strip()
    if declared.note_required and not note:
        raise TransitionRefused(_("Catatan wajib diisi untuk tindakan ini."), code="note")
    today = today or timezone.localdate()
    new_state = workflow.state(declared.target)
    setattr(obj, workflow.state_field, declared.target)
    fields = [workflow.state_field, *extra_fields]
    fields += _apply_sla(workflow, obj, workflow.state(current), new_state, today)
    obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in fields])
    obj.save(update_fields=list(dict.fromkeys(fields)))
    change = StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj.pk),
        workflow=workflow.name,
        action=declared.name,
        from_state=current,
        to_state=declared.target,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
    if declared.notify:
        _notify_transition(
            obj, workflow=workflow, action=declared, state=new_state, actor=actor, note=note
        )
    return change


def _notify_transition(obj, *, workflow: Workflow, action: Action, state: State, actor, note: str):
    """Name the record (kind, number, title: `notification_subject()`), say what changed
    and what the recipient can do next, in each recipient's language."""
    subject = subject_text(obj)
    title = Text(_("%(subject)s: %(state)s"), subject=subject, state=state.label)
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    owner_field = workflow.scope.get("owner_field")
    owner_id = getattr(obj, f"{owner_field}_id", None) if owner_field else None
    for recipient in action.notify(obj):
        if not recipient or getattr(recipient, "pk", None) == getattr(actor, "pk", None):
            continue
        is_owner = owner_id is not None and recipient.pk == owner_id
        if is_owner:
            step = state.next_step or (
                _("Tidak ada yang perlu Anda lakukan sekarang; kami kabari bila ada perubahan.")
                if state.final
                else _("Buka tautan untuk melihat rinciannya dan perkembangan berikutnya.")
            )
        else:
            step = action.next_step or _("Buka tautan untuk memeriksa dan menindaklanjutinya.")
        body = Text.lines(
            Text(_("%(subject)s kini berstatus: %(state)s."), subject=subject, state=state.label),
            Text(_("Catatan: %(note)s"), note=note) if note else None,
            Text(step),
        )
        notify(recipient=recipient, title=title, body=body, url=url)


@transaction.atomic
def workflow_start(obj, *, workflow: Workflow, state: str, actor, note: str = "") -> StatusChange:
    """Record a new record's first state in its history (no rights check: creation)."""
    setattr(obj, workflow.state_field, state)
    fields = [workflow.state_field]
    fields += _apply_sla(workflow, obj, None, workflow.state(state), timezone.localdate())
    obj.save(update_fields=list(dict.fromkeys(fields)))
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        workflow=workflow.name,
        action="create",
        from_state="",
        to_state=state,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def workflow_started(
    obj, *, workflow: Workflow, actor, action: str = "create", note: str = ""
) -> StatusChange:
    """Record the first state of a record its caller has just inserted in that state,
    without saving it again (an insert that must stay one statement, e.g. under a lock).

    `action` names how it came to be ("create", or a declared way in such as a counter
    registration). The state must be declared; SLA workflows use workflow_start()."""
    state = getattr(obj, workflow.state_field)
    if state not in {s.name for s in workflow.states}:
        raise ValueError(f"{workflow.name}: undeclared state {state!r}")
    if workflow.due_field:
        raise ValueError(f"{workflow.name}: an SLA workflow starts with workflow_start()")
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        workflow=workflow.name,
        action=action,
        from_state="",
        to_state=state,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


@transaction.atomic
def transition_bulk(
    queryset: models.QuerySet,
    *,
    workflow: Workflow,
    action: str,
    actor,
    note: str = "",
) -> list:
    """Apply one declared action to every record of queryset that is in one of its source
    states: the rows locked in pk order, one UPDATE, the history rows in one INSERT.
    Records in other states are left alone. Returns the pks moved (ascending).

    The same checks as transition() on the whole set: the action must be declared, the
    actor hold one of its roles (None: SYSTEM; OWNER cannot act in bulk) and the note be
    given when required; a staff actor moves only the records of their unit. For
    workflows without an SLA due date and actions without notifications (both need each
    record: use transition())."""
    declared = workflow.action(action)
    if declared is None:
        raise TransitionRefused(_("Tindakan ini tidak tersedia di sini."), code="undeclared")
    if declared.notify or workflow.due_field:
        raise ValueError(f"{workflow.name}.{action}: notifications or SLA need transition()")
    people = [r for r in declared.roles if r not in (OWNER, SYSTEM)]
    if actor is None:
        allowed = SYSTEM in declared.roles
    else:
        allowed = (
            actor.is_authenticated
            and actor.is_active
            and bool(people)
            and (actor.is_superuser or actor.has_role(*people))
        )
    if not allowed:
        raise TransitionRefused(_("Anda tidak berwenang melakukan tindakan ini."), code="role")
    note = (note or "").strip()
    if declared.note_required and not note:
        raise TransitionRefused(_("Catatan wajib diisi untuk tindakan ini."), code="note")
    if actor is not None and workflow.scope:
        queryset = scope_queryset(queryset, actor, **workflow.scope)
    field = workflow.state_field
    model = queryset.model
    rows = list(
        queryset.filter(**{f"{field}__in": declared.sources})
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", field)
    )
    if not rows:
        return []
    pks = [pk for pk, _state in rows]
    model._default_manager.filter(pk__in=pks).update(**{field: declared.target})
    content_type = ContentType.objects.get_for_model(model)
    actor = actor if getattr(actor, "pk", None) else None
    StatusChange.objects.bulk_create(
        StatusChange(
            content_type=content_type,
            object_id=str(pk),
            workflow=workflow.name,
            action=declared.name,
            from_state=current,
            to_state=declared.target,
            actor=actor,
            note=note,
        )
        for pk, current in rows
    )
    return pks


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    from_label: str
    to_label: str
    actor: str
    note: str


def timeline(
    obj,
    *,
    workflow: Workflow,
    viewer=None,
    show_citizen_names: bool = False,
    citizen_label=None,
    **rules,
) -> list[TimelineEntry]:
    """The record's history for display.

    Staff appear by name only to staff viewers (others see their unit). A citizen
    appears by name to staff and to themself; to everyone else as `citizen_label`,
    unless the record's owner chose to be shown (`show_citizen_names`). A record with
    stricter anonymity rules passes them as `rules` (see timelines()).
    """
    return timelines(
        [obj],
        workflow=workflow,
        viewer=viewer,
        show_citizen_names=lambda _obj: show_citizen_names,
        citizen_label=citizen_label,
        **rules,
    )[obj.pk]


def timelines(
    objs,
    *,
    workflow: Workflow,
    viewer=None,
    show_citizen_names=lambda obj: False,
    citizen_label=None,
    owner_id=None,
    citizen_identity=None,
    creator_label=None,
    private_actions: tuple[str, ...] = (),
) -> dict:
    """timeline() of several records of one model in one query: {pk: entries}.
    `show_citizen_names(obj)` says whether that record's owner chose to be shown.

    Stricter anonymity (e-Masyarakat's confidential and anonymous complaints) is
    expressed with these hooks, each taking the record:
    - `owner_id(obj)`: the owner's user id. Then the owner's changes follow the citizen
      rule (even if they are staff), and every other actor is shown as an officer.
    - `citizen_identity(obj)`: whether this viewer may see the citizen's name, replacing
      the default (staff viewers, the citizen themself, or `show_citizen_names`).
    - `creator_label(obj)`: who created the record when no user did (a report without
      an account); None keeps "Sistem".
    - `private_actions`: the notes of these actions only staff and the owner see.
    """
    objs = list(objs)
    out = {obj.pk: [] for obj in objs}
    if not objs:
        return out
    by_id = {str(obj.pk): obj for obj in objs}
    changes = StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(objs[0])),
        object_id__in=list(by_id),
    ).select_related("actor", "actor__unit")
    viewer_is_staff = bool(viewer and viewer.is_authenticated and viewer.is_staff)
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    shown = {key: bool(show_citizen_names(obj)) for key, obj in by_id.items()}
    owners = {key: owner_id(obj) for key, obj in by_id.items()} if owner_id else {}
    identity = (
        {key: bool(citizen_identity(obj)) for key, obj in by_id.items()} if citizen_identity else {}
    )
    labels: dict[str, str] = {}

    def label(state: str) -> str:
        if state not in labels:
            labels[state] = str(workflow.label(state)) if state else ""
        return labels[state]

    for c in changes:
        obj = by_id[c.object_id]
        if c.actor is None:
            made_by = creator_label(obj) if creator_label and not c.from_state else None
            # No account, yet an owner's step: the reporter of an anonymous report (Holder).
            declared = workflow.action(c.action)
            by_holder = declared is not None and OWNER in declared.roles
            actor = made_by or ((citizen_label or _("Warga")) if by_holder else _("Sistem"))
        elif (c.actor_id == owners[c.object_id]) if owner_id else not c.actor.is_staff:
            if citizen_identity:
                named = identity[c.object_id]
            else:
                named = viewer_is_staff or shown[c.object_id] or c.actor_id == viewer_id
            actor = c.actor.full_name if named else citizen_label or _("Warga")
        elif viewer_is_staff:
            actor = c.actor.full_name
        else:
            actor = c.actor.unit.name if c.actor.unit_id else _("Petugas")
        note = c.note
        if c.action in private_actions and not (
            viewer_is_staff or (owner_id and viewer_id == owners[c.object_id])
        ):
            note = ""
        out[obj.pk].append(
            TimelineEntry(
                when=c.created_at,
                from_label=label(c.from_state),
                to_label=label(c.to_state),
                actor=str(actor),
                note=note,
            )
        )
    return out
