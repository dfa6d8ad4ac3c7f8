"""Benchmarks of crossinspect against the office's method, a MIP solver and the LP bound (issue 6).

Run ``python -m benchmarks run [--size S|M|L] [--repeat N]`` or ``python -m benchmarks scale``;
see ``benchmarks/README.md``.
"""
