"""Issues raised at meetings or sent by leaders: their workflow, history, field
surveys, worklists and the CSV export."""
