"""The protocol's refusal: a stable ASCII code, an HTTP status and a detail."""
from __future__ import annotations

from typing import Any

from .constants import MAX_PROTOCOL, MIN_PROTOCOL

ERROR_MESSAGES: dict[str, str] = {
    "protocol_unsupported": "请升级诉求通",
    "body_too_large": "数据太大，请分批同步",
    "body_bad_encoding": "数据压缩格式错误，请重试",
    "body_malformed": "数据格式错误",
    "auth_missing": "缺少站点签名，请先完成注册",
    "auth_unknown_station": "本站点未在县服务器注册，请联系县纪委信访室",
    "auth_bad_signature": "站点签名无效，请联系县纪委信访室",
    "auth_replayed": "重复的请求已被拒绝，请重新同步",
    "auth_revoked": "本站点已被停用，请联系县纪委信访室；本机数据不会丢失",
    "enroll_code_invalid": "注册码无效或已过期，请向县纪委信访室索取新的注册码",
    "enroll_code_used": "注册码已被使用，请向县纪委信访室索取新的注册码",
    "enroll_rate_limited": "注册码输错次数太多，请过十分钟再试",
    "enroll_station_conflict": "该站点已在其他区划注册",
    "enroll_division_mismatch":
        "注册码不是为本站所在的区划发的，请核对后向县纪委信访室索取本区划的注册码",
    "enroll_station_unknown": "要重新注册的站点不在本服务器，请用新的注册码注册",
    "enroll_proof_invalid":
        "该站点已注册：重新注册需要原站点密钥，或县纪委信访室为该站点专门发的注册码",
    "forbidden_jurisdiction": "无权查看辖区以外的数据",
    "upstream_not_enrolled": "本服务器尚未在上级服务器注册，请先运行 upstream-enroll",
    "blob_not_found": "附件不存在",
    "blob_hash_mismatch": "附件校验失败，请重新上传",
    "blob_range_invalid": "附件续传位置不正确",
    "blob_quota_exceeded": "本站近期上传的附件超过了限额，请稍后再传",
    "server_disk_full": "县服务器磁盘将满，暂不能接收附件，请联系县里技术人员",
    "not_found": "地址不存在",
    "method_not_allowed": "请求方法不正确",
    "internal_error": "服务器内部错误，请稍后重试",
    "response_malformed": "对方服务器的回答无法识别或过大，请稍后重试",
    # per-event ack codes (acks[].code), besides petition_core.events' event_* codes
    "event_foreign_station": "不能上传其他站点的事项记录",
    "event_gap": "事项记录不连续，缺少前面的记录",
    "seq_conflict": "站点序号已被另一条记录使用",
    "event_id_conflict": "同一编号的记录内容不一致",
    "bundle_malformed": "离线数据包已损坏",
    "bundle_too_large": "离线数据包太大，请分成几个文件再导入",
    "bundle_bad_signature": "离线数据包签名无效，可能被篡改",
    "bundle_foreign": "离线数据包来自未注册或不属于本辖区的站点",
    # county-signed register records and receipts (protocol/register.py)
    "register_malformed": "站点登记记录格式错误",
    "register_bad_signature": "站点登记记录签名无效",
    "register_foreign": "站点登记记录不属于下级服务器的辖区",
    "register_claimed": "该站点已由另一个服务器登记",
    "receipt_invalid": "回执签名无效",
}


class ProtocolError(Exception):
    """A refusal with a stable ``code``, the HTTP ``status`` and a Chinese ``message``."""

    def __init__(self, code: str, status: int = 400, detail: Any = None):
        super().__init__(code)
        self.code = code
        self.status = status
        self.detail = detail
        self.message = ERROR_MESSAGES.get(code, code)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "message": self.message, "detail": self.detail}
        if self.code == "protocol_unsupported":
            out.update(min=MIN_PROTOCOL, max=MAX_PROTOCOL)
        return out
