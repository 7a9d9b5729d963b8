"""Gunicorn settings for production: ``gunicorn huahin_meetings.wsgi`` reads this file.

Every value can be overridden from the environment, like the Django settings."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# PDFs are rendered in the request, so a few workers per core, each with threads
# for the quick pages, keep one slow PDF from holding up everyone.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# With threads above 1 gunicorn runs its threaded worker (gthread) whatever is set.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread" if threads > 1 else "sync")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Python's cycle collector, as a worker needs it. By default it runs every 700 new
# objects, and a page makes thousands: collections took a tenth of a page's CPU
# (1.4 ms), and now and then a full one walked every object Django and WeasyPrint
# had loaded (150 ms, in the middle of someone's request). Every 10,000 objects,
# with what the worker loaded before its first request set aside for good
# (gc.freeze), they take a third of that and never walk those objects again.
GC_THRESHOLD = (int(os.environ.get("GUNICORN_GC_THRESHOLD", 10_000)), 20, 20)


def post_worker_init(worker):
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
