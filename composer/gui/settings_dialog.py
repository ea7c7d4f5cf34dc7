"""The settings dialog: paper, fold marks, how letters usually go out, autosave, spelling
and the interface's language."""

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

from composer.core.settings import Settings, auto_paper
from composer.gui.spelling import available_languages, language_label
from composer.i18n import LANGUAGES, SYSTEM, _


def paper_names() -> dict[str, str]:
    """The paper sizes by setting value, as shown."""
    return {"letter": _("US Letter"), "a4": _("A4")}


def channel_names() -> dict[str, str]:
    """The ways to send by setting value, as shown."""
    return {"print": _("Print and post"), "email": _("E-mail")}


def auto_paper_text(country: str, lc_paper: str | None = None) -> str:
    """The "automatic" paper choice, saying which size it is and where that comes from."""
    paper, source = auto_paper(country, lc_paper)
    name = paper_names()[paper]
    if source == "country":
        return _("Automatic: {paper}, from the country in your sender profile ({country})").format(
            paper=name, country=country.strip()
        )
    if source == "system":
        return _("Automatic: {paper}, from your system's paper setting").format(paper=name)
    return _("Automatic: {paper} (no country in your sender profile)").format(paper=name)


class SettingsDialog(QDialog):
    """Edits a copy of the :class:`Settings`; read the result with :meth:`settings`.

    Args:
        settings: the current settings (not changed by the dialog).
        languages: the installed dictionary codes; None asks Enchant.
        parent: the window the dialog belongs to.
        country: the sender profile's country, which automatic paper follows.
    """

    def __init__(
        self,
        settings: Settings,
        languages: list[str] | None = None,
        parent: QWidget | None = None,
        country: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.setAccessibleName(_("Settings"))
        self._original = settings
        languages = available_languages() if languages is None else languages

        self.paper = QComboBox()
        self.paper.addItem(auto_paper_text(country), "auto")
        for key, name in paper_names().items():
            self.paper.addItem(name, key)
        self.paper.setAccessibleName(_("Paper size"))
        self.paper.setAccessibleDescription(
            _(
                "The paper letters are laid out and printed on; automatic follows the country "
                "in your sender profile, or your system's paper setting when it has none"
            )
        )

        self.fold_marks = QCheckBox(_("Print &fold marks in the margin"))
        self.fold_marks.setAccessibleName(_("Fold marks"))
        self.fold_marks.setAccessibleDescription(
            _("Small marks in the left margin that show where to fold the letter for the envelope")
        )

        self.channel = QComboBox()
        for key, name in channel_names().items():
            self.channel.addItem(name, key)
        self.channel.setAccessibleName(_("Usual way to send"))
        self.channel.setAccessibleDescription(
            _("Whether new letters are meant for print or e-mail")
        )

        self.autosave = QSpinBox()
        self.autosave.setRange(1, 600)
        self.autosave.setSuffix(_(" seconds"))
        self.autosave.setAccessibleName(_("Autosave delay"))
        self.autosave.setAccessibleDescription(
            _("How long after your last change the draft is saved")
        )

        self.spelling = QComboBox()
        self.spelling.addItem(_("Off"), "")
        for code in languages:
            self.spelling.addItem(
                _("{language} ({code})").format(language=language_label(code), code=code), code
            )
        if settings.spell_language and settings.spell_language not in languages:
            self.spelling.addItem(
                _("{code} (no dictionary installed)").format(code=settings.spell_language),
                settings.spell_language,
            )
        self.spelling.setAccessibleName(_("Spell-check language"))
        self.spelling.setAccessibleDescription(
            _("The dictionary used to underline misspelt words; Off turns spell checking off")
        )
        self.spelling_note = QLabel(
            _(
                "No spelling dictionaries are installed. On Debian or Ubuntu: "
                "apt install libenchant-2-2 hunspell-en-us (or your language's hunspell "
                "package)."
            )
        )
        self.spelling_note.setWordWrap(True)
        self.spelling_note.setVisible(not languages)

        self.language = QComboBox()
        self.language.addItem(_("System default"), SYSTEM)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each language named in its own words
        self.language.setAccessibleName(_("Interface language"))
        self.language.setAccessibleDescription(
            _("The language of the program's menus and messages; letters stay in English")
        )
        self.language_note = QLabel(_("The language changes the next time the program starts."))
        self.language_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("&Paper:"), self.paper)
        form.addRow("", self.fold_marks)
        form.addRow(_("&Usually send by:"), self.channel)
        form.addRow(_("&Save drafts after:"), self.autosave)
        form.addRow(_("Spell &checking:"), self.spelling)
        form.addRow("", self.spelling_note)
        form.addRow(_("Interface &language:"), self.language)
        form.addRow("", self.language_note)

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
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

    def settings(self) -> Settings:
        """The settings as chosen in the dialog (everything else kept from the original)."""
        return dataclasses.replace(
            self._original,
            paper=self.paper.currentData(),
            fold_marks=self.fold_marks.isChecked(),
            default_channel=self.channel.currentData(),
            autosave_seconds=self.autosave.value(),
            spell_language=self.spelling.currentData(),
            language=self.language.currentData(),
        ).validated()
