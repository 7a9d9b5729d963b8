"""Gunicorn settings for production: ``gunicorn huahin_meetings.wsgi`` reads this file.

Every value can be overridden from the environment, like the Django settings."""

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
