"""Outgoing notification email: a queue of messages, sent outside the web request."""
