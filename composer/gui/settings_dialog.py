"""The settings dialog: paper, fold marks, how letters usually go out, autosave and spelling."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from composer.core.settings import Settings, paper_for_locale
from composer.gui.spelling import available_languages, language_label

PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}
CHANNEL_NAMES = {"print": "Print and post", "email": "E-mail"}


class SettingsDialog(QDialog):
    """Edits a copy of the :class:`Settings`; read the result with :meth:`settings`.

    Args:
        settings: the current settings (not changed by the dialog).
        languages: the installed dictionary codes; None asks Enchant.
        parent: the window the dialog belongs to.
    """

    def __init__(
        self,
        settings: Settings,
        languages: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self._original = settings
        languages = available_languages() if languages is None else languages

        self.paper = QComboBox()
        region = PAPER_NAMES[paper_for_locale()]
        self.paper.addItem(f"Automatic: {region}, from your region", "auto")
        for key, name in PAPER_NAMES.items():
            self.paper.addItem(name, key)
        self.paper.setAccessibleName("Paper size")
        self.paper.setAccessibleDescription(
            "The paper letters are laid out and printed on; automatic follows your region"
        )

        self.fold_marks = QCheckBox("Print &fold marks in the margin")
        self.fold_marks.setAccessibleName("Fold marks")
        self.fold_marks.setAccessibleDescription(
            "Small marks in the left margin that show where to fold the letter for the envelope"
        )

        self.channel = QComboBox()
        for key, name in CHANNEL_NAMES.items():
            self.channel.addItem(name, key)
        self.channel.setAccessibleName("Usual way to send")
        self.channel.setAccessibleDescription("Whether new letters are meant for print or e-mail")

        self.autosave = QSpinBox()
        self.autosave.setRange(1, 600)
        self.autosave.setSuffix(" seconds")
        self.autosave.setAccessibleName("Autosave delay")
        self.autosave.setAccessibleDescription("How long after your last change the draft is saved")

        self.spelling = QComboBox()
        self.spelling.addItem("Off", "")
        for code in languages:
            self.spelling.addItem(f"{language_label(code)} ({code})", code)
        if settings.spell_language and settings.spell_language not in languages:
            self.spelling.addItem(
                f"{settings.spell_language} (no dictionary installed)", settings.spell_language
            )
        self.spelling.setAccessibleName("Spell-check language")
        self.spelling.setAccessibleDescription(
            "The dictionary used to underline misspelt words; Off turns spell checking off"
        )
        self.spelling_note = QLabel(
            "No spelling dictionaries are installed. On Debian or Ubuntu: "
            "apt install libenchant-2-2 hunspell-en-us (or your language's hunspell package)."
        )
        self.spelling_note.setWordWrap(True)
        self.spelling_note.setVisible(not languages)

        form = QFormLayout()
        form.addRow("&Paper:", self.paper)
        form.addRow("", self.fold_marks)
        form.addRow("&Usually send by:", self.channel)
        form.addRow("&Save drafts after:", self.autosave)
        form.addRow("Spell &checking:", self.spelling)
        form.addRow("", self.spelling_note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._show(settings)
        self.resize(480, self.sizeHint().height())

    def _show(self, settings: Settings) -> None:
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.paper)))
        self.fold_marks.setChecked(settings.fold_marks)
        self.channel.setCurrentIndex(max(0, self.channel.findData(settings.default_channel)))
        self.autosave.setValue(settings.autosave_seconds)
        self.spelling.setCurrentIndex(max(0, self.spelling.findData(settings.spell_language)))

    def settings(self) -> Settings:
        """The settings as chosen in the dialog (everything else kept from the original)."""
        return dataclasses.replace(
            self._original,
            paper=self.paper.currentData(),
            fold_marks=self.fold_marks.isChecked(),
            default_channel=self.channel.currentData(),
            autosave_seconds=self.autosave.value(),
            spell_language=self.spelling.currentData(),
        ).validated()
