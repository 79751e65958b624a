"""hubgraph's benchmark: ``python -m bench run --db sqlite|postgresql --scale small|full``.

It starts a real ``hubgraph serve`` on its own database and a free loopback port, loads
data, measures each scenario beside a baseline taken in the same run, prints a table and
writes JSON to ``bench/results/``. See ``docs/performance.md``.
"""
