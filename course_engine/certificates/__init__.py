"""Completion certificates: issued once per learner and course, verifiable by code."""
