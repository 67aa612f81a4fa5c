"""Moot's core: the Django project and the labeling domain."""
