"""What the caption aligner is developed with, outside the installed package.

:mod:`~development.pages` builds news pages from parallel documents, with their gold answers,
each in a convention of :mod:`~development.conventions`; :mod:`~development.measures` holds what
pages are measured with (cross-fitted word tables, an oracle translator, pair scores);
:mod:`~development.calibration` fits and calibrates the aligner's models on such pages.
``tools/fit_align.py`` and ``benchmarks/bench_align.py`` both import them.
"""
