"""Whether the fast decoders reproduce ``generate`` for a model's generation config.

A config may ask for processors the decoders do not implement (repetition penalties, n-gram
bans, forced tokens, …); for those, the engine uses ``generate``.  No torch here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["supports"]

# Generation settings at the values that leave the search alone; any other value means "use
# generate".  Sampling settings do not apply (the engine never samples); the length penalty and
# early stopping are the beam decoder's own.
_NEUTRAL = {
    "repetition_penalty": 1.0,
    "encoder_repetition_penalty": 1.0,
    "no_repeat_ngram_size": 0,
    "encoder_no_repeat_ngram_size": 0,
    "diversity_penalty": 0.0,
    "num_beam_groups": 1,
    "exponential_decay_length_penalty": None,
    "suppress_tokens": None,
    "begin_suppress_tokens": None,
    "forced_bos_token_id": None,
    "sequence_bias": None,
    "constraints": None,
    "force_words_ids": None,
    "min_length": 0,
    "renormalize_logits": False,
    "remove_invalid_values": False,
    "guidance_scale": None,
    "max_time": None,
    "stop_strings": None,
}


def supports(model: Any) -> bool:
    """Whether the decoders reproduce ``generate`` for ``model``'s generation config: neutral
    processors, single-token ``bad_words_ids`` and one end-of-sentence token."""
    config = model.generation_config
    for key, neutral in _NEUTRAL.items():
        value = getattr(config, key, neutral)
        if value is not None and value != neutral:
            return False
    bad = getattr(config, "bad_words_ids", None) or []
    eos = config.eos_token_id
    single_eos = not isinstance(eos, list) or len(eos) == 1
    single_tokens = all(len(ids) == 1 for ids in bad)
    return single_eos and single_tokens and type(model).__name__ == "MarianMTModel"
