"""Stable ASCII error codes → plain Chinese sentences for the clerk (translatable).

Why here: petition_core and the services speak only in codes (``FieldError.code``,
``ServiceError.code``) so the wire and the logs stay language-free; the words a clerk reads
live in one table in the UI, marked with QT_TRANSLATE_NOOP so lupdate collects them and the
English translation covers them too.  Each text says what is wrong and, where it helps, what
to do next.  Unknown codes still give a readable sentence (with the code, for support).

Used by every screen (the intake form too): ``error_text(code, params)``,
``field_label(path)``, ``describe_exception(exc)``.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from .i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

_CTX = "Messages"

# code -> Chinese source text; {name} placeholders come from the error's params.
_TEXTS: dict[str, str] = {
    # ---- field validation (petition_core.validation) ----
    "required": QT_TRANSLATE_NOOP("Messages", "此项必须填写。"),
    "too_long": QT_TRANSLATE_NOOP("Messages", "内容太长，最多 {max} 个字。"),
    "control_chars": QT_TRANSLATE_NOOP(
        "Messages", "含有不能保存的特殊控制字符，请删除后重新输入。"),
    "emoji": QT_TRANSLATE_NOOP("Messages", "不能使用表情符号，请改用文字。"),
    "id_format": QT_TRANSLATE_NOOP("Messages", "身份证号码格式不对：应为18位（最后一位可以是X）。"),
    "id_checksum": QT_TRANSLATE_NOOP("Messages", "身份证号码校验位不对，请逐位核对。"),
    "id_birth_future": QT_TRANSLATE_NOOP("Messages", "身份证号码中的出生日期在今天之后，请核对。"),
    "id_birth_invalid": QT_TRANSLATE_NOOP("Messages", "身份证号码中的出生日期不存在，请核对。"),
    "id_area_unknown": QT_TRANSLATE_NOOP(
        "Messages", "身份证号码前6位的地区码查不到（现在和过去都没有这个地区码），请逐位核对；"
        "确认无误可以继续。"),
    "phone_invalid": QT_TRANSLATE_NOOP(
        "Messages", "电话号码不对：手机为11位，座机请带区号（如 0883-1234567）。"),
    "phone_prefix": QT_TRANSLATE_NOOP(
        "Messages", "手机号码的开头不对：位数没错，但前三位不是手机号段（应像 138、159、186），"
        "请核对前几位。"),
    "date_future": QT_TRANSLATE_NOOP("Messages", "时间不能晚于现在。"),
    "date_too_old": QT_TRANSLATE_NOOP("Messages", "时间太早（不能早于2000年），请核对。"),
    "served_before_reply": QT_TRANSLATE_NOOP(
        "Messages", "送达日期不能早于书面答复的日期（{reply_date}）。"),
    "date_invalid": QT_TRANSLATE_NOOP("Messages", "日期或时间格式不对。"),
    "division_unknown": QT_TRANSLATE_NOOP("Messages", "找不到这个行政区划，请从列表中选择。"),
    "division_outside": QT_TRANSLATE_NOOP("Messages", "这个地方不在本站管辖范围内。"),
    "division_level": QT_TRANSLATE_NOOP("Messages", "请选择到{level}一级。"),
    "too_many_representatives": QT_TRANSLATE_NOOP(
        "Messages", "多人走访推选的代表不能超过 {max} 人（信访工作条例第18条）。"),
    "invalid_choice": QT_TRANSLATE_NOOP("Messages", "选项无效，请从列表中选择。"),
    "out_of_range": QT_TRANSLATE_NOOP("Messages", "数值超出范围（{min}–{max}）。"),
    "anonymous_identity": QT_TRANSLATE_NOOP("Messages", "匿名反映时不填写姓名和身份证号码。"),
    "unknown_field": QT_TRANSLATE_NOOP("Messages", "表格中有无法识别的内容，请关闭后重新登记。"),
    # ---- accounts / setup ----
    "auth_failed": QT_TRANSLATE_NOOP(
        "Messages", "用户名或密码不对，请重新输入。注意大小写和输入法。"),
    "login_backoff": QT_TRANSLATE_NOOP(
        "Messages", "这个用户名登录失败的次数太多，为保护账号，请等 {seconds} 秒后再试。"),
    "login_backoff_minutes": QT_TRANSLATE_NOOP(
        "Messages", "这个用户名登录失败的次数太多，为保护账号，请等 {minutes} 分钟后再试。"),
    "login_invalid": QT_TRANSLATE_NOOP("Messages", "用户名只能用小写字母、数字和下划线，3到20位。"),
    "login_taken": QT_TRANSLATE_NOOP("Messages", "这个用户名已经有人用了，请换一个。"),
    "password_too_short": QT_TRANSLATE_NOOP("Messages", "密码太短，至少 {min} 位。"),
    "password_mismatch": QT_TRANSLATE_NOOP("Messages", "两次输入的密码不一样。"),
    "password_wrong": QT_TRANSLATE_NOOP("Messages", "原密码不对。"),
    "role_invalid": QT_TRANSLATE_NOOP("Messages", "角色无效，请从列表中选择。"),
    "already_initialised": QT_TRANSLATE_NOOP("Messages", "本站已经设置过，不能重复设置。"),
    "not_initialised": QT_TRANSLATE_NOOP("Messages", "本站还没有完成首次设置。"),
    "station_name_invalid": QT_TRANSLATE_NOOP("Messages", "站点名称不能为空，最多 {max} 个字。"),
    "permission_denied": QT_TRANSLATE_NOOP("Messages", "您的账号没有这项操作的权限。"),
    # ---- cases ----
    "action_not_allowed": QT_TRANSLATE_NOOP(
        "Messages", "案件当前状态下不能做这项操作，页面已刷新，请重新查看。"),
    "stale_state": QT_TRANSLATE_NOOP(
        "Messages", "这个案件刚刚有了新的记录（来自同步或另一位值班员），您这次填写的还没有保存。"
        "请先重新查看案件，再决定是否办理；已填写的内容会保留。"),
    "sealed": QT_TRANSLATE_NOOP("Messages", "这是保密举报，内容本站无权查看。"),
    "extension_too_long": QT_TRANSLATE_NOOP(
        "Messages", "延期最多 {max} 天（信访工作条例第34条）。"),
    "link_self": QT_TRANSLATE_NOOP("Messages", "不能把案件关联到它自己。"),
    "link_unknown": QT_TRANSLATE_NOOP("Messages", "要关联的案件不存在。"),
    "conflict_unknown": QT_TRANSLATE_NOOP("Messages", "这个冲突已经处理过了，页面已刷新。"),
    # ---- attachments / files ----
    "attachment_too_large": QT_TRANSLATE_NOOP("Messages", "文件太大，最多 {max_mb} MB。"),
    "attachment_type": QT_TRANSLATE_NOOP("Messages", "只能添加照片、PDF 或 Word 文件。"),
    "attachment_missing": QT_TRANSLATE_NOOP("Messages", "找不到这个文件，可能已被移动或删除。"),
    "attachment_not_synced": QT_TRANSLATE_NOOP(
        "Messages", "这个附件还没有同步到本机，同步后再打开。"),
    "attachment_not_openable": QT_TRANSLATE_NOOP(
        "Messages", "这种文件不能直接打开，请用“另存为…”保存后再查看。"),
    "attachment_empty": QT_TRANSLATE_NOOP("Messages", "这个文件是空的。"),
    # ---- backup / storage ----
    "backup_failed": QT_TRANSLATE_NOOP("Messages", "备份没有成功，请检查磁盘空间后再试。"),
    "database_locked": QT_TRANSLATE_NOOP("Messages", "数据库正忙，请稍等几秒再试。"),
    # ---- generic ----
    "internal": QT_TRANSLATE_NOOP(
        "Messages", "软件内部出错了，请重试；如果还不行，请联系县里技术人员。"),
    # ---- added after the services and sync landed ----
    "invalid_type": QT_TRANSLATE_NOOP("Messages", "填写的内容类型不对，请重新选择或填写。"),
    "id_old_format": QT_TRANSLATE_NOOP("Messages", "这是15位老身份证号码，请向群众要18位新号码。"),
    "date_format": QT_TRANSLATE_NOOP("Messages", "日期或时间格式不对。"),
    "group_needs_representatives": QT_TRANSLATE_NOOP(
        "Messages", "5人以上集体走访应当推选代表（不超过5人），请填写代表。"),
    "attachment_invalid": QT_TRANSLATE_NOOP("Messages", "附件信息不完整，请删除后重新添加。"),
    "invalid_id": QT_TRANSLATE_NOOP("Messages", "案件标识不对。"),
    "case_no_format": QT_TRANSLATE_NOOP(
        "Messages", "案件编号格式不对，应像 530921108203-2026-0007。"),
    "query_code_format": QT_TRANSLATE_NOOP(
        "Messages", "查询码应为6位字母或数字（没有0、O、1、I）。"),
    "out_of_range_max": QT_TRANSLATE_NOOP("Messages", "数值太大，最大 {max}。"),
    "out_of_range_min": QT_TRANSLATE_NOOP("Messages", "数值太小，最小 {min}。"),
    "amend_no_change": QT_TRANSLATE_NOOP("Messages", "新内容和原来一样，不需要更正。"),
    "attachment_unknown": QT_TRANSLATE_NOOP("Messages", "找不到这个附件文件，请重新添加。"),
    "case_unknown": QT_TRANSLATE_NOOP("Messages", "找不到这个案件，可能尚未同步到本站。"),
    "last_admin": QT_TRANSLATE_NOOP("Messages", "这是本站最后一个管理员账号，不能停用。"),
    "link_exists": QT_TRANSLATE_NOOP("Messages", "这两个案件已经关联过了。"),
    "name_query_invalid": QT_TRANSLATE_NOOP("Messages", "姓名搜索只能用汉字或拼音字母。"),
    "not_accepted": QT_TRANSLATE_NOOP("Messages", "案件还没有受理，不能做这项操作。"),
    "not_declined": QT_TRANSLATE_NOOP(
        "Messages", "案件不是“不予受理”状态，不能打印不予受理告知书。"),
    "operator_unknown": QT_TRANSLATE_NOOP("Messages", "没有这个用户。"),
    "password_too_long": QT_TRANSLATE_NOOP("Messages", "密码太长，最多 {max} 位。"),
    "query_code_exhausted": QT_TRANSLATE_NOOP("Messages", "暂时无法生成查询码，请再保存一次。"),
    "sort_invalid": QT_TRANSLATE_NOOP("Messages", "无法按这一列排序。"),
    "queue_invalid": QT_TRANSLATE_NOOP("Messages", "没有这个工作队列。"),
    "status_invalid": QT_TRANSLATE_NOOP("Messages", "状态筛选无效，请重新选择。"),
    "transfer_same": QT_TRANSLATE_NOOP("Messages", "案件已经在这个单位办理，不需要转办。"),
    "display_name_invalid": QT_TRANSLATE_NOOP("Messages", "姓名不能为空，最多 {max} 个字。"),
    "backup_missing": QT_TRANSLATE_NOOP("Messages", "找不到这个备份文件。"),
    "backup_corrupt": QT_TRANSLATE_NOOP("Messages", "这个备份文件已损坏，不能恢复。"),
    "backup_not_station": QT_TRANSLATE_NOOP("Messages", "这不是本系统的备份文件，不能恢复。"),
    "backup_other_station": QT_TRANSLATE_NOOP("Messages", "这是另一个站点的备份，不能恢复到本站。"),
    "migration_failed": QT_TRANSLATE_NOOP(
        "Messages", "新版本整理本站数据时出错，数据已经恢复成升级前的样子，没有丢失"
        "（升级前的备份：{backup}）。请联系县里技术人员。"),
    "migration_failed_unrestored": QT_TRANSLATE_NOOP(
        "Messages", "新版本整理本站数据时出错，自动恢复也没有成功。请先不要登记，马上联系县里"
        "技术人员；升级前的数据保存在备份 {backup} 中。"),
    "migration_backup_failed": QT_TRANSLATE_NOOP(
        "Messages", "升级前备份本站数据没有成功，为了数据安全，这次没有升级。请检查磁盘空间后"
        "重新打开程序。"),
    "usb_copy_failed": QT_TRANSLATE_NOOP(
        "Messages", "今天的备份没能复制到U盘，请检查U盘是否插好、是否写满。"),
    "blob_hash_mismatch": QT_TRANSLATE_NOOP("Messages", "附件传输出错，下次同步会重新传。"),
    "blob_quota_exceeded": QT_TRANSLATE_NOOP(
        "Messages", "本站近期上传的附件超过了县服务器的限额，暂不接收新附件，稍后会自动继续上传；"
        "记录都保存在本机。"),
    "server_disk_full": QT_TRANSLATE_NOOP(
        "Messages", "县服务器磁盘将满，暂时不能上传附件；记录已保存在本机，请联系县里技术人员。"),
    # ---- the gate (petition_core.gate): what the county refuses, the station refuses too ----
    "payload_invalid": QT_TRANSLATE_NOOP("Messages", "记录内容的格式不对，不能保存。"),
    "event_not_permitted": QT_TRANSLATE_NOOP(
        "Messages", "本站无权对这个案件做这项操作（案件不在本站辖区，或本级不能做这项操作）。"),
    # ---- trust model: enrollment and USB files (docs/decisions/0004-trust-model.md) ----
    "key_unreadable": QT_TRANSLATE_NOOP(
        "Messages", "本站密钥文件损坏，暂时不能登记编号和同步。本站数据均已保留，"
        "请联系县里技术人员。"),
    # ---- relaying village bundles ----
    "body_too_large": QT_TRANSLATE_NOOP(
        "Messages", "一条记录超过了县服务器允许的大小，无法上报。本站数据均已保留，"
        "请联系县里技术人员。"),
    "bundle_too_large": QT_TRANSLATE_NOOP(
        "Messages", "这个村站数据包太大，无法通过网络转报；请让村站分几次导出，"
        "或把文件带到县里导入。"),
    "bundle_station_revoked": QT_TRANSLATE_NOOP(
        "Messages", "这个村站已被县里停用，县里不再接收它的数据包；请联系县群众诉求中心。"),
    # ---- sync, USB files and enrollment (the 同步 page; 注册码 is the county's one-time code) ----
    "not_enrolled": QT_TRANSLATE_NOOP(
        "Messages", "本站尚未在县服务器注册，请先在“同步”页填写服务器地址和县里发的注册码。"),
    "network_unreachable": QT_TRANSLATE_NOOP(
        "Messages", "连不上县服务器，请检查网络；数据已保存在本机，联网后会自动同步，"
        "也可以用U盘导出数据包。"),
    "network_stalled": QT_TRANSLATE_NOOP(
        "Messages", "网络太慢或中断，本次同步未完成；已收到的数据不会丢失，稍后自动重试。"),
    "server_error": QT_TRANSLATE_NOOP("Messages", "县服务器暂时出错，稍后会自动重试。"),
    "internal_error": QT_TRANSLATE_NOOP("Messages", "县服务器暂时出错，稍后会自动重试。"),
    "auth_unknown_station": QT_TRANSLATE_NOOP(
        "Messages", "县服务器不认识本站，请联系县群众诉求中心重新注册。本站数据均已保留。"),
    "auth_revoked": QT_TRANSLATE_NOOP(
        "Messages", "本站已被县群众诉求中心停用，无法同步。本站数据均已保留。"),
    "auth_bad_signature": QT_TRANSLATE_NOOP(
        "Messages", "本站密钥与县服务器上注册的不一致，请联系县群众诉求中心。本站数据均已保留。"),
    "auth_replayed": QT_TRANSLATE_NOOP(
        "Messages", "同步请求编号异常，请再同步一次；仍失败请联系县群众诉求中心。"),
    "protocol_unsupported": QT_TRANSLATE_NOOP(
        "Messages", "县服务器要求新版本，请升级诉求通后再同步。"),
    "response_malformed": QT_TRANSLATE_NOOP(
        "Messages", "服务器返回的数据无法识别，请稍后再试或升级诉求通。"),
    "pull_event_invalid": QT_TRANSLATE_NOOP(
        "Messages", "收到一条本版本无法识别的记录，已单独存放；请升级诉求通后再同步。"),
    "pull_conflict": QT_TRANSLATE_NOOP(
        "Messages", "收到的记录与本机记录冲突，已单独存放，请联系县群众诉求中心。"),
    "push_gap": QT_TRANSLATE_NOOP(
        "Messages", "县服务器缺少本站较早的记录，本站无法补发，上报已暂停。本站数据均已保留，"
        "请联系县群众诉求中心。"),
    "sync_busy": QT_TRANSLATE_NOOP(
        "Messages", "正在同步（也可能在另一个窗口或命令行里），请等这次同步结束。"),
    "server_url_invalid": QT_TRANSLATE_NOOP(
        "Messages", "服务器地址应以 http:// 或 https:// 开头，例如 http://10.1.2.3:8470。"),
    "enroll_code_invalid": QT_TRANSLATE_NOOP(
        "Messages", "注册码无效或已过期，请向县群众诉求中心索取新的注册码。"),
    "enroll_code_used": QT_TRANSLATE_NOOP(
        "Messages", "这个注册码已被使用，请向县群众诉求中心索取新的注册码。"),
    "enroll_station_conflict": QT_TRANSLATE_NOOP(
        "Messages", "本站已在其他区划注册，请联系县群众诉求中心。"),
    "enroll_rate_limited": QT_TRANSLATE_NOOP("Messages", "注册码输错次数太多，请过十分钟再试。"),
    "station_not_set_up": QT_TRANSLATE_NOOP("Messages", "本站还没有完成首次设置。"),
    "bundle_empty": QT_TRANSLATE_NOOP("Messages", "没有需要导出的记录（所有记录都已上报）。"),
    "bundle_malformed": QT_TRANSLATE_NOOP(
        "Messages", "这个文件已损坏或不是诉求通数据包，无法导入。"),
    "bundle_bad_signature": QT_TRANSLATE_NOOP(
        "Messages", "数据包签名校验失败，可能被篡改，已拒绝导入。"),
    "bundle_foreign": QT_TRANSLATE_NOOP(
        "Messages", "这个数据包来自不属于本辖区的站点，已拒绝导入。"),
    "bundle_not_for_us": QT_TRANSLATE_NOOP(
        "Messages", "这个返回数据包是发给其他站点的，已拒绝导入。"),
    "bundle_own": QT_TRANSLATE_NOOP("Messages", "这是本站自己导出的数据包，不需要在本站导入。"),
    "bundle_unknown_signer": QT_TRANSLATE_NOOP(
        "Messages", "写这个数据包的站点不在本机保存的县注册名册中，已拒绝导入。"
        "请先与县服务器同步一次（更新名册），再导入。"),
    "bundle_signer_revoked": QT_TRANSLATE_NOOP(
        "Messages", "写这个数据包的站点已被县群众诉求中心停用，已拒绝导入。"),
    "bundle_unknown_station": QT_TRANSLATE_NOOP(
        "Messages", "这个村站不在县注册名册中本辖区的村站里，无法为它写返回数据包；"
        "请先与县服务器同步一次。"),
    "enroll_division_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "这个注册码不是为本站所在的区划发的，本站没有注册。请核对本站区划，"
        "或向县群众诉求中心索取本区划的注册码。"),
    "enroll_station_unknown": QT_TRANSLATE_NOOP(
        "Messages", "县服务器上没有本站的注册记录，请向县群众诉求中心索取专为本站发的重新注册码。"),
    "enroll_proof_invalid": QT_TRANSLATE_NOOP(
        "Messages", "本站已经注册过：重新注册需要本站原来的密钥，"
        "或县群众诉求中心专为本站发的注册码。"),
    "enroll_answer_invalid": QT_TRANSLATE_NOOP(
        "Messages", "县服务器的注册答复无法识别或与本站不符，本站没有注册。请联系县群众诉求中心。"),
    "bundle_conflict": QT_TRANSLATE_NOOP(
        "Messages", "数据包中的记录与本机记录冲突，已拒绝导入；请联系县群众诉求中心。"),
    "event_gap": QT_TRANSLATE_NOOP(
        "Messages", "前面有记录还没有被接收，这一条暂时不能处理，会自动重试。"),
    "seq_conflict": QT_TRANSLATE_NOOP(
        "Messages", "记录编号与已有的另一条记录冲突，已单独存放待查，请联系县群众诉求中心。"),
    "event_id_conflict": QT_TRANSLATE_NOOP(
        "Messages", "同一编号的记录内容与已有的不一致，已单独存放待查。"),
    "event_foreign_station": QT_TRANSLATE_NOOP("Messages", "记录不属于发送它的站点，不予接收。"),
    "event_unknown_type": QT_TRANSLATE_NOOP(
        "Messages", "这种记录，收到它的一方软件版本较旧、还不认识；该方升级诉求通后会自动重新处理，"
        "记录不会丢失。"),
    "event_schema_unsupported": QT_TRANSLATE_NOOP(
        "Messages", "这种记录，收到它的一方软件版本较旧、还不认识；该方升级诉求通后会自动重新处理，"
        "记录不会丢失。"),
    "event_too_large": QT_TRANSLATE_NOOP("Messages", "记录太大，不予接收，已单独存放待查。"),
    "event_malformed": QT_TRANSLATE_NOOP("Messages", "记录格式不对，不予接收，已单独存放待查。"),
    "event_bad_encoding": QT_TRANSLATE_NOOP("Messages", "记录格式不对，不予接收，已单独存放待查。"),
    "event_bad_id": QT_TRANSLATE_NOOP("Messages", "记录格式不对，不予接收，已单独存放待查。"),
    "event_bad_seq": QT_TRANSLATE_NOOP("Messages", "记录格式不对，不予接收，已单独存放待查。"),
    "not_found": QT_TRANSLATE_NOOP("Messages", "县服务器上没有这个地址，请核对服务器地址。"),
    "method_not_allowed": QT_TRANSLATE_NOOP(
        "Messages", "县服务器不接受这种请求，请核对服务器地址或升级诉求通。"),
    # ---- case numbers, query codes, station keys ----
    "counter_unreadable": QT_TRANSLATE_NOOP(
        "Messages", "本站同步编号文件损坏，暂时不能同步。本站数据均已保留，请联系县里技术人员。"),
    "counter_exhausted": QT_TRANSLATE_NOOP(
        "Messages", "本站同步编号已用尽，请联系县群众诉求中心重新注册本站。本站数据均已保留。"),
    "key_malformed": QT_TRANSLATE_NOOP("Messages", "收到的站点公钥格式不对，已拒绝。"),
    "auth_missing": QT_TRANSLATE_NOOP("Messages", "同步请求缺少本站签名，请先在县服务器注册本站。"),
    "body_malformed": QT_TRANSLATE_NOOP(
        "Messages", "县服务器认为本站发出的数据格式不对，请升级诉求通后再同步。"),
    "body_bad_encoding": QT_TRANSLATE_NOOP("Messages", "数据在传输中出错，请再同步一次。"),
    "forbidden_jurisdiction": QT_TRANSLATE_NOOP(
        "Messages", "这些数据不在本站辖区内，县服务器不予提供。"),
    "blob_not_found": QT_TRANSLATE_NOOP("Messages", "县服务器上还没有这个附件，下次同步会再试。"),
    "blob_range_invalid": QT_TRANSLATE_NOOP("Messages", "附件续传的位置不对，下次同步会重新传。"),
    "case_no_seq": QT_TRANSLATE_NOOP(
        "Messages", "案件编号的序号部分不对，应像 530921108203-2026-0007。"),
    "case_no_series": QT_TRANSLATE_NOOP(
        "Messages", "案件编号格式不对，应像 530921108203-2026-0007。"),
    "case_no_station": QT_TRANSLATE_NOOP(
        "Messages", "案件编号的站点代码部分不对，应像 530921108203-2026-0007。"),
    "case_no_year": QT_TRANSLATE_NOOP(
        "Messages", "案件编号的年份部分不对，应像 530921108203-2026-0007。"),
    "query_code_chars": QT_TRANSLATE_NOOP("Messages", "查询码只能有字母和数字（没有0、O、1、I）。"),
    "query_code_length": QT_TRANSLATE_NOOP("Messages", "查询码应为6位。"),
    # ---- units and the unit register (petition_core.units; issue 9) ----
    "unit_code_invalid": QT_TRANSLATE_NOOP(
        "Messages", "单位代码格式不对，应像 530921000000 或 530921000000.mz。"),
    "unit_suffix_invalid": QT_TRANSLATE_NOOP(
        "Messages", "部门代码的后缀不对：只能用小写字母和数字，以字母开头，最多12位。"),
    "unit_under_village": QT_TRANSLATE_NOOP("Messages", "村（社区）下面不能再设部门。"),
    "unit_unknown": QT_TRANSLATE_NOOP("Messages", "单位名录里没有这个单位，请从列表中选择。"),
    "unit_row_malformed": QT_TRANSLATE_NOOP("Messages", "单位名录中有一行格式不对，已跳过这一行。"),
    "unit_kind_invalid": QT_TRANSLATE_NOOP("Messages", "单位类别不对。"),
    "unit_parent_unknown": QT_TRANSLATE_NOOP("Messages", "这个单位所属的行政区划查不到。"),
    "unit_parent_mismatch": QT_TRANSLATE_NOOP("Messages", "单位的上级或层级与它的代码不一致。"),
    "unit_duplicate": QT_TRANSLATE_NOOP("Messages", "单位名录里已有这个单位代码。"),
    "unit_outside": QT_TRANSLATE_NOOP("Messages", "这个单位不在本县（本级）的名录范围内。"),
    "unit_row_limit": QT_TRANSLATE_NOOP("Messages", "单位名录太长，超出部分没有载入。"),
    "reference_malformed": QT_TRANSLATE_NOOP(
        "Messages", "县里发来的单位名录或节假日表有一条格式不对，已跳过这一条，其余照常使用。"),
    "reference_bad_signature": QT_TRANSLATE_NOOP(
        "Messages", "收到的单位名录或节假日表没有县服务器的有效签名，已拒收，其余照常使用。"),
    "route_category_invalid": QT_TRANSLATE_NOOP(
        "Messages", "分流表里有一行的诉求类别不对，已跳过这一行。"),
    "unit_inactive": QT_TRANSLATE_NOOP("Messages", "这个单位已经撤销或合并，请选择现有的单位。"),
    "unit_division_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "这个部门不属于所选的行政区划，请重新选择。"),
    "enroll_unit_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "这个注册码不是为本单位发的，本站没有注册。请核对本站是哪个单位，"
        "或向县群众诉求中心索取本单位的注册码。"),
    # ---- the permission matrix (petition_core.permissions; issue 9) ----
    "actor_invalid": QT_TRANSLATE_NOOP(
        "Messages", "本站的单位设置不对，无法办理。请联系县里技术人员。"),
    "role_not_for_level": QT_TRANSLATE_NOOP("Messages", "这个岗位不属于本站所在的层级。"),
    "action_unknown": QT_TRANSLATE_NOOP("Messages", "没有这种办理操作。"),
    "case_not_visible": QT_TRANSLATE_NOOP("Messages", "这件诉求不归本站查看或办理。"),
    "action_not_for_relation": QT_TRANSLATE_NOOP(
        "Messages", "本单位不是这件诉求的承办或督办单位，不能做这一步。"),
    "action_not_for_role": QT_TRANSLATE_NOOP(
        "Messages", "您的岗位不能做这一步，请找有权限的同事。"),
    "action_not_in_status": QT_TRANSLATE_NOOP("Messages", "这件诉求现在的状态下不能做这一步。"),
    "extension_exhausted": QT_TRANSLATE_NOOP("Messages", "延期最多 {max_days} 天，已经用完。"),
    "review_not_decided": QT_TRANSLATE_NOOP("Messages", "复查（复核）还没有作出决定。"),
    "review_already_decided": QT_TRANSLATE_NOOP("Messages", "复查（复核）已经作出决定，不能再改。"),
    "no_conflict": QT_TRANSLATE_NOOP("Messages", "这件诉求没有需要处理的冲突。"),
    "case_sealed": QT_TRANSLATE_NOOP("Messages", "这是保密件，本站无权查看或办理。"),
    "already_signed": QT_TRANSLATE_NOOP("Messages", "这件诉求本单位已经签收过了。"),
    "extension_pending": QT_TRANSLATE_NOOP(
        "Messages", "上一次延期申请还没有审批，请等审批后再申请。"),
    "extension_not_requested": QT_TRANSLATE_NOOP("Messages", "没有待审批的延期申请。"),
    "report_not_required": QT_TRANSLATE_NOOP("Messages", "交办时没有要求报送办结报告。"),
    "report_already_submitted": QT_TRANSLATE_NOOP("Messages", "办结报告已经报送过了。"),
    "report_not_submitted": QT_TRANSLATE_NOOP("Messages", "没有待审核的办结报告。"),
    "objection_not_for_move": QT_TRANSLATE_NOOP(
        "Messages", "已经签收，或者这件诉求不是转办、交办来的，不能提出异议。"),
    "objection_too_late": QT_TRANSLATE_NOOP(
        "Messages",
        "收到转办、交办已超过5个工作日（{deadline}前），不能再提出异议（信访工作条例第23条）。"),
    "due_invalid": QT_TRANSLATE_NOOP("Messages", "期限日期不对：不能早于今天，也不能超过一年。"),
    "not_urged": QT_TRANSLATE_NOOP("Messages", "这件诉求还没有督办，没有督办单可打印。"),
    "not_concluded": QT_TRANSLATE_NOOP("Messages", "这件诉求还没有办结，没有处理意见书可打印。"),
}

_FALLBACK = QT_TRANSLATE_NOOP(
    "Messages", "操作没有完成（错误代码：{code}）。请重试；如果还不行，请联系县里技术人员。")

# dotted field path (with list indexes removed) -> Chinese label
_FIELDS: dict[str, str] = {
    "channel": QT_TRANSLATE_NOOP("Messages", "来源渠道"),
    "category": QT_TRANSLATE_NOOP("Messages", "诉求类别"),
    "statute_type": QT_TRANSLATE_NOOP("Messages", "诉求性质"),
    "discipline": QT_TRANSLATE_NOOP("Messages", "涉纪涉腐"),
    "received_at": QT_TRANSLATE_NOOP("Messages", "登记时间"),
    "division": QT_TRANSLATE_NOOP("Messages", "所属地区"),
    "clerk": QT_TRANSLATE_NOOP("Messages", "登记人"),
    "petitioner.name": QT_TRANSLATE_NOOP("Messages", "姓名"),
    "petitioner.id_number": QT_TRANSLATE_NOOP("Messages", "身份证号码"),
    "petitioner.phone": QT_TRANSLATE_NOOP("Messages", "联系电话"),
    "petitioner.address_division": QT_TRANSLATE_NOOP("Messages", "住址（村/社区）"),
    "petitioner.address_detail": QT_TRANSLATE_NOOP("Messages", "详细住址"),
    "petitioner.anonymous": QT_TRANSLATE_NOOP("Messages", "匿名"),
    "group.size": QT_TRANSLATE_NOOP("Messages", "来访人数"),
    "group.representatives": QT_TRANSLATE_NOOP("Messages", "代表"),
    "group.representatives.name": QT_TRANSLATE_NOOP("Messages", "代表姓名"),
    "group.representatives.id_number": QT_TRANSLATE_NOOP("Messages", "代表身份证号码"),
    "group.representatives.phone": QT_TRANSLATE_NOOP("Messages", "代表电话"),
    "subject.level": QT_TRANSLATE_NOOP("Messages", "被反映对象类别"),
    "subject.name": QT_TRANSLATE_NOOP("Messages", "被反映人"),
    "subject.unit": QT_TRANSLATE_NOOP("Messages", "被反映单位"),
    "summary": QT_TRANSLATE_NOOP("Messages", "诉求摘要"),
    "account": QT_TRANSLATE_NOOP("Messages", "反映内容"),
    "demands": QT_TRANSLATE_NOOP("Messages", "诉求事项"),
    "note": QT_TRANSLATE_NOOP("Messages", "说明"),
    "reason": QT_TRANSLATE_NOOP("Messages", "理由"),
    "other_channel": QT_TRANSLATE_NOOP("Messages", "告知途径"),
    "notify_channel": QT_TRANSLATE_NOOP("Messages", "告知方式"),
    "to_division": QT_TRANSLATE_NOOP("Messages", "转办到"),
    "to_unit": QT_TRANSLATE_NOOP("Messages", "承办单位"),
    "days": QT_TRANSLATE_NOOP("Messages", "延期天数"),
    "approved_by": QT_TRANSLATE_NOOP("Messages", "批准人"),
    "result": QT_TRANSLATE_NOOP("Messages", "办理结果"),
    "opinion": QT_TRANSLATE_NOOP("Messages", "处理意见"),
    "served_on": QT_TRANSLATE_NOOP("Messages", "送达日期"),
    "satisfaction": QT_TRANSLATE_NOOP("Messages", "满意度"),
    "method": QT_TRANSLATE_NOOP("Messages", "回访方式"),
    "field": QT_TRANSLATE_NOOP("Messages", "更正项目"),
    "new_value": QT_TRANSLATE_NOOP("Messages", "更正后内容"),
    "login": QT_TRANSLATE_NOOP("Messages", "用户名"),
    "password": QT_TRANSLATE_NOOP("Messages", "密码"),
    "display_name": QT_TRANSLATE_NOOP("Messages", "姓名"),
    "role": QT_TRANSLATE_NOOP("Messages", "角色"),
    "station_name": QT_TRANSLATE_NOOP("Messages", "站点名称"),
}


# event type -> what the record is called (the sync page's lists; the same words as the
# case history)
_EVENTS: dict[str, str] = {
    "case.registered": QT_TRANSLATE_NOOP("Messages", "登记"),
    "case.amended": QT_TRANSLATE_NOOP("Messages", "更正登记事项"),
    "case.linked": QT_TRANSLATE_NOOP("Messages", "关联多次反映"),
    "case.accepted": QT_TRANSLATE_NOOP("Messages", "受理"),
    "case.declined": QT_TRANSLATE_NOOP("Messages", "不予受理"),
    "case.transferred": QT_TRANSLATE_NOOP("Messages", "转办"),
    "case.assigned": QT_TRANSLATE_NOOP("Messages", "交办"),
    "case.urged": QT_TRANSLATE_NOOP("Messages", "督办"),
    "case.extended": QT_TRANSLATE_NOOP("Messages", "延期"),
    "case.progress": QT_TRANSLATE_NOOP("Messages", "办理情况"),
    "case.concluded": QT_TRANSLATE_NOOP("Messages", "办结"),
    "case.served": QT_TRANSLATE_NOOP("Messages", "送达"),
    "case.followed_up": QT_TRANSLATE_NOOP("Messages", "回访评价"),
    "case.review_requested": QT_TRANSLATE_NOOP("Messages", "申请复查"),
    "case.review_decided": QT_TRANSLATE_NOOP("Messages", "复查意见"),
    "case.redo_ordered": QT_TRANSLATE_NOOP("Messages", "发回重办"),
    "case.attachment_added": QT_TRANSLATE_NOOP("Messages", "添加附件"),
    "case.conflict_resolved": QT_TRANSLATE_NOOP("Messages", "裁定冲突"),
    "case.signed": QT_TRANSLATE_NOOP("Messages", "签收"),
    "case.transfer_objected": QT_TRANSLATE_NOOP("Messages", "转办异议"),
    "case.extension_requested": QT_TRANSLATE_NOOP("Messages", "申请延期"),
    "case.extension_decided": QT_TRANSLATE_NOOP("Messages", "审批延期"),
    "case.report_submitted": QT_TRANSLATE_NOOP("Messages", "办结报告"),
    "case.report_accepted": QT_TRANSLATE_NOOP("Messages", "审核办结报告"),
    "case.closed": QT_TRANSLATE_NOOP("Messages", "终结"),
}
_OTHER_EVENT = QT_TRANSLATE_NOOP("Messages", "其他记录")
# what two stations decided differently (the fold's conflict groups)
_GROUPS: dict[str, str] = {
    "decision": QT_TRANSLATE_NOOP("Messages", "受理决定"),
    "conclusion": QT_TRANSLATE_NOOP("Messages", "办结结果"),
    "satisfaction": QT_TRANSLATE_NOOP("Messages", "回访评价"),
}


def known_codes() -> frozenset[str]:
    """Every code with its own text (tests check petition_core and services against it)."""
    return frozenset(_TEXTS)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


class _Params(dict):
    """Leaves an unknown placeholder visible instead of raising KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def error_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The translated sentence for an error code, with ``params`` filled in."""
    values = _Params(params or {})
    if code == "out_of_range" and ("min" not in values or "max" not in values):
        code = "out_of_range_max" if "max" in values else "out_of_range_min"
    if code == "login_backoff":
        try:
            seconds = max(1, int(values.get("wait_seconds", 0)))
        except (TypeError, ValueError):
            seconds = 60
        values["seconds"], values["minutes"] = seconds, -(-seconds // 60)
        if seconds > 90:
            code = "login_backoff_minutes"
    source = _TEXTS.get(code)
    if source is None:
        log.warning("no message text for error code %r", code)
        values["code"] = code
        return _tr(_FALLBACK).format_map(values)
    if "max_mb" not in values and "max_bytes" in values:
        try:
            values["max_mb"] = int(values["max_bytes"]) // (1024 * 1024)
        except (TypeError, ValueError):
            pass
    try:
        return _tr(source).format_map(values)
    except (ValueError, IndexError):  # a malformed translation must not crash a dialog
        return _tr(source)


def event_label(event_type: str) -> str:
    """"case.accepted" -> "受理" (translated); a type this version does not know: 其他记录."""
    return _tr(_EVENTS.get(event_type, _OTHER_EVENT))


def conflict_label(group: str) -> str:
    """"受理决定", or "更正联系电话" for two different corrections of one field."""
    if group.startswith("amend:"):
        return _tr(QT_TRANSLATE_NOOP("Messages", "更正%1")).replace("%1", field_label(group[6:]))
    source = _GROUPS.get(group)
    return _tr(source) if source else group


def division_name(code: str) -> str:
    """"鹿鸣村（530921108203）" for a division code; the code alone when the tree does not
    know it."""
    from petition_core.divisions import DivisionTree

    d = DivisionTree.load_default().get(code)
    return f"{d.name}（{code}）" if d else code


def field_label(path: str) -> str:
    """"group.representatives.2.name" -> "代表姓名" (translated); unknown → the path."""
    key = ".".join(p for p in path.split(".") if not p.isdigit())
    source = _FIELDS.get(key)
    return _tr(source) if source else path


def refusal_text(code: str, detail: str = "") -> str:
    """Why one of our records was sent back.  A content refusal carries the intake form's
    code and the refused field (``petitioner.id_number:id_checksum``): shown as the form
    would show it ("身份证号码：…校验位不对…"); anything else: the code's text."""
    path, _, fcode = (detail or "").split(",", 1)[0].partition(":")
    if fcode == code and path:
        return field_error_text(path, code)
    return error_text(code)


def field_error_text(field: str, code: str, params: Mapping[str, Any] | None = None) -> str:
    """"姓名：此项必须填写。" — for summaries; inline labels use ``error_text`` alone."""
    return QCoreApplication.translate(_CTX, "{field}：{message}").format(
        field=field_label(field), message=error_text(code, params))


def describe_exception(exc: BaseException) -> str:
    """Turn anything a service raised into one readable paragraph for a message box.

    ServiceError / FieldError carry ``code`` and ``params``; ValidationErrors carry
    ``errors``; anything else is an internal error (the log keeps its type only).
    """
    errors = getattr(exc, "errors", None)
    if isinstance(errors, (list, tuple)) and errors:
        lines = [field_error_text(getattr(e, "field", ""), getattr(e, "code", "internal"),
                                  getattr(e, "params", None)) for e in errors]
        return "\n".join(lines)
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        return error_text(code, getattr(exc, "params", None))
    if exc.__class__.__name__ == "OperationalError" and "locked" in str(exc):
        return error_text("database_locked")
    log.error("unexpected error shown to user: %s", type(exc).__name__)
    return error_text("internal")
