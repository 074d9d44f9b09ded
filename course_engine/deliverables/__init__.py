"""Deliverables: work learners hand in, and facilitators' grading of it."""
