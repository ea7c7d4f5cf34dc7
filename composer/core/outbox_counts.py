"""How many letters wait in the outbox, read without opening the outbox itself.

At start-up the window only needs to know whether anything waits: when nothing
does, the e-mail side (the outbox, the sending thread, SMTP, SSL and the network
watch) is not started until the user first asks for it. This reads the two counts
with one short query and never creates or changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from composer.core.storage import DatabaseUnavailable, connect, describe_database_error


@dataclass(frozen=True)
class WaitingLetters:
    """Letters in the outbox.

    Attributes:
        pending: queued, or left "sending" (by this or a crashed program).
        failed: refused by the server; they wait for the user.
    """

    pending: int = 0
    failed: int = 0


def waiting_letters(path: Path) -> WaitingLetters:
    """Count the letters in the outbox of the database at `path`.

    A missing database, or one that never held an outbox, counts as empty.

    Raises:
        DatabaseUnavailable: the database exists but cannot be read.
    """
    import sqlite3

    path = Path(path)
    if not path.exists():
        return WaitingLetters()
    db = connect(path, create_folder=False)
    try:
        rows = db.execute("SELECT state, COUNT(*) FROM outbox_messages GROUP BY state").fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return WaitingLetters()
        raise DatabaseUnavailable(describe_database_error(error, path)) from error
    finally:
        db.close()
    counts = {str(state): int(count) for state, count in rows}
    return WaitingLetters(
        pending=counts.get("queued", 0) + counts.get("sending", 0), failed=counts.get("failed", 0)
    )
