"""A hall of users against the real server on an SQLite file (tests/test_sqlite_hall.py)."""
