"""Translator.score: forced decoding, equal to transformers' loss with ``labels`` in fp32."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from bilingual import Translator
from bilingual.errors import ConfigError
from bilingual.translate.base import Generation, PairTooLong, Score
from bilingual.translate.cache import CachedEngine, CachedScorer, TranslationCache
from conftest import SENTENCES, corpus_lines

# Targets of mixed lengths, an empty one (only </s> is scored) and a repeat among them.
TARGETS = [
    "Hello there.",
    "A much longer target sentence, with many words in it, and more words after them.",
    "",
    "x",
    SENTENCES[4],
    "Hello there.",
    "Le Comité central.",
]
SOURCES = [*SENTENCES[:6], SENTENCES[0]]


def assert_equals_reference(translator: Translator, source: str, target: str, score: Score) -> None:
    """``score`` is transformers' for the pair alone, given as ``labels``: ``-loss`` (the mean
    log-probability per token) to 1e-4, and ``-loss * n`` to fp32's precision of a sum."""
    encoded = translator.tokenizer(source, text_target=target, return_tensors="pt")
    with torch.inference_mode():
        loss = float(translator.model(**encoded).loss)
    tokens = encoded["labels"].shape[1]
    assert score.tokens == tokens
    assert score.per_token == pytest.approx(-loss, abs=1e-4)
    assert score.total == pytest.approx(-loss * tokens, rel=1e-6, abs=1e-4)


@pytest.mark.slow  # the reference loss, pair by pair
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_scores_equal_transformers_loss_in_one_mixed_batch(
    model_dirs: dict[str, Path], lang: str
) -> None:
    translator = Translator(model_dirs[lang], device="cpu")
    scores = translator.score(SOURCES, TARGETS)
    assert len(scores) == len(SOURCES)
    for source, target, score in zip(SOURCES, TARGETS, scores, strict=True):
        assert_equals_reference(translator, source, target, score)


def test_many_small_batches_give_the_scores_of_one(model_dirs: dict[str, Path]) -> None:
    whole = Translator(model_dirs["en"], device="cpu").score(SOURCES, TARGETS)
    budget = Translator(model_dirs["en"], device="cpu", max_tokens=40, max_sentences=2)
    counted: list[int] = []
    split = budget.score(SOURCES, TARGETS, progress=counted.append)
    assert len(counted) > 2  # several batches ran
    assert sum(counted) == len(set(zip(SOURCES, TARGETS, strict=True)))  # a repeat once
    for a, b in zip(whole, split, strict=True):
        assert a.tokens == b.tokens
        assert a.per_token == pytest.approx(b.per_token, abs=1e-4)


def test_int8_scores_are_log_probabilities_of_the_same_tokens(
    model_dirs: dict[str, Path],
) -> None:
    fp32 = Translator(model_dirs["vi"], device="cpu").score(SOURCES, TARGETS)
    int8 = Translator(model_dirs["vi"], device="cpu", precision="int8").score(SOURCES, TARGETS)
    for a, b in zip(fp32, int8, strict=True):
        assert b.tokens == a.tokens
        assert b.total < 0
        # The tiny models' weights are spread wide, so int8 moves them a good deal; it still
        # ranks a pair as fp32 does within a few nats per token.
        assert abs(b.per_token - a.per_token) < 3


def test_a_better_target_scores_higher_than_a_shuffled_one(tiny_translator: Translator) -> None:
    """The score reads the target: the model's own greedy output beats its reversal."""
    source = SENTENCES[1]
    own = tiny_translator.translate([source], num_beams=1)[0]
    shuffled = " ".join(reversed(own.split())) + " zzz"
    good, bad = tiny_translator.score([source, source], [own, shuffled])
    assert good.per_token > bad.per_token


def test_too_long_and_mismatched_pairs_are_refused(tiny_translator: Translator) -> None:
    long = " ".join(["Le Comité central pour la mobilisation des masses."] * 80)
    with pytest.raises(PairTooLong, match=r"pair 1: its target has \d+ tokens") as caught:
        tiny_translator.score(["Bonjour.", "Merci."], ["Hello.", long])
    assert caught.value.index == 1
    with pytest.raises(ConfigError, match="2 sources but 1 targets"):
        tiny_translator.score(["a", "b"], ["a"])
    assert tiny_translator.score([], []) == []


def test_a_too_long_pair_behind_the_cache_is_named_by_its_own_index(
    tiny_translator: Translator, tmp_path: Path
) -> None:
    """The cache scores only what it lacks; the pair it names is still counted in the caller's
    list (a pipeline drops exactly that pair, a line run names its line)."""
    long = " ".join(["Le Comité central pour la mobilisation des masses."] * 80)
    scorer = CachedScorer(tiny_translator, TranslationCache(tmp_path / "cache.sqlite"))
    scorer.score(["Bonjour.", "Merci."], ["Hello.", "Thanks."])  # both cached now
    with pytest.raises(PairTooLong, match=r"^pair 2: its target") as caught:
        scorer.score(["Bonjour.", "Merci.", "Salut."], ["Hello.", "Thanks.", long])
    assert caught.value.index == 2


def test_the_cache_serves_scores_apart_from_translations(
    tiny_translator: Translator, tmp_path: Path
) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite")
    scorer = CachedScorer(tiny_translator, cache)
    first = scorer.score(SOURCES, TARGETS)
    assert (cache.hits, cache.misses) == (0, len(SOURCES))
    again = scorer.score(SOURCES[:2], TARGETS[:2])
    assert cache.hits == 2
    assert again == first[:2]
    assert all(isinstance(s, Score) for s in again)
    # Scores are keyed apart: translating the same source finds no cached translation.
    translations = CachedEngine(tiny_translator, cache)
    hits = cache.hits
    translations.run([SOURCES[0]], Generation(num_beams=1))
    assert cache.hits == hits
    cache.close()


@pytest.fixture(scope="module")
def base_shaped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from development.tiny_models import BASE_SHAPE, build_marian

    text = [line for line in corpus_lines("ntrex128.fra") if line.strip()]
    text += corpus_lines("ntrex128.vie")
    directory = tmp_path_factory.mktemp("base") / "opus-mt-base-random"
    return build_marian(
        directory, text, vocab_size=8000, padded_vocab=59514, shape=BASE_SHAPE, seed=0
    )


@pytest.mark.slow  # a base-shaped model on NTREX
def test_base_shaped_model_scores_equal_transformers_on_ntrex(base_shaped: Path) -> None:
    """The acceptance check: 16 NTREX pairs of mixed lengths in one batch, fp32, 1e-4."""
    french = corpus_lines("ntrex128.fra")[:16]
    vietnamese = corpus_lines("ntrex128.vie")[:16]
    translator = Translator(base_shaped, device="cpu")
    scores = translator.score(french, vietnamese)
    lengths = {s.tokens for s in scores}
    assert len(lengths) > 5  # mixed lengths, one batch (the default budget holds them all)
    for source, target, score in zip(french, vietnamese, scores, strict=True):
        assert_equals_reference(translator, source, target, score)


@pytest.mark.slow  # translates for seconds with the tiny models
def test_caption_pairs_carry_the_fr_vi_models_score(model_dirs: dict[str, Path]) -> None:
    from bilingual import Pipeline, Settings
    from bilingual.write.records import pair_records
    from conftest import SEEDS

    vi = Translator(model_dirs["vi"], device="cpu")
    pipeline = Pipeline.of({"vi": vi}, Settings(beams=1))
    documents = list(pipeline.run([str(p) for p in SEEDS]))
    pairs = [(d, a) for d in documents for a in d.alignments]
    assert pairs
    for document, alignment in pairs:
        french = " ".join(document.segments[i].text for i in alignment.fr)
        expected = vi.score([french], [document.segments[alignment.vi].text])[0]
        assert alignment.model_score == pytest.approx(round(expected.per_token, 4), abs=2e-4)
    records = [r for d in documents for r in pair_records(d)]
    assert all("model_score" in r for r in records)
    # A model that only translates (no score) leaves the pairs without one.
    plain = Pipeline.of({"vi": _Echo()})
    assert all(a.model_score is None for d in plain.run([str(SEEDS[0])]) for a in d.alignments)


class _Echo:
    def translate(self, sentences: list[str]) -> list[str]:
        return list(sentences)


@pytest.mark.parametrize(("dtype", "tolerance"), [(torch.float16, 0.02), (torch.bfloat16, 0.1)])
def test_half_precision_code_path_agrees_with_fp32(
    model_dirs: dict[str, Path], dtype: torch.dtype, tolerance: float
) -> None:
    """fp16 and bf16 run on a GPU; the forced decoder's code for them runs on CPU too, with the
    model cast by hand (a Translator refuses them on CPU), and agrees with fp32 per token."""
    from bilingual.translate.engine import _padded
    from bilingual.translate.scoring import ForcedDecoder

    fp32 = Translator(model_dirs["vi"], device="cpu")
    expected = fp32.score(SOURCES, TARGETS)
    half = ForcedDecoder(Translator(model_dirs["vi"], device="cpu").model.to(dtype))
    pairs = [fp32._pair(s, t) for s, t in zip(SOURCES, TARGETS, strict=True)]
    pad = fp32.tokenizer.pad_token_id
    sources, source_mask = _padded([s for s, _ in pairs], pad, "cpu")
    targets, target_mask = _padded([t for _, t in pairs], pad, "cpu")
    found = half(sources, source_mask, targets, target_mask)
    for a, b in zip(expected, found, strict=True):
        assert b.tokens == a.tokens
        assert b.per_token == pytest.approx(a.per_token, abs=tolerance)
