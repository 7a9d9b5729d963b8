import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.webfonts import WEB_FONT_FACES, web_font_build


class Command(BaseCommand):
    help = (
        "Make the web font (static/fonts/sarabun/*.woff2) from the TTFs of the installed "
        "Sarabun package. Run it when that package is upgraded or a page shows a character "
        "the web font lacks, and commit the files it writes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "static" / "fonts" / "sarabun",
            help="Folder to write to (default: static/fonts/sarabun).",
        )

    def handle(self, *args, **options):
        source = Path(settings.SARABUN_FONT_DIR)
        output = options["output"]
        output.mkdir(parents=True, exist_ok=True)
        for face in WEB_FONT_FACES:
            data = web_font_build(source / f"Sarabun-{face}.ttf")
            (output / f"Sarabun-{face}.woff2").write_bytes(data)
            self.stdout.write(f"Sarabun-{face}.woff2: {len(data) / 1024:.1f} KiB")
        # The SIL Open Font License travels with the font files.
        shutil.copyfile(source.parent / "LICENSE", output / "OFL.txt")
