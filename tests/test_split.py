"""French sentence splitting: a table of tricky news-style cases, and recall on NTREX."""

from __future__ import annotations

import pytest

from bilingual import split_sentences
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


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_tricky_french(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("text", "_"), CASES, ids=[c[0][:40] for c in CASES])
def test_splitting_never_changes_text(text: str, _: list[str]) -> None:
    assert "".join(split_sentences(text)).replace(" ", "").replace(NBSP, "") == text.replace(
        " ", ""
    ).replace(NBSP, "")


def test_ntrex_boundary_recall() -> None:
    paragraphs = build_paragraphs(corpus_lines("ntrex128.fra"), corpus_lines("ntrex128.docids"))
    scores = boundary_scores(split_sentences, paragraphs)
    assert scores.gold > 1000
    assert scores.recall >= 0.99


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
