"""Tests of the WhatsApp channels (channels/): units, in-process webhooks, and whole conversations."""
