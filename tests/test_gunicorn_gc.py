"""A gunicorn worker tunes Python's cycle collector once it has loaded the project."""

import gc
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_a_worker_sets_aside_what_it_loaded_and_collects_less_often(monkeypatch):
    monkeypatch.delenv("GUNICORN_GC_THRESHOLD", raising=False)
    config = runpy.run_path(str(CONFIG))
    threshold = gc.get_threshold()
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == (10_000, 20, 20)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
