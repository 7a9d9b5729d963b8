"""Demo data: accounts of every role, the people who attend, a year of meetings and
the issues raised at them (``manage.py seed_demo``). It sits above the apps it fills."""
