"""Vietnamese originals: the role of every line of hand-written pages in several of the site's
layouts, metamorphic properties (chrome, encodings, a related block do not change the article),
and the errors a document records instead of raising."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import bilingual
from bilingual.document import CONTENT_ROLES
from bilingual.original import parse_original
from bilingual.pairing import original_from_text, prepare_original
from conftest import SEEDS

ROLE_CODES = {
    "T": "title",
    "B": "byline",
    "H": "heading",
    "P": "body",
    "C": "caption",
    "X": "chrome",
}
SAPO = (
    "Sáng 23/12, tại Hà Nội, Thủ tướng Phạm Minh Chính chủ trì hội nghị trực tuyến Chính phủ "
    "với các địa phương nhằm triển khai nhiệm vụ phát triển kinh tế-xã hội năm 2024."
)
# An article without its chrome: each line is "<role code>| <text>"; a blank line is blank.
ARTICLE = f"""\
P| {SAPO}

C| Thủ tướng Phạm Minh Chính phát biểu tại hội nghị. (Ảnh: Dương Giang/TTXVN)

P| Phát biểu khai mạc, Thủ tướng nhấn mạnh năm 2023 là năm bản lề của nhiệm kỳ. Nền kinh tế đã vượt qua nhiều khó khăn, thách thức.

H| Tăng trưởng kinh tế vượt kỳ vọng

P| Theo báo cáo của Bộ Kế hoạch và Đầu tư, tăng trưởng GDP năm 2023 ước đạt khoảng 5%, thuộc nhóm cao trong khu vực.

C| Các đại biểu tham dự hội nghị tại điểm cầu Hà Nội.
C| Ảnh: TTXVN

P| Kết thúc hội nghị, Thủ tướng yêu cầu các bộ, ngành khẩn trương xây dựng kế hoạch hành động."""
# Five layouts of the site, differing in the chrome's order and presence.
LAYOUTS = {
    "breadcrumb, title above the byline, related block in the middle, footer": f"""\
X| VietnamPlus
X| Trang chủ > Thời sự

X| Thời sự
T| Thủ tướng Phạm Minh Chính chủ trì hội nghị triển khai nhiệm vụ năm 2024
B| Thứ Bảy, 23/12/2023 14:05 (GMT+7)
X| Chia sẻ
X| Facebook
X| Zalo

P| {SAPO}

C| Thủ tướng Phạm Minh Chính phát biểu tại hội nghị. (Ảnh: Dương Giang/TTXVN)

P| Phát biểu khai mạc, Thủ tướng nhấn mạnh năm 2023 là năm bản lề của nhiệm kỳ.

X| Xem thêm: Thủ tướng làm việc với tỉnh Bắc Ninh về phát triển công nghiệp

H| Tăng trưởng kinh tế vượt kỳ vọng

P| Theo báo cáo của Bộ Kế hoạch và Đầu tư, tăng trưởng GDP năm 2023 ước đạt khoảng 5%.

X| Tin liên quan
X| Chính phủ họp phiên thường kỳ tháng 11 năm 2023
X| Quốc hội thông qua dự toán ngân sách năm 2024

P| Các đại biểu thảo luận về giải pháp thúc đẩy đầu tư công và tháo gỡ khó khăn cho doanh nghiệp.

C| Các đại biểu tham dự hội nghị tại điểm cầu Hà Nội.
C| Ảnh: TTXVN

P| Kết thúc hội nghị, Thủ tướng yêu cầu các bộ, ngành khẩn trương xây dựng kế hoạch hành động.

X| Thu Hằng (TTXVN/Vietnam+)
X| Từ khóa: Thủ tướng, hội nghị, Chính phủ
X| Bình luận (0)
X| Tin cùng chuyên mục
X| Hà Nội đón đợt không khí lạnh mạnh nhất từ đầu mùa
X| Đọc tiếp""",
    "byline above the title, stock picture, related block at the end": """\
X| Vietnam+ (VietnamPlus) - Thông tấn xã Việt Nam
X| Thế giới
B| 23/12/2023 - 14:05
T| Liên hợp quốc kêu gọi tăng cường viện trợ nhân đạo cho Dải Gaza
X| Chia sẻ: Facebook | Zalo | Twitter

P| Tổng Thư ký Liên hợp quốc Antonio Guterres ngày 22/12 kêu gọi các bên liên quan tạo điều kiện để viện trợ nhân đạo được chuyển tới người dân.

C| Ảnh minh họa

P| Theo ông Guterres, tình hình nhân đạo tại khu vực đang ở mức đáng báo động. Hàng trăm nghìn người thiếu lương thực và nước sạch.

C| Xe chở hàng viện trợ chờ qua cửa khẩu Rafah. (Ảnh minh họa: THX/TTXVN)

X| Đọc thêm: Hội đồng Bảo an thông qua nghị quyết về Gaza

P| Hội đồng Bảo an dự kiến tiếp tục thảo luận về vấn đề này trong tuần tới.

X| (TTXVN/Vietnam+)

X| Tin liên quan
X| Mỹ và Ai Cập thảo luận về tình hình Gaza
X| Vì sao viện trợ vào Gaza bị chậm trễ?""",
    "update time as byline, comment count at the top, tags listed, source link": """\
T| Giá xăng dầu đồng loạt giảm từ 15 giờ chiều nay
B| Cập nhật: 14:05 21/12/2023
X| Bình luận (0)

P| Liên Bộ Công Thương - Tài chính vừa công bố điều chỉnh giá bán lẻ xăng dầu trong nước kỳ này.

C| Người dân đổ xăng tại một cửa hàng ở Hà Nội.
C| (Ảnh: Trần Việt/TTXVN)

H| Giá dầu thế giới tiếp tục giảm

P| Trong kỳ điều hành vừa qua, giá thành phẩm xăng dầu thế giới biến động theo xu hướng giảm. Nguyên nhân chủ yếu là nhu cầu suy yếu.

P| Liên Bộ quyết định không trích lập Quỹ bình ổn giá xăng dầu đối với các mặt hàng.

X| Minh Anh
X| Từ khóa:
X| Giá xăng dầu
X| Bộ Công Thương
X| Nguồn: https://www.vietnamplus.vn/gia-xang-dau-dong-loat-giam-post918273.vnp
X| Tin mới nhất
X| Ngân hàng Nhà nước giữ nguyên lãi suất điều hành""",
    "no chrome at all": """\
T| Hà Nội phát triển mạng lưới đường sắt đô thị đến năm 2035

P| Thành phố Hà Nội đặt mục tiêu hoàn thành 10 tuyến đường sắt đô thị với tổng chiều dài hơn 400 km.

H| Huy động nhiều nguồn vốn

P| Nguồn vốn đầu tư sẽ được huy động từ ngân sách, vốn vay ưu đãi và hợp tác công tư.

P| Lãnh đạo thành phố cho biết đây là nhiệm vụ trọng tâm của cả nhiệm kỳ.""",
    "site menu, weekday byline with agency, share line, signature without agency": """\
X| Vietnamplus.vn
X| Chính trị
X| Kinh tế
X| Xã hội
X| Văn hóa - Giải trí
T| Khai mạc Tuần lễ Văn hóa Việt Nam tại Pháp
B| Thứ Hai, ngày 25/12/2023 - 08:30 | VietnamPlus
X| Chia sẻ bài viết

P| Tuần lễ Văn hóa Việt Nam tại Pháp đã khai mạc tối 24/12 tại thủ đô Paris với sự tham gia của đông đảo kiều bào.

C| Tiết mục biểu diễn áo dài tại lễ khai mạc. Ảnh: Ngọc Thành

X| Đọc tiếp

P| Chương trình giới thiệu ẩm thực, âm nhạc truyền thống và các làng nghề nổi tiếng của Việt Nam.

H| Cầu nối giữa hai dân tộc

P| Đại sứ Việt Nam tại Pháp khẳng định sự kiện góp phần thắt chặt tình hữu nghị giữa hai nước.

X| Theo TTXVN
X| Thu Hằng/Vietnam+
X| Tags: Văn hóa, Pháp, kiều bào
X| Tin cùng chuyên mục
X| Lễ hội ánh sáng thu hút du khách tại Hội An""",
}


def page(layout: str) -> tuple[str, list[tuple[str, str]]]:
    """A layout's text (the role codes cut off) and each non-empty line's role and text."""
    lines, expected = [], []
    for row in layout.split("\n"):
        code, _, text = row.partition("| ")
        lines.append(text)
        if text:
            expected.append((ROLE_CODES[code], text))
    return "\n".join(lines), expected


def article_segments(text: str) -> list[tuple[str, str, str]]:
    """(role, text, lang) of the article's segments of an original."""
    document = original_from_text("page.txt", text)
    assert document.error is None
    return [(s.role, s.text, s.lang) for s in document.segments if s.role in CONTENT_ROLES]


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_every_line_of_a_layout_has_its_role(layout: str) -> None:
    text, expected = page(layout)
    blocks = parse_original(text)
    assert [(b.role, b.text) for b in blocks] == expected
    assert sum(b.role == "title" for b in blocks) == 1


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_blocks_are_the_input_lines_with_their_numbers(layout: str) -> None:
    text, _ = page(layout)
    lines = text.split("\n")
    blocks = parse_original(text)
    assert [b.text for b in blocks] == [line.strip() for line in lines if line.strip()]
    assert all(lines[b.line].strip() == b.text for b in blocks)
    assert all(b.lang == "vi" for b in blocks if b.role in CONTENT_ROLES)


PAGES = [  # small pages that test one rule each
    # no headline: a short first paragraph ends like a sentence, so it is not the title
    ("VietnamPlus\nThứ Bảy, 23/12/2023 14:05 (GMT+7)\nHội nghị đã bế mạc chiều nay.\n"
     "Các đại biểu đã thông qua nghị quyết về kế hoạch phát triển kinh tế năm tới.",
     ["chrome", "byline", "body", "body"]),
    # a date inside a sentence is no byline
    ("Quốc hội họp phiên bất thường lần thứ năm\nNgày 15/1/2024, Quốc hội họp.\n"
     "Kỳ họp bất thường xem xét nhiều luật quan trọng về đất đai và ngân hàng.",
     ["title", "body", "body"]),
    # a second date, under the byline, is chrome
    ("Quốc hội họp phiên bất thường lần thứ năm\n15/01/2024 - 08:00\n"
     "Cập nhật: 10:30 15/01/2024\nQuốc hội khai mạc kỳ họp bất thường để xem xét nhiều luật.",
     ["title", "byline", "chrome", "body"]),
    # a sentence starting like a source line is text; a heading needs text after it
    ("Quốc hội họp phiên bất thường lần thứ năm\nTheo Chủ tịch Quốc hội, kỳ họp diễn ra trong "
     "ba ngày.\nKết quả kỳ họp",
     ["title", "body", "body"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "roles"), PAGES)
def test_a_rule_in_a_small_page(text: str, roles: list[str]) -> None:
    assert [b.role for b in parse_original(text)] == roles


AROUND = {  # the same article in other chrome
    "site head and footer": (
        "VietnamPlus\nTrang chủ > Kinh tế\nKinh tế\n"
        "Thủ tướng chủ trì hội nghị Chính phủ với địa phương\n"
        "Thứ Bảy, 23/12/2023 14:05 (GMT+7)\nChia sẻ\nFacebook\nZalo\n\n",
        "\n\nThu Hằng (TTXVN/Vietnam+)\nTừ khóa: Thủ tướng\nBình luận (0)\n"
        "Tin cùng chuyên mục\nHà Nội đón đợt không khí lạnh mạnh\nĐọc tiếp",
    ),
    "byline first, agency alone, related at the end": (
        "23/12/2023 - 14:05\nThủ tướng chủ trì hội nghị Chính phủ với địa phương\n"
        "Chia sẻ: Facebook | Zalo\n\n",
        "\n\n(TTXVN/Vietnam+)\n\nTin liên quan\nChính phủ họp phiên thường kỳ tháng 11",
    ),
    "title alone": ("Thủ tướng chủ trì hội nghị Chính phủ với địa phương\n\n", ""),
}


@pytest.mark.parametrize(("head", "foot"), AROUND.values(), ids=list(AROUND))
def test_the_chrome_around_an_article_does_not_change_its_segments(head: str, foot: str) -> None:
    text, _ = page(ARTICLE)
    bare = article_segments("Thủ tướng chủ trì hội nghị Chính phủ với địa phương\n" + text)
    assert article_segments(head + text + foot) == bare
    assert [role for role, _, _ in bare].count("body") == 5


def test_a_related_block_in_the_middle_leaves_the_body_unchanged() -> None:
    text, _ = page(LAYOUTS["no chrome at all"])
    related = (
        "\n\nTin liên quan\nHà Nội khởi công tuyến metro số 5\nTuyến Nhổn - ga Hà Nội chạy thử\n"
    )
    cut = text.index("\n\nHuy động")  # between the first paragraph and the heading
    assert article_segments(text[:cut] + related + text[cut:]) == article_segments(text)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """``text`` in Windows-1258, which composes a letter with its vowel mark (``ô``, ``ă``) and
    writes the tone as a combining mark after it."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in decomposed if c in TONES)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out.append((letter + tone).encode("cp1258"))
    return b"".join(out)


ENCODINGS = {
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-8 with a BOM": lambda t: t.encode("utf-8-sig"),
    "NFD": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "cp1258": cp1258,
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=list(ENCODINGS))
def test_the_encoding_of_a_file_does_not_change_its_segments(encode, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text, _ = page(
        LAYOUTS["breadcrumb, title above the byline, related block in the middle, footer"]
    )
    path = tmp_path / "original.txt"
    path.write_bytes(encode(text))
    document = prepare_original(str(path))
    assert document.error is None
    expected = original_from_text(str(path), text).segments
    assert [(s.role, s.text, s.lang, s.paragraph) for s in document.segments] == [
        (s.role, s.text, s.lang, s.paragraph) for s in expected
    ]


def test_nfd_text_gives_nfc_segments() -> None:
    text, _ = page(ARTICLE)
    document = original_from_text("nfd.txt", unicodedata.normalize("NFD", text))
    assert [s.text for s in document.segments] == [
        s.text for s in original_from_text("nfc.txt", text).segments
    ]
    assert all(unicodedata.is_normalized("NFC", s.text) for s in document.segments)


def test_a_body_paragraph_of_two_sentences_is_two_vietnamese_segments() -> None:
    text = (
        "Hà Nội phát triển mạng lưới đường sắt đô thị đến năm 2035\n\n"
        "Thành phố đặt mục tiêu hoàn thành 10 tuyến. TP. Hồ Chí Minh cũng có kế hoạch tương tự.\n"
    )
    body = [s for s in original_from_text("a.txt", text).segments if s.role == "body"]
    assert [(s.text, s.lang, s.paragraph) for s in body] == [
        ("Thành phố đặt mục tiêu hoàn thành 10 tuyến.", "vi", 2),
        ("TP. Hồ Chí Minh cũng có kế hoạch tương tự.", "vi", 2),
    ]


def test_a_trailing_credit_is_its_own_segment_and_chrome_stays_whole() -> None:
    text, _ = page(
        LAYOUTS["breadcrumb, title above the byline, related block in the middle, footer"]
    )
    segments = original_from_text("a.txt", text).segments
    captions = [s.text for s in segments if s.role == "caption"]
    assert captions[:2] == [
        "Thủ tướng Phạm Minh Chính phát biểu tại hội nghị.",
        "(Ảnh: Dương Giang/TTXVN)",
    ]
    chrome = [s.text for s in segments if s.role in ("chrome", "byline")]
    assert "Xem thêm: Thủ tướng làm việc với tỉnh Bắc Ninh về phát triển công nghiệp" in chrome
    assert "Thứ Bảy, 23/12/2023 14:05 (GMT+7)" in chrome
    assert [s.index for s in segments] == list(range(len(segments)))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_a_french_page_is_not_an_original(seed: Path) -> None:
    document = prepare_original(str(seed))
    assert document.segments == []
    assert document.error is not None
    assert document.error.startswith(f"{seed}: not Vietnamese (only ")
    assert "% French, of " in document.error


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "empty.txt: no text"),
        ("  \n\n\t\n", "empty.txt: no text"),
        ("The Prime Minister chaired the conference on Saturday in Hanoi with the provinces.\n"
         "He said the economy grew by five percent this year despite many difficulties.",
         "empty.txt: not Vietnamese (only 0% of its article text is Vietnamese and 100% English"),
        ("12/12/2023\n2023 - 2024 - 2025", "empty.txt: not Vietnamese (only 0% of its article text is Vietnamese and 100% in no language"),
    ],
)  # fmt: skip
def test_a_page_without_vietnamese_text_is_an_error(text: str, error: str) -> None:
    document = original_from_text("empty.txt", text)
    assert document.error is not None and document.error.startswith(error)
    assert document.segments == []


def test_a_file_that_cannot_be_read_is_an_error_naming_it(tmp_path: Path) -> None:
    missing, empty, binary = tmp_path / "missing.txt", tmp_path / "empty.txt", tmp_path / "b.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    for path, problem in [
        (missing, "no such file"),
        (tmp_path, "is a directory"),
        (empty, "empty"),
        (binary, "binary"),
    ]:
        document = prepare_original(str(path))
        assert document.error is not None and document.error.startswith(f"{path}: "), path
        assert problem in document.error
        assert document.path == str(path)


def test_the_package_exports_the_original_stage() -> None:
    assert bilingual.parse_original is parse_original
    assert bilingual.original_from_text is original_from_text
    assert bilingual.prepare_original is prepare_original
