"""Domestic production rules: DOM-01 to DOM-03."""
