"""The domain: input records, rules, plans and results, errors, the catalogue of rules.

No I/O and no OR-Tools: every other layer builds on these types.
"""
