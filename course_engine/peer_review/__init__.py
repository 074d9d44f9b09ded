"""Peer review of deliverables: allocation, reviewing, anonymity and the revise cycle."""
