"""Facilitator reports: a course's dashboard of progress, grades, grading work and surveys."""
