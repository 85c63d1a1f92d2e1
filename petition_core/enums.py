"""Closed vocabularies of the domain (DOMAIN.md).

Values are stable wire/storage codes (ASCII); labels are the Chinese display names.
The UI translates labels through its own tr() tables; petition_core never imports Qt.
"""
from __future__ import annotations

from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Self


class Level(IntEnum):
    """Administrative level of a division or unit (五级)."""

    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5

    @property
    def label(self) -> str:
        return {1: "省", 2: "市", 3: "县", 4: "乡（镇）", 5: "村（社区）"}[int(self)]


# Not StrEnum (ruff UP042): str() and format() of a member would become its value.
class Labelled(str, Enum):  # noqa: UP042
    """A str enum whose members carry a Chinese label."""

    label: str

    if TYPE_CHECKING:
        # What calling the class takes once it is built: Enum puts its look-up by value in
        # place of the __new__ below, so Channel("visit") finds a member (mypy reads the
        # class's own __new__ as the call signature otherwise).
        def __new__(cls, value: str) -> Self: ...
    else:
        def __new__(cls, value: str, label: str):
            obj = str.__new__(cls, value)
            obj._value_ = value
            obj.label = label
            return obj

    @classmethod
    def parse(cls, value: str) -> Self:
        """Return the member for a wire value, raising ValueError with the bad value."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown {cls.__name__}: {value!r}") from None


class Channel(Labelled):
    """Intake channels (渠道)."""

    VISIT = ("visit", "来访")
    LETTER = ("letter", "来信")
    PHONE = ("phone", "来电")
    HOTLINE_12388 = ("hotline_12388", "12388举报电话")
    ONLINE = ("online", "网络")
    SMS = ("sms", "短信")
    BOX = ("box", "群众诉求箱")
    CADRE_VISIT = ("cadre_visit", "干部下访/约访")
    LIAISON = ("liaison", "特邀监督员/群众诉求联络员")
    VILLAGE_SUPERVISION = ("village_supervision", "村监委")


class Category(Labelled):
    """诉求类别 — the Yunnan platform list, plus the discipline dimension."""

    SUGGESTION = ("suggestion", "工作建议")
    LAND = ("land", "土地")
    DEMOLITION = ("demolition", "拆迁")
    SOCIAL_SECURITY = ("social_security", "社会保障")
    POVERTY_RELIEF = ("poverty_relief", "扶贫救灾救济")
    BENEFIT_POLICY = ("benefit_policy", "惠民政策落实")
    ARREARS = ("arrears", "拖欠款项")
    EDUCATION_HEALTH = ("education_health", "教育医疗")
    INFRASTRUCTURE = ("infrastructure", "基础设施")
    FOREST_LAND = ("forest_land", "林权纠纷")
    FAMILY_NEIGHBOUR = ("family_neighbour", "家庭及邻里纠纷")
    HISTORICAL = ("historical", "历史遗留")
    LAW_LITIGATION = ("law_litigation", "涉法涉诉")
    DISCIPLINE = ("discipline", "涉纪涉腐")
    OTHER = ("other", "其他")
    NO_CONTENT = ("no_content", "无具体内容")


class StatuteType(Labelled):
    """信访工作条例 Arts. 29–31."""

    SUGGESTION = ("suggestion", "建议意见")
    ACCUSATION = ("accusation", "检举控告")
    APPEAL = ("appeal", "申诉求决")


class SubjectLevel(Labelled):
    """Who is complained about (被反映对象)."""

    NONE = ("none", "无具体对象")
    VILLAGE_CADRE = ("village_cadre", "村（社区）干部")
    TOWNSHIP_CADRE = ("township_cadre", "乡镇干部")
    COUNTY_CADRE = ("county_cadre", "县级干部")
    DEPARTMENT = ("department", "职能部门")
    ENTERPRISE = ("enterprise", "企事业单位")
    PERSON = ("person", "其他个人")


class Satisfaction(Labelled):
    SATISFIED = ("satisfied", "满意")
    BASICALLY = ("basically", "基本满意")
    DISSATISFIED = ("dissatisfied", "不满意")


class NotifyChannel(Labelled):
    """How the petitioner is told of a decision."""

    ON_SPOT = ("on_spot", "当场告知")
    PHONE = ("phone", "电话告知")
    WRITTEN = ("written", "书面告知")
    SMS = ("sms", "短信告知")
    NONE_ANONYMOUS = ("none_anonymous", "匿名，无需告知")


class ServeMethod(Labelled):
    """How a written reply reached the petitioner (送达方式)."""

    DIRECT = ("direct", "直接送达")
    POST = ("post", "邮寄送达")
    ELECTRONIC = ("electronic", "电子送达")
    ENTRUSTED = ("entrusted", "委托送达")
    LEFT = ("left", "留置送达")


class Status(Labelled):
    """A case's state as folded from its events."""

    REGISTERED = ("registered", "已登记")
    ACCEPTED = ("accepted", "已受理")
    DECLINED = ("declined", "不予受理")
    TRANSFERRED = ("transferred", "已转办")
    ASSIGNED = ("assigned", "已交办")
    CONCLUDED = ("concluded", "已办结")
    CONCLUDED_UNRESOLVED = ("concluded_unresolved", "办结未解决")
    FOLLOWED_UP = ("followed_up", "已回访")
    REVIEWING = ("reviewing", "复查中")
    CLOSED = ("closed", "已终结")


class Role(Labelled):
    VILLAGE = ("village", "村级值班员")
    TOWNSHIP = ("township", "乡镇工作人员")
    COUNTY = ("county", "县级工作人员")
    SUPERVISOR = ("supervisor", "监察人员")
    ADMIN = ("admin", "管理员")
