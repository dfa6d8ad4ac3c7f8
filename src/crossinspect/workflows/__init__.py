"""Orchestration: a round (solve, verify, explain), a re-plan, a term. No file formats here."""
