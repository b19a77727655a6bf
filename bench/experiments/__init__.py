"""Run only when a figure misses: what-if variants and profiles, and the findings that explain
a miss in RESULTS.md.
"""
