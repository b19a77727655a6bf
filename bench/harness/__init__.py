"""The bench's own machinery: the figure registry and run context (core), statistics, the
report writer, machine facts, the benchmark databases, profiling helpers.
"""
