"""Finding a CJK font for PDFs: Chinese text without one prints as empty boxes."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache


@lru_cache(maxsize=1)
def cjk_font_families() -> tuple[str, ...]:
    """Families fontconfig knows that cover Chinese (empty when none is installed, or no fc-list)."""
    if shutil.which("fc-list") is None:
        return ()
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    families = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
    return tuple(sorted(families))


def has_noto_cjk() -> bool:
    return any("Noto" in f and "CJK" in f for f in cjk_font_families())
