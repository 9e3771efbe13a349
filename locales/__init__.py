"""Fluent files, one folder per locale (a package only so that the wheel ships them: see bot/i18n.py)."""
