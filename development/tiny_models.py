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

__all__ = ["BASE_SHAPE", "OPUS_MT_PIECES", "OPUS_MT_VOCAB", "TINY_SHAPE", "build_marian"]

# The architecture of Helsinki-NLP/opus-mt-* base models, as their config.json gives it (swish
# feed-forward activation, embeddings scaled by sqrt(d_model)).
BASE_SHAPE: dict[str, Any] = {
    "d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "encoder_attention_heads": 8,
    "decoder_attention_heads": 8, "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048,
    "activation_function": "swish", "scale_embedding": True,
}  # fmt: skip
# opus-mt's vocabulary: two SentencePiece models of 32,000 pieces each, whose union and ``<pad>``
# make the 59,514 entries of vocab.json (Helsinki-NLP/opus-mt-fr-en).
OPUS_MT_PIECES = 32000
OPUS_MT_VOCAB = 59514
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
    pieces: int | None = None,
    padded_vocab: int | None = None,
    seed: int = 0,
    shape: dict[str, Any] | None = None,
) -> Path:
    """Train tokenizers on ``texts`` and save a random-weight Marian model in ``directory``.

    Args:
        directory: where to save the model (created).
        texts: training text for the source and target SentencePiece models.
        target_texts: when given, the target SentencePiece model is trained on these instead,
            and the vocabulary is the union of the two tokenizers' pieces, as opus-mt's is.
        vocab_size: SentencePiece vocabulary size trained on each side (fewer when the text
            is too small for it).
        pieces: with ``target_texts``, each tokenizer is padded to this many pieces (opus-mt:
            :data:`OPUS_MT_PIECES`) with pieces no text ever makes.
        padded_vocab: the model's vocabulary size (opus-mt base: :data:`OPUS_MT_VOCAB`).
            With ``pieces``, the padding is shared between the two tokenizers so that their
            union, plus ``<pad>``, is exactly this size, as opus-mt's 32,000 + 32,000 pieces
            make 59,514 entries; otherwise the vocabulary is filled with entries no
            tokenizer makes.
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
    _train(directory, source, target, vocab_size)
    if pieces is not None:
        if target_texts is None:
            raise ValueError("pieces pads two tokenizers trained apart: give target_texts")
        _pad_pieces(directory, pieces, padded_vocab)
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


def _train(directory: Path, source: list[str], target: list[str], vocab_size: int) -> None:
    """``source.spm`` and ``target.spm`` trained on their texts."""
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        for side, text in (("source", source), ("target", target)):
            corpus = Path(tmp) / f"{side}.txt"
            corpus.write_text("\n".join(text), encoding="utf-8")
            spm.SentencePieceTrainer.train(
                input=str(corpus), model_prefix=str(Path(tmp) / side), vocab_size=vocab_size,
                character_coverage=1.0, model_type="unigram", bos_id=-1, eos_id=0, unk_id=1,
                pad_id=-1, hard_vocab_limit=False, minloglevel=2,
            )  # fmt: skip
            (Path(tmp) / f"{side}.model").replace(directory / f"{side}.spm")


def _pad_pieces(directory: Path, pieces: int, vocab: int | None) -> None:
    """Pad ``source.spm`` and ``target.spm`` to ``pieces`` pieces each with unused pieces (never
    made from any text), some of them in both, so that the two share ``2 * pieces - (vocab - 1)``
    pieces as opus-mt's do (``vocab`` counts ``<pad>``, which neither tokenizer has)."""
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    protos = {}
    for side in ("source", "target"):
        proto = model_pb2.ModelProto()
        proto.ParseFromString((directory / f"{side}.spm").read_bytes())
        protos[side] = proto
    trained = {side: [p.piece for p in proto.pieces] for side, proto in protos.items()}
    common = len(set(trained["source"]) & set(trained["target"]))
    shared = 0 if vocab is None else 2 * pieces - (vocab - 1) - common
    if shared < 0 or any(len(t) + shared > pieces for t in trained.values()):
        raise ValueError(
            f"cannot pad tokenizers of {[len(t) for t in trained.values()]} pieces, {common} "
            f"in common, to {pieces} pieces each and a vocabulary of {vocab}"
        )
    unused = model_pb2.ModelProto.SentencePiece.UNUSED
    for side, proto in protos.items():
        names = [f"<shared-unused-{i}>" for i in range(shared)]
        names += [f"<{side}-unused-{i}>" for i in range(pieces - len(trained[side]) - shared)]
        for name in names:
            proto.pieces.add(piece=name, score=0.0, type=unused)
        (directory / f"{side}.spm").write_bytes(proto.SerializeToString())


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
