"""Writing a letter as an OpenDocument text file (.odt), for LibreOffice or Word.

Qt's own document writer does the work: the letter's HTML becomes a
QTextDocument, which is written in ODF format into memory and then to disk
atomically. QtGui only; runs headless and in a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QFont, QTextDocument, QTextDocumentWriter

from composer.core.export import html_document, title_of
from composer.core.fileio import StorageError, atomic_write_bytes
from composer.core.render import RenderedLetter
from composer.i18n import _
from composer.printing.output import ensure_gui_application

ODF_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def odt_bytes(letters: Sequence[RenderedLetter]) -> bytes:
    """The letter as the bytes of an .odt file.

    Raises:
        StorageError: Qt could not produce the document.
    """
    ensure_gui_application()
    document = QTextDocument()
    font = QFont("DejaVu Serif")
    font.setPointSizeF(12)
    document.setDefaultFont(font)
    document.setHtml(html_document(letters))
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title_of(letters))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QTextDocumentWriter(buffer, QByteArray(b"odf"))
    if not writer.write(document):
        raise StorageError(_("The letter could not be turned into an OpenDocument file."))
    buffer.close()
    return bytes(data.data())


def write_odt(path: Path, letters: Sequence[RenderedLetter]) -> None:
    """Write the letter as an .odt file, atomically.

    Raises:
        StorageError: the document could not be made or the file not written.
    """
    atomic_write_bytes(Path(path), odt_bytes(letters))
