"""English beside the Indonesian names officers enter (django-modeltranslation): a poli's
name reads in English on the facility page, the ticket, the console and the desk."""

from modeltranslation.translator import TranslationOptions, register

from .models import Poli


@register(Poli)
class PoliTranslation(TranslationOptions):
    fields = ("name",)


# English for the demo polis (dokter/demo.py), set by `seed_demo`.
DEMO_POLIS_ENGLISH = {
    "Poli Umum": "General Clinic",
    "Poli Gigi": "Dental Clinic",
    "Poli KIA (Ibu dan Anak)": "Maternal and Child Health Clinic (KIA)",
    "Poli Lansia": "Elderly Care Clinic",
    "Laboratorium": "Laboratory",
    "Apotek": "Pharmacy",
    "Poli Penyakit Dalam": "Internal Medicine Clinic",
    "Poli Anak": "Paediatric Clinic",
    "Poli Kebidanan dan Kandungan": "Obstetrics and Gynaecology Clinic",
    "Poli Bedah": "Surgical Clinic",
    "Farmasi": "Pharmacy",
}


def seed_english(log) -> None:
    done = 0
    for name, english in DEMO_POLIS_ENGLISH.items():
        done += Poli.objects.filter(facility__is_demo=True, name_ind=name).update(name_en=english)
    log(f"dokter: English names for {done} demo polis")


def _register_demo() -> None:
    from binjai_portal.core import demo

    demo.register("dokter-english", seed_english, order=95)


_register_demo()
