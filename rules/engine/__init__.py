"""The rules engine: registry, rule packs, the data rules read, findings and the flag store."""
