"""Price rules: PRC-01 to PRC-05 and the planning rule PLN-01."""
