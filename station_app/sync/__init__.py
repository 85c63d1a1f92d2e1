"""The station side of sync (docs/PROTOCOL.md), pure Python on ``requests`` — no Qt.

* ``engine.SyncEngine(store, paths, server_url=None)``: ``.enroll(code)``,
  ``.sync_once(progress) -> SyncReport`` (push outbox + relay bundles, pull, one local
  transaction per answer), ``.enrolled()``.
* ``autosync.AutoSync``: probe reachability, sync with jittered exponential backoff.
* ``bundles``: ``export_bundle``, ``import_bundle``, ``write_return_bundle`` (USB files,
  ``container`` adds the attachments); ``relay``: the township's queue of villages' bundles;
  ``packing``: what one request carries (caps checked before sending, smaller after a 413,
  ``pull.held``).
* ``keys.StationKeys``: Ed25519 key and the durable request counter; ``transport``: signed
  zstd HTTP with stall timeouts and :class:`transport.SyncError` (code + Chinese message).
* ``commands.register(subparsers)``: ``suqiu-station enroll|sync|export-bundle|
  import-bundle|write-return-bundle``.

The UI reaches all of this only through ``station_app.services.sync_service.SyncService``.
"""
