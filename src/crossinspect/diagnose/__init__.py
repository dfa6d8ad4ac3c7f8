"""Why a round has no roster, and what else each seat could be: pre-check, explanation, alternates.

Every finding names the rule (from ``catalogue``), the places and the people.
"""
