from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.services import (
    DEFAULT_REFERENCE_FILE,
    ReferenceDataError,
    reference_data_load,
    reference_data_read,
)


class Command(BaseCommand):
    help = (
        "Load the communities, departments and issue categories from a TOML file "
        "(Hua Hin's by default). Safe to run again: unchanged rows are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_REFERENCE_FILE,
            help="Reference data file of another municipality (same format as the default).",
        )

    def handle(self, *args, **options):
        try:
            result = reference_data_load(data=reference_data_read(path=options["file"]))
        except ReferenceDataError as error:
            raise CommandError(
                "Nothing was loaded; fix these rows first:\n"
                + "\n".join(f"  - {line}" for line in error.errors)
            ) from None
        if options["verbosity"] < 1:
            return
        if not result.changed:
            self.stdout.write("Reference data is up to date; nothing changed.")
            return
        for section in ("departments", "categories", "communities"):
            created = result.created.get(section, 0)
            updated = result.updated.get(section, 0)
            if created or updated:
                self.stdout.write(f"{section}: {created} created, {updated} updated")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
