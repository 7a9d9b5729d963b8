"""What shows meetings and issues together: the indicators (``kpis``), dashboard,
monthly summary, community and department reports with their charts, a community's
page, the minutes PDF with its annex (``minutes``) and the LINE summary (``line``)."""
