"""The domain shared by the station app and the sync server.

Pure Python: no Qt, no SQLAlchemy, no HTTP.  Everything here is deterministic and
testable on its own.
"""
