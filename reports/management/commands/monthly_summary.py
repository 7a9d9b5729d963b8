import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents import monthly_summary_pdf


class Command(BaseCommand):
    help = "Write the monthly summary PDF of a month (CE year and month, e.g. 2026-03)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM, for example 2026-03")
        parser.add_argument("--output", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args, **options):
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", options["month"])
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError("Give the month as YYYY-MM, for example 2026-03.")
        content = monthly_summary_pdf(year=int(match[1]), month=int(match[2]))
        Path(options["output"]).write_bytes(content)
        if options["verbosity"]:
            self.stdout.write(f"Wrote {options['output']} ({len(content) // 1024} KB).")
