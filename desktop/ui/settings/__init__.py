"""Sections of the Settings page, in the order they are shown.

Each entry names a module and a :class:`desktop.ui.settings.base.SettingsSection` subclass
in it; the page imports them when it is built. To add a section, add one line here.
"""

from __future__ import annotations

SECTIONS: tuple[tuple[str, str], ...] = (
    ("desktop.ui.settings.profile_section", "ProfileSection"),
    ("desktop.ui.settings.baseline_section", "BaselineSection"),
    ("desktop.ui.settings.prompts_section", "PromptsSection"),
    ("desktop.ui.settings.own_prompts_section", "OwnPromptsSection"),
    ("desktop.ui.settings.finances_section", "FinancesSection"),
    ("desktop.ui.settings.reminders_section", "RemindersSection"),
    ("desktop.ui.settings.appearance_section", "AppearanceSection"),
    ("desktop.ui.settings.backups_section", "BackupsSection"),
    ("desktop.ui.settings.encryption_section", "EncryptionSection"),
)
