"""`make bench`: this bot against the stock `rasa init` bot, side by side (issue 5).

Run with `python -m bench [--quick] [--out docs/benchmarks.md]`; `python -m
bench.profile` breaks one request of this bot down by component.
"""
