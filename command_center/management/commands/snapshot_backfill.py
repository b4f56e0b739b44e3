from django.core.management.base import BaseCommand, CommandError

from command_center import services


class Command(BaseCommand):
    help = "Snapshot every key figure for each of the last N days (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, days, **options):
        if not 1 <= days <= 3660:
            raise CommandError("--days must be between 1 and 3660")
        self.stdout.write(f"{services.snapshot_backfill(days=days)} snapshot rows written")
