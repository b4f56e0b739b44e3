"""English beside the Indonesian names of shared reference data (django-modeltranslation):
the urusan and bidang of Permendagri 90/2019, shown as budget areas and proposal
categories."""

from modeltranslation.translator import TranslationOptions, register

from .models import Urusan


@register(Urusan)
class UrusanTranslation(TranslationOptions):
    fields = ("name",)
