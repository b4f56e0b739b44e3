"""Action → form → service, declared once per record kind.

A detail page offers the steps its viewer may take now; a POST runs one of them. Every
app used to write that dispatch by hand (an if/elif per step, both exception kinds
caught, the refusal text built twice). Here an action names its form and its service:

    APPLICATION_ACTIONS = Actions(
        wf.APPLICATION,
        Action("accept", _("Terima berkas"), forms.NoteForm, accept,
               transitions=("accept_to_survey", "accept_to_review")),
        Action("withdraw", _("Cabut"), forms.NoteForm, withdraw, confirm=..., danger=True),
    )

    def application_act(request, pk, action):
        app = ...
        return run_action(request, app, APPLICATION_ACTIONS, action, render_form=...)

`Actions.available()` asks the workflow engine (`Workflow.available_actions`) which
steps the user may take now; an action that is not available is neither rendered nor
run. The service is called as `service(obj, user, form)`; a `ValidationError` (and so a
`TransitionRefused`) it raises becomes a form error or a message, never a 500.
The template `core/_actions.html` renders the available actions the same way
everywhere (one form each, `data-confirm` for irreversible steps, a question that may
depend on the record: `confirm=lambda budget: ...`). A page with its own layout (the
e-Dokter console's rows, one small form per entry) draws the same buttons with
`core/_action_button.html`; `available_each()` asks the engine for every row of a list
with one unit query, so such a page costs the same however long the list is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_queryset

from .workflow import TransitionRefused, Workflow, refused_message

FORM = "form"  # show the error on the re-rendered form
MESSAGE = "message"  # show the error as a message and go back
FORBIDDEN = "forbidden"  # answer 403


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    form_class: type[forms.BaseForm] | None
    # service(obj, user, form) -> anything; raises ValidationError to refuse
    service: Callable[[Any, Any, forms.BaseForm], Any]
    # Workflow actions that enable this one (default: the one of the same name).
    transitions: tuple[str, ...] = ()
    # For a step the workflow does not declare: allowed(user, obj) -> bool.
    allowed: Callable[[Any, Any], bool] | None = None
    # The question asked before an irreversible step, or confirm(obj) -> text ("" : none).
    confirm: str | Promise | Callable[[Any], str] = ""
    danger: bool = False  # a refusing/ending step: a red button
    title: str | Promise = ""  # the heading above its form (label is the button)
    secondary: bool = False  # folded away (<details>): not the step the page leads to
    # form_kwargs(obj) -> extra keyword arguments of form_class (choices, initial, ...)
    form_kwargs: Callable[[Any], dict] | None = None
    # The message after success: text, or success(obj, result) -> text.
    success: str | Promise | Callable[[Any, Any], str] | None = None
    # The message when the form is invalid and errors go to a message (default: its errors).
    invalid: str | Promise = ""
    # Offered only while the record is in one of these states (a subset of what the
    # workflow allows: a page that leads to other steps first). Empty: wherever allowed.
    only_in: tuple[str, ...] = ()
    # The button's Bootstrap variant ("outline-secondary", "success"); default primary,
    # outline-danger for a danger step.
    button: str = ""

    def question(self, obj) -> str:
        return str(self.confirm(obj) if callable(self.confirm) else self.confirm)


@dataclass(frozen=True)
class Outcome:
    """What running an action came to, for a view that answers itself (htmx)."""

    action: Action | None
    form: forms.BaseForm | None
    ok: bool
    message: str = ""  # success text, or the refusal text when not ok
    result: Any = None
    to_form: bool = False  # the error is on the form (re-render it) rather than a message


@dataclass(frozen=True)
class Item:
    """One action as the partial renders it."""

    action: Action
    form: forms.BaseForm
    url: str
    confirm: str | None = None  # the question for this record (default: the action's own)

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def question(self) -> str:
        if self.confirm is not None:
            return self.confirm
        return "" if callable(self.action.confirm) else str(self.action.confirm)

    @property
    def button_class(self) -> str:
        if self.action.button:
            return f"btn-{self.action.button}"
        return "btn-outline-danger" if self.action.danger else "btn-primary"


class Actions:
    """The actions of one record kind. `prefix`: form fields are named `<action>-<field>`
    (several forms on one page); `refused`/`invalid`: where a TransitionRefused and any
    other ValidationError of the service go (FORM or MESSAGE); `success`: the default
    message after success; `unavailable`: an action this user may not take now is
    FORBIDDEN (403), a MESSAGE or an error on the FORM."""

    def __init__(
        self,
        workflow: Workflow | None,
        *actions: Action,
        prefix: bool = True,
        refused: str = FORM,
        invalid: str = FORM,
        success: str | Promise = "",
        unavailable: str = FORBIDDEN,
    ):
        self.workflow, self.actions = workflow, tuple(actions)
        self.prefix, self.refused, self.invalid, self.success = prefix, refused, invalid, success
        self.unavailable = unavailable

    def get(self, name: str) -> Action | None:
        return next((a for a in self.actions if a.name == name), None)

    def available(self, user, obj) -> list[Action]:
        """The actions user may take on obj now, in declaration order: those the
        workflow engine allows (one unit query at most) and those whose own
        `allowed(user, obj)` says yes."""
        engine: set[str] | None = None
        out = []
        for a in self.actions:
            if a.only_in and self._state(obj) not in a.only_in:
                continue
            if a.allowed is not None:
                if a.allowed(user, obj):
                    out.append(a)
                continue
            if engine is None:
                engine = {t.name for t in self.workflow.available_actions(obj, user)}
            if engine & set(a.transitions or (a.name,)):
                out.append(a)
        return out

    def _state(self, obj) -> str:
        return getattr(obj, self.workflow.state_field if self.workflow else "status")

    def available_each(self, user, objs) -> dict[Any, list[Action]]:
        """available() for the rows of a list (a console's queue), by pk, with one
        unit query for all of them instead of one per row."""
        objs = list(objs)
        if not objs:
            return {}
        workflow = self.workflow
        in_unit: set | None = None
        if workflow is not None and workflow.scope and user is not None:
            model = type(objs[0])
            qs = model._default_manager.filter(pk__in=[o.pk for o in objs])
            in_unit = set(scope_queryset(qs, user, **workflow.scope).values_list("pk", flat=True))
        out = {}
        for obj in objs:
            engine: set[str] | None = None
            found = []
            for a in self.actions:
                if a.only_in and self._state(obj) not in a.only_in:
                    continue
                if a.allowed is not None:
                    if a.allowed(user, obj):
                        found.append(a)
                    continue
                if engine is None:
                    engine = set()
                    if in_unit is None or obj.pk in in_unit:
                        engine = {t.name for t in _declared_for(workflow, obj, user)}
                if engine & set(a.transitions or (a.name,)):
                    found.append(a)
            out[obj.pk] = found
        return out

    def form(self, action: Action, obj, data=None, files=None, **kwargs) -> forms.BaseForm:
        cls = action.form_class or forms.Form
        if action.form_kwargs is not None:
            kwargs = {**action.form_kwargs(obj), **kwargs}
        if self.prefix:
            kwargs.setdefault("prefix", action.name)
        else:  # one field name in several forms of a page: ids "note-reject", "note-merge"
            kwargs.setdefault("auto_id", f"%s-{action.name}")
        return cls(data, files, **kwargs)

    def items(
        self,
        user,
        obj,
        *,
        url: Callable[[Action], str] = lambda a: "",
        forms_by_name: dict | None = None,
    ) -> list[Item]:
        """The available actions with an unbound form each (or the given bound one),
        for `core/_actions.html`."""
        return self.items_of(obj, self.available(user, obj), url=url, forms_by_name=forms_by_name)

    def items_of(
        self,
        obj,
        available: list[Action],
        *,
        url: Callable[[Action], str] = lambda a: "",
        forms_by_name: dict | None = None,
    ) -> list[Item]:
        """items() for actions already known to be available (available_each)."""
        forms_by_name = forms_by_name or {}
        items = []
        for a in available:
            form = forms_by_name.get(a.name)
            items.append(
                Item(a, self.form(a, obj) if form is None else form, url(a), a.question(obj))
            )
        return items


def _declared_for(workflow: Workflow, obj, user) -> list:
    """The workflow's actions from obj's state that user's role allows (no unit check:
    available_each did it for all rows at once)."""
    current = getattr(obj, workflow.state_field)
    return [
        a for a in workflow.actions if current in a.sources and workflow._has_role(user, a, obj)
    ]


def _success_text(actions: Actions, action: Action, obj, result) -> str:
    text = action.success if action.success is not None else actions.success
    if callable(text):
        return text(obj, result)
    return str(text or _("Tersimpan."))


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where it names a field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_errors(form) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def refusal_text(actions: Actions, action: Action, user, obj) -> str:
    """Why this action is not available: the engine's own reason where it has one."""
    if action.allowed is None and actions.workflow is not None:
        for name in action.transitions or (action.name,):
            refused = actions.workflow.refusal(obj, user, name)
            if refused is not None:
                return refused_message(refused)
    return _("Tindakan ini tidak tersedia.")


def action_outcome(request, obj, actions: Actions, name: str, *, actor=None) -> Outcome:
    """Run the named action on obj for request.user (or `actor`, e.g. a
    `workflow.Holder` who proved a record's secret) and say how it went.

    An unknown name is a 404. An action not available to this user now (a button that
    was not shown) runs nothing: a 403 (PermissionDenied with the reason), or with
    `Actions(unavailable=MESSAGE|FORM)` a refusal shown as a message or on the form."""
    user = request.user if actor is None else actor
    action = actions.get(name)
    if action is None:
        raise Http404
    form = actions.form(action, obj, request.POST, request.FILES)
    if action not in actions.available(user, obj):
        text = refusal_text(actions, action, user, obj)
        if actions.unavailable == FORBIDDEN:
            raise PermissionDenied(text)
        if actions.unavailable == FORM:
            form.is_valid()
            form.add_error(None, text)
        return Outcome(action, form, ok=False, message=text, to_form=actions.unavailable == FORM)
    if not form.is_valid():
        to_form = actions.invalid == FORM
        text = str(action.invalid) or _form_errors(form)
        return Outcome(action, form, ok=False, message=text, to_form=to_form)
    try:
        result = action.service(obj, user, form)
    except ValidationError as exc:  # TransitionRefused is one
        where = actions.refused if isinstance(exc, TransitionRefused) else actions.invalid
        text = refused_message(exc)
        if where == FORM:
            add_errors(form, exc)
        return Outcome(action, form, ok=False, message=text, to_form=where == FORM)
    return Outcome(
        action, form, ok=True, message=_success_text(actions, action, obj, result), result=result
    )


def run_action(
    request,
    obj,
    actions: Actions,
    name: str,
    *,
    render_form: Callable[[Outcome], HttpResponse] | None = None,
    success_url: str | Callable[[Outcome], str] | None = None,
    back_url: str | None = None,
    actor=None,
) -> HttpResponse:
    """Run the named action and answer: after success a message and a redirect (to
    success_url, else obj); after a refusal the re-rendered form (`render_form(outcome)`,
    which should answer 400) or a message and a redirect back (back_url, else obj)."""
    outcome = action_outcome(request, obj, actions, name, actor=actor)
    if outcome.ok:
        messages.success(request, outcome.message)
        url = success_url(outcome) if callable(success_url) else success_url
        return redirect(url or obj)
    if outcome.to_form and render_form is not None:
        return render_form(outcome)
    messages.error(request, outcome.message)
    return redirect(back_url or obj)
