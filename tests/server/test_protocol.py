"""petition_core.protocol on its own: capped decompression, signatures, bundles, prefixes."""
from __future__ import annotations

import pytest
import zstandard

from petition_core.protocol import (
    BUNDLE_MAGIC,
    ProtocolError,
    compress,
    decode_body,
    decode_response,
    decompress_capped,
    division_prefix,
    encode_body,
    load_private_key,
    new_private_key,
    normalize_enroll_code,
    private_key_bytes,
    public_key_b64,
    read_bundle,
    sign_request,
    signing_message,
    verify_bundle,
    verify_signature,
    within,
    write_bundle,
)

MANIFEST = {"station_id": "s1", "station_code": "530921108203", "from_seq": 1, "to_seq": 1,
            "created": "2026-11-28T10:00:00+08:00", "kind": "push", "for_station": None}


def test_body_round_trip_keeps_chinese():
    doc = {"摘要": "土地纠纷", "n": [1, 2]}
    assert decode_body(encode_body(doc)) == {"摘要": "土地纠纷", "n": [1, 2]}


@pytest.mark.parametrize("data,code", [
    (b"", "body_bad_encoding"),
    (b"plain text", "body_bad_encoding"),
    (compress(b"x" * 1000)[:-4], "body_bad_encoding"),
    (compress(b"{}") + b"junk", "body_bad_encoding"),
])
def test_bad_zstd_is_refused(data, code):
    with pytest.raises(ProtocolError) as exc:
        decompress_capped(data)
    assert exc.value.code == code


def test_decompression_stops_at_the_cap_even_when_the_header_lies():
    bomb = zstandard.ZstdCompressor(write_content_size=False).compress(b"\0" * (5 << 20))
    with pytest.raises(ProtocolError) as exc:
        decompress_capped(bomb, limit=1 << 20)
    assert (exc.value.code, exc.value.status) == ("body_too_large", 413)
    assert len(decompress_capped(bomb, limit=5 << 20)) == 5 << 20


def test_decode_body_rejects_non_json_and_decode_response_takes_both():
    with pytest.raises(ProtocolError) as exc:
        decode_body(compress("不是JSON".encode()))
    assert exc.value.code == "body_malformed"
    assert decode_response(b'{"a":1}') == decode_response(encode_body({"a": 1})) == {"a": 1}


def test_request_signature_binds_method_path_counter_body_server_station_and_epoch():
    key = new_private_key()
    h = sign_request(key, "st", 7, "POST", "/v1/sync", b"body", server_id="srv", epoch=2)
    pub = public_key_b64(key)
    sig = h["X-Suqiu-Signature"]
    good = dict(server_id="srv", station_id="st", epoch=2)
    assert verify_signature(pub, sig, signing_message("POST", "/v1/sync", 7, b"body", **good))
    for args in [("GET", "/v1/sync", 7, b"body"), ("POST", "/v1/enroll", 7, b"body"),
                 ("POST", "/v1/sync", 8, b"body"), ("POST", "/v1/sync", 7, b"bodY")]:
        assert not verify_signature(pub, sig, signing_message(*args, **good))
    for other in (dict(good, server_id="other"), dict(good, station_id="st2"),
                  dict(good, epoch=1)):
        assert not verify_signature(pub, sig, signing_message("POST", "/v1/sync", 7, b"body",
                                                              **other))
    assert not verify_signature("not base64!", sig, b"x")
    assert not verify_signature(pub, "AAAA", b"x")
    again = load_private_key(private_key_bytes(key))
    assert public_key_b64(again) == pub


def test_bundle_round_trip_and_tampering():
    key = new_private_key()
    data = write_bundle(key, MANIFEST, [{"event_id": "e1"}])
    b = read_bundle(data)
    verify_bundle(b, public_key_b64(key))
    assert (b.station_id, b.events) == ("s1", [{"event_id": "e1"}])
    with pytest.raises(ProtocolError) as exc:
        verify_bundle(b, public_key_b64(new_private_key()))
    assert exc.value.code == "bundle_bad_signature"
    # change the content but keep the signature: the signature no longer matches
    body = data[len(BUNDLE_MAGIC) + 64:]
    other = write_bundle(key, {**MANIFEST, "to_seq": 9}, [{"event_id": "e1"}])
    spliced = data[: len(BUNDLE_MAGIC) + 64] + other[len(BUNDLE_MAGIC) + 64:]
    assert body != spliced[len(BUNDLE_MAGIC) + 64:]
    with pytest.raises(ProtocolError):
        verify_bundle(read_bundle(spliced), public_key_b64(key))
    for junk in (b"", b"hello", BUNDLE_MAGIC + b"\0" * 64 + b"nope",
                 BUNDLE_MAGIC + b"\0" * 64 + compress(b'{"manifest": 1}')):
        with pytest.raises(ProtocolError) as exc:
            read_bundle(junk)
        assert exc.value.code == "bundle_malformed"
    with pytest.raises(ValueError):
        write_bundle(key, {"station_id": "s1"}, [])


def test_jurisdiction_prefixes():
    assert division_prefix("530921108203") == "530921108203"
    assert division_prefix("530921108000") == "530921108"
    assert division_prefix("530921000000") == "530921"
    assert within("530921108203", "530921108000")
    assert not within("530921109001", "530921108000")
    assert not within("", "530921000000")
    with pytest.raises(ValueError):
        division_prefix("5309")


def test_enroll_code_normalisation():
    assert normalize_enroll_code(" k7qh-3mxp ") == "K7QH3MXP"
