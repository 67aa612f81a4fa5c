"""Agreement and analytics statistics: pure functions over NumPy arrays, no ORM.

Selectors turn a project's annotations and predictions into the plain arrays these functions
take, so every statistic can be tested alone against an independent reference and timed on
synthetic data of any size.
"""
