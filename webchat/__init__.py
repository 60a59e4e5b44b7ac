"""The clinic's web page with the chat widget, connected to Rasa's socket.io channel."""
