"""Evaluation of extraction against gold annotations: the gold format, scores and their report."""
