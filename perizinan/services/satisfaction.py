"""The applicant's satisfaction survey (IKM) after the decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import workflows as wf
from ..models import IKM_ELEMENTS, Application, SatisfactionSurvey
from .common import _ensure_owner


@transaction.atomic
def survey_submit(
    *, application: Application, actor, scores: dict[str, int], comment: str = ""
) -> SatisfactionSurvey:
    _ensure_owner(application, actor)
    if application.status != wf.ISSUED:
        raise ValidationError(_("Survei kepuasan diisi setelah izin terbit."))
    if SatisfactionSurvey.objects.filter(application=application).exists():
        raise ValidationError(_("Survei untuk permohonan ini sudah diisi. Terima kasih."))
    survey = SatisfactionSurvey(
        application=application,
        comment=(comment or "").strip(),
        **{key: scores.get(key) for key, _label in IKM_ELEMENTS},
    )
    survey.full_clean()
    survey.save()
    return survey
