"""A quick password hasher for the test suite.

Django's PBKDF2 takes a fifth of a second per password here, and the suite creates hundreds of
users. This one is the same algorithm with far fewer iterations: its hashes carry the standard
``pbkdf2_sha256`` name and their iteration count, so a server process started with the real
settings (the browser tests' servers) verifies them too.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
