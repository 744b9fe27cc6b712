"""What ``bench_translate.py`` times: the opus-mt-base-shaped model with random weights (and its
CTranslate2 conversion), built once into ``benchmarks/.cache``, and each configuration's translate
function.  ``bench_scale.py`` uses the same model.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from development.corpora import ROOT, corpus

CACHE = ROOT / "benchmarks" / ".cache"
NEW_TOKENS = 32
THREADS = 2
TOKENIZER_TEXTS = {
    "fr+vi": ("ntrex128.fra", "ntrex128.vie"),
    "fr+en": ("ntrex128.fra", "ntrex128.eng"),
}


def model_dir(tokenizer: str) -> Path:
    return CACHE / ("opus-mt-base-32k-frvi" if tokenizer == "fr+vi" else "opus-mt-base-32k-fren")


def base_model(tokenizer: str = "fr+vi") -> Path:
    """The base-shaped Marian model, built once and cached.  Its vocabulary is opus-mt's in
    every way that costs: a source tokenizer trained on the French text and a target one on the
    other language's, each padded to 32,000 pieces with pieces no text makes, whose union with
    ``<pad>`` is 59,514 entries; so int8's output layer, cut to the target pieces, keeps the
    32,000 rows of 59,514 it keeps on opus-mt."""
    from development.tiny_models import BASE_SHAPE, OPUS_MT_PIECES, OPUS_MT_VOCAB, build_marian

    model = model_dir(tokenizer)
    if not (model / "generation_config.json").exists():
        source, target = (corpus(name) for name in TOKENIZER_TEXTS[tokenizer])
        build_marian(model, source, target_texts=target, vocab_size=8000, pieces=OPUS_MT_PIECES,
                     padded_vocab=OPUS_MT_VOCAB, shape=BASE_SHAPE, seed=0)  # fmt: skip
    return model


def build_models(tokenizer: str) -> None:
    """The base-shaped model and its two CTranslate2 conversions (int8), built once and cached:
    as CTranslate2's users convert it, and with a vocabulary map (``vmap.txt``) whose
    always-included entries are the target tokenizer's pieces, the rows bilingual's int8 output
    layer keeps (:func:`bilingual.translate.vocabulary.target_columns`)."""
    model = base_model(tokenizer)
    for vmap in (False, True):
        converted = _converted(model, vmap)
        if not (converted / "model.bin").exists() or _older(converted, model):
            import ctranslate2

            with tempfile.TemporaryDirectory() as tmp:
                mapping = _vmap(model, Path(tmp) / "vmap.txt") if vmap else None
                ctranslate2.converters.TransformersConverter(str(model)).convert(
                    str(converted), vmap=mapping, quantization="int8", force=True
                )


def _vmap(model: Path, path: Path) -> str:
    """A vocabulary map of one line: an empty source n-gram (always applies) and every
    target piece."""
    import json

    import sentencepiece as spm

    vocab = json.loads((model / "vocab.json").read_text("utf-8"))
    target = spm.SentencePieceProcessor(model_file=str(model / "target.spm"))
    pieces = [target.id_to_piece(i) for i in range(target.get_piece_size())]
    path.write_text("\t" + " ".join(p for p in pieces if p in vocab) + "\n", "utf-8")
    return str(path)


def _converted(model: Path, vmap: bool = False) -> Path:
    return model.with_name(model.name + ("-ct2-int8-vmap" if vmap else "-ct2-int8"))


def _older(converted: Path, model: Path) -> bool:
    return (converted / "model.bin").stat().st_mtime < (model / "config.json").stat().st_mtime


def engine(key: str, beams: int, model: Path):  # type: ignore[no-untyped-def]
    """The translate function configuration ``key`` times (see ``bench_translate.CONFIGS``)."""
    if key.startswith(("a", "b")):
        return _generate(model, size=1 if key == "a" else 16, beams=beams)
    if key.startswith(("c", "d")):
        from bilingual import Translator

        translator = Translator(
            model,
            device="cpu",
            precision="fp32" if key.startswith("c") else "int8",
            workers=1 if key.startswith("d1") else None,
        )
        return lambda texts: translator.translate(
            texts, max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, num_beams=beams
        )
    return _ctranslate2(model, key, beams)


def _generate(model: Path, size: int, beams: int):  # type: ignore[no-untyped-def]
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(model)
    marian = MarianMTModel.from_pretrained(model).eval()
    gen = {"max_new_tokens": NEW_TOKENS, "min_new_tokens": NEW_TOKENS, "num_beams": beams}

    def stock(texts: list[str]) -> None:
        if beams > 1:  # as an engine would batch them: similar lengths together
            texts = sorted(texts, key=lambda t: len(tokenizer(t)["input_ids"]))
        with torch.inference_mode():
            for i in range(0, len(texts), size):
                batch = tokenizer(texts[i : i + size], return_tensors="pt", padding=True)
                marian.generate(**batch, **gen, do_sample=False)

    return stock


def _ctranslate2(model: Path, key: str, beams: int):  # type: ignore[no-untyped-def]
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model / "source.spm"))
    inter = 2 if key.startswith(("g", "w")) else 1
    vmap = key.startswith(("v", "w"))
    ct2 = ctranslate2.Translator(
        str(_converted(model, vmap)),
        device="cpu",
        compute_type="int8",
        inter_threads=inter,
        intra_threads=THREADS // inter,
    )
    batching = (
        {"max_batch_size": 32} if key == "e" else {"max_batch_size": 4096, "batch_type": "tokens"}
    )

    def ctranslate(texts: list[str]) -> None:
        tokens = [[*sp.encode(t, out_type=str), "</s>"] for t in texts]
        ct2.translate_batch(
            tokens,
            beam_size=beams,
            max_decoding_length=NEW_TOKENS,
            min_decoding_length=NEW_TOKENS,
            use_vmap=vmap,
            **batching,
        )

    return ctranslate
