"""What a scraped article of vietnamplus.vn carries besides its text: the Vietnamese site's chrome.

Development data for :mod:`development.originals`.  A scraper that keeps the page's visible
text gets, around the article, the site's name and breadcrumb, the section, a dated byline
(``Thứ Bảy, 23/12/2023 14:05 (GMT+7)``), share words, the author's signature
(``Thu Hằng (TTXVN/Vietnam+)``), the tags (``Từ khóa: …``), ``Bình luận (0)``, and blocks of
related headlines (``Tin liên quan``, ``Tin cùng chuyên mục``), which are Vietnamese sentences
that no French page translates.  Photo captions end with a credit, ``(Ảnh: An Đăng/TTXVN)``.
"""

from __future__ import annotations

SITE = ["VietnamPlus", "Vietnam+", "VietnamPlus - Thông tấn xã Việt Nam"]
SECTIONS_VI = ["Thế giới", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao", "Chính trị", "Đời sống",
               "Khoa học - Công nghệ", "Du lịch", "Môi trường"]  # fmt: skip
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
SHARE_VI = ["Chia sẻ", "Facebook Zalo Twitter", "Chia sẻ Facebook Zalo In bài", "Sao chép liên kết",
            "Gửi bài viết", "In bài viết"]  # fmt: skip
SIGNATURES = ["Thu Hằng (TTXVN/Vietnam+)", "Minh Đức (TTXVN/Vietnam+)", "(TTXVN/Vietnam+)",
              "PV (Vietnam+)", "Lâm Khánh - Văn Điệp (TTXVN/Vietnam+)", "Theo TTXVN"]  # fmt: skip
TAG_WORDS = ["Hà Nội", "kinh tế", "ngoại giao", "du lịch", "văn hóa", "thể thao", "Mỹ", "châu Âu",
             "biến đổi khí hậu", "bầu cử"]  # fmt: skip
RELATED_VI = "Tin liên quan"
RELATED_FR = ["Lire aussi :", "Voir aussi :", "À lire aussi :", ">> Lire aussi :"]
END_BLOCKS = ["Tin cùng chuyên mục", "Đọc nhiều", "Xem thêm", "Tin mới nhất"]
FOLLOW = "Theo dõi VietnamPlus trên Google News"
# (name as the Vietnamese credit writes it, as the French edition writes it).
PHOTOGRAPHERS = [("An Đăng", "An Dang"), ("Lâm Khánh", "Lam Khanh"), ("Văn Điệp", "Van Diep"),
                 ("Thống Nhất", "Thong Nhat"), ("Phạm Kiên", "Pham Kien"), ("Minh Đức", "Minh Duc")]  # fmt: skip


def credits(name: tuple[str, str] | None) -> tuple[str, str]:
    """A photo's Vietnamese and French credits (the agency alone when no photographer is named)."""
    if name is None:
        return "(Ảnh: TTXVN)", "(Photo : VNA)"
    return f"(Ảnh: {name[0]}/TTXVN)", f"(Photo : {name[1]}/VNA)"
