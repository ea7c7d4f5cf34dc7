"""Opening campaign packs from a folder or a .zip, and importing them into the data folder.

A pack comes from someone else, so it is treated as hostile until proven
otherwise. Its files are read into memory first, within hard limits that are
counted on the bytes actually read (never on what a zip header claims), and
checked completely; only a pack with no problem at all is written, into a
hidden folder inside the campaigns folder that is then renamed into place.
Nothing is ever written anywhere else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import posixpath
import re
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from composer.core.campaigns import (
    MAX_ARGUMENTS,
    MAX_FILE_BYTES,
    MAX_TEMPLATES,
    Campaign,
    CampaignError,
    Problem,
    bundled_campaign_roots,
    read_campaign,
)
from composer.core.directory import secretary_of_homeland_security
from composer.core.fileio import describe_os_error
from composer.core.models import Letter, Recipient, Sender, custom_recipient, white_house
from composer.core.render import (
    DEFAULT_RENDER_LIMITS,
    Renderer,
    RenderError,
    RenderLimits,
    remote_content,
)
from composer.i18n import _, ngettext

_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
# Files some archivers add that are no part of any pack; read (within limits) but not kept.
_CLUTTER = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass(frozen=True)
class PackLimits:
    """How much a pack may hold. The defaults leave room for any real pack.

    Attributes:
        archive_bytes: size of the .zip file itself.
        entries: entries in the zip (files and folders), or files read from a folder.
        file_bytes: size of one file once unpacked.
        total_bytes: size of all files once unpacked.
        ratio: how many times larger than its compressed form an entry may grow.
        depth: folders an entry may sit in (``pack/arguments/x.md`` is 2 deep).
    """

    archive_bytes: int = 32 * 1024 * 1024
    entries: int = MAX_ARGUMENTS + MAX_TEMPLATES + 100
    file_bytes: int = MAX_FILE_BYTES
    total_bytes: int = 16 * 1024 * 1024
    ratio: int = 100
    depth: int = 4


DEFAULT_LIMITS = PackLimits()


class PackError(Exception):
    """A pack was refused as a whole; the message is one line saying why and what to do."""


class PackExistsError(PackError):
    """An imported campaign with the same id is already in the data folder."""

    def __init__(self, campaign: Campaign, existing: Path) -> None:
        self.campaign = campaign
        self.existing = existing
        super().__init__(
            _(
                "a campaign with the id '{id}' is already imported; "
                "replace it to use the new version"
            ).format(id=campaign.id)
        )


# --- a pack held in memory ---------------------------------------------------------------


class PackTree:
    """A read-only tree of files held in memory, usable wherever a pack folder is.

    It implements :class:`importlib.resources.abc.Traversable`, so
    :func:`composer.core.campaigns.read_campaign` reads it like a folder.

    Args:
        files: relative POSIX path → content.
        label: how the pack is named in messages (its folder or zip path).
    """

    def __init__(self, files: Mapping[str, bytes], label: str, _path: str = "") -> None:
        self.files = dict(files)
        self.label = label
        self._path = _path

    def __str__(self) -> str:
        return self.label if not self._path else f"{self.label}/{self._path}"

    def __repr__(self) -> str:
        return f"PackTree({str(self)!r})"

    @property
    def name(self) -> str:
        """The last part of the path (the label's for the root)."""
        return posixpath.basename(self._path) if self._path else Path(self.label).name

    def _prefix(self) -> str:
        return f"{self._path}/" if self._path else ""

    def is_file(self) -> bool:
        """Whether this path is a file of the pack."""
        return bool(self._path) and self._path in self.files

    def is_dir(self) -> bool:
        """Whether some file of the pack lies below this path."""
        prefix = self._prefix()
        return not self.is_file() and any(name.startswith(prefix) for name in self.files)

    def iterdir(self) -> Iterator[PackTree]:
        """The files and folders directly below this folder."""
        prefix = self._prefix()
        seen: set[str] = set()
        for name in sorted(self.files):
            if name.startswith(prefix):
                child = name[len(prefix) :].split("/", 1)[0]
                if child not in seen:
                    seen.add(child)
                    yield PackTree(self.files, self.label, prefix + child)

    def joinpath(self, *descendants: str | os.PathLike[str]) -> PackTree:
        """The path below this one (``..`` and absolute parts are not allowed)."""
        parts = [p for d in descendants for p in os.fspath(d).split("/") if p not in ("", ".")]
        if any(part == ".." for part in parts):
            raise ValueError(_("'..' is not allowed in a pack path"))
        return PackTree(self.files, self.label, "/".join([*filter(None, [self._path]), *parts]))

    def __truediv__(self, child: str | os.PathLike[str]) -> PackTree:
        return self.joinpath(child)

    def read_bytes(self) -> bytes:
        """The content of this file."""
        try:
            return self.files[self._path]
        except KeyError:
            raise FileNotFoundError(str(self)) from None

    def read_text(self, encoding: str | None = None) -> str:
        """The content of this file as text (UTF-8 unless told otherwise)."""
        return self.read_bytes().decode(encoding or "utf-8")

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        """A read-only handle on this file (``"r"`` or ``"rb"``)."""
        if mode == "rb":
            return io.BytesIO(self.read_bytes())
        if mode == "r":
            return io.TextIOWrapper(io.BytesIO(self.read_bytes()), *args, **kwargs)
        raise ValueError(
            _("a pack file can only be read, not opened with mode {mode!r}").format(mode=mode)
        )


def _kept(name: str) -> bool:
    """Whether a path inside a pack is one the format uses."""
    if name == "campaign.toml":
        return True
    folder, _slash, base = name.partition("/")
    if not base or "/" in base:
        return False
    return (folder == "arguments" and base.endswith(".md")) or (
        folder == "templates" and base.endswith(".j2")
    )


# --- reading a zip -----------------------------------------------------------------------


def _entry_problem(info: zipfile.ZipInfo, limits: PackLimits) -> str:
    """Why an entry may not be unpacked, or "" when it may."""
    raw = info.orig_filename
    name = info.filename
    shown = raw[:80]
    if "\x00" in raw or not name:
        return _("an entry has an unreadable name ('{name}')").format(name=shown)
    if "\\" in raw:
        return _("'{name}' uses backslashes; paths inside a pack must use '/'").format(name=shown)
    if raw.startswith("/") or _DRIVE.match(raw):
        return _("'{name}' is an absolute path; paths inside a pack must be relative").format(
            name=shown
        )
    parts = [p for p in name.rstrip("/").split("/")]
    if any(part in ("..", ".", "") for part in parts):
        return _("'{name}' points outside the pack (it uses '..' or an empty folder name)").format(
            name=shown
        )
    if len(parts) - 1 > limits.depth:
        return ngettext(
            "'{name}' is nested {n} folder deep; a pack may nest at most {limit}",
            "'{name}' is nested {n} folders deep; a pack may nest at most {limit}",
            len(parts) - 1,
        ).format(name=shown, n=len(parts) - 1, limit=limits.depth)
    if any(len(part.encode("utf-8")) > 255 for part in parts):
        return _("'{name}' has a name longer than 255 bytes").format(name=shown)
    mode = info.external_attr >> 16
    file_type = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return _symbolic_link(shown)
    if file_type and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return _special_file(shown)
    if info.flag_bits & 0x1:
        return _("'{name}' is encrypted; packs must not be password-protected").format(name=shown)
    return ""


def _symbolic_link(shown: str) -> str:
    return _("'{name}' is a symbolic link; links are not allowed in a campaign pack").format(
        name=shown
    )


def _special_file(shown: str) -> str:
    return _("'{name}' is a special file; a pack holds only ordinary files").format(name=shown)


def _cannot_read(shown: object, error: OSError) -> str:
    return _("cannot read {name}: {reason}").format(name=shown, reason=error.strerror or error)


def _read_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: PackLimits, budget: int
) -> bytes:
    """Unpack one entry, counting the bytes as they come out.

    Raises:
        PackError: the entry is larger than allowed, grows too much, or is damaged.
    """
    name = info.filename[:80]
    out = bytearray()
    compressed = max(info.compress_size, 1)
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > limits.file_bytes:
                raise PackError(
                    _(
                        "'{name}' is larger than {size} KiB once unpacked; "
                        "a pack file may not be that large"
                    ).format(name=name, size=limits.file_bytes // 1024)
                )
            if len(out) > budget:
                raise PackError(
                    _(
                        "the pack unpacks to more than {size} MiB; "
                        "that is far more than any campaign needs (a zip bomb?)"
                    ).format(size=limits.total_bytes // (1024 * 1024))
                )
            if len(out) > 8 * 1024 and len(out) > compressed * limits.ratio:
                raise PackError(
                    _(
                        "'{name}' grows more than {ratio} times when unpacked; "
                        "the zip looks like a zip bomb"
                    ).format(name=name, ratio=limits.ratio)
                )
    return bytes(out)


def _pack_prefix(names: list[str]) -> str:
    """Where campaign.toml sits: at the top, or in the one top-level folder.

    Raises:
        PackError: the zip has any other shape.
    """
    useful = [
        n for n in names if not n.startswith(_CLUTTER) and posixpath.basename(n) not in _CLUTTER
    ]
    if "campaign.toml" in useful:
        return ""
    tops = {n.split("/", 1)[0] for n in useful}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/campaign.toml" in useful:
            return f"{top}/"
    raise PackError(
        _(
            "the zip holds no campaign.toml at its top level or in a single top-level folder; "
            "it is not a campaign pack"
        )
    )


def read_zip_files(path: Path, limits: PackLimits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """The pack files of a zip, unpacked into memory within `limits`.

    Raises:
        PackError: the zip is damaged, hostile, too large, or not a pack.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise PackError(_cannot_read(path, error)) from error
    if size > limits.archive_bytes:
        raise PackError(
            _("the zip is {size} MiB; a campaign pack is at most {limit} MiB").format(
                size=size // (1024 * 1024), limit=limits.archive_bytes // (1024 * 1024)
            )
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > limits.entries:
                raise PackError(
                    _(
                        "the zip holds {count} entries; a campaign pack holds at most {limit}"
                    ).format(count=len(infos), limit=limits.entries)
                )
            seen: set[str] = set()
            for info in infos:
                problem = _entry_problem(info, limits)
                if problem:
                    raise PackError(problem)
                key = info.filename.rstrip("/").casefold()
                if key in seen:
                    raise PackError(
                        _(
                            "'{name}' appears twice in the zip; each file may appear only once"
                        ).format(name=info.filename[:80])
                    )
                seen.add(key)
            files = [i for i in infos if not i.is_dir()]
            prefix = _pack_prefix([i.filename for i in files])
            contents: dict[str, bytes] = {}
            total = 0
            for info in files:
                data = _read_entry(archive, info, limits, limits.total_bytes - total)
                total += len(data)
                relative = info.filename[len(prefix) :] if info.filename.startswith(prefix) else ""
                if relative and _kept(relative):
                    contents[relative] = data
            return contents
    except PackError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as error:
        raise PackError(
            _("the zip is damaged or uses an unknown format ({error})").format(error=error)
        ) from error
    except OSError as error:
        raise PackError(_cannot_read(path, error)) from error


# --- reading a folder --------------------------------------------------------------------


def _read_regular(path: Path, shown: str, limits: PackLimits, budget: int) -> bytes:
    try:
        info = path.lstat()
    except OSError as error:
        raise PackError(_cannot_read(f"'{shown}'", error)) from error
    if stat.S_ISLNK(info.st_mode):
        raise PackError(_symbolic_link(shown))
    if not stat.S_ISREG(info.st_mode):
        raise PackError(_special_file(shown))
    if info.st_size > limits.file_bytes:
        raise PackError(
            _("'{name}' is {size} KiB; a pack file may be at most {limit} KiB").format(
                name=shown, size=info.st_size // 1024, limit=limits.file_bytes // 1024
            )
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limits.file_bytes + 1)
    except OSError as error:
        raise PackError(_cannot_read(f"'{shown}'", error)) from error
    if len(data) > limits.file_bytes:
        raise PackError(
            _("'{name}' grew while it was read; a pack file may be at most {limit} KiB").format(
                name=shown, limit=limits.file_bytes // 1024
            )
        )
    if len(data) > budget:
        raise PackError(
            _("the pack holds more than {limit} MiB of files").format(
                limit=limits.total_bytes // (1024 * 1024)
            )
        )
    return data


def read_folder_files(root: Path, limits: PackLimits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """The pack files of a folder (campaign.toml, arguments/*.md, templates/*.j2).

    Only the parts of the format are read, so a folder with other things in
    it (a .git folder, notes) still opens; links among them are refused.

    Raises:
        PackError: a part is a link or a special file, too large, or unreadable.
    """
    if root.is_symlink():
        raise PackError(
            _("{path} is a symbolic link; open the folder it points to instead").format(path=root)
        )
    if not (root / "campaign.toml").exists() and not (root / "campaign.toml").is_symlink():
        raise PackError(
            _("{path} holds no campaign.toml; it is not a campaign pack").format(path=root)
        )
    contents: dict[str, bytes] = {}
    total = 0
    wanted: list[tuple[Path, str]] = [(root / "campaign.toml", "campaign.toml")]
    for folder, suffix in (("arguments", ".md"), ("templates", ".j2")):
        where = root / folder
        if where.is_symlink():
            raise PackError(
                _("'{name}' is a symbolic link; links are not allowed in a pack").format(
                    name=folder
                )
            )
        if not where.is_dir():
            continue
        try:
            with os.scandir(where) as entries:
                names = []
                for entry in entries:
                    names.append(entry.name)
                    if len(names) > limits.entries:
                        raise PackError(
                            _(
                                "'{name}' holds more than {limit} entries; "
                                "it is not a campaign pack folder"
                            ).format(name=folder, limit=limits.entries)
                        )
        except OSError as error:
            raise PackError(_cannot_read(f"'{folder}'", error)) from error
        wanted += [(where / n, f"{folder}/{n}") for n in sorted(names) if n.endswith(suffix)]
    for path, shown in wanted:
        data = _read_regular(path, shown, limits, limits.total_bytes - total)
        total += len(data)
        contents[shown] = data
    return contents


# --- checking and importing --------------------------------------------------------------


def is_zip(path: Path) -> bool:
    """Whether `path` is a file to be read as a zip (by its name or its first bytes)."""
    if path.suffix.lower() == ".zip":
        return True
    try:
        return path.is_file() and zipfile.is_zipfile(path)
    except OSError:
        return False


def open_pack(path: Path, limits: PackLimits = DEFAULT_LIMITS) -> PackTree:
    """A pack folder or zip, read into memory within `limits`; nothing is written.

    Raises:
        PackError: the pack was refused as a whole (one line saying why).
    """
    if not path.exists() and not path.is_symlink():
        raise PackError(_("{path}: no such file or folder").format(path=path))
    if path.is_dir():
        return PackTree(read_folder_files(path, limits), str(path))
    if is_zip(path):
        return PackTree(read_zip_files(path, limits), str(path))
    raise PackError(_("{path} is neither a pack folder nor a .zip file").format(path=path))


def sample_letters(campaign: Campaign) -> list[Letter]:
    """Letters as supporters write them: a full sender profile and a bare one."""
    body = "".join(a.html for a in campaign.arguments[:3]) or "<p>A paragraph.</p>"
    full = Sender(
        name="Sam Sample",
        street="1 Sample Street\nApartment 2",
        city="Springfield",
        state="IL",
        postal_code="62701",
        country="USA",
        email="sam@example.org",
        phone="555-0100",
    )
    return [
        Letter(
            sender=sender,
            subject=subject,
            body_html=body,
            date=dt.date(2026, 1, 31),
            campaign_id=campaign.id,
            complimentary_close=campaign.complimentary_close,
            language=campaign.language,
        )
        for sender, subject in ((full, campaign.default_subject), (Sender(name="Sam Sample"), ""))
    ]


def sample_recipients() -> list[Recipient]:
    """One recipient of every kind a letter can go to."""
    return [
        white_house(),
        secretary_of_homeland_security().recipient(),
        Recipient(
            id="S000001",
            name="Sen. Pat Sample",
            title="Senator",
            salutation="Dear Senator Sample:",
            address_lines=("Sen. Pat Sample", "1 Senate Office Building", "Washington, DC 20510"),
            kind="senator",
            email="senator@example.org",
            state="IL",
        ),
        Recipient(
            id="R000001",
            name="Rep. Lee Sample",
            title="Representative",
            salutation="Dear Representative Sample:",
            address_lines=("Rep. Lee Sample", "1 House Office Building", "Washington, DC 20515"),
            kind="representative",
            state="IL",
            district=13,
        ),
        custom_recipient("", ""),
    ]


def _template_problem(campaign: Campaign, template: str, error: RenderError) -> Problem:
    name = getattr(error, "template", None) or template
    file = f"templates/{name}.j2" if name in campaign.templates else "campaign.toml"
    return Problem(file, str(error), getattr(error, "line", None))


# The share of the time limit a template may take, at most, on a sample letter at check.
SLOW_SHARE = 0.2


def rendering_problems(
    campaign: Campaign, limits: RenderLimits = DEFAULT_RENDER_LIMITS
) -> list[Problem]:
    """Render every template of `campaign` for sample letters to every kind of recipient.

    Each template runs under the same limits as when a supporter uses it; what
    fails, goes past a limit, or writes remote content or a script is a problem.
    One problem per template is enough to know it must be fixed.
    """
    renderer = Renderer(campaign.templates, limits)
    chosen = {campaign.template, campaign.email_template}
    files = sorted(
        {f"{base}.{kind}" for base in chosen for kind in ("html", "txt")} | set(campaign.templates)
    )
    problems: list[Problem] = []
    failed: set[str] = set()
    for letter in sample_letters(campaign):
        for recipient in sample_recipients():
            try:
                context = renderer.context(letter, recipient)
            except RenderError:
                continue  # the sample body has no placeholders; nothing of the pack is at fault
            for name in files:
                if name in failed:
                    continue
                started = time.monotonic()
                try:
                    outputs = [
                        renderer.render_file(name, {**context, "standalone": standalone})
                        for standalone in ((False, True) if name.endswith(".html") else (False,))
                    ]
                except RenderError as error:
                    failed.add(name)
                    problems.append(_template_problem(campaign, name, error))
                    continue
                took = time.monotonic() - started
                if took > limits.seconds * SLOW_SHARE:
                    # Within the limit, but too slow to preview as the supporter types.
                    failed.add(name)
                    problems.append(
                        _template_problem(
                            campaign,
                            name,
                            RenderError(
                                _(
                                    "it took {took:.1f} seconds to render a sample letter; a "
                                    "template must take well under {limit:g}"
                                ).format(took=took, limit=limits.seconds * SLOW_SHARE)
                            ),
                        )
                    )
                    continue
                if name.endswith(".html"):
                    for output in outputs:
                        found = remote_content(output)
                        if found and name not in failed:
                            failed.add(name)
                            problems.append(
                                _template_problem(
                                    campaign,
                                    name,
                                    RenderError(
                                        _("what it writes is refused: {problem}").format(
                                            problem=found[0][1]
                                        )
                                    ),
                                )
                            )
    return problems


def _bundled_id_problem(campaign: Campaign, text: str) -> Problem | None:
    if campaign.id not in _bundled_ids():
        return None
    line = next(
        (n for n, row in enumerate(text.splitlines(), 1) if re.match(r"\s*id\s*=", row)), None
    )
    return Problem(
        message=_(
            "'{id}' is the id of a campaign that comes with the program; "
            "give the pack an id of its own"
        ).format(id=campaign.id),
        file="campaign.toml",
        line=line,
        field="id",
    )


def check_pack(
    path: Path, limits: PackLimits = DEFAULT_LIMITS
) -> tuple[Campaign | None, list[Problem]]:
    """Read and check a pack folder or zip; the campaign (if usable) and every problem.

    Beyond reading every file, this renders every template with sample letters
    to every kind of recipient, within the render limits, so that a pack that
    passes can be used.

    Raises:
        PackError: the pack was refused before its content could be checked.
    """
    tree = open_pack(path, limits)
    campaign, problems = read_campaign(tree)
    if campaign is not None and not problems:
        problems = rendering_problems(campaign)
        clash = _bundled_id_problem(campaign, tree.joinpath("campaign.toml").read_text())
        if clash is not None and not _is_bundled_folder(path):
            problems.append(clash)
    return (campaign if not problems else None), problems


def _is_bundled_folder(path: Path) -> bool:
    """Whether `path` is the folder of a campaign that comes with the program."""
    try:
        resolved = path.resolve()
        return any(
            isinstance(root, Path) and root.resolve() == resolved
            for root in bundled_campaign_roots()
        )
    except OSError:
        return False


def _bundled_ids() -> set[str]:
    ids: set[str] = set()
    for root in bundled_campaign_roots():
        campaign, _problems = read_campaign(root)
        ids.add(root.name)
        if campaign is not None:
            ids.add(campaign.id)
    return ids


def _write_tree(tree: PackTree, staging: Path) -> None:
    for relative, data in tree.files.items():
        target = staging.joinpath(*relative.split("/"))
        # Belt and braces: names were checked already, but never write outside staging.
        if os.path.commonpath([staging, target.resolve()]) != str(staging):
            raise PackError(_("'{name}' points outside the pack").format(name=relative))
        target.parent.mkdir(exist_ok=True)
        fd = os.open(
            target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def import_pack(
    path: Path,
    campaigns_dir: Path,
    *,
    replace: bool = False,
    limits: PackLimits = DEFAULT_LIMITS,
) -> tuple[Campaign, Path]:
    """Check a pack folder or zip and copy it into ``campaigns_dir/<id>``.

    The pack is read and checked in memory; only when it has no problem is it
    written to a hidden folder inside `campaigns_dir` and renamed into place,
    so a refused or interrupted import leaves nothing behind.

    Returns:
        The campaign, read back from its new home, and that folder.

    Raises:
        PackError: the pack was refused (one line), or could not be written.
        PackExistsError: the id is already imported and `replace` is false.
        CampaignError: the pack has problems (all of them listed).
    """
    tree = open_pack(path, limits)
    campaign, problems = read_campaign(tree)
    if not problems and campaign is not None:
        problems = rendering_problems(campaign)
    if problems or campaign is None:
        raise CampaignError(problems)
    if campaign.id in _bundled_ids():
        raise PackError(
            _(
                "the pack's id '{id}' is the id of a campaign that comes with the "
                "program; the organizer must give the pack an id of its own"
            ).format(id=campaign.id)
        )
    campaigns_dir = campaigns_dir.absolute()
    destination = campaigns_dir / campaign.id
    if (destination.exists() or destination.is_symlink()) and not replace:
        raise PackExistsError(campaign, destination)
    staging: Path | None = None
    retired: Path | None = None
    try:
        campaigns_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".import-", dir=campaigns_dir)).resolve()
        os.chmod(staging, 0o755)
        _write_tree(tree, staging)
        if destination.exists() or destination.is_symlink():
            retired = Path(tempfile.mkdtemp(prefix=".old-", dir=campaigns_dir))
            os.replace(destination, retired / "pack")
        os.replace(staging, destination)
        staging = None
    except OSError as error:
        if retired is not None and not destination.exists():
            with contextlib.suppress(OSError):
                os.replace(retired / "pack", destination)
        raise PackError(describe_os_error(error, destination)) from error
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    imported, problems = read_campaign(destination)
    if problems or imported is None:
        raise CampaignError(problems)
    return imported, destination
