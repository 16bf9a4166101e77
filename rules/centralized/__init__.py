"""Centralized purchasing rules: CEN-01 (bought outside a framework agreement)."""
