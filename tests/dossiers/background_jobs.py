"""Jobs the background tests run in a render process (importable there: not a test module)."""

import os


def abort(_object_id: int) -> None:
    """Die the way a native WeasyPrint crash does (SIGABRT)."""
    os.abort()


def pid(_object_id: int) -> int:
    return os.getpid()
