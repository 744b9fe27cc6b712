"""An article as both sides will write it, and the conventions that change it.

A plan is a list of :class:`Block` s (title, lead, body paragraphs, subheadings, captions,
related-article blocks) made of :class:`Unit` s: a unit is what one gold link joins, its French
sentences and the Vietnamese ones, and whether each side shows it.  A convention
(:data:`CONVENTIONS`) changes the plan in place: merges or splits units, hides them on one side,
adds related blocks.  Used by :mod:`development.originals`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from development.original_site import credits

__all__ = ["APPLY", "CONVENTIONS", "HELD_OUT", "Block", "Unit"]

# name -> weight: the faithful translation the most common.
CONVENTIONS = {
    "faithful": 4,
    "merge": 1,  # two Vietnamese sentences -> one French sentence (a link of fr 1 : vi 2)
    "split": 1,  # one Vietnamese sentence -> two French sentences (fr 2 : vi 1)
    "drop_fr": 1,  # the French leaves a sentence out (a Vietnamese sentence unlinked, 0-1)
    "add_fr": 1,  # the French has a sentence the original lacks (1-0)
    "drop_paragraph_fr": 1,  # the French leaves a whole paragraph out
    "drop_paragraph_vi": 1,  # the original lacks a paragraph the French has
    "no_lead": 1,  # the French edition drops the lead paragraph
    "one_side_captions": 1,  # a caption on the original only, another on the page only
    "related_blocks": 1,  # "Tin liên quan" / "Lire aussi" blocks inside the body
}
# Conventions only measured: an aligner is fitted on pages of the others.
HELD_OUT = ("split", "drop_paragraph_vi", "related_blocks")


@dataclass
class Unit:
    """What one gold link joins: French sentences, Vietnamese sentences, and where they show.

    Attributes:
        fr_parts, vi_parts: the sentences of each side (a corpus line is one part).
        page, original: whether the French page, the Vietnamese original, shows the unit; a
            gold link when both do.
        credit: (Vietnamese, French) photo credit of a caption; ``None`` for other text.
        pairs: (French, reference Vietnamese) for an oracle translator, when not the unit's own
            two sides (a split unit gives each French sentence its own line's Vietnamese).
    """

    fr_parts: tuple[str, ...]
    vi_parts: tuple[str, ...]
    page: bool = True
    original: bool = True
    credit: tuple[str, str] | None = None
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def fr(self) -> str:
        return " ".join(self.fr_parts)

    @property
    def vi(self) -> str:
        return " ".join(self.vi_parts)

    def references(self) -> tuple[tuple[str, str], ...]:
        return self.pairs or ((self.fr, self.vi),)

    def headed(self) -> Unit:
        """The unit as a subheading: no final stop on either side."""
        return replace(self, fr_parts=(_headline(self.fr),), vi_parts=(_headline(self.vi),))

    def captioned(self, photographer: tuple[str, str] | None) -> Unit:
        return replace(self, credit=credits(photographer))


@dataclass
class Block:
    """A paragraph of the plan: ``title``, ``lead``, ``body``, ``heading``, ``caption``, or a
    ``related`` block (chrome: its units are headlines of other articles, never linked)."""

    kind: str
    units: list[Unit]


Change = Callable[[list[Block], random.Random, list[tuple[str, str]]], list[str]]


def _headline(text: str) -> str:
    return text.strip().rstrip(".!?…").strip()


def _single(unit: Unit) -> bool:
    """A one-sentence unit on both sides, ending with a full stop, shown on both: mergeable."""
    return (
        len(unit.fr_parts) == len(unit.vi_parts) == 1
        and unit.fr.endswith(".")
        and unit.vi.endswith(".")
        and unit.page
        and unit.original
    )


def _adjacent(plan: list[Block], rng: random.Random, n: int) -> list[tuple[Block, int]]:
    """Up to ``n`` (body block, k) where units k and k+1 can be joined, apart from each other."""
    spots = [(b, k) for b in plan if b.kind == "body" for k in range(len(b.units) - 1)
             if _single(b.units[k]) and _single(b.units[k + 1])]  # fmt: skip
    chosen: list[tuple[Block, int]] = []
    for block, k in rng.sample(spots, len(spots)):
        if len(chosen) < n and all(b is not block for b, _ in chosen):
            chosen.append((block, k))
    return chosen


def _merge(plan: list[Block], rng: random.Random, _: list[tuple[str, str]]) -> list[str]:
    """Two Vietnamese sentences translated as one French sentence (joined at a semicolon)."""
    out = []
    for block, k in _adjacent(plan, rng, rng.choice((1, 2))):
        a, b = block.units[k], block.units[k + 1]
        french = f"{a.fr[:-1]} ; {b.fr}"
        block.units[k : k + 2] = [Unit((french,), a.vi_parts + b.vi_parts)]
        out.append("merge")
    return out


def _split(plan: list[Block], rng: random.Random, _: list[tuple[str, str]]) -> list[str]:
    """One Vietnamese sentence (two joined at a semicolon) translated as two French ones."""
    out = []
    for block, k in _adjacent(plan, rng, rng.choice((1, 2))):
        a, b = block.units[k], block.units[k + 1]
        vietnamese = f"{a.vi[:-1]}; {b.vi}"
        block.units[k : k + 2] = [
            Unit(a.fr_parts + b.fr_parts, (vietnamese,), pairs=((a.fr, a.vi), (b.fr, b.vi)))
        ]
        out.append("split")
    return out


def _hide(side: str, whole: bool) -> Change:
    """Leave a sentence (of a paragraph that keeps others) or a whole body paragraph out of the
    French page (``side="page"``) or of the original (``"original"``)."""

    def change(plan: list[Block], rng: random.Random, _: list[tuple[str, str]]) -> list[str]:
        bodies = [b for b in plan if b.kind == "body" and (whole or len(b.units) >= 2)]
        bodies = bodies[:-1] if whole and len(bodies) > 1 else bodies  # keep the last paragraph
        if not bodies:
            return []
        block = rng.choice(bodies)
        targets = range(len(block.units)) if whole else [rng.randrange(len(block.units))]
        for k in targets:
            unit = block.units[k]
            block.units[k] = (
                replace(unit, page=False) if side == "page" else replace(unit, original=False)
            )
        return [f"{'paragraph' if whole else 'sentence'}_missing_on_{side}"]

    return change


def _no_lead(plan: list[Block], rng: random.Random, _: list[tuple[str, str]]) -> list[str]:
    for block in plan:
        if block.kind == "lead":
            block.units = [replace(u, page=False) for u in block.units]
    return ["no_lead"]


def _one_side_captions(
    plan: list[Block], rng: random.Random, _: list[tuple[str, str]]
) -> list[str]:
    """A caption the French page leaves out and one the original lacks (made from body
    paragraphs of one line when the page has fewer than two captions)."""
    captions = [b for b in plan if b.kind == "caption"]
    singles = [b for b in plan if b.kind == "body" and len(b.units) == 1]
    for block in rng.sample(singles, min(len(singles), max(0, 2 - len(captions)))):
        block.kind, block.units = "caption", [block.units[0].captioned(None)]
        captions.append(block)
    if len(captions) < 2:
        return []
    first, second = rng.sample(captions, 2)
    first.units = [replace(u, page=False) for u in first.units]
    second.units = [replace(u, original=False) for u in second.units]
    return ["caption_missing_on_page", "caption_missing_on_original"]


def _related(plan: list[Block], rng: random.Random, titles: list[tuple[str, str]]) -> list[str]:
    """One or two related-article blocks between body paragraphs (other articles' titles)."""
    places = [k for k in range(2, len(plan)) if plan[k - 1].kind == "body"]
    out = []
    for k in sorted(rng.sample(places, min(len(places), rng.choice((1, 2)))), reverse=True):
        heads = rng.sample(titles, min(len(titles), rng.choice((1, 2, 3))))
        plan.insert(k, Block("related", [Unit((f,), (v,)) for f, v in heads]))
        out.append("related_block")
    return out


APPLY: dict[str, Change] = {
    "faithful": lambda plan, rng, titles: [],
    "merge": _merge,
    "split": _split,
    "drop_fr": _hide("page", whole=False),
    "add_fr": _hide("original", whole=False),
    "drop_paragraph_fr": _hide("page", whole=True),
    "drop_paragraph_vi": _hide("original", whole=True),
    "no_lead": _no_lead,
    "one_side_captions": _one_side_captions,
    "related_blocks": _related,
}
