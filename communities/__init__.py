"""Reference data only: communities, departments, issue categories and the people
who attend the meetings, loaded from ``data/huahin.toml`` (``load_reference_data``)."""
