"""`manage.py render_dossier_samples --out DIR`: render the sample of every dossier kind to PDF (and PNG).

For looking at the templates and for the benchmark: each kind in `dossiers.content.samples.KINDS` is built
from its sample input and rendered through `dossiers.rendering.render_pdf`, exactly as a stored version
would be, without touching the database. `--png` also writes page images with pdftoppm (60 dpi by default).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dossiers.content import samples
from dossiers.kinds import template_for


class Command(BaseCommand):
    help = "Render the sample content of each dossier kind to PDF files in a folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="folder to write <kind>.pdf into (created if missing)")
        parser.add_argument(
            "--kind", action="append", choices=samples.KINDS, help="only this kind (repeatable; default all)"
        )
        parser.add_argument("--png", action="store_true", help="also write <kind>-<page>.png with pdftoppm")
        parser.add_argument("--dpi", type=int, default=60, help="resolution of the PNG pages (default 60)")

    def handle(self, *args, out, kind, png, dpi, **options):
        from dossiers.rendering import render_pdf  # the WeasyPrint import costs ~0.5 s: only when rendering

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        if png and shutil.which("pdftoppm") is None:
            raise CommandError("pdftoppm not found (install poppler-utils) — or run without --png")
        total_pages = 0
        for name in kind or samples.KINDS:
            content = samples.build_sample(name)
            started = time.perf_counter()
            pdf, pages = render_pdf(
                template_for(name), {"content": content, "document": samples.sample_document(name, content)}
            )
            elapsed = time.perf_counter() - started
            path = folder / f"{name}.pdf"
            path.write_bytes(pdf)
            total_pages += pages
            line = f"{path}: {pages} page(s), {len(pdf) // 1024} KiB, {elapsed * 1000:.0f} ms"
            if png:
                for old in folder.glob(f"{name}-*.png"):
                    old.unlink()
                subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / name)], check=True)
                line += " + " + ", ".join(p.name for p in sorted(folder.glob(f"{name}-*.png")))
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"{len(kind or samples.KINDS)} kind(s), {total_pages} page(s) in {folder}")
        )
