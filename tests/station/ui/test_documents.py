"""Printed documents written as PDF from real case data: text extractable (pypdf), Chinese
font embedded, page sizes right for A4 and receipt rolls."""
from __future__ import annotations

import os
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdf
import pytest

from station_app.services import ServiceError
from station_app.ui import documents

ADMIN = ("admin", "admin1234")
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def case(services, qapp):
    op = services.accounts.authenticate(*ADMIN)
    form = {
        "division": services.setup.station().division, "channel": "visit",
        "category": "social_security", "statute_type": "accusation", "discipline": True,
        "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "petitioner": {"name": "张三", "id_number": "11010519491231002X", "anonymous": False},
        "summary": "反映村副书记侵占64户村民医保费'; DROP TABLE event;--",
        "account": "见附件。", "demands": "退还医保费",
    }
    reg = services.intake.register(form, op)
    return services, op, reg


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    return "\n".join(p.extract_text() for p in reader.pages)


def embedded_fonts(path) -> dict[str, bool]:
    """BaseFont name → whether a font program is embedded."""
    out: dict[str, bool] = {}
    for page in pypdf.PdfReader(str(path)).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                d = desc.get_object()
                fd = d.get("/FontDescriptor")
                fd = fd.get_object() if fd is not None else {}
                out[str(d.get("/BaseFont"))] = any(k in fd for k in
                                                   ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


@pytest.mark.parametrize("paper,width_mm", [("a4", 210), ("80mm", 80), ("58mm", 58)])
def test_receipt_pdf_text_font_and_size(case, tmp_path, paper, width_mm):
    services, _op, reg = case
    path = documents.render_pdf(services, "receipt", reg.case_id, tmp_path / f"r-{paper}.pdf",
                                paper=paper)
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1  # a roll is one continuous page; the receipt fits A4
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - width_mm * MM) < 1.5
    if paper == "a4":
        assert abs(float(box.height) - 297 * MM) < 1.5
    else:  # continuous height: as long as the text, not a whole sheet
        assert 60 * MM < float(box.height) < 400 * MM
    text = pdf_text(path).replace("\t", " ")
    assert reg.case_no in text
    assert reg.query_code in text
    reply_by = services.documents.receipt_data(reg.case_id).reply_by
    assert reply_by and documents.fmt_date(reply_by) in text.replace("\n", "")  # the deadline
    assert "群众诉求登记回执" in text
    assert "鹿鸣村群众诉求站" in text
    assert "DROP TABLE" in text  # the petitioner's words, printed as text
    assert "64户" in text.replace("\n", "")  # 户, not the radical ⼾ or the traditional 戶
    fonts = embedded_fonts(path)
    cjk = [name for name in fonts if "NotoSansCJKsc" in name]
    assert cjk and all(fonts[n] for n in cjk), fonts


def test_no_radical_lookalikes_in_extracted_text(case, tmp_path):
    """日/见/长 must extract as the ideographs, not Kangxi radicals (⽇ ⻅ ⻓)."""
    services, _op, reg = case
    path = documents.render_pdf(services, "receipt", reg.case_id, tmp_path / "r.pdf")
    text = pdf_text(path)
    assert "日" in text
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF for ch in text), text


def test_acceptance_and_non_acceptance_notices(services, case, tmp_path):
    services, op, reg = case
    with pytest.raises(ServiceError):  # not accepted yet: no acceptance notice
        documents.render_pdf(services, "acceptance", reg.case_id, tmp_path / "x.pdf")
    services.cases.accept(reg.case_id, op, note="当场受理")
    acc = documents.render_pdf(services, "acceptance", reg.case_id, tmp_path / "acc.pdf")
    text = pdf_text(acc).replace("\n", "")
    data = services.documents.acceptance_notice_data(reg.case_id)
    assert "受理告知书" in text and reg.case_no in text
    assert documents.fmt_date(data.conclude_by) in text

    form = {"division": services.setup.station().division, "channel": "letter",
            "category": "law_litigation", "statute_type": "appeal",
            "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "petitioner": {"name": "李四"}, "summary": "不服法院判决",
            "account": "对法院判决不服。"}
    other = services.intake.register(form, op)
    services.cases.decline(other.case_id, op, reason="已进入诉讼程序，属涉法涉诉事项",
                           other_channel="凤庆县人民法院")
    non = documents.render_pdf(services, "non_acceptance", other.case_id,
                               tmp_path / "non.pdf", paper="80mm")
    text = pdf_text(non).replace("\n", "")
    assert "不予受理告知书" in text and "凤庆县人民法院" in text
    assert "已进入诉讼程序" in text and other.query_code in text


def test_bad_kind_and_paper_refused(case, tmp_path):
    services, _op, reg = case
    with pytest.raises(ValueError):
        documents.render_pdf(services, "letter", reg.case_id, tmp_path / "a.pdf")
    with pytest.raises(ValueError):
        documents.render_pdf(services, "receipt", reg.case_id, tmp_path / "b.pdf",
                             paper="a5")
    with pytest.raises(ServiceError):
        documents.render_pdf(services, "receipt", "01234567-89ab-7def-8123-456789abcdef",
                             tmp_path / "c.pdf")
    assert not any(tmp_path.glob("*.pdf"))


def test_text_map_fix_only_touches_unicode_targets(tmp_path):
    """Glyph ids that happen to fall in 0x2Exx/0x2Fxx stay; mapped code points are fixed."""
    body = (b"%PDF-1.4\nbegincmap\n2 beginbfrange\n<2F00> <2F01> [<2F47> <0041>]\n"
            b"<2F05> <2F05> <2EC5>\nendbfrange\n1 beginbfchar\n<2F47> <2ED3>\nendbfchar\n"
            b"endcmap\n")
    path = tmp_path / "t.pdf"
    path.write_bytes(body)
    documents.fix_text_map(path)
    fixed = path.read_bytes()
    assert len(fixed) == len(body)  # xref offsets stay valid
    assert b"<2F00> <2F01> [<65E5> <0041>]" in fixed
    assert b"<2F05> <2F05> <89C1>" in fixed
    assert b"<2F47> <957F>" in fixed


def test_anonymous_receipt_promises_no_reply(services, qapp, tmp_path):
    op = services.accounts.authenticate(*ADMIN)
    form = {"division": services.setup.station().division, "channel": "box",
            "category": "discipline", "statute_type": "accusation", "discipline": True,
            "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "petitioner": {"anonymous": True}, "summary": "举报村干部收受礼金",
            "account": "村干部收受礼金。"}
    reg = services.intake.register(form, op)
    path = documents.render_pdf(services, "receipt", reg.case_id, tmp_path / "anon.pdf",
                                paper="58mm")
    text = pdf_text(path).replace("\n", "")
    assert reg.query_code in text and "匿名" in text
    assert "告知您是否受理" not in text  # no feedback duty to an anonymous reporter


def test_urge_sheet_and_reply_pdfs(services, township_services, qapp, tmp_path):
    """督办单 (printed by the urging township) and 处理意见书 (the written reply after 办结,
    printed where the petitioner is met), from real data, as PDF text."""
    from datetime import date, timedelta

    from station_app.store import apply_remote_events, case_events

    def ship(src, dst, case_id):  # noqa: ANN001, ANN202 - what sync does, without the wire
        with src.store.read() as s:
            events = case_events(s, case_id)
        with dst.store.session() as s:
            apply_remote_events(s, events)

    op = services.accounts.authenticate(*ADMIN)
    town = township_services.accounts.authenticate(*ADMIN)
    village = services.setup.station().division
    reg = services.intake.register({
        "division": village, "channel": "visit", "category": "land",
        "statute_type": "appeal",
        "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "petitioner": {"name": "李建华", "anonymous": False}, "summary": "承包地被邻居占用",
        "account": "承包地被邻居占用约半亩。", "demands": "退还土地"}, op)
    ship(services, township_services, reg.case_id)
    with pytest.raises(ServiceError) as ei:
        documents.render_pdf(township_services, "urge_sheet", reg.case_id, tmp_path / "x.pdf")
    assert ei.value.code == "not_urged"
    due = (date.today() + timedelta(days=7)).isoformat()
    township_services.cases.urge(reg.case_id, town, note="群众多次来电，请抓紧调处", due=due)
    sheet = documents.render_pdf(township_services, "urge_sheet", reg.case_id,
                                 tmp_path / "urge.pdf")
    text = pdf_text(sheet).replace("\n", "")
    assert "督办单" in text and reg.case_no in text and "请抓紧调处" in text
    assert documents.fmt_date(due) in text and "第1次" in text
    assert "洛党镇群众诉求中心" in text

    with pytest.raises(ServiceError) as ei:
        documents.render_pdf(services, "reply", reg.case_id, tmp_path / "y.pdf")
    assert ei.value.code == "not_concluded"
    services.cases.accept(reg.case_id, op)
    services.cases.conclude(reg.case_id, op, result="部分解决",
                            opinion="已协调邻居退还一半土地，其余部分建议通过诉讼解决。",
                            outcome="unresolved")
    reply = documents.render_pdf(services, "reply", reg.case_id, tmp_path / "reply.pdf",
                                 paper="80mm")
    text = pdf_text(reply).replace("\n", "")
    assert "处理意见书" in text and reg.query_code in text and "李建华" in text
    assert "其余部分建议通过诉讼解决" in text and "办结未解决" in text
    assert "30日内" in text and "复查" in text
