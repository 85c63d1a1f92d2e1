"""HTTP layer: wire format (zstd JSON, limits, protocol version) and the routers."""
