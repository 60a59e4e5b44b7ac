"""Custom actions for the clinic assistant, served by the Rasa SDK action server.

One module per concern; the action server (`python -m actions`, __main__.py) imports them all.
"""
