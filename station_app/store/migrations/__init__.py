"""The station's Alembic migrations (``versions/``), driven by ``station_app.store.db``.

``HEAD_REVISION`` is the newest revision, kept here as a constant so that opening a
database already at head needs no Alembic import at all (Alembic and its script loading
cost ~0.1-0.3 s on every start).  A test checks it against Alembic's script directory;
adding a revision means updating it.
"""
HEAD_REVISION = "0013"
