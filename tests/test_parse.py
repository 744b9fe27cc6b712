"""Roles of every line of both seeds, and the template rules on other pages."""

from __future__ import annotations

import pytest

from bilingual.parse import parse_page
from conftest import SEEDS

# (line number in the file, role, start of the text) for every non-empty line of the seeds.
SEED_ROLES = {
    "000_9c870309ebbbcf83.txt": [
        (0, "chrome", "Vietnam.vn - Nền tảng"), (2, "title", "Continuer à promouvoir"),
        (4, "byline", "Việt NamViệt Nam23/12/2023"), (7, "caption", "Truong Thi Mai, membre du Bureau"),
        (8, "chrome", "ZaloFacebookTwitter"), (10, "body", "Dans l'après-midi"),
        (12, "body", "Truong Thi Mai, membre du Politburo"), (14, "heading", "Base importante"),
        (16, "body", "Lors de la conférence"), (18, "body", "Depuis le début"),
        (20, "body", "Après 4 ans"), (22, "caption", "Quang cảnh phiên họp"),
        (24, "caption", "Scène de la réunion matinale"), (26, "body", "Selon le secrétaire"),
        (28, "body", "Le secrétaire du Parti, Bui"), (30, "body", "Outre ces réalisations"),
        (32, "body", "Lors de la réunion, les délégués"), (34, "heading", "Continuer à attacher"),
        (36, "body", "Dans son discours"), (38, "body", "Le Secrétariat permanent a affirmé"),
        (40, "chrome", "Français"), (40, "body", "Le Secrétariat permanent a souligné"),
        (42, "body", "Selon le Secrétariat permanent"), (44, "body", "Toutefois, outre"),
        (46, "chrome", "Français"), (46, "body", "Le Secrétariat permanent a suggéré"),
        (48, "body", "Truong Thi Mai, membre permanent"), (50, "body", "A cette occasion"),
        (52, "chrome", "Selon VNA"), (54, "chrome", "Source : https://"), (57, "chrome", "Source"),
        (59, "chrome", "Comment (0)"), (61, "chrome", "No data"), (62, "chrome", "No data"),
        (63, "chrome", "Scène magique"), (64, "chrome", "Trois îles"), (65, "chrome", "Admirez"),
        (66, "chrome", "Image de champs"), (67, "chrome", "L'usine Z121"), (68, "chrome", "Un célèbre"),
        (69, "chrome", "Une grotte"), (70, "chrome", "Découvrez"), (71, "chrome", "Comment est"),
        (72, "chrome", "Goût de la région"), (74, "chrome", "Patrimoine"), (76, "chrome", "Chiffre"),
        (78, "chrome", "Entreprise"), (80, "chrome", "No videos available"), (82, "chrome", "Nouvelles"),
        (84, "chrome", "Système politique"), (86, "chrome", "Locale"), (88, "chrome", "Produit"),
    ],
    "002_fd3d9a2bb7b8b9a8.txt": [
        (0, "chrome", "Vietnam.vn - Nền tảng"), (2, "title", "Le Comité du Parti du Ministère"),
        (4, "byline", "Báo Quốc TếBáo Quốc Tế21/12/2023"), (6, "body", "Le Comité central pour"),
        (7, "caption", "Đoàn công tác"), (8, "caption", "La délégation de travail"),
        (10, "body", "En appliquant"), (12, "body", "En application"), (14, "body", "Les comités du Parti"),
        (16, "body", "De nombreuses organisations"), (18, "body", "Lors de la séance"),
        (20, "body", "Dans les prochains mois"), (24, "chrome", "Source"), (26, "chrome", "Comment (0)"),
        (28, "chrome", "No data"), (29, "chrome", "No data"), (31, "chrome", "Même sujet"),
        (33, "chrome", "Même catégorie"), (35, "chrome", "Gros plan"), (36, "chrome", "Ce matin"),
        (37, "chrome", "L'héroïne"), (38, "chrome", "Perdu dans la forêt"), (40, "chrome", "Même auteur"),
        (42, "chrome", "Patrimoine"), (44, "chrome", "Chiffre"), (46, "chrome", "Entreprise"),
        (48, "chrome", "Perdu dans la forêt"), (50, "chrome", "Événements actuels"),
        (52, "chrome", "Système politique"), (54, "chrome", "Locale"), (56, "chrome", "Produit"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_line_of_the_seeds_has_its_role(seed) -> None:  # type: ignore[no-untyped-def]
    blocks = parse_page(seed.read_text("utf-8"))
    got = [(b.line, b.role, b.text) for b in blocks]
    expected = SEED_ROLES[seed.name]
    assert len(got) == len(expected)
    for (line, role, text), (want_line, want_role, start) in zip(got, expected, strict=True):
        assert (line, role) == (want_line, want_role), text
        assert text.startswith(start)


def test_every_non_empty_line_is_covered() -> None:
    for seed in SEEDS:
        lines = {i for i, line in enumerate(seed.read_text("utf-8").split("\n")) if line.strip()}
        assert {b.line for b in parse_page(seed.read_text("utf-8"))} == lines


OTHER_PAGE = """Vietnam.vn - Nền tảng quảng bá Việt Nam

Hanoï accueille un festival de la gastronomie

Báo Nhân DânBáo Nhân Dân05/03/2024

Des visiteurs au festival. (Photo : Nguyen Van A/VNA)
ZaloFacebookTwitterImprimerCopier le lien

Le festival s'est ouvert le 5 mars à Hanoï. Il réunit 200 exposants.

Du khách tham quan lễ hội ngày 5/3. (Ảnh: TTXVN)
Des touristes visitent le festival le 5 mars.

Une photo laissée sans traduction suit.

Toàn cảnh lễ hội.

Le festival dure trois jours et propose des ateliers de cuisine, des concerts de musique traditionnelle, des démonstrations d'artisans venus de tout le pays et une exposition sur l'histoire de la gastronomie vietnamienne.

D'après Nhan Dan

Commentaire (3)

Un autre article sur le tourisme
Encore un titre d'article lié
"""


def test_another_page_of_the_site() -> None:
    roles = [(b.role, b.lang) for b in parse_page(OTHER_PAGE)]
    assert roles == [
        ("chrome", "vi"), ("title", "fr"), ("byline", "vi"), ("caption", "fr"), ("chrome", "fr"),
        ("body", "fr"), ("caption", "vi"), ("caption", "fr"), ("body", "fr"), ("caption", "vi"),
        ("body", "fr"), ("chrome", "fr"), ("chrome", "fr"), ("chrome", "fr"), ("chrome", "fr"),
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["", "\n\n  \n", "Selon VNA", "12/12/2023", "Un seul paragraphe."])
def test_degenerate_pages(text: str) -> None:
    blocks = parse_page(text)
    assert "".join(b.text for b in blocks).replace(" ", "") == text.replace(" ", "").replace(
        "\n", ""
    )


# A page in the site's other layouts: (line, role) for every non-empty line.
LAYOUT_PAGE = [
    ("Vietnam.vn - Nền tảng quảng bá Việt Nam", "chrome"),
    ("Hanoï accueille un festival de la gastronomie", "title"),
    ("Báo Nhân DânBáo Nhân Dân05/03/2024", "byline"),
    ("Mis à jour : 05/03/2024 10:15", "chrome"),
    ("Le festival s'est ouvert le 5 mars à Hanoï avec plus de 200 exposants venus de 30 provinces.", "body"),
    ("Lire aussi : Le Têt approche dans les marchés de Hanoï", "chrome"),
    ("Mưa lớn gây lũ quét ở châu Âu. (Ảnh: An Đăng/TTXVN)", "caption"),
    ("De fortes pluies provoquent des crues soudaines en Europe.", "caption"),
    ("Photo : An Dang/VNA", "caption"),
    ("Une cuisine venue de tout le pays", "heading"),
    ("Les visiteurs goûtent les plats, selon la formule « Uống nước nhớ nguồn » des organisateurs.", "body"),
    ("Partager", "chrome"),
    ("(Photo : VNA)", "caption"),
    ("Toàn cảnh lễ hội năm nay.", "caption"),
    ("Vue d'ensemble du festival de cette année. (Vidéo : VNA)", "caption"),
    ("Xem thêm: Les marchés du Têt", "chrome"),
    ("Pour en savoir plus", "chrome"),
    ("Pour en savoir plus sur le festival, les organisateurs ont ouvert un site.", "body"),
    ("Thu Hằng", "chrome"),
    ("Mots-clés : Hanoï, gastronomie", "chrome"),
    ("Selon VNA", "chrome"),
    ("Source", "chrome"),
    ("Comment (0)", "chrome"),
]  # fmt: skip


def test_the_other_layouts_roles() -> None:
    page = "\n\n".join(line for line, _ in LAYOUT_PAGE).replace(
        "\n\nDe fortes pluies", "\nDe fortes pluies"
    )
    got = [(b.text, b.role) for b in parse_page(page)]
    assert got == LAYOUT_PAGE


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("À lire aussi : Les marchés du Têt", "chrome"),
        ("Voir aussi : Le Têt à Hanoï", "chrome"),
        ("Lire la suite", "chrome"),
        (">> Lire aussi : Le Têt à Hanoï", "chrome"),
        ("Sur le même sujet : Le Têt à Hanoï", "chrome"),
        ("Tweet", "chrome"),
        ("Partager sur Facebook", "chrome"),
        ("Tags : Hanoï, Têt", "chrome"),
        ("Infographie : VNA", "caption"),
        ("(Photo d'illustration)", "caption"),
        ("Photo d'illustration", "caption"),
        ("Ảnh minh hoạ: TTXVN", "caption"),
        ("(Đồ hoạ: TTXVN)", "caption"),
        ("Les exposants viennent de 30 provinces et le festival dure trois jours.", "body"),
        ("Voir la suite de notre dossier demain, avec les chiffres de la fréquentation.", "body"),
        ("Un marché flottant sur le Mékong", "heading"),
    ],
)
def test_chrome_captions_and_headings_inside_an_article(line: str, role: str) -> None:
    page = (
        "Site - Trang chủ\n\nUn titre\n\nBáo ABáo A21/12/2023\n\n"
        f"Un texte d'ouverture.\n\n{line}\n\nUn texte de clôture.\n\nSource\n"
    )
    (block,) = [b for b in parse_page(page) if b.text == line]
    assert block.role == role


@pytest.mark.parametrize(
    ("vietnamese", "french", "role"),
    [
        # a caption ending a sentence is translated by a sentence, not by a subheading
        ("Mưa lớn gây lũ quét ở châu Âu.", "Une cuisine venue de tout le pays", "heading"),
        ("Mưa lớn gây lũ quét ở châu Âu.", "De fortes pluies provoquent des crues.", "caption"),
        # a caption without final punctuation may be translated by a line without one
        ("Ảnh minh họa về lễ hội", "Illustration du festival", "caption"),
        # a stock picture's label has no text to translate: the line after it is the article's
        ("Ảnh minh họa: TTXVN", "De fortes pluies provoquent des crues.", "body"),
        ("Ảnh minh hoạ", "De fortes pluies provoquent des crues.", "body"),
    ],
)
def test_the_line_after_a_vietnamese_caption_translates_it_only_if_it_ends_like_it(
    vietnamese: str, french: str, role: str
) -> None:
    page = (
        "Site - Trang chủ\n\nUn titre\n\nBáo ABáo A21/12/2023\n\n"
        f"Un texte d'ouverture.\n\n{vietnamese}\n\n{french}\n\nUn texte de clôture.\n\nSource\n"
    )
    (block,) = [b for b in parse_page(page) if b.text == french]
    assert block.role == role
