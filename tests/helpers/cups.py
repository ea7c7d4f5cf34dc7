"""A real CUPS print queue for the tests: a private scheduler with a ``file:`` queue.

The test run starts its own ``cupsd`` with a configuration of its own in a temporary
folder (its own socket, spool, logs and ``FileDevice Yes``), so nothing in ``/etc/cups``
is changed and no printer of the machine is ever used: ``CUPS_SERVER`` points every
client of this run — ``lpadmin``, ``lpstat``, Qt and the ``composer`` command — at that
socket from the start of the run (`use_private_scheduler`).

The queue uses the Generic PDF driver of cups-filters, whose output keeps Qt's text
layer, so the printed pages can be read back with pdftotext. Since the Debian 12
security update of CUPS (2.4.2-3+deb12u10) the scheduler opens a ``file:`` device
without creating it, so the output file is made before every job (`CupsQueue.clear`).
Nothing here asks CUPS to look for printers on the network (no ``lpinfo -v``).
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
GENERIC_PDF_PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")
START_TIMEOUT = 30.0
JOB_TIMEOUT = 90.0
SOCKET_NAME = "cups.sock"

CUPS_FILES_CONF = """\
ServerRoot {root}/conf
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
SystemGroup root
FileDevice Yes
"""
# Only a local socket, no browsing, no web interface; the run's own user (root) may do
# everything, which is what lpadmin needs.
CUPSD_CONF = """\
LogLevel info
Listen {root}/{socket}
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""


class CupsUnavailable(Exception):
    """CUPS cannot be used on this machine; the message says why."""


def use_private_scheduler() -> Path:
    """Make a folder for this run's scheduler and point ``CUPS_SERVER`` at its socket.

    Called once when the test run starts, before Qt or any client can look for printers.
    """
    root = Path(tempfile.mkdtemp(prefix="composer-cups-"))
    root.chmod(0o755)
    os.environ["CUPS_SERVER"] = str(root / SOCKET_NAME)
    return root


def private_root() -> Path:
    """The folder of this run's scheduler (where ``CUPS_SERVER`` points)."""
    server = os.environ.get("CUPS_SERVER", "")
    if not server.endswith("/" + SOCKET_NAME):
        raise CupsUnavailable(f"CUPS_SERVER is {server!r}, not this run's private scheduler")
    return Path(server).parent


def unavailable_reason() -> str | None:
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
    """Whether this run's scheduler answers (``lpstat -r`` always exits 0: read its words)."""
    result = _run("lpstat", "-r", timeout=10)
    return result.stdout.strip() == "scheduler is running"


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise CupsUnavailable(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def write_configuration(root: Path) -> tuple[Path, Path]:
    """Write the scheduler's two configuration files and its folders below `root`."""
    for name in ("conf", "spool", "cache", "state", "log", "tmp"):
        (root / name).mkdir(exist_ok=True)
    # Filters run as the lp user and make their temporary files here.
    (root / "tmp").chmod(0o1777)
    files_conf = root / "conf" / "cups-files.conf"
    files_conf.write_text(CUPS_FILES_CONF.format(root=root), encoding="utf-8")
    cupsd_conf = root / "conf" / "cupsd.conf"
    cupsd_conf.write_text(CUPSD_CONF.format(root=root, socket=SOCKET_NAME), encoding="utf-8")
    return cupsd_conf, files_conf


@dataclass
class CupsServer:
    """This run's scheduler, started from the configuration below `root`."""

    process: subprocess.Popen[bytes]
    root: Path

    @property
    def error_log(self) -> Path:
        """The scheduler's log, named in failure messages."""
        return self.root / "log" / "error_log"

    def stop(self) -> None:
        """Stop the scheduler."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_cups(root: Path) -> CupsServer:
    """Start a scheduler of this run's own below `root`, in the foreground of its session.

    Raises:
        CupsUnavailable: it did not come up (its log is named in the message).
    """
    cupsd_conf, files_conf = write_configuration(root)
    console = root / "log" / "cupsd.out"
    with console.open("wb") as out:
        process = subprocess.Popen(
            [str(CUPSD), "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = CupsServer(process, root)
    try:
        _wait(lambda: scheduler_running() or process.poll() is not None, START_TIMEOUT, "cupsd")
    except CupsUnavailable:
        server.stop()
        raise
    if process.poll() is not None:
        raise CupsUnavailable(
            f"cupsd exited with status {process.returncode}; see {console} and {server.error_log}"
        )
    return server


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
        """Empty the output file, so the next job can be waited for.

        The file is left in place, empty: current CUPS builds open a ``file:`` device
        without creating it, and older ones truncate it.
        """
        self.output.write_bytes(b"")
        self.output.chmod(0o666)

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
    queue = CupsQueue(name, folder / f"{name}.pdf")
    queue.clear()
    result = _run(
        "lpadmin", "-p", name, "-E", "-v", f"file:{queue.output}", "-P", str(GENERIC_PDF_PPD)
    )
    if result.returncode != 0:
        raise CupsUnavailable(f"lpadmin could not add queue {name}: {result.stderr.strip()}")
    return queue


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    """This run's own CUPS scheduler, for the whole run (stopped at the end)."""
    reason = unavailable_reason()
    if reason is not None:
        pytest.fail(f"the CUPS tests cannot run here: {reason}", pytrace=False)
    try:
        server = start_cups(private_root())
    except CupsUnavailable as error:
        pytest.fail(f"CUPS could not be started: {error}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cups_queue(cups_server: CupsServer) -> Iterator[CupsQueue]:
    """A ``file:`` queue of this test run, writing into the scheduler's folder."""
    folder = cups_server.root / "out"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    try:
        queue = add_file_queue(f"composer-test-{os.getpid()}", folder)
    except CupsUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    yield queue
    queue.remove()
