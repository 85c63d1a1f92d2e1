"""Protocol version, header names and size limits (docs/PROTOCOL.md, "Transport")."""
from __future__ import annotations

PROTOCOL_VERSION = 2
MIN_PROTOCOL = 2   # 2: server-assigned ids, epochs and the county-signed register
MAX_PROTOCOL = 2

H_PROTOCOL = "X-Suqiu-Protocol"
H_STATION = "X-Suqiu-Station"
H_COUNTER = "X-Suqiu-Counter"
H_SIGNATURE = "X-Suqiu-Signature"
CONTENT_TYPE = "application/json"
CONTENT_ENCODING = "zstd"

MAX_COMPRESSED_BYTES = 4 * 1024 * 1024       # one request/response body on the wire
MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024    # after streaming decompression (zip-bomb cap)
MAX_PUSH_EVENTS = 2000                       # events in one push
MAX_PULL_LIMIT = 2000                        # events asked for in one pull
DEFAULT_PULL_LIMIT = 500
MAX_PUSH_BUNDLES = 8                         # whole bundle files (push.bundles, legacy)
MAX_PUSH_RELAYED = 64                        # forwarded bundles (push.relayed) in one push
MAX_PULL_HELD = 64                           # stations named in pull.held
MAX_PUSH_RECORDS = 2000                      # register records in one upstream push
MAX_BUNDLE_BYTES = 64 * 1024 * 1024          # a bundle file (compressed)
MAX_BUNDLE_DECOMPRESSED = 256 * 1024 * 1024
MAX_BLOB_BYTES = 512 * 1024 * 1024
# An answer read by a client (station or a county syncing to the city): a pull may carry up
# to 8 MiB of sealed (incompressible) payloads, base64-encoded, so 16 MiB on the wire.
MAX_RESPONSE_BYTES = 4 * MAX_COMPRESSED_BYTES
MAX_JSON_DEPTH = 32                          # nesting of any JSON read (ours is < 10 deep)
# Enrollment is the one unauthenticated endpoint: its body is a few short strings, so it is
# capped small before and after decompression (docs/PROTOCOL.md, "Station identity").
MAX_ENROLL_BYTES = 8 * 1024
MAX_ENROLL_DECOMPRESSED = 8 * 1024
