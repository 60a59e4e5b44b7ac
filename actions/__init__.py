"""Custom actions for the clinic assistant, served by the Rasa SDK action server.

One module per concern; `rasa run actions --actions actions` imports them all.
"""
