"""Texts of the 同步 page: sync error codes, the server's reasons for sending a record back,
event kinds, and small formatting helpers (translatable, context "SyncPage")."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .messages import error_text

_CTX = "SyncPage"
# Sync-specific codes → Chinese (translatable); other codes fall back to messages.py.
_TEXTS: dict[str, str] = {
    "not_enrolled": QT_TRANSLATE_NOOP("SyncPage", "本站尚未登记到县服务器，请先在下方填写服务器地址和登记码。"),
    "network_unreachable": QT_TRANSLATE_NOOP("SyncPage", "连不上县服务器，请检查网络；数据已保存在本机，联网后会自动同步，也可以用U盘导出数据包。"),
    "network_stalled": QT_TRANSLATE_NOOP("SyncPage", "网络太慢或中断，本次同步未完成；已收到的数据不会丢失，稍后自动重试。"),
    "server_error": QT_TRANSLATE_NOOP("SyncPage", "县服务器暂时出错，稍后会自动重试。"),
    "internal_error": QT_TRANSLATE_NOOP("SyncPage", "县服务器暂时出错，稍后会自动重试。"),
    "auth_unknown_station": QT_TRANSLATE_NOOP("SyncPage", "服务器不认识本站，请联系县群众诉求中心重新登记。本站数据均已保留。"),
    "auth_revoked": QT_TRANSLATE_NOOP("SyncPage", "本站已被县群众诉求中心停用，无法同步。本站数据均已保留。"),
    "auth_bad_signature": QT_TRANSLATE_NOOP("SyncPage", "本站密钥与服务器登记的不一致，请联系县群众诉求中心。本站数据均已保留。"),
    "auth_replayed": QT_TRANSLATE_NOOP("SyncPage", "同步请求编号异常，请再同步一次；仍失败请联系县中心。"),
    "protocol_unsupported": QT_TRANSLATE_NOOP("SyncPage", "服务器要求新版本，请升级诉求通后再同步。"),
    "response_malformed": QT_TRANSLATE_NOOP("SyncPage", "服务器返回的数据无法识别，请稍后再试或升级诉求通。"),
    "pull_event_invalid": QT_TRANSLATE_NOOP("SyncPage", "收到本版本无法识别的记录，请升级诉求通后再同步。"),
    "pull_conflict": QT_TRANSLATE_NOOP("SyncPage", "收到的记录与本机记录冲突，请联系县群众诉求中心。"),
    "push_gap": QT_TRANSLATE_NOOP("SyncPage", "县服务器缺少本站较早的记录，本站无法补发，上报已暂停。本站数据均已保留，请联系县群众诉求中心。"),
    "sync_busy": QT_TRANSLATE_NOOP("SyncPage", "正在同步，请稍候。"),
    "server_url_invalid": QT_TRANSLATE_NOOP("SyncPage", "服务器地址应以 http:// 或 https:// 开头，例如 http://10.1.2.3:8470。"),
    "enroll_code_invalid": QT_TRANSLATE_NOOP("SyncPage", "登记码无效或已过期，请向县群众诉求中心索取新的登记码。"),
    "enroll_code_used": QT_TRANSLATE_NOOP("SyncPage", "该登记码已被使用，请向县群众诉求中心索取新的登记码。"),
    "enroll_station_conflict": QT_TRANSLATE_NOOP("SyncPage", "本站已在其他区划登记，请联系县群众诉求中心。"),
    "enroll_rate_limited": QT_TRANSLATE_NOOP("SyncPage", "登记码输错次数太多，请过十分钟再试。"),
    "station_not_set_up": QT_TRANSLATE_NOOP("SyncPage", "本站尚未完成初始设置。"),
    "bundle_empty": QT_TRANSLATE_NOOP("SyncPage", "没有需要导出的记录（所有记录都已上报）。"),
    "bundle_malformed": QT_TRANSLATE_NOOP("SyncPage", "这个文件已损坏或不是诉求通数据包，无法导入。"),
    "bundle_bad_signature": QT_TRANSLATE_NOOP("SyncPage", "数据包签名校验失败，可能被篡改，已拒绝导入。"),
    "bundle_foreign": QT_TRANSLATE_NOOP("SyncPage", "该数据包来自不属于本辖区的站点，已拒绝导入。"),
    "bundle_not_for_us": QT_TRANSLATE_NOOP("SyncPage", "该返回数据包是发给其他站点的，已拒绝导入。"),
    "bundle_own": QT_TRANSLATE_NOOP("SyncPage", "这是本站自己导出的数据包，不需要在本站导入。"),
    "bundle_unknown_signer": QT_TRANSLATE_NOOP("SyncPage", "写这个数据包的站点不在本机保存的县登记名册中，已拒绝导入。请先与县服务器同步一次（更新名册），再导入。"),
    "bundle_signer_revoked": QT_TRANSLATE_NOOP("SyncPage", "写这个数据包的站点已被县群众诉求中心停用，已拒绝导入。"),
    "bundle_unknown_station": QT_TRANSLATE_NOOP("SyncPage", "该村站不在县登记名册中本辖区的村站里，无法写返回数据包；请先与县服务器同步一次。"),
    "enroll_division_mismatch": QT_TRANSLATE_NOOP("SyncPage", "该登记码不是为本站所在的区划发的，本站没有登记。请核对本站区划，或向县群众诉求中心索取本区划的登记码。"),
    "enroll_station_unknown": QT_TRANSLATE_NOOP("SyncPage", "县服务器上没有本站的登记，请向县群众诉求中心索取专为本站发的重新登记码。"),
    "enroll_proof_invalid": QT_TRANSLATE_NOOP("SyncPage", "本站已登记过：重新登记需要本站原来的密钥，或县群众诉求中心专为本站发的登记码。"),
    "enroll_answer_invalid": QT_TRANSLATE_NOOP("SyncPage", "县服务器的登记答复无法识别或与本站不符，本站没有登记。请联系县群众诉求中心。"),
    "bundle_conflict": QT_TRANSLATE_NOOP("SyncPage", "数据包中的记录与本机记录冲突，已拒绝导入；请联系县群众诉求中心。"),
    # reasons the server gives for sending an event back (quarantine list)
    "event_gap": QT_TRANSLATE_NOOP("SyncPage", "前面有记录未被接收，本条暂不能上报"),
    "seq_conflict": QT_TRANSLATE_NOOP("SyncPage", "记录编号与服务器上的另一条记录冲突"),
    "event_id_conflict": QT_TRANSLATE_NOOP("SyncPage", "同一编号的记录内容与服务器上的不一致"),
    "event_foreign_station": QT_TRANSLATE_NOOP("SyncPage", "记录不属于本站"),
    "event_unknown_type": QT_TRANSLATE_NOOP("SyncPage", "县服务器不认识这种记录（本站版本比县服务器新），县里升级后可重新上报"),
    "event_too_large": QT_TRANSLATE_NOOP("SyncPage", "记录太大，服务器不接收"),
    "event_malformed": QT_TRANSLATE_NOOP("SyncPage", "记录格式不对，服务器不接收"),
}


def sync_error_text(code: str) -> str:
    src = _TEXTS.get(code)
    return QCoreApplication.translate(_CTX, src) if src else error_text(code)


def event_label(event_type: str) -> str:
    labels = {
        "case.registered": QT_TRANSLATE_NOOP("SyncPage", "登记"),
        "case.amended": QT_TRANSLATE_NOOP("SyncPage", "更正"),
        "case.accepted": QT_TRANSLATE_NOOP("SyncPage", "受理"),
        "case.declined": QT_TRANSLATE_NOOP("SyncPage", "不予受理"),
        "case.transferred": QT_TRANSLATE_NOOP("SyncPage", "转办"),
        "case.assigned": QT_TRANSLATE_NOOP("SyncPage", "交办"),
        "case.concluded": QT_TRANSLATE_NOOP("SyncPage", "办结"),
        "case.followed_up": QT_TRANSLATE_NOOP("SyncPage", "回访"),
        "case.served": QT_TRANSLATE_NOOP("SyncPage", "送达"),
    }
    src = labels.get(event_type)
    return QCoreApplication.translate(_CTX, src) if src else QCoreApplication.translate(
        _CTX, QT_TRANSLATE_NOOP("SyncPage", "其他记录"))


def division_name(code: str) -> str:
    """村 name for a division code (the code itself when the tree does not know it)."""
    from petition_core.divisions import DivisionTree

    d = DivisionTree.load_default().get(code)
    return f"{d.name}（{code}）" if d else code

