"""Model judges: configuration, runs and predictions (Django side) and inference engines.

Inference engines live in ``judges.engines`` as plain Python with no Django imports; they are the
only code that imports torch or transformers, and only worker processes load them.
"""
