"""English beside the Indonesian names of units (django-modeltranslation): agencies,
kecamatan and kelurahan offices and health facilities appear in the command center, the
desk, permits and complaints, and read in English when English is chosen."""

from modeltranslation.translator import TranslationOptions, register

from .models import Unit


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("name",)
