from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from binjai_portal.core import pagecache
from binjai_portal.core.actions import MESSAGE, Action, Actions, run_action
from binjai_portal.core.middleware import accepts_uploads
from binjai_portal.core.paging import CappedPaginator
from binjai_portal.core.permissions import staff_required
from binjai_portal.core.privacy.access import staff_viewed
from binjai_portal.core.ratelimits import limit
from binjai_portal.core.workflow import Holder

from . import forms, selectors, services
from .workflows import TICKET

PAGE_SIZE = 20


def _feed_filters(request):
    form = forms.FeedFilterForm(
        request.GET or None,
        categories=selectors.category_list(),
        kecamatan=selectors.kecamatan_choices(),
    )
    data = {}
    if form.is_bound:
        form.is_valid()  # invalid fields are dropped, the rest still filter
        data = form.cleaned_data
    filters = selectors.PublicFilters(
        category=data.get("category") or None,
        kecamatan=data.get("kecamatan") or None,
        status=data.get("status") or None,
        start=data.get("start"),
        end=data.get("end"),
        q=data.get("q") or None,
    )
    return form, filters


@pagecache.public_page("masyarakat")
def index(request):
    """The public feed: non-confidential, moderated tickets."""
    form, filters = _feed_filters(request)
    paginator = CappedPaginator(selectors.ticket_list_public(filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "masyarakat/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "TICKET": TICKET,
        },
    )


@pagecache.public_page("masyarakat")
def ticket_map(request):
    form, _filters = _feed_filters(request)
    query = request.GET.copy()
    return render(
        request,
        "masyarakat/map.html",
        {
            "form": form,
            "query": query.urlencode(),
            "legend": selectors.map_legend(categories=selectors.category_list()),
        },
    )


@pagecache.public_page("masyarakat")
def map_data(request):
    _form, filters = _feed_filters(request)
    return JsonResponse({"points": selectors.ticket_map_points(filters=filters)})


@accepts_uploads(files=services.MAX_PHOTOS)
@login_required
# Each complaint e-mails the moderators: counted per account and per address, and
# refused while the limiter is down (fail closed).
@limit("complaint_address")
@limit("complaint_user", key="user")
def ticket_new(request):
    if request.method == "POST":
        form = forms.TicketForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    reporter=request.user,
                    category=d["category"],
                    title=d["title"],
                    description=d["description"],
                    kelurahan=d["kelurahan"],
                    address=d["address"],
                    lat=d["lat"],
                    lng=d["lng"],
                    photos=d["photos"] or [],
                    show_name=d["show_name"],
                    confidential=d["confidential"],
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(
                    request, _("Laporan terkirim dengan nomor %(n)s.") % {"n": ticket.number}
                )
                return redirect(ticket.get_absolute_url())
    else:
        # The kelurahan of the citizen's profile, which they may change for this report;
        # links from other services prefill by URL (e-Musrenbang: "work not done"), since
        # the apps do not import each other.
        home = request.user.kelurahan
        initial = {"kelurahan": home.code} if home is not None and home.is_village else {}
        initial.update(
            {
                key: request.GET[param][:limit]
                for param, key, limit in (
                    ("judul", "title", 150),
                    ("uraian", "description", 4000),
                    ("kelurahan", "kelurahan", 20),
                )
                if request.GET.get(param)
            }
        )
        form = forms.TicketForm(initial=initial or None)
    return render(request, "masyarakat/ticket_form.html", {"form": form})


@accepts_uploads(files=services.MAX_PHOTOS)
@never_cache
# The same limits as a signed-in report from this address, and a lower one of its own:
# nobody's account can be blocked for abuse of an anonymous form.
@limit("complaint_address")
@limit("complaint_anonymous")
def ticket_new_anonymous(request):
    """A report without an account; the receipt shows its number and follow secret once."""
    if request.method == "POST":
        form = forms.AnonymousTicketForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                ticket, secret = services.ticket_create_anonymous(
                    category=d["category"],
                    title=d["title"],
                    description=d["description"],
                    kelurahan=d["kelurahan"],
                    address=d["address"],
                    lat=d["lat"],
                    lng=d["lng"],
                    photos=d["photos"] or [],
                    confidential=d["confidential"],
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                return render(
                    request,
                    "masyarakat/ticket_receipt.html",
                    {"ticket": ticket, "secret": secret},
                )
    else:
        form = forms.AnonymousTicketForm()
    return render(
        request,
        "masyarakat/ticket_form.html",
        {"form": form, "anonymous": True},
        status=400 if request.method == "POST" else 200,
    )


# Session key: the anonymous reports whose number and secret this browser gave (their pks).
# The secret itself is never kept: it was checked once, against its salted hash.
FOLLOWED = "masyarakat.followed"
FOLLOWED_MAX = 10


def _followed(request) -> list[int]:
    return [p for p in request.session.get(FOLLOWED, []) if isinstance(p, int)]


def _remember_followed(request, ticket) -> None:
    kept = [p for p in _followed(request) if p != ticket.pk][-(FOLLOWED_MAX - 1) :]
    request.session[FOLLOWED] = [*kept, ticket.pk]


def _holder(ticket) -> Holder:
    """The reporter of this anonymous report, as proven by its number and secret."""
    return Holder(type(ticket), ticket.pk)


def _follow_context(request, ticket, forms_by_action=None, message_form=None) -> dict:
    holder = _holder(ticket)
    return {
        "ticket": ticket,
        "status_label": TICKET.label(ticket.status),
        "timeline": selectors.ticket_timeline(ticket=ticket, viewer=request.user),
        "photos": list(ticket.photos.all()),
        "thread": selectors.message_list(ticket=ticket, viewer=request.user),
        "message_form": message_form or forms.MessageForm(),
        "action_items": TICKET_ACTIONS.items(
            holder,
            ticket,
            url=lambda a: reverse("masyarakat:ticket-follow-action", args=[ticket.number, a.name]),
            forms_by_name=forms_by_action,
        ),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@limit("complaint_track", fail_open=True)
def ticket_follow(request):
    """The follow page of an anonymous report: by number and secret, sent by POST so the
    secret is in no address bar, log or Referer. Once given, this browser's session may
    open the report again (`lacak/<number>/`) and take its reporter's steps: confirm the
    solution with a rating, reopen it, or write to the officers."""
    form = forms.FollowForm(request.POST if request.method == "POST" else None)
    ticket = None
    if request.method == "POST" and form.is_valid():
        follow = selectors.Follow(form.cleaned_data["number"], form.cleaned_data["secret"])
        ticket = selectors.ticket_get_for_follower(user=request.user, follow=follow)
        if ticket is None:
            form.add_error(None, _("Nomor tiket atau sandi pantau tidak cocok."))
        else:
            _remember_followed(request, ticket)
    context = {"form": form, "ticket": ticket}
    if ticket is not None:
        context.update(_follow_context(request, ticket))
    status = 400 if request.method == "POST" and ticket is None else 200
    return render(request, "masyarakat/ticket_follow.html", context, status=status)


def _followed_ticket(request, number):
    return selectors.ticket_get_followed(
        user=request.user, number=number, followed=_followed(request)
    )


def _ask_secret_again(request, number):
    """The report is refused to a browser that has not given its secret (403, like any
    other page it may not see), with the follow form filled with its number."""
    form = forms.FollowForm(initial={"number": (number or "").strip().upper()[:20]})
    context = {"form": form, "ticket": None}
    return render(request, "masyarakat/ticket_follow.html", context, status=403)


@never_cache
def ticket_follow_detail(request, number):
    """An anonymous report this browser has followed before; else the form again."""
    ticket = _followed_ticket(request, number)
    if ticket is None:
        return _ask_secret_again(request, number)
    return render(request, "masyarakat/ticket_follow.html", _follow_context(request, ticket))


@never_cache
@require_POST
@limit("complaint_address")
def ticket_follow_action(request, number, action):
    """The reporter's step on their anonymous report (confirm and rate, reopen), as the
    `Holder` of its secret: the workflow engine decides, as for any other actor."""
    ticket = _followed_ticket(request, number)
    if ticket is None:
        messages.error(request, _("Masukkan lagi nomor tiket dan sandi pantau laporan Anda."))
        return _ask_secret_again(request, number)
    back = reverse("masyarakat:ticket-follow-detail", args=[ticket.number])

    def render_form(outcome):
        fresh = _followed_ticket(request, number)
        context = _follow_context(request, fresh, {outcome.action.name: outcome.form})
        return render(request, "masyarakat/ticket_follow.html", context, status=400)

    return run_action(
        request,
        ticket,
        TICKET_ACTIONS,
        action,
        actor=_holder(ticket),
        render_form=render_form,
        success_url=back,
        back_url=back,
    )


@never_cache
@require_POST
@limit("complaint_address")
def ticket_follow_message(request, number):
    """A message from the reporter of an anonymous report to the officers handling it."""
    ticket = _followed_ticket(request, number)
    if ticket is None:
        messages.error(request, _("Masukkan lagi nomor tiket dan sandi pantau laporan Anda."))
        return _ask_secret_again(request, number)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(
                ticket=ticket, author=_holder(ticket), body=form.cleaned_data["body"]
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Pesan terkirim."))
            back = reverse("masyarakat:ticket-follow-detail", args=[ticket.number])
            return redirect(back + "#pesan")
    context = _follow_context(request, ticket, message_form=form)
    return render(request, "masyarakat/ticket_follow.html", context, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


@login_required
def my_tickets(request):
    paginator = CappedPaginator(selectors.ticket_list_own(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "masyarakat/my_tickets.html", {"page": page})


@staff_required
def work_queue(request):
    status = request.GET.get("status") or "open"
    if status not in {"open", "overdue", *dict(TICKET.choices())}:
        status = "open"
    paginator = CappedPaginator(
        selectors.ticket_list_for_user(user=request.user, status=status), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "masyarakat/work_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": [("open", _("Terbuka")), ("overdue", _("Lewat batas waktu"))]
            + [(k, v) for k, v in TICKET.choices()],
        },
    )


def _note(form) -> str:
    return form.cleaned_data.get("note", "")


def _step(name, form_class, service, **kwargs) -> Action:
    """A ticket step, labelled as its workflow declares it, folded until opened."""
    return Action(name, TICKET.action(name).label, form_class, service, secondary=True, **kwargs)


# In the workflow's order, as the detail page lists them.
TICKET_ACTIONS = Actions(
    TICKET,
    _step(
        "verify",
        forms.NoteForm,
        lambda t, user, form: services.ticket_verify(ticket=t, moderator=user, note=_note(form)),
    ),
    _step(
        "reject",
        forms.RequiredNoteForm,
        lambda t, user, form: services.ticket_reject(ticket=t, moderator=user, reason=_note(form)),
    ),
    _step(
        "merge",
        forms.MergeForm,
        lambda t, user, form: services.ticket_merge(
            ticket=t, moderator=user, into=form.cleaned_data["into"], note=_note(form)
        ),
    ),
    _step(
        "assign",
        forms.AssignForm,
        lambda t, user, form: services.ticket_assign(
            ticket=t, moderator=user, agency=form.cleaned_data["agency"], note=_note(form)
        ),
        form_kwargs=lambda t: {"initial": {"agency": t.category.agency_id}},
    ),
    _step(
        "start",
        forms.NoteForm,
        lambda t, user, form: services.ticket_start(ticket=t, officer=user, note=_note(form)),
    ),
    _step(
        "ask_info",
        forms.RequiredNoteForm,
        lambda t, user, form: services.ticket_ask_info(
            ticket=t, officer=user, question=_note(form)
        ),
    ),
    _step(
        "answer_info",
        forms.RequiredNoteForm,
        lambda t, user, form: services.ticket_answer_info(
            ticket=t, reporter=user, answer=_note(form)
        ),
    ),
    _step(
        "resolve",
        forms.ResolveForm,
        lambda t, user, form: services.ticket_resolve(
            ticket=t,
            officer=user,
            response=_note(form),
            photo=form.cleaned_data.get("photo") or None,
        ),
    ),
    _step(
        "close",
        forms.CloseForm,
        lambda t, user, form: services.ticket_close(
            ticket=t, reporter=user, rating=form.cleaned_data["rating"], comment=_note(form)
        ),
    ),
    _step(
        "reopen",
        forms.RequiredNoteForm,
        lambda t, user, form: services.ticket_reopen(ticket=t, reporter=user, reason=_note(form)),
    ),
    refused=MESSAGE,
    unavailable=MESSAGE,
    success=lambda t, result: _("Tersimpan: %(s)s.") % {"s": TICKET.label(t.status)},
)


def _detail_context(request, ticket, private, forms_by_action=None):
    user = request.user
    items = []
    if private:
        items = TICKET_ACTIONS.items(
            user,
            ticket,
            url=lambda a: reverse("masyarakat:ticket-action", args=[ticket.number, a.name]),
            forms_by_name=forms_by_action,
        )
    return {
        "ticket": ticket,
        "private": private,
        "TICKET": TICKET,
        "status_label": TICKET.label(ticket.status),
        "reporter": selectors.reporter_label(ticket, user),
        "timeline": selectors.ticket_timeline(ticket=ticket, viewer=user),
        "thread": selectors.message_list(ticket=ticket, viewer=user) if private else [],
        "message_form": forms.MessageForm() if private else None,
        "action_items": items,
        "photos": list(ticket.photos.all()),
        "has_me_too": selectors.has_me_too(ticket=ticket, user=user),
        "is_reporter": user.is_authenticated and user.pk == ticket.reporter_id,
    }


@pagecache.public_page("masyarakat")
def ticket_detail(request, number):
    ticket, private = selectors.ticket_get_for_user(user=request.user, number=number)
    if ticket.confidential and rules.has_perm("masyarakat.view_reporter", request.user, ticket):
        staff_viewed(  # UU 27/2022 access log: a confidential reporter's identity seen
            viewer=request.user,
            kind="reporter",
            record=f"masyarakat.ticket:{ticket.number}",
            subject_id=ticket.reporter_id,
        )
    return render(
        request, "masyarakat/ticket_detail.html", _detail_context(request, ticket, private)
    )


@accepts_uploads(files=1)
@login_required
@require_POST
def ticket_action(request, number, action):
    ticket, private = selectors.ticket_get_for_user(user=request.user, number=number)
    if not private:
        raise Http404

    def render_form(outcome):
        fresh, private = selectors.ticket_get_for_user(user=request.user, number=number)
        context = _detail_context(request, fresh, private, {outcome.action.name: outcome.form})
        return render(request, "masyarakat/ticket_detail.html", context, status=400)

    return run_action(request, ticket, TICKET_ACTIONS, action, render_form=render_form)


@login_required
@require_POST
def ticket_me_too(request, number):
    ticket = selectors.ticket_get_public(number=number)
    try:
        added = services.ticket_me_too(ticket=ticket, user=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if added:
            messages.success(request, _("Terima kasih, dukungan Anda tercatat."))
        else:
            messages.info(request, _("Anda sudah mendukung laporan ini."))
    return redirect(ticket.get_absolute_url())


@login_required
@require_POST
def message_post(request, number):
    ticket, private = selectors.ticket_get_for_user(user=request.user, number=number)
    if not private:
        raise Http404
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        services.message_post(ticket=ticket, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Pesan terkirim."))
    else:
        messages.error(request, _("Pesan tidak boleh kosong."))
    return redirect(ticket.get_absolute_url() + "#pesan")
