"""Inference engines (torch, transformers): imported by worker processes only."""
