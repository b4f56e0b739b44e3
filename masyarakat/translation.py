"""English beside the Indonesian names officers enter (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


# English for the demo categories (masyarakat/demo.py), set by `seed_demo`.
DEMO_ENGLISH = {
    "jalan-rusak": (
        "Damaged or potholed road",
        "City road with potholes, subsidence or peeling asphalt.",
    ),
    "drainase": ("Blocked drain", "Ditches and drains blocked or overflowing."),
    "lampu-jalan": ("Street light out", "Public street light (PJU) out or flickering."),
    "sampah": (
        "Rubbish not collected",
        "Household rubbish not collected on schedule, or an illegal dump.",
    ),
    "pohon-tumbang": (
        "Fallen or unsafe tree",
        "A fallen tree blocking the road, or a tree likely to fall.",
    ),
    "banjir": ("Standing water or flooding", "Standing water or flooding in a residential area."),
    "pkl-liar": (
        "Illegal street vendors or parking",
        "Street vendors on the pavement, or illegal parking, causing obstruction.",
    ),
    "adminduk": (
        "Slow ID card / family card service",
        "Delays in population administration services.",
    ),
    "layanan-kesehatan": (
        "Puskesmas service",
        "Complaints about service at puskesmas and city health facilities.",
    ),
    "pungli": (
        "Illegal levies / staff misconduct",
        "Suspected illegal levies or misconduct by staff (confidential report).",
    ),
}


def seed_english(log) -> None:
    done = 0
    for code, (name, description) in DEMO_ENGLISH.items():
        done += Category.objects.filter(code=code, is_demo=True).update(
            name_en=name, description_en=description
        )
    log(f"masyarakat: English names for {done} demo categories")


def _register_demo() -> None:
    from binjai_portal.core import demo

    demo.register("masyarakat-english", seed_english, order=95)


_register_demo()
