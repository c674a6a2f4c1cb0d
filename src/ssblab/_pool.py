"""Process pools for CPU-bound analyses (workspace ``analyse``, the web app's batch fits).

Workers are *spawned* (a forked child would inherit the parent's already-started BLAS thread
pool and, from the web server, its threads) with one BLAS thread each, as Dask's nanny starts
its workers: with every core busy, OpenBLAS's spinning threads made the small dense solves of
a fit or a DRT up to 100x slower (an 81-point DRT: 4 s instead of 0.03 s). A spawned worker
reads the environment when it imports numpy, so the variables are set while the workers
start and restored afterwards; :func:`spawn_pool` starts them all at once for that reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

ONE_BLAS_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _started(_: int) -> int:
    return os.getpid()


def spawn_pool(workers: int, warm: Callable[[int], object] = _started) -> ProcessPoolExecutor:
    """A spawn-context pool of ``workers`` processes, all started (each runs ``warm`` once,
    e.g. to import what its tasks need) under one BLAS thread."""
    import multiprocessing

    saved = {key: os.environ.get(key) for key in ONE_BLAS_THREAD}
    os.environ.update(ONE_BLAS_THREAD)
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        list(pool.map(warm, range(workers)))  # every worker is started before we restore
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return pool
