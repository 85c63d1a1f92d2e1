"""诉求通 station app: the offline-first desktop client for village and township stations.

Nothing here runs at import time: the composition root is :mod:`station_app.app` (UI) or
:mod:`station_app.cli` (command line), which build paths, store and services explicitly.
"""
