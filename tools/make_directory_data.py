"""Build the directory copy that ships with the program.

Reads the three public-domain source files (``legislators-current.yaml``,
``legislators-district-offices.yaml`` and ``zccd.csv``), checks them with the
same code as ``composer directory import``, and writes the result — the same
SQLite file an import makes, compressed with xz — to
``resources/directory/congress.sqlite3.xz``, where the program reads it
through ``importlib.resources`` when the user has no directory of their own.
Beside it goes ``congress.meta.json``: the copy's date and checksum, which the
window reads at start instead of decompressing the copy.

    python tools/make_directory_data.py SOURCE_FOLDER --date 2026-06-15

`--date` is the date of the snapshot the files were taken from; it is
recorded as the copy's import time, so the same files always give the same
bytes. Run it again with newer files to refresh the bundled copy, and commit
the result together with any change to this script.

    python tools/make_directory_data.py --meta-only

writes only the description of the copy already there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import lzma
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from composer.core.congress import (  # noqa: E402
    BUNDLED_FOLDER,
    BUNDLED_META_NAME,
    BUNDLED_NAME,
)
from composer.core.directory import (  # noqa: E402
    DEFAULT_URLS,
    FILE_NAMES,
    Directory,
    DirectoryError,
    SourceInfo,
    bundled_meta_for,
    parse_files,
)

OUTPUT = ROOT / "resources" / BUNDLED_FOLDER / BUNDLED_NAME


def build(source: Path, snapshot: dt.date) -> bytes:
    """The compressed directory image made from the three files in `source`.

    Raises:
        DirectoryError: a file is missing or not valid.
    """
    files: list[tuple[bytes, str]] = []
    for name in FILE_NAMES.values():
        path = source / name
        try:
            files.append((path.read_bytes(), name))
        except OSError as error:
            raise DirectoryError(f"Could not read {path}: {error.strerror or error}.") from error
    parsed = parse_files(files)
    for role, info in list(parsed.sources.items()):
        # The public address the file is published at; its sha256 names the exact copy.
        parsed.sources[role] = SourceInfo(
            role=role,
            name=info.name,
            size=info.size,
            sha256=info.sha256,
            modified=snapshot.isoformat(),
            origin=DEFAULT_URLS[role],
        )
    stamp = dt.datetime.combine(snapshot, dt.time(), dt.UTC).isoformat(timespec="seconds")
    image = Directory(Path("/nonexistent")).build_image(
        parsed,
        imported_at=stamp,
        extra_meta={"bundled": True, "snapshot": snapshot.isoformat()},
    )
    return lzma.compress(image, format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME)


def write_meta(out: Path, data: bytes) -> Path:
    """Write the description of the compressed copy `data` beside `out`; returns its path."""
    meta = bundled_meta_for(data, lzma.decompress(data))
    path = out.with_name(BUNDLED_META_NAME)
    path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Build the bundled copy and its description; prints its size and checksum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, nargs="?", help="folder holding the three source files"
    )
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        help="date of the snapshot the files come from (YYYY-MM-DD)",
    )
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument(
        "--meta-only",
        action="store_true",
        help=f"only write {BUNDLED_META_NAME} for the copy already at --out",
    )
    args = parser.parse_args(argv)
    if args.meta_only:
        try:
            data = args.out.read_bytes()
        except OSError as error:
            print(f"make_directory_data: could not read {args.out}: {error}", file=sys.stderr)
            return 1
        print(f"wrote {write_meta(args.out, data)}")
        return 0
    if args.source is None or args.date is None:
        parser.error("give the source folder and --date (or --meta-only)")
    try:
        data = build(args.source, args.date)
    except DirectoryError as error:
        print(f"make_directory_data: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {args.out} ({len(data):,} bytes, sha256 {digest})")
    print(f"wrote {write_meta(args.out, data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
