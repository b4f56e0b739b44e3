from django.core.management.base import BaseCommand

from binjai_portal.core.nomenclature import nomenclature_load


class Command(BaseCommand):
    help = "Load urusan and bidang (Permendagri 90/2019) from the shipped file. Idempotent."

    def handle(self, *args, **options):
        r = nomenclature_load()
        self.stdout.write(
            f"Urusan/bidang: {r.created} created, {r.updated} updated, {r.unchanged} unchanged."
        )
