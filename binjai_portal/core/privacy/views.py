from __future__ import annotations

import json

import rules
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from binjai_portal.core.forms import add_service_errors
from binjai_portal.core.workflow import TransitionRefused, timeline

from . import forms, pdf, selectors, services
from . import workflows as wf
from .middleware import PENDING_KEY
from .models import AccessLog, PrivacyNotice
from .registry import registry

NIK_TOKEN_MAX_AGE = 3600
REVEALABLE = {"accounts.user", "accounts.dependant"}


def _dpo_only(request) -> None:
    if not rules.has_perm("privacy.act_as_protection_officer", request.user):
        raise Http404


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


# ------------------------------------------------------------------ citizens


def notice(request):
    """The privacy notice in force; a citizen accepts it here (a new version asks again)."""
    current = services.notice_current()
    form = forms.AcceptForm(request.POST or None)
    consent = None
    if request.user.is_authenticated and current is not None:
        consent = request.user.privacy_consents.filter(notice=current).first()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if current is None:
            raise Http404
        if form.is_valid():
            services.consent_accept(user=request.user, notice=current)
            request.session.pop(PENDING_KEY, None)
            messages.success(request, _("Terima kasih, persetujuan Anda tercatat."))
            return redirect(_next_url(request) or "privacy:my-data")
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": current,
            "form": form,
            "consent": consent,
            "next": _next_url(request),
            "processings": registry.sorted_processings(),
        },
    )


def _login_url() -> str:
    from django.urls import reverse

    return reverse("accounts:login")


@login_required
@require_POST
def consent_withdraw(request):
    current = services.notice_current()
    if current is None:
        raise Http404
    try:
        req = services.consent_withdraw(user=request.user, notice=current)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("privacy:notice")
    messages.success(
        request,
        _("Persetujuan ditarik. Permintaan %(ref)s dijawab paling lambat 3 x 24 jam.")
        % {"ref": req.reference},
    )
    return redirect(req.get_absolute_url())


@login_required
def my_data(request):
    return render(
        request,
        "privacy/my_data.html",
        {
            "sections": selectors.my_data(user=request.user),
            "processings": registry.sorted_processings(),
            "consents": selectors.consents_for(user=request.user),
            "notice": services.notice_current(),
            "requests": selectors.request_list_visible(user=request.user).filter(
                requester=request.user
            )[:20],
        },
    )


@never_cache
@login_required
def my_data_json(request):
    data = selectors.my_data_plain(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(True, "data-saya.json")
    return response


@never_cache
@login_required
def my_data_pdf(request):
    content = pdf.my_data_pdf(user=request.user, sections=selectors.my_data(user=request.user))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, "data-saya.pdf")
    return response


@login_required
def request_new(request):
    dependants = list(request.user.dependants.all())
    form = forms.RequestForm(request.POST or None, dependants=dependants)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = services.rights_request_create(
                user=request.user,
                kind=d["kind"],
                about=d["about"],
                details=d["details"],
                dependant_id=d["dependant"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Permintaan %(ref)s diterima.") % {"ref": req.reference})
            return redirect(req.get_absolute_url())
    return render(request, "privacy/request_form.html", {"form": form})


@login_required
def request_detail(request, reference: str):
    req = selectors.request_get_for_user(user=request.user, reference=reference)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "req": req,
            "timeline": timeline(req, workflow=wf.RIGHTS_REQUEST, viewer=request.user),
            "actions": wf.RIGHTS_REQUEST.available_actions(req, request.user),
            "form": forms.RequestActForm(),
            "state_label": wf.RIGHTS_REQUEST.label(req.status),
            "hours_left": selectors.hours_left(req.due_at) if req.answered_at is None else None,
            "processings": [p for p in registry.sorted_processings() if not p.erasable],
        },
    )


@login_required
@require_POST
def request_act(request, reference: str):
    req = selectors.request_get_for_user(user=request.user, reference=reference)
    _dpo_only(request)
    form = forms.RequestActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect(req.get_absolute_url())
    d = form.cleaned_data
    try:
        services.rights_request_act(
            request=req,
            actor=request.user,
            action=d["action"],
            note=d["note"],
            refusal=d["refusal"],
        )
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tersimpan."))
    return redirect(req.get_absolute_url())


@login_required
def access_mine(request):
    """Siapa melihat data saya: staff are shown by their unit, as on timelines."""
    return render(
        request,
        "privacy/access_mine.html",
        {"entries": selectors.access_list_for_subject(user=request.user)},
    )


# ------------------------------------------------------------------ staff: NIK unmasking


@never_cache
@login_required
def nik_reveal(request, token: str):
    if not request.user.has_perm("accounts.view_full_nik"):
        raise Http404
    try:
        label, pk = signing.loads(token, salt="privacy.nik", max_age=NIK_TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    if label not in REVEALABLE or not isinstance(pk, int):
        raise Http404
    person = apps.get_model(label).objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    form = forms.RevealForm(request.POST or None)
    nik = None
    if request.method == "POST" and form.is_valid():
        try:
            nik = services.nik_reveal(
                viewer=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "privacy/nik_reveal.html",
        {"person": person, "form": form, "nik": nik, "back": _next_url(request)},
    )


# ------------------------------------------------------------------ the DPO


@login_required
def records(request):
    """The record of processing activities (Pasal 31), as the apps declare it."""
    _dpo_only(request)
    return render(request, "privacy/records.html", {"processings": registry.sorted_processings()})


@login_required
def request_list(request):
    _dpo_only(request)
    reqs = list(selectors.request_list_visible(user=request.user)[:200])
    now = timezone.now()
    rows = [
        {
            "req": r,
            "state": wf.RIGHTS_REQUEST.label(r.status),
            "hours_left": round((r.due_at - now).total_seconds() / 3600, 1)
            if r.due_at and r.answered_at is None
            else None,
        }
        for r in reqs
    ]
    return render(request, "privacy/request_list.html", {"rows": rows})


@login_required
def access_log(request):
    _dpo_only(request)
    kind = request.GET.get("kind", "")
    if kind not in AccessLog.Kind.values:
        kind = ""
    return render(
        request,
        "privacy/access_log.html",
        {
            "entries": selectors.access_list_all(viewer=request.user, kind=kind),
            "kinds": AccessLog.Kind.choices,
            "kind": kind,
        },
    )


@login_required
def retention(request):
    _dpo_only(request)
    if request.method == "POST":
        run = services.retention_run()
        messages.success(request, _("Retensi dijalankan: %(n)s data.") % {"n": run.total})
        return redirect("privacy:retention")
    return render(
        request,
        "privacy/retention.html",
        {
            "runs": selectors.retention_runs(user=request.user),
            "processings": registry.sorted_processings(),
        },
    )


@login_required
def notice_new(request):
    _dpo_only(request)
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        n = services.notice_publish(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Versi %(v)s diterbitkan.") % {"v": n.version})
        return redirect("privacy:notice")
    return render(
        request,
        "privacy/notice_form.html",
        {"form": form, "versions": PrivacyNotice.objects.all()[:20]},
    )


@login_required
def incident_list(request):
    incidents = list(selectors.incident_list(user=request.user)[:100])
    now = timezone.now()
    return render(
        request,
        "privacy/incident_list.html",
        {
            "rows": [
                {"incident": i, "state": wf.INCIDENT.label(i.status), "hours": i.hours_left(now)}
                for i in incidents
            ]
        },
    )


@login_required
def incident_new(request):
    _dpo_only(request)
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        suspect = None
        if d["suspect_nik"]:
            suspect = get_user_model().objects.filter(nik=d["suspect_nik"], is_staff=True).first()
            if suspect is None:
                form.add_error("suspect_nik", _("Tidak ada akun petugas dengan NIK ini."))
        if form.is_valid():
            try:
                incident = services.incident_create(
                    actor=request.user,
                    title=d["title"],
                    description=d["description"],
                    data_disclosed=d["data_disclosed"],
                    handling=d["handling"],
                    discovered_at=d["discovered_at"],
                    suspect_viewer=suspect,
                    window_start=d["window_start"],
                    window_end=d["window_end"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(incident.get_absolute_url())
    return render(request, "privacy/incident_form.html", {"form": form})


@login_required
def incident_detail(request, pk: int):
    incident = selectors.incident_get(user=request.user, pk=pk)
    return render(
        request,
        "privacy/incident_detail.html",
        {
            "incident": incident,
            "state": wf.INCIDENT.label(incident.status),
            "hours": incident.hours_left(),
            "affected": list(incident.affected.all()),
            "timeline": timeline(incident, workflow=wf.INCIDENT, viewer=request.user),
            "notify_form": forms.IncidentNotifyForm(
                initial={"title": incident.notice_title, "body": incident.notice_body}
            ),
            "actions": [a.name for a in wf.INCIDENT.available_actions(incident, request.user)],
        },
    )


@login_required
@require_POST
def incident_act(request, pk: int):
    incident = selectors.incident_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "find":
            n = services.incident_find_affected(incident=incident, actor=request.user)
            messages.success(request, _("%(n)s subjek terdampak ditemukan.") % {"n": n})
        elif action == "notify":
            form = forms.IncidentNotifyForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Judul dan isi pemberitahuan wajib diisi."))
                return redirect(incident.get_absolute_url())
            n = services.incident_notify(incident=incident, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Pemberitahuan dikirim kepada %(n)s orang.") % {"n": n})
        elif action == "close":
            services.incident_close(
                incident=incident, actor=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, _("Insiden ditutup."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    return redirect(incident.get_absolute_url())
