"""Benchmark: one letter to every member of Congress plus the White House, as PDFs.

Runs the real command (``composer render --to ID … --out DIR/`` and
``--combined --out FILE.pdf``) in this process against a directory imported
from the public data files, then the floor for the same number of letters:
one QTextDocument laid out and written to PDF, repeated. Prints letters per
second, pages, resident memory as the batch goes on (it should stay flat)
and the process's peak.

Usage:
    python bench/merge.py [--data FOLDER] [--paper letter|a4] [--limit N] [--tracemalloc]

``--data`` is the folder with legislators-current.yaml,
legislators-district-offices.yaml and zccd.csv (default: ../shared/data
beside the repository). Everything else happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

SENDER = """\
name = "Ana Ruiz"
street = "12 Elm Street"
city = "Seattle"
state = "WA"
postal_code = "98105"
email = "ana@example.org"
"""


def _rss_of(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_BYTES
    except OSError:
        return 0  # a worker that has just exited


def _children() -> list[str]:
    found: list[str] = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            found += (task / "children").read_text().split()
    return found


def rss_mb() -> float:
    """Resident memory of this process and its worker processes now, in MB."""
    return (_rss_of("self") + sum(_rss_of(pid) for pid in _children())) / 1e6


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory so far of this process and of its largest worker (Linux: kB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
    return own, workers


@dataclass
class Sampler:
    """Samples resident memory every few milliseconds while a phase runs."""

    interval: float = 0.02
    samples: list[tuple[float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        start = time.perf_counter()

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.samples.append((time.perf_counter() - start, rss_mb()))

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()
            self.samples.append((time.perf_counter() - start, rss_mb()))

    def at(self, share: float) -> float:
        """Resident memory at `share` (0–1) of the phase's duration."""
        end = self.samples[-1][0]
        return next(rss for t, rss in self.samples if t >= share * end)


@dataclass
class Result:
    name: str
    letters: int
    pages: int
    seconds: float
    memory: Sampler
    python_peak_mb: float | None = None

    def row(self) -> str:
        rate = self.letters / self.seconds
        memory = " → ".join(f"{self.memory.at(s):6.1f}" for s in (0.25, 0.5, 1.0))
        python = f"{self.python_peak_mb:7.1f}" if self.python_peak_mb is not None else "      -"
        return (
            f"{self.name:<38} {self.seconds:7.2f} {rate:9.1f} {self.pages:6d}   {memory}   {python}"
        )


def measure(name: str, letters: int, job: Callable[[], int], use_tracemalloc: bool) -> Result:
    """Run one phase: time it, sample memory, optionally trace Python allocations."""
    sampler = Sampler()
    if use_tracemalloc:
        tracemalloc.start()
    with sampler.running():
        started = time.perf_counter()
        pages = job()
        seconds = time.perf_counter() - started
    python_peak = None
    if use_tracemalloc:
        python_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return Result(name, letters, pages, seconds, sampler, python_peak)


def run_cli(argv: list[str]) -> str:
    """Run ``composer`` in this process; returns its stdout (fails loudly on an error)."""
    from composer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    if status != 0:
        raise SystemExit(f"composer {' '.join(argv[:3])} … failed ({status}): {err.getvalue()}")
    return out.getvalue()


def floor_files(html: str, paper: str, folder: Path, count: int) -> int:
    """The floor, one file each: a QTextDocument laid out and printed to its own PDF."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    size = QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4)
    points = size.sizePoints()
    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    for index in range(count):
        document = QTextDocument()
        document.setHtml(html)
        # A page size of our own: without it print_() adds page numbers.
        document.setPageSize(QSizeF(points.width(), points.height()))
        writer = QPdfWriter(str(folder / f"{index:04d}.pdf"))
        writer.setPageSize(size)
        writer.setResolution(600)
        document.print_(writer)
        pages += document.pageCount()
        del writer
    return pages


def floor_combined(html: str, paper: str, path: Path, count: int) -> int:
    """The floor, one file: the same QTextDocument drawn `count` times into one PDF."""
    from PySide6.QtCore import QRectF, QSizeF
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter, QTextDocument

    size = QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4)
    writer = QPdfWriter(str(path))
    writer.setPageSize(size)
    writer.setResolution(600)
    painter = QPainter(writer)
    scale = 600 / 72
    points = size.sizePoints()
    pages = 0
    for _index in range(count):
        document = QTextDocument()
        document.setHtml(html)
        document.setPageSize(QSizeF(points.width(), points.height()))
        for page in range(document.pageCount()):
            if pages:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -page * points.height())
            document.drawContents(
                painter, QRectF(0, page * points.height(), points.width(), points.height())
            )
            painter.restore()
            pages += 1
    painter.end()
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--paper", choices=("letter", "a4"), default="letter")
    parser.add_argument("--limit", type=int, default=0, help="only the first N letters")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slower)"
    )
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="merge-bench-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(root / name.lower())

    from composer.core.directory import FILE_NAMES, Directory
    from composer.core.locations import Locations
    from composer.core.models import PRESIDENT_ID

    started = time.perf_counter()
    directory = Directory.for_locations(Locations.default())
    directory.import_files([args.data / name for name in FILE_NAMES.values()])
    import_seconds = time.perf_counter() - started
    ids = [PRESIDENT_ID] + [official.id for official in directory.all_officials()]
    if args.limit:
        ids = ids[: args.limit]
    sender = root / "sender.toml"
    sender.write_text(SENDER, encoding="utf-8")
    to_args = [part for recipient_id in ids for part in ("--to", recipient_id)]
    common = ["render", "--sender", str(sender), "--page", args.paper, *to_args]

    def pages_of(output: str) -> int:
        return int(output.split(" page(s)")[0].rsplit(" ", 1)[-1])

    results: list[Result] = []
    # First, before this process starts Qt: the command spreads the PDFs over
    # worker processes, as it does when run from the shell.
    results.append(
        measure(
            "render --out DIR/ (worker processes)",
            len(ids),
            lambda: pages_of(run_cli([*common, "--out", f"{root / 'letters'}/"])),
            args.tracemalloc,
        )
    )
    results.append(
        measure(
            "render --combined --out FILE.pdf",
            len(ids),
            lambda: pages_of(run_cli([*common, "--combined", "--out", str(root / "all.pdf")])),
            args.tracemalloc,
        )
    )
    # Qt is running here now, so the same command writes every PDF in this process.
    results.append(
        measure(
            "render --out DIR/ (this process only)",
            len(ids),
            lambda: pages_of(run_cli([*common, "--out", f"{root / 'letters-serial'}/"])),
            args.tracemalloc,
        )
    )

    # The floor uses the same letter's own HTML, so the text and pages match.
    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.models import white_house
    from composer.core.profile import load_sender
    from composer.core.render import Renderer

    campaign = default_campaign()
    letter = new_letter(campaign, None, sender=load_sender(sender), recipients=[white_house()])
    html = Renderer(campaign.templates).render(letter, white_house(), campaign.template)
    results.append(
        measure(
            "floor: QTextDocument → PDF, one each",
            len(ids),
            lambda: floor_files(html.document_html, args.paper, root / "floor", len(ids)),
            args.tracemalloc,
        )
    )
    results.append(
        measure(
            "floor: QTextDocument → one PDF",
            len(ids),
            lambda: floor_combined(html.document_html, args.paper, root / "floor.pdf", len(ids)),
            args.tracemalloc,
        )
    )

    whole = "" if args.limit else " (every member of Congress in the data + the White House)"
    print(f"Letters: {len(ids)}{whole}")
    print(f"Paper: {args.paper}; CPUs: {os.cpu_count()}; Python {sys.version.split()[0]}")
    print(f"Directory import: {import_seconds:.2f} s")
    print()
    print(
        f"{'phase':<38} {'seconds':>7} {'letters/s':>9} {'pages':>6}   "
        f"{'RSS MB at 25% → 50% → 100%':<26}   {'py peak MB':>7}"
    )
    for result in results:
        print(result.row())
    print()
    own, worker = peak_rss_mb()
    print(
        f"Peak resident memory (ru_maxrss): this process {own:.1f} MB, "
        f"largest worker process {worker:.1f} MB"
    )
    load = os.getloadavg()
    print(f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"Output in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
