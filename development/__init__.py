"""What the caption aligner is developed with, outside the installed package.

:mod:`~development.pages` builds news pages from parallel documents, with their gold answers,
each in a convention of :mod:`~development.conventions`; :mod:`~development.measures` holds what
pages are measured with (cross-fitted word tables, an oracle translator, pair scores);
:mod:`~development.calibration` fits and calibrates the aligner's models on such pages.
Beside them, what every benchmark, tool and test measures with: :mod:`~development.evaluation`
(the sentence splitter's scores, precision and recall), :mod:`~development.tiny_models` (small
real Marian models with random weights, in the opus-mt layout), :mod:`~development.corpora` (the
reference corpora beside the repository) and :mod:`~development.results` (the machine, JSON lines,
tables and sections of ``benchmarks/RESULTS.md``).

Nothing in the installed package imports it.  Tests reach it through pytest's ``pythonpath``;
tools and benchmarks run from the repository root as modules (``python -m tools.fit_align``,
``python -m benchmarks.bench_align``), so ``development`` is importable the same way everywhere.
"""
