"""Building small real Marian models in the opus-mt layout, for tests and benchmarks.

The models have random weights, so they translate nothing meaningfully, but they exercise the real
engine end to end: SentencePiece tokenizers trained on the given text, a ``MarianConfig``,
``save_pretrained``, and the files an opus-mt directory holds (``config.json``, weights,
``source.spm``, ``target.spm``, ``vocab.json``).  torch, transformers and sentencepiece are imported
only when a model is built.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["BASE_SHAPE", "TINY_SHAPE", "build_marian"]

# The architecture of Helsinki-NLP/opus-mt-* base models, as their config.json gives it (swish
# feed-forward activation, embeddings scaled by sqrt(d_model)).
BASE_SHAPE: dict[str, Any] = {
    "d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "encoder_attention_heads": 8,
    "decoder_attention_heads": 8, "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048,
    "activation_function": "swish", "scale_embedding": True,
}  # fmt: skip
# Small enough to build and run in a second; a large init spread so outputs depend on the input.
TINY_SHAPE: dict[str, Any] = {
    "d_model": 64, "encoder_layers": 2, "decoder_layers": 2, "encoder_attention_heads": 2,
    "decoder_attention_heads": 2, "encoder_ffn_dim": 128, "decoder_ffn_dim": 128, "init_std": 0.5,
}  # fmt: skip


def build_marian(
    directory: Path,
    texts: Iterable[str],
    *,
    target_texts: Iterable[str] | None = None,
    vocab_size: int = 600,
    padded_vocab: int | None = None,
    seed: int = 0,
    shape: dict[str, Any] | None = None,
) -> Path:
    """Train tokenizers on ``texts`` and save a random-weight Marian model in ``directory``.

    Args:
        directory: where to save the model (created).
        texts: training text for the source and target SentencePiece models.
        target_texts: when given, the target SentencePiece model is trained on these instead,
            and the vocabulary is split as opus-mt's is: source pieces, target pieces, and any
            padding shared out between the two tokenizers as pieces of their own (about half
            of opus-mt's 59,514 entries are pieces only its source tokenizer makes).
        vocab_size: SentencePiece vocabulary size of each side.
        padded_vocab: the model's vocabulary size if larger than the tokenizers' (opus-mt base
            models have 59514 entries); the extra entries are unused pieces, or with
            ``target_texts`` each tokenizer's own extra pieces.
        seed: torch seed for the weights.
        shape: ``MarianConfig`` fields; :data:`TINY_SHAPE` by default.

    Returns:
        ``directory``.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    directory.mkdir(parents=True, exist_ok=True)
    source = list(texts)
    target = source if target_texts is None else list(target_texts)
    _train(directory, source, target, vocab_size, ([], []))
    if target_texts is not None and padded_vocab is not None:
        # Padding in the tokenizers themselves, half each, so each side keeps its share.
        extra = max(0, padded_vocab - 1 - len(_vocab(directory, None)) + 1)
        fill = ([f"<source-extra-{i}>" for i in range(extra // 2)],
                [f"<target-extra-{i}>" for i in range(extra - extra // 2)])  # fmt: skip
        _train(directory, source, target, vocab_size, fill)
    vocab = _vocab(directory, padded_vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    size = len(vocab)
    config = MarianConfig(
        vocab_size=size, pad_token_id=size - 1, decoder_start_token_id=size - 1, eos_token_id=0,
        forced_eos_token_id=0, max_position_embeddings=512, share_encoder_decoder_embeddings=True,
        **(shape or TINY_SHAPE),
    )  # fmt: skip
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config = _opus_mt_generation(size - 1)
    model.save_pretrained(directory)
    return directory


def _train(
    directory: Path,
    source: list[str],
    target: list[str],
    vocab_size: int,
    extra: tuple[list[str], list[str]],
) -> None:
    """``source.spm`` and ``target.spm`` trained on their texts, each with its ``extra`` pieces."""
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        for side, text, pieces in (("source", source, extra[0]), ("target", target, extra[1])):
            corpus = Path(tmp) / f"{side}.txt"
            corpus.write_text("\n".join(text), encoding="utf-8")
            spm.SentencePieceTrainer.train(
                input=str(corpus), model_prefix=str(Path(tmp) / side),
                vocab_size=vocab_size + len(pieces), user_defined_symbols=pieces,
                character_coverage=1.0, model_type="unigram", bos_id=-1, eos_id=0, unk_id=1,
                pad_id=-1, hard_vocab_limit=False, minloglevel=2,
            )  # fmt: skip
            (Path(tmp) / f"{side}.model").replace(directory / f"{side}.spm")


def _opus_mt_generation(pad: int) -> Any:
    """The generation config Helsinki-NLP/opus-mt-* models ship (``generation_config.json``):
    beam search of 4, ``<pad>`` never generated, ``</s>`` (id 0) forced at the length cap."""
    from transformers import GenerationConfig

    return GenerationConfig(
        bad_words_ids=[[pad]], bos_token_id=0, decoder_start_token_id=pad, eos_token_id=0,
        forced_eos_token_id=0, max_length=512, num_beams=4, pad_token_id=pad,
    )  # fmt: skip


def _vocab(directory: Path, padded: int | None) -> dict[str, int]:
    """A shared vocabulary: source pieces, then new target pieces, filler, and ``<pad>`` last."""
    import sentencepiece as spm

    vocab: dict[str, int] = {}
    for side in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(directory / f"{side}.spm"))
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    while padded is not None and len(vocab) < padded - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab
