"""Switching the interface's language in a test, the way the program does at start."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from composer import i18n


def use_language(language: str) -> None:
    """Speak `language`: the program's messages (composer.i18n) and Qt's own words, loaded
    by the program's own code (composer.gui.app). Tests call it with "en" afterwards."""
    from composer.gui.app import QT_TRANSLATOR, create_application

    assert i18n.install(language) == language, f"the {language} catalog is missing"
    app = create_application()
    if language != "en":
        assert app.findChild(QTranslator, QT_TRANSLATOR) is not None, (
            f"Qt's {language} translations are missing"
        )
