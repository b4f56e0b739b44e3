"""Reads of the personal data protection records, scoped to the user."""

from __future__ import annotations

import datetime

import rules
from django.conf import settings
from django.http import Http404
from django.utils import timezone

from .models import AccessLog, Consent, Incident, RetentionRun, RightsRequest
from .registry import Section, registry


def my_data(*, user) -> list[Section]:
    """Everything each app holds about the user and their dependants (Pasal 7, 32)."""
    sections: list[Section] = []
    for _app, func in sorted(registry.exporters.items()):
        sections.extend(func(user))
    return sections


def my_data_plain(*, user) -> dict:
    return {
        "generated_at": timezone.now().isoformat(),
        "controller": f"Pemerintah {settings.REGION_NAME}",
        "sections": [
            {"app": s.app, "title": s.title, "records": list(s.records)} for s in my_data(user=user)
        ],
    }


def access_list_for_subject(*, user, limit: int = 200) -> list[AccessLog]:
    """Who of the government looked at the user's (or their dependants') data."""
    return list(
        AccessLog.objects.filter(subject_id=user.pk)
        .select_related("viewer__unit")
        .order_by("-created_at", "-pk")[:limit]
    )


def access_list_all(*, viewer, kind: str = "", limit: int = 200) -> list[AccessLog]:
    if not rules.has_perm("privacy.act_as_protection_officer", viewer):
        raise Http404
    qs = AccessLog.objects.select_related("viewer").order_by("-created_at", "-pk")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs[:limit])


def consents_for(*, user) -> list[Consent]:
    return list(Consent.objects.filter(user=user).select_related("notice"))


def request_list_visible(*, user):
    """A citizen's own requests; the DPO's: all."""
    qs = RightsRequest.objects.select_related("requester")
    if rules.has_perm("privacy.act_as_protection_officer", user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(requester=user)


def request_get_for_user(*, user, reference: str) -> RightsRequest:
    req = request_list_visible(user=user).filter(reference=reference).first()
    if req is None:
        raise Http404
    return req


def incident_list(*, user):
    if not rules.has_perm("privacy.act_as_protection_officer", user):
        raise Http404
    return Incident.objects.select_related("suspect_viewer").prefetch_related("affected")


def incident_get(*, user, pk: int) -> Incident:
    incident = incident_list(user=user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def retention_runs(*, user, limit: int = 30) -> list[RetentionRun]:
    if not rules.has_perm("privacy.act_as_protection_officer", user):
        raise Http404
    return list(RetentionRun.objects.all()[:limit])


def hours_left(due: datetime.datetime | None) -> float | None:
    if due is None:
        return None
    return round((due - timezone.now()).total_seconds() / 3600, 1)
