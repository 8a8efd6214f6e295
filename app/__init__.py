"""A sourced, filterable timeline of how two countries' relations evolve."""
