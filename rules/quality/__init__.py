"""Data-quality rules: DQ-01."""
