"""The station's PySide6 user interface.

Screens talk only to ``station_app.services`` (plain dataclasses), always through the one
background runner (:mod:`station_app.ui.runner`).  The composition root is
``station_app.app``; nothing here builds services or reads settings at import time.
"""
