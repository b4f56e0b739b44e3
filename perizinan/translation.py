"""English beside the Indonesian names officers enter (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import DocumentRequirement, PermitType


@register(PermitType)
class PermitTypeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(DocumentRequirement)
class DocumentRequirementTranslation(TranslationOptions):
    fields = ("name",)
