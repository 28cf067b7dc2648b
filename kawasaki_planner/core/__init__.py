"""The plan, its figures, the forecast and the evaluation: pure Python, no Qt."""
