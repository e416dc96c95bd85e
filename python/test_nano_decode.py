"""Tests of nano_decode.py (standard library unittest only): python3 -m unittest discover -s python

The vectors in src/data/golden/decode-vectors.json are written by the Vitest suite
(src/model/decodeVectors.test.ts) from the app's Tokenizer.decode; the Python decoder must give every
one the same text.
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, HERE)

from nano_decode import NanoDecoder  # noqa: E402

with open(os.path.join(ROOT, "src", "data", "golden", "decode-vectors.json"), encoding="utf-8") as f:
    GOLDEN = json.load(f)
DECODER = NanoDecoder.from_tokenizer_json(os.path.join(ROOT, GOLDEN["tokenizer"]))


class DecodeVectors(unittest.TestCase):
    def test_every_vector_decodes_as_the_app_decodes_it(self):
        self.assertGreaterEqual(len(GOLDEN["vectors"]), 200)
        for v in GOLDEN["vectors"]:
            with self.subTest(ids=v["ids"]):
                self.assertEqual(DECODER.decode(v["ids"]), v["text"])

    def test_a_solver_answer_keeps_its_tags_and_commas(self):
        trace = next(v for v in GOLDEN["vectors"] if "<worst_answer>" in v["text"])
        self.assertTrue(DECODER.decode(trace["ids"]).endswith("</worst_answer>"))

    def test_an_id_outside_the_vocabulary_is_a_clear_error(self):
        with self.assertRaisesRegex(ValueError, "outside the vocabulary"):
            DECODER.decode([len(DECODER.vocab)])


if __name__ == "__main__":
    unittest.main()
