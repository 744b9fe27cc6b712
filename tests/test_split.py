"""Sentence splitting: tables of tricky French and Vietnamese news-style cases, metamorphic
properties, and recall on NTREX."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from bilingual import ConfigError, split_sentences
from bilingual.split import Language
from conftest import corpus_lines
from development.evaluation import boundary_scores, build_paragraphs

NBSP = "\u00a0"
CASES: list[tuple[str, list[str]]] = [
    # titles and abbreviations
    ("M. Dupont est arrivé. Il a parlé.", ["M. Dupont est arrivé.", "Il a parlé."]),
    ("Selon M. Martin, la loi passe. Elle entre en vigueur lundi.",
     ["Selon M. Martin, la loi passe.", "Elle entre en vigueur lundi."]),
    ("MM. Durand et Petit ont voté contre. Le texte est adopté.",
     ["MM. Durand et Petit ont voté contre.", "Le texte est adopté."]),
    ("Mme Nguyen a signé. Mlle Tran aussi.", ["Mme Nguyen a signé.", "Mlle Tran aussi."]),
    ("Le Dr. Ehud Ur a averti. Les essais continuent.", ["Le Dr. Ehud Ur a averti.", "Les essais continuent."]),
    ("Le Pr. Lam a présenté l'étude. Elle porte sur 300 patients.",
     ["Le Pr. Lam a présenté l'étude.", "Elle porte sur 300 patients."]),
    ("Me Dupond-Moretti plaide. Le juge écoute.", ["Me Dupond-Moretti plaide.", "Le juge écoute."]),
    ("Voir la décision n° 209 du Politburo. Elle date de 2019.",
     ["Voir la décision n° 209 du Politburo.", "Elle date de 2019."]),
    ("Selon l'art. 5 de la loi, le vote est secret. Il a lieu demain.",
     ["Selon l'art. 5 de la loi, le vote est secret.", "Il a lieu demain."]),
    ("Le chap. 3 traite du budget. Le suivant de la dette.",
     ["Le chap. 3 traite du budget.", "Le suivant de la dette."]),
    ("Voir p. 12 du rapport. Les chiffres y sont détaillés.",
     ["Voir p. 12 du rapport.", "Les chiffres y sont détaillés."]),
    ("Il a acheté des pommes, des poires, etc. et des prunes.",
     ["Il a acheté des pommes, des poires, etc. et des prunes."]),
    ("Il a acheté des pommes, des poires, etc. Puis il est rentré.",
     ["Il a acheté des pommes, des poires, etc.", "Puis il est rentré."]),
    ("Le 5 janv. 2020, le comité s'est réuni. Il a voté.",
     ["Le 5 janv. 2020, le comité s'est réuni.", "Il a voté."]),
    ("Réunion le 12 févr. à Hanoï. La presse était invitée.",
     ["Réunion le 12 févr. à Hanoï.", "La presse était invitée."]),
    ("Cf. le rapport annuel. Il est public.", ["Cf. le rapport annuel.", "Il est public."]),
    ("Le groupe (env. 30 personnes) est parti. Il revient mardi.",
     ["Le groupe (env. 30 personnes) est parti.", "Il revient mardi."]),
    ("Ce film, par ex. le dernier, a été primé. Le public a applaudi.",
     ["Ce film, par ex. le dernier, a été primé.", "Le public a applaudi."]),
    # initialisms
    ("L'O.N.U. a condamné l'attaque. Le vote était unanime.",
     ["L'O.N.U. a condamné l'attaque.", "Le vote était unanime."]),
    ("Les U.S. ont répondu vite. Pékin n'a rien dit.", ["Les U.S. ont répondu vite.", "Pékin n'a rien dit."]),
    ("Les É.-U. et la Chine ont signé. Le texte est court.",
     ["Les É.-U. et la Chine ont signé.", "Le texte est court."]),
    ("César est né vers 100 av. J.-C. à Rome. Il meurt en 44 av. J.-C.",
     ["César est né vers 100 av. J.-C. à Rome.", "Il meurt en 44 av. J.-C."]),
    ("Il a rejoint la S.N.C.F. en 1990. Il y est resté.", ["Il a rejoint la S.N.C.F. en 1990.", "Il y est resté."]),
    # numbers, decimals, times
    ("Le taux est passé à 3.5 %. C'est un record.", ["Le taux est passé à 3.5 %.", "C'est un record."]),
    ("La croissance atteint 6,5 %. Le gouvernement s'en félicite.",
     ["La croissance atteint 6,5 %.", "Le gouvernement s'en félicite."]),
    ("La séance a repris à 14 h 30. Le ministre a parlé.", ["La séance a repris à 14 h 30.", "Le ministre a parlé."]),
    ("Rendez-vous à 9h15. Soyez à l'heure.", ["Rendez-vous à 9h15.", "Soyez à l'heure."]),
    ("Plus de 11 000 membres sont inscrits. Le parti en compte 600.",
     ["Plus de 11 000 membres sont inscrits.", "Le parti en compte 600."]),
    ("Il est arrivé 2e. Le 13e Congrès a suivi.", ["Il est arrivé 2e.", "Le 13e Congrès a suivi."]),
    ("Le score final est de 5-3. Belfast a perdu.", ["Le score final est de 5-3.", "Belfast a perdu."]),
    # ellipses
    ("Il hésita... Puis il partit.", ["Il hésita...", "Puis il partit."]),
    ("Il hésita... puis il partit.", ["Il hésita... puis il partit."]),
    ("Il hésita… Puis il partit.", ["Il hésita…", "Puis il partit."]),
    ("Il hésita… puis il partit.", ["Il hésita… puis il partit."]),
    ("Dans les années à venir... Le comité a conclu.", ["Dans les années à venir...", "Le comité a conclu."]),
    ("Les discussions ont duré des mois... L'accord a été signé lundi.",
     ["Les discussions ont duré des mois...", "L'accord a été signé lundi."]),
    ("Les discussions ont duré des mois… L’accord a été signé lundi.",
     ["Les discussions ont duré des mois…", "L’accord a été signé lundi."]),
    ("Rien n'est joué... Qu'on se le dise, le match reste ouvert.",
     ["Rien n'est joué...", "Qu'on se le dise, le match reste ouvert."]),
    ("La réforme attendra... D'autres priorités s'imposent.", ["La réforme attendra...", "D'autres priorités s'imposent."]),
    ("Il hésita... l'accord fut pourtant signé.", ["Il hésita... l'accord fut pourtant signé."]),
    # numbered lists
    ("1. Le premier point porte sur la dette. 2. Le second porte sur l'emploi.",
     ["1. Le premier point porte sur la dette.", "2. Le second porte sur l'emploi."]),
    ("Le plan tient en trois points. 1. La dette. 2. L'emploi. 3. Les retraites.",
     ["Le plan tient en trois points.", "1. La dette.", "2. L'emploi.", "3. Les retraites."]),
    ("Deux mesures : 1. la baisse des taxes ; 2. la hausse des aides.",
     ["Deux mesures : 1. la baisse des taxes ; 2. la hausse des aides."]),
    ("II. Les résultats du scrutin sont connus. Ils sont serrés.",
     ["II. Les résultats du scrutin sont connus.", "Ils sont serrés."]),
    ("Le Vietnam a terminé 2. Le Japon a gagné.", ["Le Vietnam a terminé 2.", "Le Japon a gagné."]),
    # English titles in translated news
    ("Mr. Bean fait rire la salle. Le public applaudit.", ["Mr. Bean fait rire la salle.", "Le public applaudit."]),
    ("Mrs. Thatcher a quitté Downing Street. Elle a démissionné.",
     ["Mrs. Thatcher a quitté Downing Street.", "Elle a démissionné."]),
    ("Ms. Ford a témoigné jeudi. Le Sénat a voté.", ["Ms. Ford a témoigné jeudi.", "Le Sénat a voté."]),
    ("Selon Dr. Ford, les faits datent de 1982. Il dément.", ["Selon Dr. Ford, les faits datent de 1982.", "Il dément."]),
    # ? and ! with French spacing
    (f"Qui paiera{NBSP}? Personne ne le sait.", [f"Qui paiera{NBSP}?", "Personne ne le sait."]),
    ("Qui paiera ? Personne ne le sait.", ["Qui paiera ?", "Personne ne le sait."]),
    ("Quelle victoire ! Le public exulte.", ["Quelle victoire !", "Le public exulte."]),
    ("Vraiment ?! Oui.", ["Vraiment ?!", "Oui."]),
    # guillemets
    ("Il a dit : « Nous avons gagné. » Puis il est parti.",
     ["Il a dit : « Nous avons gagné. »", "Puis il est parti."]),
    (f"Il a dit{NBSP}: «{NBSP}Nous avons gagné.{NBSP}» Puis il est parti.",
     [f"Il a dit{NBSP}: «{NBSP}Nous avons gagné.{NBSP}»", "Puis il est parti."]),
    ("« C'est fini », a-t-il dit. Le silence suivit.", ["« C'est fini », a-t-il dit.", "Le silence suivit."]),
    ("Il a cité « la paix. La stabilité. » en conclusion.",
     ["Il a cité « la paix.", "La stabilité. » en conclusion."]),
    ("Le thème est « Renforcer la direction du Parti. » La séance a suivi.",
     ["Le thème est « Renforcer la direction du Parti. »", "La séance a suivi."]),
    ("Il a crié « Au secours ! » Personne n'est venu.", ["Il a crié « Au secours ! »", "Personne n'est venu."]),
    ("Il a dit “oui.” Elle a dit non.", ["Il a dit “oui.”", "Elle a dit non."]),
    ("« Qui paiera ? », a demandé le député. Personne n'a répondu.",
     ["« Qui paiera ? », a demandé le député.", "Personne n'a répondu."]),
    ('Il a lancé : "Vous savez ce que c\'est ?", puis il est parti.',
     ['Il a lancé : "Vous savez ce que c\'est ?", puis il est parti.']),
    # photo credits
    ("Scène de la réunion. (Photo : An Dang/VNA)", ["Scène de la réunion.", "(Photo : An Dang/VNA)"]),
    (f"Le ministre prononce un discours. (Photo{NBSP}: Lam Khanh/VNA)",
     ["Le ministre prononce un discours.", f"(Photo{NBSP}: Lam Khanh/VNA)"]),
    ("Quang cảnh phiên họp sáng 22/12. (Ảnh: An Đăng/TTXVN)",
     ["Quang cảnh phiên họp sáng 22/12.", "(Ảnh: An Đăng/TTXVN)"]),
    ("Le ministre prononce un discours (Photo : VNA)", ["Le ministre prononce un discours", "(Photo : VNA)"]),
    # parentheses and other punctuation
    ("La résolution (11e législature) est appliquée. Les résultats sont bons.",
     ["La résolution (11e législature) est appliquée.", "Les résultats sont bons."]),
    ("Il a voté (contre.) Le texte passe.", ["Il a voté (contre.)", "Le texte passe."]),
    ("Un seul titre sans point", ["Un seul titre sans point"]),
    ("Visitez www.vietnamplus.vn pour plus. Merci.", ["Visitez www.vietnamplus.vn pour plus.", "Merci."]),
]  # fmt: skip


VIETNAMESE: list[tuple[str, list[str]]] = [
    # titles, degrees and places: a name always follows them
    ("PGS.TS. Nguyễn Văn An phát biểu tại hội thảo. Ông nhấn mạnh vai trò của giáo dục.",
     ["PGS.TS. Nguyễn Văn An phát biểu tại hội thảo.", "Ông nhấn mạnh vai trò của giáo dục."]),
    ("GS. Trần Văn Thọ và TS. Lê Đăng Doanh dự họp. Hội thảo kéo dài hai ngày.",
     ["GS. Trần Văn Thọ và TS. Lê Đăng Doanh dự họp.", "Hội thảo kéo dài hai ngày."]),
    ("ThS. Phạm Thị Hoa trình bày báo cáo. BS. Nguyễn Văn Hùng bổ sung ý kiến.",
     ["ThS. Phạm Thị Hoa trình bày báo cáo.", "BS. Nguyễn Văn Hùng bổ sung ý kiến."]),
    ("BS.CKII Trần Minh Tâm cho biết bệnh nhân đã qua cơn nguy kịch. Gia đình rất vui mừng.",
     ["BS.CKII Trần Minh Tâm cho biết bệnh nhân đã qua cơn nguy kịch.", "Gia đình rất vui mừng."]),
    ("Hội nghị diễn ra tại TP. Hồ Chí Minh. Các đại biểu đến từ 20 tỉnh.",
     ["Hội nghị diễn ra tại TP. Hồ Chí Minh.", "Các đại biểu đến từ 20 tỉnh."]),
    ("Lễ hội được tổ chức tại Tp. Đồng Hới. Đồng thời, tỉnh mở hội chợ thương mại.",
     ["Lễ hội được tổ chức tại Tp. Đồng Hới.", "Đồng thời, tỉnh mở hội chợ thương mại."]),
    ("Trụ sở đặt tại P. Bến Nghé, Q. Ba Đình. Ông Minh làm việc ở đó.",
     ["Trụ sở đặt tại P. Bến Nghé, Q. Ba Đình.", "Ông Minh làm việc ở đó."]),
    ("TT. Trump sẽ tới West Virginia. Đây là chặng dừng chân đầu tiên.",
     ["TT. Trump sẽ tới West Virginia.", "Đây là chặng dừng chân đầu tiên."]),
    ("Nhà thờ St. Martin đã im lặng. Mr. Bean là phim hài.", ["Nhà thờ St. Martin đã im lặng.", "Mr. Bean là phim hài."]),
    ("Họ mua gạo, muối, đường, v.v. Sau đó họ về nhà.", ["Họ mua gạo, muối, đường, v.v.", "Sau đó họ về nhà."]),
    ("Họ mua gạo, muối, v.v. và trở về nhà.", ["Họ mua gạo, muối, v.v. và trở về nhà."]),
    # initials and one-letter words
    ("Ông N.T.H. bị bắt tại Hà Nội. Cơ quan điều tra đang làm rõ.",
     ["Ông N.T.H. bị bắt tại Hà Nội.", "Cơ quan điều tra đang làm rõ."]),
    ("Dàn chuông do Dionisio A. Lind chơi. Ông Merriweather nói vậy.",
     ["Dàn chuông do Dionisio A. Lind chơi.", "Ông Merriweather nói vậy."]),
    ("Chủ tịch Hồ Chí Minh đọc bản Tuyên ngôn Độc lập. Sự kiện diễn ra năm 1945.",
     ["Chủ tịch Hồ Chí Minh đọc bản Tuyên ngôn Độc lập.", "Sự kiện diễn ra năm 1945."]),
    ("Trận đấu diễn ra tại Naples, Ý. Chelsea sẽ gặp Videoton.", ["Trận đấu diễn ra tại Naples, Ý.", "Chelsea sẽ gặp Videoton."]),
    ("Kavadarkov đã nêu ý kiến của mình và những người khác tán thành ý. Kavadarkov nói thêm.",
     ["Kavadarkov đã nêu ý kiến của mình và những người khác tán thành ý.", "Kavadarkov nói thêm."]),
    ("Tôi đã gặp ông. Ông ấy rất vui.", ["Tôi đã gặp ông.", "Ông ấy rất vui."]),
    # numbers, dates, decimals
    ("Dân số đạt 1.000.000 người. Tỷ lệ tăng là 3,5%.", ["Dân số đạt 1.000.000 người.", "Tỷ lệ tăng là 3,5%."]),
    ("Ngày 23.12.2023, đoàn đến Hà Nội. Chuyến thăm kéo dài ba ngày.",
     ["Ngày 23.12.2023, đoàn đến Hà Nội.", "Chuyến thăm kéo dài ba ngày."]),
    ("Giá vàng tăng lên 75,5 triệu đồng. Các nhà đầu tư lo ngại.",
     ["Giá vàng tăng lên 75,5 triệu đồng.", "Các nhà đầu tư lo ngại."]),
    ("Kim ngạch xuất khẩu đạt 12.5 tỷ USD năm 2023. Năm nay dự kiến cao hơn.",
     ["Kim ngạch xuất khẩu đạt 12.5 tỷ USD năm 2023.", "Năm nay dự kiến cao hơn."]),
    ("1. Nâng cao chất lượng giáo dục. 2. Phát triển hạ tầng.", ["1. Nâng cao chất lượng giáo dục.", "2. Phát triển hạ tầng."]),
    # quotes, ellipses, ? and !
    ("Ông nói: “Chúng tôi sẽ làm hết sức mình.” Sau đó ông rời cuộc họp.",
     ["Ông nói: “Chúng tôi sẽ làm hết sức mình.”", "Sau đó ông rời cuộc họp."]),
    ('Bà hỏi: "Ai sẽ chịu trách nhiệm?" Không ai trả lời.', ['Bà hỏi: "Ai sẽ chịu trách nhiệm?"', "Không ai trả lời."]),
    ("Ông ấy do dự... Rồi ông bước ra.", ["Ông ấy do dự...", "Rồi ông bước ra."]),
    ("Ông ấy do dự... rồi bước ra.", ["Ông ấy do dự... rồi bước ra."]),
    ("Ông ấy do dự… Rồi ông bước ra.", ["Ông ấy do dự…", "Rồi ông bước ra."]),
    ("Thật tuyệt vời! Khán giả đứng dậy vỗ tay.", ["Thật tuyệt vời!", "Khán giả đứng dậy vỗ tay."]),
    ('West hỏi: "Các bạn có biết thế nào là sa lầy không?", anh ta nói. Khán giả im lặng.',
     ['West hỏi: "Các bạn có biết thế nào là sa lầy không?", anh ta nói.', "Khán giả im lặng."]),
    # credits and bylines
    ("Quang cảnh phiên họp sáng 22/12. (Ảnh: An Đăng/TTXVN)", ["Quang cảnh phiên họp sáng 22/12.", "(Ảnh: An Đăng/TTXVN)"]),
    ("Thủ tướng phát biểu tại hội nghị (Ảnh: TTXVN)", ["Thủ tướng phát biểu tại hội nghị", "(Ảnh: TTXVN)"]),
    ("Số liệu được công bố hôm qua. (Nguồn: Tổng cục Thống kê)", ["Số liệu được công bố hôm qua.", "(Nguồn: Tổng cục Thống kê)"]),
    ("Hà Nội (TTXVN) - Sáng 22/12, Quốc hội khai mạc kỳ họp. Các đại biểu đã có mặt.",
     ["Hà Nội (TTXVN) - Sáng 22/12, Quốc hội khai mạc kỳ họp.", "Các đại biểu đã có mặt."]),
    ("Thanh Hà (TTXVN)", ["Thanh Hà (TTXVN)"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_tricky_french(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), VIETNAMESE, ids=[c[0][:40] for c in VIETNAMESE])
def test_tricky_vietnamese(text: str, expected: list[str]) -> None:
    assert split_sentences(text, lang="vi") == expected


def test_the_tables_are_large_enough() -> None:
    assert len(CASES) >= 40
    assert len(VIETNAMESE) >= 30


LABELLED: list[tuple[str, Language]] = [(text, "fr") for text, _ in CASES] + [
    (text, "vi") for text, _ in VIETNAMESE
]


@pytest.mark.parametrize(("text", "lang"), LABELLED, ids=[c[0][:40] for c in LABELLED])
def test_splitting_never_changes_text(text: str, lang: Language) -> None:
    assert "".join(split_sentences(text, lang)).replace(" ", "").replace(NBSP, "") == text.replace(
        " ", ""
    ).replace(NBSP, "")


@pytest.mark.parametrize(("text", "lang"), LABELLED, ids=[c[0][:40] for c in LABELLED])
def test_decomposed_text_splits_at_the_same_places(text: str, lang: Language) -> None:
    nfd = unicodedata.normalize("NFD", text)
    expected = [unicodedata.normalize("NFD", s) for s in split_sentences(text, lang)]
    assert split_sentences(nfd, lang) == expected


# Sentences that open with a word that starts sentences: after "." or an ellipsis alike, a new
# sentence begins.
FIRSTS = ["Le comité a voté contre le projet.", "Il a quitté la salle.", "L'accord a été signé.",
          "Qu'on le veuille ou non, la loi passe.", "Puis la séance a repris.", "Elle n'a rien dit."]  # fmt: skip


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(FIRSTS, 2)))
@pytest.mark.parametrize("end", ["...", "…", "!", "?"])
def test_an_ellipsis_ends_a_sentence_where_a_period_does(first: str, second: str, end: str) -> None:
    with_end = first[:-1] + end
    assert split_sentences(f"{first} {second}") == [first, second]
    assert split_sentences(f"{with_end} {second}") == [with_end, second]


@pytest.mark.parametrize("number", ["1", "2", "12", "IV"])
@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(FIRSTS, 2)))
def test_a_list_number_opens_its_item(number: str, first: str, second: str) -> None:
    item = f"{number}. {second}"
    assert split_sentences(f"{number}. {first}") == [f"{number}. {first}"]
    assert split_sentences(f"{first} {item}") == [first, item]


def test_an_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'de'"):
        split_sentences("Guten Tag. Wie geht's?", lang="de")


def test_ntrex_boundary_recall() -> None:
    paragraphs = build_paragraphs(corpus_lines("ntrex128.fra"), corpus_lines("ntrex128.docids"))
    scores = boundary_scores(split_sentences, paragraphs)
    assert scores.gold > 1000
    assert scores.recall >= 0.99


def test_ntrex_vietnamese_boundary_recall() -> None:
    paragraphs = build_paragraphs(corpus_lines("ntrex128.vie"), corpus_lines("ntrex128.docids"))
    scores = boundary_scores(lambda text: split_sentences(text, lang="vi"), paragraphs)
    assert scores.gold > 1000
    assert scores.recall >= 0.99
    assert scores.precision >= 0.95  # a lower bound: NTREX lines sometimes hold two sentences


@pytest.mark.parametrize(
    ("paragraph", "found", "predicted"),
    [(["Un.", "Deux."], 1, 1), (["Il a vu M.", "Dupont."], 0, 0), (["Un. Deux.", "Trois."], 1, 2)],
)
def test_boundary_scores_count_what_they_should(
    paragraph: list[str], found: int, predicted: int
) -> None:
    naive = lambda text: [s + "." for s in text.rstrip(".").split(". ")]  # noqa: E731
    scores = boundary_scores(naive if predicted else split_sentences, [paragraph])
    assert (scores.correct, scores.gold, scores.predicted) == (found, 1, predicted)
