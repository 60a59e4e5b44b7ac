"""Tests of the WhatsApp channels (channels/): units, in-process webhooks, whole conversations."""
