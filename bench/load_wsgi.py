"""The project's WSGI application for bench/load.py, with one header added: the time
this request spent in database calls (``X-Bench-DB-ms``), as Django saw it.

Each query is timed with ``connection.execute_wrapper`` from the call until the
rows are back in Python (the network round trip and any wait for a busy server
included), summed per request. Only the benchmark serves this module."""

import time

from django.core.wsgi import get_wsgi_application
from django.db import connections

django_application = get_wsgi_application()


class _Timer:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def application(environ, start_response):
    timer = _Timer()

    def timed_start_response(status, headers, exc_info=None):
        headers = [*headers, ("X-Bench-DB-ms", f"{timer.seconds * 1000:.2f}")]
        return start_response(status, headers, exc_info)

    wrappers = [connections[alias].execute_wrapper(timer) for alias in connections]
    for wrapper in wrappers:
        wrapper.__enter__()
    try:
        return django_application(environ, timed_start_response)
    finally:
        for wrapper in reversed(wrappers):
            wrapper.__exit__(None, None, None)
