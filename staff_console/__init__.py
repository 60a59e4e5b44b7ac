"""The staff console: a Sanic web app, separate from Rasa, where clinic staff see,
claim and resolve hand-offs (HTML pages and a JSON API). `python -m staff_console`
serves it; see `staff_console.__main__`.
"""
