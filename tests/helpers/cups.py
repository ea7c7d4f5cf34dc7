"""A real CUPS print queue for the tests: cupsd started without systemd, a ``file:`` queue.

The queue uses the Generic PDF driver of cups-filters, whose output keeps Qt's text
layer, so the printed pages can be read back with pdftotext. The scheduler is only
stopped at the end if this module started it. Nothing here asks CUPS to look for
printers on the network (no ``lpinfo -v``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CUPSD = Path("/usr/sbin/cupsd")
CUPS_FILES_CONF = Path("/etc/cups/cups-files.conf")
GENERIC_PDF_MODEL = "lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd"
GENERIC_PDF_PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")
START_TIMEOUT = 30.0
JOB_TIMEOUT = 90.0


class CupsUnavailable(Exception):
    """CUPS cannot be used on this machine; the message says why."""


def skip_reason() -> str | None:
    """Why the CUPS tests cannot run here (not root, CUPS not installed), or None."""
    if os.geteuid() != 0:
        return "the CUPS tests start cupsd and add a queue, which needs root"
    if not CUPSD.exists():
        return f"cupsd is not installed ({CUPSD} is missing; apt-get install cups)"
    missing = [tool for tool in ("lpstat", "lpadmin") if shutil.which(tool) is None]
    if missing:
        return f"the CUPS client tools are missing: {', '.join(missing)}"
    if not GENERIC_PDF_PPD.exists():
        return f"the Generic PDF driver is missing ({GENERIC_PDF_PPD}; install cups-filters)"
    return None


def _run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


def scheduler_running() -> bool:
    """Whether a CUPS scheduler answers (``lpstat -r`` always exits 0, so read its words)."""
    result = _run("lpstat", "-r", timeout=10)
    return result.stdout.strip() == "scheduler is running"


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise CupsUnavailable(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def enable_file_device() -> None:
    """Allow ``file:`` device URIs (read by cupsd when it starts)."""
    text = CUPS_FILES_CONF.read_text(encoding="utf-8") if CUPS_FILES_CONF.exists() else ""
    if any(line.strip() == "FileDevice Yes" for line in text.splitlines()):
        return
    with CUPS_FILES_CONF.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n# Let print queues write into files (used by test suites).\nFileDevice Yes\n"
        )


@dataclass
class CupsServer:
    """A running scheduler; `process` is set only when these tests started it."""

    process: subprocess.Popen[bytes] | None

    def stop(self) -> None:
        """Stop the scheduler if (and only if) this helper started it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_cups(log_dir: Path) -> CupsServer:
    """Start cupsd in the foreground of its own session, or use the one already running.

    Raises:
        CupsUnavailable: it did not come up (its log is named in the message).
    """
    enable_file_device()
    if scheduler_running():
        return CupsServer(None)
    log = log_dir / "cupsd.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CUPSD), "-f"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait(lambda: scheduler_running() or process.poll() is not None, START_TIMEOUT, "cupsd")
    except CupsUnavailable:
        CupsServer(process).stop()
        raise
    if process.poll() is not None:
        # Another test run may have started its own scheduler a moment earlier.
        if scheduler_running():
            return CupsServer(None)
        raise CupsUnavailable(f"cupsd exited with status {process.returncode}; see {log}")
    return CupsServer(process)


@dataclass
class CupsQueue:
    """A print queue that writes each job into `output` (a PDF)."""

    name: str
    output: Path

    def pending_jobs(self) -> list[str]:
        """The queue's jobs that are not finished yet."""
        result = _run("lpstat", "-o", self.name, timeout=10)
        return [line for line in result.stdout.splitlines() if line.strip()]

    def clear(self) -> None:
        """Remove the last job's output, so the next one can be waited for."""
        self.output.unlink(missing_ok=True)

    def wait_for_output(self, timeout: float = JOB_TIMEOUT) -> Path:
        """Wait until the queue has no job left and its output holds a whole PDF.

        The Generic PDF driver wraps the PDF in printer commands (PJL); the PDF
        itself is copied out to a file of its own, whose path is returned.

        Raises:
            CupsUnavailable: no output came in time (the queue's state is in the message).
        """

        def done() -> bool:
            if self.pending_jobs() or not self.output.exists():
                return False
            data = self.output.read_bytes()
            return b"%PDF-" in data[:4096] and b"%%EOF" in data[-4096:]

        try:
            _wait(done, timeout, f"the print job on queue {self.name}")
        except CupsUnavailable as error:
            state = _run("lpstat", "-p", self.name).stdout.strip()
            raise CupsUnavailable(f"{error}; queue state: {state}") from error
        data = self.output.read_bytes()
        start = data.index(b"%PDF-")
        end = data.rindex(b"%%EOF") + len(b"%%EOF")
        pdf = self.output.with_name(f"{self.output.stem}-printed.pdf")
        pdf.write_bytes(data[start:end] + b"\n")
        return pdf

    def remove(self) -> None:
        """Delete the queue."""
        _run("lpadmin", "-x", self.name)


def add_file_queue(name: str, folder: Path) -> CupsQueue:
    """A queue with the Generic PDF driver that writes to ``folder/NAME.pdf``.

    Raises:
        CupsUnavailable: lpadmin refused (its message is included).
    """
    output = folder / f"{name}.pdf"
    result = _run("lpadmin", "-p", name, "-E", "-v", f"file:{output}", "-m", GENERIC_PDF_MODEL)
    if result.returncode != 0:
        raise CupsUnavailable(f"lpadmin could not add queue {name}: {result.stderr.strip()}")
    return CupsQueue(name, output)


@pytest.fixture(scope="session")
def cups_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsServer]:
    """A running CUPS scheduler for the whole test run (stopped at the end if started here)."""
    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    try:
        server = start_cups(tmp_path_factory.mktemp("cups"))
    except CupsUnavailable as error:
        pytest.fail(f"CUPS could not be started: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cups_queue(cups_server: CupsServer) -> Iterator[CupsQueue]:
    """A ``file:`` queue of this test run; its output folder is one the scheduler can write."""
    # The scheduler writes the output itself; a private folder in /tmp that it can reach.
    folder = Path(tempfile.mkdtemp(prefix="composer-cups-"))
    folder.chmod(0o755)
    try:
        queue = add_file_queue(f"composer-test-{os.getpid()}", folder)
    except CupsUnavailable as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(str(error))
    yield queue
    queue.remove()
    shutil.rmtree(folder, ignore_errors=True)
