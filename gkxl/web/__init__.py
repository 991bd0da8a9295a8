"""`gkxl serve`: the collection round as a local web app — an adapter over the same core as the CLI.

storage.py keeps every upload (content-addressed files and an SQLite database, the data folder being the whole
state); round.py checks uploads with the core (`intake.load`/`check_loaded`), decides statuses with
`collect.decide` and produces the office's downloads by running `gkxl collect` on the exported inbox; app.py is
the Starlette application (pages, security); links.py writes 单位链接.xlsx; checks.py runs the checks of uploads
in a bounded pool of worker processes (collect's own check function), awaited by the event loop.
"""
