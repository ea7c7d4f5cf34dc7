"""Directory ▸ Update from the internet, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import functools
import hashlib
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from composer.cli import main
from composer.core.directory import (
    FILE_NAMES,
    LEGISLATORS,
    Directory,
    DirectoryCancelled,
    DirectoryError,
    update_from_internet,
    urls_under,
)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without writing a log line per request on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, shared_data: Path) -> Path:
    """A folder holding copies of the three shared files, which each test may spoil."""
    folder = tmp_path / "www"
    folder.mkdir()
    for name in FILE_NAMES.values():
        shutil.copyfile(shared_data / name, folder / name)
    return folder


@pytest.fixture
def server(served: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving `served`; stopped after the test."""
    handler = functools.partial(QuietHandler, directory=str(served))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_update_downloads_checks_and_replaces(server: str, tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir")
    steps: list[tuple[str, float]] = []

    info = update_from_internet(
        urls_under(server), directory, progress=lambda text, share: steps.append((text, share))
    )

    assert info.member_count == 537
    assert info.zip_count > 30_000
    origins = {source.role: source.origin for source in info.sources}
    assert origins[LEGISLATORS] == f"{server}/legislators-current.yaml"
    assert all(source.modified for source in info.sources)  # Last-Modified was recorded
    shares = [share for _, share in steps]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert any(text == "Downloading zccd.csv" for text, _ in steps)
    found = directory.find_by_zip("98105")
    assert {official.id for official in found.officials} == {"C000127", "M001111", "J000298"}


def test_a_missing_file_leaves_the_old_copy(server: str, served: Path, tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir")
    update_from_internet(urls_under(server), directory)
    before = digest(directory.path)
    (served / "zccd.csv").unlink()

    with pytest.raises(DirectoryError, match="answered 404"):
        update_from_internet(urls_under(server), directory)

    assert digest(directory.path) == before
    assert directory.info().member_count == 537


def test_an_incomplete_download_is_not_trusted(server: str, served: Path, tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir")
    update_from_internet(urls_under(server), directory)
    before = digest(directory.path)
    # A well-formed file with only the first few legislators in it.
    text = (served / "legislators-current.yaml").read_text(encoding="utf-8")
    cut = text.index("\n- id:", 20_000)
    (served / "legislators-current.yaml").write_text(text[:cut] + "\n", encoding="utf-8")

    with pytest.raises(DirectoryError, match="looks incomplete"):
        update_from_internet(urls_under(server), directory)

    assert digest(directory.path) == before


def test_a_damaged_download_is_refused(server: str, served: Path, tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir")
    (served / "legislators-district-offices.yaml").write_text("- id: [unclosed\n")

    with pytest.raises(DirectoryError, match="not valid YAML at line"):
        update_from_internet(urls_under(server), directory)

    assert not directory.path.exists()


def test_a_file_over_the_size_limit_is_refused(server: str, tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir")
    with pytest.raises(DirectoryError, match="more than the 1,000 a directory file may be"):
        update_from_internet(urls_under(server), directory, max_bytes=1_000)
    assert not directory.path.exists()


def test_a_download_can_be_cancelled(server: str, tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir")
    with pytest.raises(DirectoryCancelled):
        update_from_internet(urls_under(server), directory, should_cancel=lambda: True)
    assert not directory.path.exists()


def test_a_server_that_never_answers_times_out(tmp_path: Path) -> None:
    # A listening socket that nobody serves: the connection opens, no reply comes.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(DirectoryError, match="took too long"):
            update_from_internet(urls_under(base), Directory(tmp_path / "dir"), timeout=0.5)


def test_the_command_line_update(
    server: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["directory", "update", "--url-base", server]) == 0
    captured = capsys.readouterr()
    assert "The directory is up to date." in captured.out
    assert "537 members of Congress" in captured.out
    assert "Downloading legislators-current.yaml" in captured.err


def test_a_server_that_refuses_says_so_and_names_the_data_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A port on 127.0.0.1 that nothing listens on: the connection is refused at once.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{probe.getsockname()[1]}"

    assert main(["directory", "update", "--url-base", base]) == 1

    err = capsys.readouterr().err
    assert "refused the connection" in err
    assert "the data of June 10, 2026 (bundled with the program) stays in use" in err
    assert "Errno" not in err
    assert err.splitlines()[-1].startswith("composer directory: 127.0.0.1 refused")
