"""Staff console: a web page and a JSON API where clinic staff see and take hand-offs.

A separate service from the Rasa server (default 127.0.0.1:8080), started by
`make run`. `python -m staff_console` serves it; `python -m staff_console
create-user NAME` adds a member of staff (password from standard input).
"""
