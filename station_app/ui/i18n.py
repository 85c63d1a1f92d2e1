"""Language and display preferences of the station UI.

Chinese is the source language of every string (tr() with Chinese text), so "zh" needs no
translation file; English comes from petition_core/resources/translations/suqiu_en.qm, compiled
from the committed .ts by scripts/build_translations.py (the .qm is a build product, not
committed; a wheel or bundle must be built after it).

Why the preferences live in an INI file under the station's data folder and not in the
station database: they belong to this PC's screen, not to the case record, and they must be
readable before the database is opened (the first-run wizard is already in the chosen
language).  Tests get an isolated file because the data folder is always overridden.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QGuiApplication

from petition_core.resources import resource_path

if TYPE_CHECKING:
    # PySide6's stub types QT_TRANSLATE_NOOP as (object, object) -> object; it returns the
    # message it is given.  The ui modules import it from here so that their tables of
    # texts are str for mypy; lupdate finds the calls by name wherever it comes from.
    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")
APP_NAME = QT_TRANSLATE_NOOP("App", "诉求通")
# Qt's own texts (file dialogs, message-box buttons, print dialog) per UI language:
# the catalogues PySide6 ships in its translations folder; qt_* bundles qtbase_* and the rest
QT_CATALOGUES = {"zh": ("qt_zh_CN", "qtbase_zh_CN"), "en": ("qt_en", "qtbase_en")}


def program_version() -> str:
    """The installed package's version (shown in 关于)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("suqiu")
    except PackageNotFoundError:
        return "0+unknown"


def app_name() -> str:
    """诉求通 in the UI's language; Qt adds it to every window title ("登录 — 诉求通"), so
    titles never name it themselves."""
    return QCoreApplication.translate("App", APP_NAME)


class UiPrefs:
    """Per-PC UI preferences: language (zh/en) and large-font mode."""

    def __init__(self, root: Path) -> None:
        self._settings = QSettings(str(Path(root) / "ui_prefs.ini"), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        value = str(self._settings.value("ui/language", "zh"))
        return value if value in LANGUAGES else "zh"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}")
        self._settings.setValue("ui/language", value)
        self._settings.sync()

    @property
    def large_font(self) -> bool:
        return str(self._settings.value("ui/large_font", "false")).lower() in ("true", "1")

    @large_font.setter
    def large_font(self, value: bool) -> None:
        self._settings.setValue("ui/large_font", "true" if value else "false")
        self._settings.sync()


class Translations:
    """Installs and swaps the application's translators."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = "zh"

    def qm_path(self, language: str) -> Path:
        return resource_path("translations", f"suqiu_{language}.qm")

    def apply(self, language: str) -> bool:
        """Switch the UI language; returns False when the English file is missing (the UI
        then stays Chinese, which every clerk can read)."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("QApplication must exist before translations are applied")
        for tr in self._installed:
            app.removeTranslator(tr)
        self._installed.clear()
        ok = True
        if language == "en":
            tr = QTranslator(app)
            if tr.load(str(self.qm_path("en"))):
                app.installTranslator(tr)
                self._installed.append(tr)
            else:
                log.warning("English translation not found at %s", self.qm_path("en"))
                ok = False
        shown = language if ok else "zh"
        self._install_qt(app, shown)
        if shown == "en":
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        else:
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.language = shown
        if isinstance(app, QGuiApplication):
            app.setApplicationDisplayName(app_name())
        return ok

    def _install_qt(self, app: QCoreApplication, language: str) -> None:
        """Qt's own dialogs (the Save-PDF file dialog, 确定/取消) in the UI's language."""
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in QT_CATALOGUES.get(language, ()):
            tr = QTranslator(app)
            if tr.load(name, qt_dir):
                app.installTranslator(tr)
                self._installed.append(tr)
                return
        log.warning("Qt's own %s translation not found in %s", language, qt_dir)


_translations: Translations | None = None


def translations() -> Translations:
    """The process-wide translator holder (one QApplication per process)."""
    global _translations
    if _translations is None:
        _translations = Translations()
    return _translations


def enum_label(member) -> str:
    """Translate a petition_core enum's Chinese label through the "Enums" context
    (the labels are listed for lupdate in _ENUM_SOURCES below)."""
    return QCoreApplication.translate("Enums", member.label)


def tr_label(text: str) -> str:
    """Translate a Chinese label that came from the services (status, type labels …)."""
    return QCoreApplication.translate("Enums", text)


# Labels that come from petition_core enums, clocks and the services (Chinese); listed here so
# lupdate collects them into the "Enums" context and English can cover them.
_ENUM_SOURCES = (
    QT_TRANSLATE_NOOP("Enums", "省"),
    QT_TRANSLATE_NOOP("Enums", "市"),
    QT_TRANSLATE_NOOP("Enums", "县"),
    QT_TRANSLATE_NOOP("Enums", "乡（镇）"),
    QT_TRANSLATE_NOOP("Enums", "村（社区）"),
    QT_TRANSLATE_NOOP("Enums", "来访"),
    QT_TRANSLATE_NOOP("Enums", "来信"),
    QT_TRANSLATE_NOOP("Enums", "来电"),
    QT_TRANSLATE_NOOP("Enums", "12388举报电话"),
    QT_TRANSLATE_NOOP("Enums", "网络"),
    QT_TRANSLATE_NOOP("Enums", "短信"),
    QT_TRANSLATE_NOOP("Enums", "群众诉求箱"),
    QT_TRANSLATE_NOOP("Enums", "干部下访/约访"),
    QT_TRANSLATE_NOOP("Enums", "特邀监督员/群众诉求联络员"),
    QT_TRANSLATE_NOOP("Enums", "村监委"),
    QT_TRANSLATE_NOOP("Enums", "工作建议"),
    QT_TRANSLATE_NOOP("Enums", "土地"),
    QT_TRANSLATE_NOOP("Enums", "拆迁"),
    QT_TRANSLATE_NOOP("Enums", "社会保障"),
    QT_TRANSLATE_NOOP("Enums", "扶贫救灾救济"),
    QT_TRANSLATE_NOOP("Enums", "惠民政策落实"),
    QT_TRANSLATE_NOOP("Enums", "拖欠款项"),
    QT_TRANSLATE_NOOP("Enums", "教育医疗"),
    QT_TRANSLATE_NOOP("Enums", "基础设施"),
    QT_TRANSLATE_NOOP("Enums", "林权纠纷"),
    QT_TRANSLATE_NOOP("Enums", "家庭及邻里纠纷"),
    QT_TRANSLATE_NOOP("Enums", "历史遗留"),
    QT_TRANSLATE_NOOP("Enums", "涉法涉诉"),
    QT_TRANSLATE_NOOP("Enums", "涉纪涉腐"),
    QT_TRANSLATE_NOOP("Enums", "其他"),
    QT_TRANSLATE_NOOP("Enums", "无具体内容"),
    QT_TRANSLATE_NOOP("Enums", "建议意见"),
    QT_TRANSLATE_NOOP("Enums", "检举控告"),
    QT_TRANSLATE_NOOP("Enums", "申诉求决"),
    QT_TRANSLATE_NOOP("Enums", "无具体对象"),
    QT_TRANSLATE_NOOP("Enums", "村（社区）干部"),
    QT_TRANSLATE_NOOP("Enums", "乡镇干部"),
    QT_TRANSLATE_NOOP("Enums", "县级干部"),
    QT_TRANSLATE_NOOP("Enums", "职能部门"),
    QT_TRANSLATE_NOOP("Enums", "企事业单位"),
    QT_TRANSLATE_NOOP("Enums", "其他个人"),
    QT_TRANSLATE_NOOP("Enums", "满意"),
    QT_TRANSLATE_NOOP("Enums", "基本满意"),
    QT_TRANSLATE_NOOP("Enums", "不满意"),
    QT_TRANSLATE_NOOP("Enums", "当场告知"),
    QT_TRANSLATE_NOOP("Enums", "电话告知"),
    QT_TRANSLATE_NOOP("Enums", "书面告知"),
    QT_TRANSLATE_NOOP("Enums", "短信告知"),
    QT_TRANSLATE_NOOP("Enums", "匿名，无需告知"),
    QT_TRANSLATE_NOOP("Enums", "已登记"),
    QT_TRANSLATE_NOOP("Enums", "已受理"),
    QT_TRANSLATE_NOOP("Enums", "不予受理"),
    QT_TRANSLATE_NOOP("Enums", "已转办"),
    QT_TRANSLATE_NOOP("Enums", "已交办"),
    QT_TRANSLATE_NOOP("Enums", "已办结"),
    QT_TRANSLATE_NOOP("Enums", "办结未解决"),
    QT_TRANSLATE_NOOP("Enums", "已回访"),
    QT_TRANSLATE_NOOP("Enums", "复查中"),
    QT_TRANSLATE_NOOP("Enums", "已终结"),
    QT_TRANSLATE_NOOP("Enums", "村级值班员"),
    QT_TRANSLATE_NOOP("Enums", "乡镇工作人员"),
    QT_TRANSLATE_NOOP("Enums", "县级工作人员"),
    QT_TRANSLATE_NOOP("Enums", "监察人员"),
    QT_TRANSLATE_NOOP("Enums", "管理员"),
    QT_TRANSLATE_NOOP("Enums", "登记后15日内受理或转送、交办"),
    QT_TRANSLATE_NOOP("Enums", "检举控告5个工作日内受理或转交"),
    QT_TRANSLATE_NOOP("Enums", "15个工作日内告知实名举报人受理情况"),
    QT_TRANSLATE_NOOP("Enums", "受理之日起60日内办结（经批准可延长）"),
    QT_TRANSLATE_NOOP("Enums", "按交办期限办结并报告"),
    QT_TRANSLATE_NOOP("Enums", "办结后15个工作日内告知实名举报人处理结果"),
    QT_TRANSLATE_NOOP("Enums", "收到书面答复之日起30日内可申请复查"),
    QT_TRANSLATE_NOOP("Enums", "收到书面答复之日起30日内可申请复核"),
    QT_TRANSLATE_NOOP("Enums", "收到转送、交办事项5个工作日内可提出异议"),
    QT_TRANSLATE_NOOP("Enums", "送达"),
    QT_TRANSLATE_NOOP("Enums", "直接送达"),
    QT_TRANSLATE_NOOP("Enums", "邮寄送达"),
    QT_TRANSLATE_NOOP("Enums", "电子送达"),
    QT_TRANSLATE_NOOP("Enums", "委托送达"),
    QT_TRANSLATE_NOOP("Enums", "留置送达"),
    QT_TRANSLATE_NOOP("Enums", "收到复查请求后30日内作出意见"),
    QT_TRANSLATE_NOOP("Enums", "收到复核请求后30日内作出意见"),
)
