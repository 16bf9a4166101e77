"""Competition rules: CMP-01 to CMP-04."""
