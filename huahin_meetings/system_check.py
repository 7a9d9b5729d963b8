"""Stop early, with the package to install, when a system library is missing.

WeasyPrint needs Pango (and libthai for Thai line breaking); without them its import
fails deep inside cffi. ``make`` runs this before anything else so that a fresh
machine gets one clear sentence instead of a traceback.

Without HarfBuzz's subsetter WeasyPrint still works, through fontTools, but logs a
warning for every PDF it writes and says its future versions will need it, so its
absence is said without stopping.
"""

import sys

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libthai0"
SUBSET_PACKAGE = "libharfbuzz-subset0"


def main() -> int:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        print(
            "WeasyPrint cannot load a system library it needs "
            f"({error}).\nInstall them with:\n  sudo apt-get install {DEBIAN_PACKAGES}",
            file=sys.stderr,
        )
        return 1
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is None:
        print(
            "WeasyPrint subsets the PDF fonts with fontTools: HarfBuzz's font subsetter,"
            " which its future versions will need, is missing."
            f"\nInstall it with:\n  sudo apt-get install {SUBSET_PACKAGE}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
