"""Peer discussions: forums, threads and posts, groups, moderation, reading and subscriptions."""
