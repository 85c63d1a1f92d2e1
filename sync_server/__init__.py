"""诉求通 county sync server: merges stations' event logs and serves them back by jurisdiction.

Layers: ``api`` (FastAPI routers, wire handling) → ``services`` (transactions, rules) →
``store`` (SQLAlchemy models, engine, migrations) → ``petition_core``.
Nothing is built at import time; ``app.create_app(settings)`` is the composition root.
"""
