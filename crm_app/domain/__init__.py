"""Business rules as plain Python.

Nothing in this package imports frappe: each module takes values and returns values, so the rules can be
tested anywhere and the controllers stay thin.
"""
