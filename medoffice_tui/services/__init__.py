"""Business logic in plain Python: each public function is one user action or query.

Nothing here imports Textual; the UI, the CLI and the tests all call these.
"""
