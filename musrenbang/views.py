"""Thin views: parse the request, call one service or selector, render."""

from __future__ import annotations

import json

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from binjai_portal.accounts import roles
from binjai_portal.core import pagecache
from binjai_portal.core.actions import MESSAGE, Action, Actions, run_action
from binjai_portal.core.exports import csv_response, xlsx_response
from binjai_portal.core.labels import choice_labels
from binjai_portal.core.middleware import accepts_uploads
from binjai_portal.core.paging import CappedPaginator
from binjai_portal.core.permissions import staff_required
from binjai_portal.core.workflow import refused_message

from . import exports, rendering, selectors, services
from .forms import (
    AcceptForm,
    DecisionForm,
    FlagForm,
    ForumForm,
    FundForm,
    MergeForm,
    ModerateForm,
    ProposalFilter,
    ProposalForm,
    RankForm,
)
from .models import Forum, Status
from .workflows import BULK_ACTIONS, BULK_LIMIT, CONFIRM, OFFICER_ACTIONS, PROPOSAL, REFUSALS

PAGE_SIZE = 20


def _map_context() -> dict:
    """Where the location picker opens and the region's box it draws without tiles."""
    south, west, north, east = settings.MAP_BOUNDS
    return {
        "map_center": settings.MAP_CENTER,
        "map_bounds_json": json.dumps([[south, west], [north, east]]),
    }


def _error(request, exc) -> None:
    messages.error(request, refused_message(exc))


# --- public -------------------------------------------------------------------------


@require_GET
@pagecache.public_page("musrenbang")
def index(request):
    if request.GET:
        filterset = ProposalFilter(
            request.GET, queryset=selectors.proposal_list_public_rows(), request=request
        )
        qs, form_html = filterset.qs, rendering.filter_form_html(filterset)
    else:  # the usual visit: no filter to build
        qs, form_html = selectors.proposal_list_public_rows(), rendering.filter_form_unfiltered()
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.proposal_cards(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "musrenbang/index.html",
        {
            "filter_form": form_html,
            "page": page,
            "query": query.urlencode(),
            "cycle": selectors.cycle_current(),
        },
    )


@require_GET
@pagecache.public_page("musrenbang")
def proposal_map(request):
    cycle = selectors.cycle_current()
    qs = selectors.proposal_list_public_rows().filter(
        latitude__isnull=False, longitude__isnull=False
    )
    if cycle:
        qs = qs.filter(cycle=cycle)
    rows = list(selectors.proposal_cards(qs[:500]))
    url = rendering.detail_urls()
    labels = choice_labels(Status)
    points = [
        {
            "lat": float(p["latitude"]),
            "lng": float(p["longitude"]),
            "title": p["title"],
            "ref": p["reference"],
            "status": labels.get(p["status"], p["status"]),
            "url": url(p["reference"]),
        }
        for p in rows
    ]
    return render(
        request, "musrenbang/map.html", {"points": points, "proposals": rows, "cycle": cycle}
    )


@require_GET
@pagecache.public_page("musrenbang")
def detail(request, reference):
    proposal = selectors.proposal_visible(reference=reference, user=request.user)
    user = request.user
    officer_items = []
    if user.is_authenticated and user.is_staff:
        url = reverse("musrenbang:officer-act", args=[proposal.reference])
        officer_items = OFFICER_STEPS.items(user, proposal, url=lambda a: url)
    return render(
        request,
        "musrenbang/detail.html",
        {
            "proposal": proposal,
            "timeline": selectors.proposal_timeline(proposal=proposal, viewer=user),
            "photos": selectors.proposal_photos(proposal=proposal),
            "supported": selectors.proposal_is_supported_by(proposal=proposal, user=user),
            "is_owner": user.is_authenticated and user.pk == proposal.proposer_id,
            "officer_items": officer_items,
            "confirm": CONFIRM,
            "flag_form": FlagForm(),
            "can_carry": user.is_authenticated
            and user.pk == proposal.proposer_id
            and proposal.status == Status.ACCEPTED,
            "story": selectors.proposal_story(proposal=proposal),
            "my_feedback": selectors.proposal_feedback_of(proposal=proposal, user=user),
        },
    )


@require_POST
def support(request, reference):
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('accounts:login')}?next={reverse('musrenbang:detail', args=[reference])}"
        )
    proposal = selectors.proposal_visible(reference=reference, user=request.user)
    try:
        if request.POST.get("withdraw"):
            services.proposal_support_withdraw(proposal=proposal, user=request.user)
            messages.success(request, _("Dukungan Anda ditarik."))
        elif services.proposal_support(proposal=proposal, user=request.user):
            messages.success(request, _("Terima kasih, dukungan Anda tercatat."))
        else:
            messages.info(request, _("Anda sudah mendukung usulan ini."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(proposal.get_absolute_url())


@login_required
@require_POST
def flag(request, reference):
    proposal = selectors.proposal_visible(reference=reference, user=request.user)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan laporan (paling banyak 300 huruf)."))
        return redirect(proposal.get_absolute_url())
    try:
        if services.proposal_flag(
            proposal=proposal, user=request.user, reason=form.cleaned_data["reason"]
        ):
            messages.success(request, _("Laporan Anda diterima dan akan diperiksa moderator."))
        else:
            messages.info(request, _("Anda sudah melaporkan usulan ini."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("musrenbang:index" if proposal.is_hidden else proposal.get_absolute_url())


@require_GET
def similar(request):
    """htmx: similar proposals of the same kelurahan while the citizen types a title."""
    try:
        kelurahan_id = int(request.GET.get("kelurahan") or 0)
    except ValueError:
        kelurahan_id = 0
    found = selectors.proposal_similar(
        title=request.GET.get("title", "")[:160],
        kelurahan_id=kelurahan_id,
        cycle=selectors.cycle_current(),
    )
    return render(request, "musrenbang/_similar.html", {"similar": found})


# --- citizen ------------------------------------------------------------------------


@accepts_uploads(files=services.MAX_PHOTOS)
@login_required
def create(request):
    cycle = selectors.cycle_current()
    window_open = bool(cycle and cycle.kelurahan_window_open())
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        similar_url=reverse("musrenbang:similar"),
        initial={
            "kelurahan": request.user.kelurahan_id,
            "rt": request.user.rt,
            "rw": request.user.rw,
        },
    )
    if request.method == "POST" and window_open and form.is_valid():
        try:
            proposal = services.proposal_create(
                proposer=request.user,
                cycle=cycle,
                data=form.data_for_service(),
                photos=form.cleaned_data["photos_new"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Draf usulan %(ref)s tersimpan. Periksa lalu ajukan.")
                % {"ref": proposal.reference},
            )
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "musrenbang/form.html",
        {
            "form": form,
            "cycle": cycle,
            "window_open": window_open,
            "proposal": None,
            **_map_context(),
        },
    )


@accepts_uploads(files=services.MAX_PHOTOS)
@login_required
def edit(request, reference):
    proposal = selectors.proposal_get_own(reference=reference, user=request.user)
    if not proposal.is_editable:
        messages.error(request, _("Usulan yang sudah diajukan tidak dapat diubah lagi."))
        return redirect(proposal.get_absolute_url())
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=proposal,
        similar_url=reverse("musrenbang:similar"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        proposal.refresh_from_db()  # the form wrote onto the instance; the service saves
        try:
            services.proposal_update(
                proposal=proposal,
                actor=request.user,
                data=data,
                photos=form.cleaned_data["photos_new"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "musrenbang/form.html",
        {
            "form": form,
            "cycle": proposal.cycle,
            "window_open": True,
            "proposal": proposal,
            **_map_context(),
        },
    )


@login_required
@require_POST
def submit(request, reference):
    proposal = selectors.proposal_get_own(reference=reference, user=request.user)
    try:
        services.proposal_submit(proposal=proposal, actor=request.user)
        messages.success(
            request, _("Usulan %(ref)s diajukan ke kelurahan.") % {"ref": proposal.reference}
        )
    except ValidationError as exc:  # TransitionRefused too
        _error(request, exc)
    return redirect(proposal.get_absolute_url())


@login_required
@require_POST
def carry_over(request, reference):
    proposal = selectors.proposal_get_own(reference=reference, user=request.user)
    try:
        new = services.proposal_carry_over(proposal=proposal, actor=request.user)
    except ValidationError as exc:  # TransitionRefused too
        _error(request, exc)
        return redirect(proposal.get_absolute_url())
    messages.success(
        request,
        _("Usulan dibawa ke siklus %(year)s sebagai draf %(ref)s.")
        % {"year": new.cycle.plan_year, "ref": new.reference},
    )
    return redirect(new.get_absolute_url())


@login_required
@require_GET
def mine(request):
    # A page at a time: an active citizen (or a community leader) has dozens of
    # proposals over the years, each with its timeline.
    page = CappedPaginator(selectors.proposal_list_mine(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    proposals = list(page.object_list)
    history = selectors.proposal_timelines(proposals=proposals, viewer=request.user)
    return render(
        request,
        "musrenbang/mine.html",
        {
            "page": page,
            "proposals": proposals,
            "rows": [(p, history.get(p.pk)) for p in proposals],
        },
    )


# --- officers -----------------------------------------------------------------------


@staff_required
@require_GET
def work_queue(request):
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    page = CappedPaginator(
        selectors.proposal_queue_for_officer(user=request.user, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    bulk = _bulk_actions(request.user)
    sources = {s for a in bulk for s in PROPOSAL.action(a.name).sources}
    return render(
        request,
        "musrenbang/work_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": [c for c in Status.choices if c[0] != Status.DRAFT],
            "forum_level": _forum_level(request.user),
            "bulk_actions": bulk,
            "bulk_sources": sources,
            "pickable": any(p.status in sources for p in page.object_list),
            "bulk_limit": BULK_LIMIT,
        },
    )


def _bulk_actions(user):
    """The bulk steps this officer's role may take (the workflow still checks each row)."""
    out = []
    for name in BULK_ACTIONS:
        action = PROPOSAL.action(name)
        if user.is_superuser or user.has_role(*action.roles):
            out.append(action)
    return out


@staff_required
@require_POST
def officer_bulk(request):
    """Several proposals through one step; a summary of what moved and what was refused."""
    action = request.POST.get("action", "")
    status = request.POST.get("status", "")
    back = reverse("musrenbang:work-queue") + (
        f"?status={status}" if status in Status.values else ""
    )
    if action not in {a.name for a in _bulk_actions(request.user)}:
        messages.error(request, _("Pilih tindakan yang tersedia untuk Anda."))
        return redirect(back)
    try:
        result = services.proposal_bulk_act(
            actor=request.user,
            action=action,
            references=request.POST.getlist("reference")[: BULK_LIMIT + 1],
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect(back)
    label = PROPOSAL.action(action).label
    if result.done:
        messages.success(
            request,
            _("%(action)s: %(n)s usulan berhasil (%(refs)s).")
            % {"action": label, "n": len(result.done), "refs": ", ".join(result.done)},
        )
    if result.refused:
        messages.warning(
            request,
            _("%(action)s: %(n)s usulan tidak diproses: %(items)s")
            % {
                "action": label,
                "n": len(result.refused),
                "items": "; ".join(f"{ref} — {why}" for ref, why in result.refused),
            },
        )
    return redirect(back)


def _merge(proposal, user, form):
    into = (
        selectors.proposal_list_for_officer(user=user)
        .filter(reference=form.cleaned_data["into"].strip())
        .first()
    )
    if into is None:
        raise ValidationError(_("Usulan tujuan tidak ditemukan di wilayah Anda."))
    services.proposal_merge(
        proposal=proposal, into=into, actor=user, note=form.cleaned_data["note"]
    )


def _officer_step(step) -> Action:
    """An officer's step on the detail page, as the workflow labels it; a refusal is
    folded under the step the page leads to, every step asks before it runs."""
    common = {
        "confirm": CONFIRM.get(step.name, ""),
        "danger": step.name in REFUSALS,
        "secondary": step.name in REFUSALS,
    }
    if step.name == "merge":
        return Action(
            "merge",
            step.label,
            MergeForm,
            _merge,
            invalid=_lazy("Isi nomor usulan tujuan."),
            **common,
        )
    if step.name == "accept":
        return Action(
            "accept",
            step.label,
            AcceptForm,
            lambda proposal, user, form: services.proposal_accept(
                proposal=proposal,
                actor=user,
                agency=form.cleaned_data["agency"],
                program=form.cleaned_data["program"],
                note=form.cleaned_data["note"],
            ),
            invalid=_lazy("Pilih perangkat daerah dan isi program RKPD."),
            **common,
        )
    if step.name == "fund":
        return Action(
            "fund",
            step.label,
            FundForm,
            lambda proposal, user, form: services.proposal_mark_funded(
                proposal_id=proposal.pk,
                actor=user,
                budget_reference=form.cleaned_data["budget_reference"],
            ),
            invalid=_lazy("Isi referensi anggaran."),
            **common,
        )
    return Action(
        step.name,
        step.label,
        DecisionForm,
        lambda proposal, user, form: services.proposal_act(
            proposal=proposal, actor=user, action=step.name, note=form.cleaned_data["note"]
        ),
        invalid=_lazy("Permintaan tidak lengkap."),
        form_kwargs=lambda proposal: {"note_required": step.note_required},
        **common,
    )


# In the workflow's order, as the detail page lists them.
OFFICER_STEPS = Actions(
    PROPOSAL,
    *(
        _officer_step(step)
        for step in PROPOSAL.actions
        if step.name in (*OFFICER_ACTIONS, "accept", "fund")
    ),
    prefix=False,
    refused=MESSAGE,
    invalid=MESSAGE,
    unavailable=MESSAGE,
    success=lambda proposal, result: (
        _("Status usulan %(ref)s diperbarui.") % {"ref": proposal.reference}
    ),
)


@staff_required
@require_POST
def officer_act(request, reference):
    proposal = selectors.proposal_get_for_officer(user=request.user, reference=reference)
    action = request.POST.get("action", "")
    if OFFICER_STEPS.get(action) is None:
        messages.error(request, _("Tindakan ini tidak tersedia di sini."))
        return redirect(proposal.get_absolute_url())
    return run_action(
        request, proposal, OFFICER_STEPS, action, success_url=proposal.get_absolute_url()
    )


def _forum_level(user) -> str | None:
    unit = user.unit
    if unit is None or not unit.region_id:
        return None
    if user.has_role(roles.PETUGAS_KELURAHAN) and unit.kind == roles.KELURAHAN:
        return Forum.Level.KELURAHAN
    if user.has_role(roles.PETUGAS_KECAMATAN) and unit.kind == roles.KECAMATAN:
        return Forum.Level.KECAMATAN
    return None


def _forum_context(request):
    level = _forum_level(request.user)
    cycle = selectors.cycle_current()
    if level is None or cycle is None:
        raise Http404
    region = request.user.unit.region
    ranked = list(
        services.forum_ranked(
            actor=request.user, level=level, region=region, cycle=cycle
        ).select_related(*selectors.PUBLIC_RELATED)
    )
    decided = list(
        services.forum_decided(
            actor=request.user, level=level, region=region, cycle=cycle
        ).select_related(*selectors.PUBLIC_RELATED)
    )
    forum = selectors.forum_get(cycle=cycle, level=level, region=region)
    title = _("%(level)s %(region)s, tahun rencana %(year)s") % {
        "level": Forum.Level(level).label,
        "region": region.name,
        "year": cycle.plan_year,
    }
    return {
        "level": level,
        "cycle": cycle,
        "region": region,
        "ranked": ranked,
        "decided": decided,
        "forum": forum,
        "forum_title": title,
    }


@staff_required
def forum(request):
    ctx = _forum_context(request)
    form = ForumForm(request.POST or None, instance=ctx["forum"])
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_record(
                actor=request.user,
                level=ctx["level"],
                region=ctx["region"],
                cycle=ctx["cycle"],
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Catatan forum tersimpan."))
            return redirect("musrenbang:forum")
    return render(request, "musrenbang/forum.html", {**ctx, "form": form})


@staff_required
@require_POST
def forum_rank(request):
    """htmx: set one row's rank number, or move it up/down; returns the table."""
    ctx = _forum_context(request)
    args = {
        "actor": request.user,
        "level": ctx["level"],
        "region": ctx["region"],
        "cycle": ctx["cycle"],
    }
    try:
        direction = request.POST.get("direction")
        if direction:
            services.forum_rank_move(
                **args, proposal_id=int(request.POST.get("proposal", 0)), direction=direction
            )
        else:
            form = RankForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Isi peringkat dengan angka 1 atau lebih."))
            ids = [p.pk for p in ctx["ranked"]]
            pk, rank = form.cleaned_data["proposal"], form.cleaned_data["rank"]
            if pk not in ids:
                raise ValidationError(_("Usulan tidak ada di forum ini."))
            ids.remove(pk)
            ids.insert(min(rank, len(ids) + 1) - 1, pk)
            services.forum_rank_set(**args, ordered_ids=ids)
    except (ValidationError, ValueError) as exc:
        error = (
            refused_message(exc)
            if isinstance(exc, ValidationError)
            else _("Permintaan tidak valid.")
        )
    else:
        error = ""
    ctx = _forum_context(request)
    if request.headers.get("HX-Request"):
        return render(request, "musrenbang/_forum_table.html", {**ctx, "error": error})
    if error:
        messages.error(request, error)
    return redirect("musrenbang:forum")


@staff_required
@require_POST
def forum_finalise(request):
    ctx = _forum_context(request)
    try:
        n = services.forum_finalise(
            actor=request.user, level=ctx["level"], region=ctx["region"], cycle=ctx["cycle"]
        )
    except ValidationError as exc:  # TransitionRefused too
        _error(request, exc)
    else:
        messages.success(request, _("%(n)s usulan ditetapkan peringkatnya.") % {"n": n})
    return redirect("musrenbang:forum")


def _export_rows(ctx):
    """The forum's list: still being ranked, or already ranked (after finalising)."""
    return ctx["ranked"] or ctx["decided"]


@staff_required
@require_GET
def forum_export(request, fmt):
    ctx = _forum_context(request)
    rows = _export_rows(ctx)
    name = slugify(f"berita-acara-{ctx['level']}-{ctx['region'].name}-{ctx['cycle'].plan_year}")
    if fmt == "pdf":
        content = exports.berita_acara_pdf(
            forum_title=ctx["forum_title"],
            forum=ctx["forum"],
            level=ctx["level"],
            proposals=rows,
            signer_unit=request.user.unit.name,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        content = exports.ranked_xlsx(
            forum_title=ctx["forum_title"], forum=ctx["forum"], level=ctx["level"], proposals=rows
        )
        response = xlsx_response(content, filename=f"{name}.xlsx")
    return response


@staff_required
def moderation(request, reference=None):
    if not rules.has_perm("musrenbang.moderate_proposal", request.user):
        raise Http404
    if (
        reference is not None
        and not selectors.proposal_list_flagged(user=request.user)
        .filter(reference=reference)
        .exists()
    ):
        raise Http404  # only a hidden proposal has a moderation page
    if request.method == "POST":
        proposal = (
            selectors.proposal_list_flagged(user=request.user)
            .filter(reference=reference or "")
            .first()
        )
        form = ModerateForm(request.POST)
        if proposal is None:
            raise Http404
        if form.is_valid():
            services.proposal_moderate(
                proposal=proposal,
                moderator=request.user,
                restore=form.cleaned_data["restore"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Keputusan moderasi tersimpan."))
        else:
            messages.error(request, _("Pilih keputusan."))
        return redirect("musrenbang:moderation")
    return render(
        request,
        "musrenbang/moderation.html",
        {"proposals": selectors.proposal_list_flagged(user=request.user), "form": ModerateForm()},
    )


# --- follow the money: the citizen's word on completed work, "Janji dan realisasi" ------


@require_POST
def feedback(request, reference):
    """Was the work really done? Yes is recorded; no is recorded and leads to a complaint
    in e-Masyarakat with the proposal named (by URL: e-Musrenbang does not import it)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={proposal_url(reference)}")
    proposal = selectors.proposal_visible(reference=reference, user=request.user)
    confirmed = request.POST.get("confirmed") == "1"
    try:
        services.proposal_completion_feedback(
            proposal=proposal, user=request.user, confirmed=confirmed
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect(proposal.get_absolute_url())
    if confirmed:
        messages.success(request, _("Terima kasih atas konfirmasi Anda."))
        return redirect(proposal.get_absolute_url())
    return redirect(complaint_url(proposal))


def proposal_url(reference: str) -> str:
    return reverse("musrenbang:detail", args=[reference])


def complaint_url(proposal) -> str:
    """The e-Masyarakat report form with the proposal reference prefilled."""
    from urllib.parse import urlencode

    query = urlencode(
        {
            "judul": _("Pekerjaan usulan musrenbang %(ref)s belum sesuai")
            % {"ref": proposal.reference},
            "uraian": _(
                "Usulan musrenbang %(ref)s “%(title)s” ditandai selesai, tetapi menurut "
                "saya pekerjaannya belum dilaksanakan atau belum sesuai: "
            )
            % {"ref": proposal.reference, "title": proposal.title},
            "kelurahan": proposal.kelurahan.code,
        }
    )
    return f"{reverse('masyarakat:ticket-new')}?{query}"


def _promise_year(request) -> int | None:
    years = selectors.promise_years()
    try:
        year = int(request.GET.get("tahun") or 0)
    except ValueError:
        year = 0
    if year in years:
        return year
    # the latest cycle whose accepted proposals the budget has already taken up
    return years[1] if len(years) > 1 else (years[0] if years else None)


@require_GET
@pagecache.public_page("musrenbang")
def promises(request):
    """Janji dan realisasi: accepted, funded, budgeted and realised per kecamatan, then
    per kelurahan of a kecamatan, with the list behind each figure."""
    year = _promise_year(request)
    region = selectors.promise_region(code=request.GET.get("wilayah"))
    kecamatan = region if region is not None and region.level == "kecamatan" else None
    if region is not None and kecamatan is None:
        kecamatan = region.parent
    figure = request.GET.get("daftar") or ""
    if figure not in ("accepted", "funded", "completed"):
        figure = ""
    rows = selectors.promise_summary(year=year, kecamatan=kecamatan) if year else []
    listed = (
        selectors.promise_list(year=year, region=region, figure=figure) if year and figure else None
    )
    return render(
        request,
        "musrenbang/promises.html",
        {
            "year": year,
            "years": selectors.promise_years(),
            "region": region,
            "kecamatan": kecamatan,
            "rows": rows,
            "total": selectors.promise_total(rows),
            "figure": figure,
            "listed": listed,
        },
    )


@require_GET
def promises_csv(request):
    """Open data: every accepted proposal of a plan year with what funds it and what
    was spent."""
    year = _promise_year(request)
    rows = []
    for p in selectors.promise_proposals(year=year) if year else []:
        f = getattr(p, "funding", None) if p.status in selectors.FUNDED else None
        rows.append(
            [
                year,
                p.kelurahan.parent.code,
                p.kelurahan.parent.name,
                p.kelurahan.code,
                p.kelurahan.name,
                p.reference,
                p.title,
                p.status,
                p.agency.name if p.agency_id else "",
                f.sub_kegiatan_code if f else "",
                f.sub_kegiatan_name if f else "",
                f.fiscal_year if f else "",
                f.phase if f else "",
                p.budgeted,
                p.realised,
                f.completed_on if f and f.completed_on else "",
            ]
        )
    header = [
        "plan_year",
        "kecamatan_code",
        "kecamatan",
        "kelurahan_code",
        "kelurahan",
        "reference",
        "title",
        "status",
        "agency",
        "sub_kegiatan_code",
        "sub_kegiatan",
        "fiscal_year",
        "budget_phase",
        "budgeted_idr",
        "realised_idr",
        "completed_on",
    ]
    return csv_response(rows, header=header, filename=f"janji-realisasi-{year or 'kosong'}.csv")
