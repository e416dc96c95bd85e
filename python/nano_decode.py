"""The nano model's token decoder in Python (standard library only), for trainers outside the app.

ViGaL Playground's nano tokenizer (src/model/tokenizer.ts) is word level: a response is a list of ids whose
text is joined by spacing rules, not by concatenation ("(3,4)", "-1", "->", quotes glued to what they
enclose). A Python RL trainer must decode exactly as the app does, or its reward scores other text
than the app's. This file ports `Tokenizer.decode` (special tokens skipped); the shared vectors in
src/data/golden/decode-vectors.json hold both decoders equal (src/model/decodeVectors.test.ts and
python/test_nano_decode.py).

    from nano_decode import NanoDecoder
    dec = NanoDecoder.from_tokenizer_json("models/vigal-nano-snake-rl/tokenizer.json")
    text = dec.decode(ids)
"""

from __future__ import annotations

import json
from typing import Iterable, Optional, Sequence

TAGS = frozenset({"<think>", "</think>", "<best_answer>", "</best_answer>", "<worst_answer>", "</worst_answer>", "<answer>", "</answer>"})
GLUE_AFTER = frozenset("([{")
GLUE_BEFORE = frozenset(")]},.:;!?%")
QUOTES = frozenset("'\"")
SILENT = frozenset({"[PAD]", "[BOS]", "[EOS]"})
SP, NOSP, UNK = "[SP]", "[NOSP]", "[UNK]"


def _letter(t: Optional[str]) -> bool:
    return t is not None and len(t) == 1 and ("a" <= t <= "z" or "A" <= t <= "Z")


def _digit(t: Optional[str]) -> bool:
    return t is not None and len(t) == 1 and "0" <= t <= "9"


def _space_before(prev: Optional[str], prev2: Optional[str], open_quotes: set, cur: str) -> bool:
    """Whether the default rule puts a space before `cur` (tokenizer.ts, spaceBefore)."""
    if prev is None or prev == "\n" or cur == "\n" or prev in TAGS or cur in TAGS:
        return False
    if cur in QUOTES:
        return cur not in open_quotes and prev not in GLUE_AFTER  # opening quote: spaced; closing: glued
    if prev in QUOTES and prev in open_quotes:
        return False  # just after an opening quote
    if prev in GLUE_AFTER or cur in GLUE_BEFORE:
        return False
    if _digit(prev) and _digit(cur):
        return False  # 10, 42
    if _letter(prev) and _letter(cur):
        return False  # a spelled-out word
    if prev == "," and prev2 is not None and _digit(prev2) and (_digit(cur) or cur == "-"):
        return False  # (3,4) (3,-1)
    if prev == "-" and _digit(cur) and (prev2 is None or not (_letter(prev2[0]) or _digit(prev2[0]) or prev2[0] in ")]")):
        return False  # -1
    if cur == ">" and prev in ("-", "="):
        return False  # -> =>
    return True


class NanoDecoder:
    def __init__(self, vocab: Sequence[str]):
        self.vocab = list(vocab)

    @classmethod
    def from_tokenizer_json(cls, path: str) -> "NanoDecoder":
        with open(path, encoding="utf-8") as f:
            table = json.load(f)["model"]["vocab"]
        vocab = [""] * len(table)
        for token, i in table.items():
            vocab[i] = token
        return cls(vocab)

    def decode(self, ids: Iterable[int]) -> str:
        out, prev, prev2, open_quotes, forced = [], None, None, set(), None
        for i in ids:
            if not 0 <= i < len(self.vocab):
                raise ValueError(f"token id {i} outside the vocabulary [0, {len(self.vocab)})")
            tok = self.vocab[i]
            if tok in (SP, NOSP):
                forced = tok == SP
                continue
            if tok in SILENT:
                continue
            space = _space_before(prev, prev2, open_quotes, tok) if forced is None else forced
            forced = None
            out.append((" " if space else "") + ("\ufffd" if tok == UNK else tok))
            if tok in QUOTES:
                open_quotes ^= {tok}
            prev2, prev = prev, tok
        return "".join(out)
