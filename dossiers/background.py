"""Work that must never run inside a web request's process: rendering PDFs and assembling committee packs.

WeasyPrint (through pango, cairo and fontconfig) is not safe in several threads of one process: renders at
the same moment in one process abort it now and then with a native memory error (glibc "double free or
corruption", SIGABRT), and under a threaded server that kills every request the worker holds. So the web
process only *queues* a job after its transaction commits and reads the result from the database later;
the page shows 生成中 until then. Where a job runs is chosen by `DOSSIER_BACKGROUND`
(env `CADREFLOW_BACKGROUND`):

- ``"celery"`` — whenever `CELERY_BROKER_URL` is set: the job goes to the Celery worker (its default prefork
  pool runs one job per process).
- ``"process"`` — the default without a broker (`make run`, a production without a broker): a small pool of local
  render processes (`DOSSIER_RENDER_PROCESSES`, default 1), each a fresh interpreter (*spawn*, never a fork
  of a threaded server) with Django set up, which renders and stores the result itself. A render process
  that dies takes nobody with it: the pool is replaced, and the version stays pending for
  `manage.py retry_dossiers`.
- ``"inline"`` — in the calling thread, after commit: the test settings and one-off commands. Still safe:
  `dossiers.rendering` lets one render at a time into WeasyPrint per process.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings

logger = logging.getLogger(__name__)

# Job name → (the function that does it, the Celery task that calls that function).
JOBS = {
    "render_dossier": ("dossiers.services.render_document", "dossiers.tasks.render_dossier_task"),
    "build_pack": ("dossiers.packs.services.pack_build_run", "dossiers.packs.tasks.build_pack_task"),
}

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def mode() -> str:
    """A configured broker wins; otherwise `DOSSIER_BACKGROUND`, by default the local render processes."""
    if getattr(settings, "CELERY_BROKER_URL", ""):
        return "celery"
    return getattr(settings, "DOSSIER_BACKGROUND", "") or "process"


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def submit(job: str, object_id: int) -> Future | None:
    """Queue one job for an object that is already committed. Never raises for the job's own failure.

    Returns the job's future in "process" mode (tests and benchmarks may wait on it), else None.
    """
    function_path, task_path = JOBS[job]
    current = mode()
    if current == "celery":
        _resolve(task_path).delay(object_id)
    elif current == "process":
        return _submit_to_pool(function_path, object_id)
    elif current == "inline":
        _resolve(function_path)(object_id)
    else:
        raise ValueError(f"unknown DOSSIER_BACKGROUND mode: {current!r}")
    return None


# ---- the local process pool -------------------------------------------------------------------------------


def _child_init(settings_module: str) -> None:
    """Runs once in each new render process: a fresh interpreter with Django set up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def _child_run(function_path: str, object_id: int):
    from django.db import connections

    try:
        result = _resolve(function_path)(object_id)
        return getattr(result, "status", result)
    finally:
        connections.close_all()


def _new_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=max(1, int(getattr(settings, "DOSSIER_RENDER_PROCESSES", 1))),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_child_init,
        initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev"),),
        max_tasks_per_child=int(getattr(settings, "DOSSIER_RENDER_TASKS_PER_PROCESS", 200)),
    )


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = _new_pool()
        return _pool


def _discard_pool(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _pool_lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def _log_result(job: str, object_id: int, pool: ProcessPoolExecutor):
    def done(future: Future) -> None:
        exc = future.exception()
        if exc is None:
            return
        if isinstance(exc, BrokenProcessPool):
            # A render process died (a native crash): replace the pool; the object stays pending for retry.
            logger.error("render process died during %s #%s; it stays pending for retry", job, object_id)
            _discard_pool(pool)
        else:
            logger.error("background %s #%s failed: %s", job, object_id, exc)

    return done


def _submit_to_pool(function_path: str, object_id: int) -> Future | None:
    for _attempt in range(2):
        pool = _get_pool()
        try:
            future = pool.submit(_child_run, function_path, object_id)
        except (BrokenProcessPool, RuntimeError):  # broken or shut down: a new pool, once
            _discard_pool(pool)
            continue
        future.add_done_callback(_log_result(function_path, object_id, pool))
        return future
    logger.error("could not queue %s #%s; it stays pending for retry", function_path, object_id)
    return None


def shutdown(wait: bool = True) -> None:
    """Stop the local render processes (tests and benchmarks call this; servers let atexit do it)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=wait)
