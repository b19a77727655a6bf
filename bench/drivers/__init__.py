"""What drives the thing measured: the pty driver, app sessions that walk the panes, the bare-
Textual floor apps, probe apps for experiments, the concurrency workers.
"""
