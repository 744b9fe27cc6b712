"""What a built page carries besides its article: the site's chrome, names and credits.

Development data for :mod:`development.pages`; each list is what one kind of line is drawn from.
"""

TAGLINE = "Vietnam.vn - Nền tảng quảng bá Việt Nam"
SOURCES = ["Báo Quốc Tế", "Việt Nam", "Nhân Dân", "Báo Tin tức", "VietnamPlus"]
SECTIONS = ["Patrimoine", "Chiffre", "Entreprise", "Système politique", "Locale", "Produit"]
NAMES = ["An Đăng", "Lâm Khánh", "Văn Điệp", "Thống Nhất", "Phạm Kiên", "Minh Đức", "Thu Hằng"]
# (Vietnamese word, French word) of a media credit, and whether the credit names a person.
MEDIA = [("Ảnh", "Photo", True), ("Video", "Vidéo", False), ("Đồ họa", "Infographie", False)]
LINKS = [
    "Lire aussi :", "Voir aussi :", "À lire aussi :", "Lire la suite :", "Pour en savoir plus :",
    "À voir aussi :", "Sur le même sujet :", "LIRE AUSSI :", ">> Lire aussi :", "Consulter aussi :",
    "Articles liés :", "Xem thêm:", "Đọc thêm:",
]  # fmt: skip
BARE_LINKS = ["Lire la suite", "Pour en savoir plus", "Voir la vidéo", "Lire l'article complet"]
SHARE = ["ZaloFacebookTwitterImprimerCopier le lien", "Partager", "Partager :", "Tweet",
          "Partager sur Facebook", "Imprimer", "Facebook Twitter Zalo"]  # fmt: skip
SLOGANS = ["Dân biết, dân bàn, dân làm, dân kiểm tra", "Tết sum vầy", "Không có gì quý hơn độc lập, tự do",
            "Vì nhân dân phục vụ", "Lá lành đùm lá rách", "Uống nước nhớ nguồn"]  # fmt: skip
TAGS = ["Mots-clés : {a}, {b}", "Tags : {a}, {b}, Vietnam", "Thẻ: {a}, {b}"]
AUTHORS = ["Thu Hằng", "Minh Anh", "Par Nguyen Van Hung", "Hoàng Hà/VNA", "Lan Anh (VNA)"]
