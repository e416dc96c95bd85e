"""Tests of vigal_reward.py (standard library unittest only): python3 -m unittest discover -s python

The golden vectors in src/data/golden/reward-vectors.jsonl are shared with the Vitest suite
(src/data/golden.test.ts); both languages must give every case the same score.
"""

import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vigal_reward as vr  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "data", "golden", "reward-vectors.jsonl")


def load_golden():
    with open(GOLDEN, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def response_of(case):
    if "response" in case:
        return case["response"]
    r = case["responseRepeat"]
    return r["prefix"] + r["unit"] * r["times"] + r["suffix"]


PERFECT_SNAKE = "<think>r</think><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>"
TRUTH_SNAKE = '{"game":"snake","best":["UP"],"worst":["LEFT","RIGHT"]}'
TRUTH_ROT = '{"game":"rotation","answer":"180"}'


class GoldenVectors(unittest.TestCase):
    def test_file_has_enough_cases(self):
        cases = load_golden()
        self.assertGreaterEqual(len(cases), 60)
        self.assertEqual(len({c["id"] for c in cases}), len(cases), "ids are unique")

    def test_every_case_scores_as_expected(self):
        for case in load_golden():
            with self.subTest(case["id"]):
                started = time.perf_counter()
                got = vr.score_response(response_of(case), case["truth"])
                elapsed = time.perf_counter() - started
                self.assertEqual(got, case["expect"], case["why"])
                # Huge inputs must stay linear: ViGaL's lookahead regex takes minutes on some of them.
                self.assertLess(elapsed, 2.0, "scoring took %.2fs" % elapsed)

    def test_verl_entry_matches_golden(self):
        for case in load_golden():
            with self.subTest(case["id"]):
                got = vr.compute_score("vigal/" + case["game"], response_of(case), case["truth"], {"split": "train"})
                self.assertEqual(got, {"score": case["expect"]["overall"], "format": case["expect"]["format"], "accuracy": case["expect"]["accuracy"]})


class Entrypoints(unittest.TestCase):
    def test_verl_keywords(self):
        got = vr.compute_score(data_source="vigal/snake", solution_str=PERFECT_SNAKE, ground_truth=TRUTH_SNAKE, extra_info=None)
        self.assertEqual(got, {"score": 1.1, "format": 0.1, "accuracy": 1})

    def test_verl_values_are_numbers(self):
        # verl averages every extra key of the dict as a metric: only numbers may appear.
        got = vr.compute_score("vigal/rotation", "junk", TRUTH_ROT)
        self.assertTrue(all(isinstance(v, (int, float)) for v in got.values()))

    def test_easyr1_batch(self):
        inputs = [
            {"response": PERFECT_SNAKE, "response_length": 30, "ground_truth": TRUTH_SNAKE},
            {"response": "<think>r</think><answer>90</answer>", "response_length": 9, "ground_truth": TRUTH_ROT},
            {"response": "", "response_length": 0, "ground_truth": TRUTH_ROT},
        ]
        got = vr.compute_score(inputs)
        self.assertEqual(got, [
            {"overall": 1.1, "format": 0.1, "accuracy": 1},
            {"overall": 0.1, "format": 0.1, "accuracy": 0},
            {"overall": 0, "format": 0, "accuracy": 0},
        ])
        self.assertEqual(vr.easyr1_compute_score(inputs, some_kwarg=1), got)

    def test_easyr1_sequential(self):
        got = vr.compute_score({"response": PERFECT_SNAKE, "response_length": 30, "ground_truth": TRUTH_SNAKE})
        self.assertEqual(got, {"overall": 1.1, "format": 0.1, "accuracy": 1})

    def test_openrlhf_query_with_qwen_template(self):
        prompt = "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Play<|im_end|>\n<|im_start|>assistant\n"
        query = prompt + PERFECT_SNAKE + "<|im_end|>"
        got = vr.reward_func([query, prompt + "oops<|im_end|>"], [prompt, prompt], [TRUTH_SNAKE, TRUTH_SNAKE])
        self.assertEqual(list(got["rewards"]), [1.1, 0])
        self.assertEqual(list(got["scores"]), [1, 0])
        self.assertEqual(list(got["extra_logs"]["format_reward"]), [0.1, 0])

    def test_openrlhf_prompt_mismatch_uses_assistant_marker(self):
        # OpenRLHF decodes prompt and query separately; if they differ, the last assistant turn is used.
        query = "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n" + PERFECT_SNAKE + "<|endoftext|>"
        got = vr.reward_func([query], ["something else"], [TRUTH_SNAKE])
        self.assertEqual(list(got["rewards"]), [1.1])

    def test_openrlhf_vigal_labels(self):
        label = "<pos_moves>['UP']</pos_moves><neg_moves>['LEFT', 'RIGHT']</neg_moves>"
        query = "<|im_start|>assistant\n" + PERFECT_SNAKE
        got = vr.reward_func([query], [""], [label])
        self.assertEqual(list(got["rewards"]), [1.1])

    def test_openrlhf_without_torch_returns_lists(self):
        try:
            import torch  # noqa: F401
        except ImportError:
            got = vr.reward_func([PERFECT_SNAKE], [""], [TRUTH_SNAKE])
            self.assertIsInstance(got["rewards"], list)
        else:
            self.skipTest("torch is installed: tensors are returned")

    def test_trl_standard_and_conversational(self):
        completions = [
            PERFECT_SNAKE,
            [{"role": "assistant", "content": PERFECT_SNAKE}],
            [{"role": "assistant", "content": [{"type": "text", "text": "<think>r</think>"}, {"type": "text", "text": "<answer>180</answer>"}]}],
            [],
        ]
        truths = [TRUTH_SNAKE, TRUTH_SNAKE, TRUTH_ROT, TRUTH_ROT]
        self.assertEqual(vr.trl_reward(prompts=[None] * 4, completions=completions, ground_truth=truths), [1.1, 1.1, 1.1, 0])
        self.assertEqual(vr.trl_format_reward(prompts=None, completions=completions, ground_truth=truths), [0.1, 0.1, 0.1, 0])
        self.assertEqual(vr.trl_accuracy_reward(prompts=None, completions=completions, ground_truth=truths), [1, 1, 1, 0])

    def test_extract_response_strips_end_tokens(self):
        self.assertEqual(vr.extract_response("P<|im_start|>assistant\nabc<|im_end|>", "P"), "<|im_start|>assistant\nabc")
        self.assertEqual(vr.extract_response("X<|im_start|>assistant\nabc<|im_end|>", "P"), "abc")


class RolloutDump(unittest.TestCase):
    def test_dump_writes_one_line_per_scored_response_per_process_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "dumps")
            os.environ[vr.DUMP_ENV] = target
            try:
                vr.compute_score("vigal/snake", PERFECT_SNAKE, TRUTH_SNAKE, {"split": "train", "index": 7})
                vr.compute_score([{"response": "x", "response_length": 1, "ground_truth": TRUTH_ROT}])
                vr.trl_reward(completions=[PERFECT_SNAKE], ground_truth=[TRUTH_SNAKE])
            finally:
                del os.environ[vr.DUMP_ENV]
            files = os.listdir(target)
            self.assertEqual(len(files), 1)
            with open(os.path.join(target, files[0]), encoding="utf-8") as f:
                lines = [json.loads(line) for line in f]
            self.assertEqual([line["engine"] for line in lines], ["verl", "easyr1", "trl"])
            self.assertEqual(lines[0]["gts"], TRUTH_SNAKE)
            self.assertEqual(lines[0]["output"], PERFECT_SNAKE)
            self.assertEqual((lines[0]["score"], lines[0]["format"], lines[0]["accuracy"]), (1.1, 0.1, 1.0))
            self.assertEqual(lines[0]["extra_info"], {"split": "train", "index": 7})
            self.assertEqual(lines[1]["score"], 0)

    def test_unwritable_dump_target_does_not_change_scores(self):
        with tempfile.NamedTemporaryFile() as blocker:
            # A file where the directory should be: makedirs fails, scoring goes on.
            os.environ[vr.DUMP_ENV] = os.path.join(blocker.name, "sub")
            try:
                got = vr.compute_score("vigal/snake", PERFECT_SNAKE, TRUTH_SNAKE)
            finally:
                del os.environ[vr.DUMP_ENV]
        self.assertEqual(got["score"], 1.1)


class NeverRaises(unittest.TestCase):
    """Scoring never raises and stays linear, whatever the engine hands over (issue 14, item 9)."""

    def test_trl_text_parts_that_are_not_strings_count_as_empty(self):
        completions = [
            [{"role": "assistant", "content": [{"type": "text", "text": 5}, {"type": "text", "text": PERFECT_SNAKE}]}],
            [{"role": "assistant", "content": [{"type": "text", "text": ["<think>"]}, {"type": "text", "text": None}]}],
            [{"role": "assistant", "content": [{"type": "text", "text": {"nested": PERFECT_SNAKE}}]}],
        ]
        self.assertEqual(vr.trl_reward(completions=completions, ground_truth=[TRUTH_SNAKE] * 3), [1.1, 0, 0])

    def _dump_lines(self, score):
        with tempfile.TemporaryDirectory() as tmp:
            os.environ[vr.DUMP_ENV] = tmp
            failures = vr.dump_failures()
            try:
                got = score()
            finally:
                del os.environ[vr.DUMP_ENV]
            self.assertEqual(vr.dump_failures(), failures, "no dump line was lost")
            lines = []
            for name in os.listdir(tmp):
                with open(os.path.join(tmp, name), encoding="utf-8") as f:
                    lines += [json.loads(line) for line in f]
            return got, lines

    def test_extra_info_that_contains_itself_is_dumped(self):
        extra = {"split": "train", "index": 3}
        extra["self"] = extra
        extra["list"] = [extra, 1]
        got, lines = self._dump_lines(lambda: vr.compute_score("vigal/snake", PERFECT_SNAKE, TRUTH_SNAKE, extra))
        self.assertEqual(got["score"], 1.1)
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["extra_info"], {"split": "train", "index": 3, "self": "<cycle>", "list": ["<cycle>", 1]})

    def test_deeply_nested_extra_info_is_cut_not_raised(self):
        deep = []
        for _ in range(5000):
            deep = [deep]
        got, lines = self._dump_lines(lambda: vr.compute_score("vigal/snake", PERFECT_SNAKE, TRUTH_SNAKE, {"deep": deep, "x": float("nan")}))
        self.assertEqual(got["score"], 1.1)
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["extra_info"]["x"], "nan")
        self.assertIn("<too deep>", json.dumps(lines[0]["extra_info"]))

    def test_lone_surrogate_is_written_escaped(self):
        response = PERFECT_SNAKE + "\udcff"
        got, lines = self._dump_lines(lambda: vr.compute_score("vigal/snake", response, TRUTH_SNAKE, {"note": "\ud800"}))
        self.assertEqual(got["score"], 1.1)
        self.assertEqual(len(lines), 1)
        # json.loads turns the \\uXXXX escapes back into the very same strings.
        self.assertEqual(lines[0]["output"], response)
        self.assertEqual(lines[0]["extra_info"], {"note": "\ud800"})

    def test_unclosed_tags_in_a_ground_truth_parse_in_linear_time(self):
        # ViGaL's lazy regex retried from every opening tag: 160 KB of them took 13.6 s (quadratic).
        # The bound is 100x the linear parse's time on a loaded machine and far below the regex's.
        for tag in ("<pos_moves>", "<neg_moves>", "<answer>"):
            with self.subTest(tag=tag):
                truth = tag * (160_000 // len(tag))
                started = time.perf_counter()
                try:
                    vr.parse_ground_truth(truth)
                except ValueError:
                    pass  # an <answer> without </answer> is a bad truth; raising it fast is right
                self.assertLess(time.perf_counter() - started, 2.0)

    def test_tagged_labels_keep_the_regex_meaning(self):
        # First opening tag, then the first closing tag after it; later pairs are ignored.
        label = "x<pos_moves>['UP']</pos_moves><pos_moves>['DOWN']</pos_moves><neg_moves> [RIGHT] </neg_moves><neg_moves>"
        self.assertEqual(vr.parse_ground_truth(label), {"game": "snake", "best": ["UP"], "worst": ["RIGHT"]})
        self.assertEqual(vr.parse_ground_truth("<answer> 180 </answer><answer>90</answer>"), {"game": "rotation", "answer": "180"})
        with self.assertRaises(ValueError):
            vr.parse_ground_truth("<answer>180<answer>")


class GroundTruth(unittest.TestCase):
    def test_export_json_and_dict(self):
        self.assertEqual(vr.parse_ground_truth(TRUTH_SNAKE), {"game": "snake", "best": ["UP"], "worst": ["LEFT", "RIGHT"]})
        self.assertEqual(vr.parse_ground_truth({"game": "rotation", "answer": "180"}), {"game": "rotation", "answer": "180"})
        self.assertEqual(vr.parse_ground_truth({"best": [], "worst": ["RIGHT", "UP"]}), {"game": "snake", "best": [], "worst": ["UP", "RIGHT"]})

    def test_bad_truths_raise_with_a_message(self):
        for bad in ["", "hello", "{not json", '{"game":"chess"}', '{"game":"snake","best":["NORTH"],"worst":[]}', '{"game":"rotation","answer":180}', 42, None]:
            with self.subTest(bad=bad):
                with self.assertRaises(ValueError):
                    vr.parse_ground_truth(bad)

    def test_vigal_list_fallback(self):
        self.assertEqual(vr.parse_ground_truth("<pos_moves>[UP, left]</pos_moves><neg_moves>[RIGHT]</neg_moves>"),
                         {"game": "snake", "best": ["UP", "LEFT"], "worst": ["RIGHT"]})

    def test_response_never_raises(self):
        for response in [None, 3, b"bytes", ["list"], "<" * 1000, "<think>" * 1000 + "</think>"]:
            with self.subTest(response=repr(response)[:40]):
                parts = vr.score_response(response, TRUTH_SNAKE)
                self.assertIn(parts["overall"], (0, 0.1, 1, 1.1))


JIGSAW_GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "games", "jigsaw", "reward-vectors.jsonl")
TRUTH_JIGSAW = '{"game":"jigsaw","answer":[3,1,4,2],"grid":2,"seed":17}'


def load_jigsaw_golden():
    with open(JIGSAW_GOLDEN, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class JigsawGoldenVectors(unittest.TestCase):
    """src/games/jigsaw/reward-vectors.jsonl, shared with src/games/jigsaw/golden.test.ts."""

    def test_file_has_enough_cases(self):
        cases = load_jigsaw_golden()
        self.assertGreaterEqual(len(cases), 50)
        self.assertEqual(len({c["id"] for c in cases}), len(cases), "ids are unique")

    def test_every_case_scores_as_expected(self):
        for case in load_jigsaw_golden():
            with self.subTest(case["id"]):
                started = time.perf_counter()
                got = vr.score_response(response_of(case), case["truth"])
                elapsed = time.perf_counter() - started
                self.assertEqual(got, case["expect"], case["why"])
                self.assertLess(elapsed, 2.0, "scoring took %.2fs" % elapsed)
                # score_jigsaw directly, on the decoded answer, agrees.
                self.assertEqual(vr.score_jigsaw(response_of(case), json.loads(case["truth"])["answer"]), case["expect"])

    def test_verl_entry_matches_golden(self):
        for case in load_jigsaw_golden():
            with self.subTest(case["id"]):
                got = vr.compute_score("vigal/jigsaw", response_of(case), case["truth"])
                self.assertEqual(got, {"score": case["expect"]["overall"], "format": case["expect"]["format"], "accuracy": case["expect"]["accuracy"]})


class Jigsaw(unittest.TestCase):
    def test_ground_truth_forms(self):
        self.assertEqual(vr.parse_ground_truth(TRUTH_JIGSAW), {"game": "jigsaw", "answer": [3, 1, 4, 2]})
        self.assertEqual(vr.parse_ground_truth({"answer": [2, 1]}), {"game": "jigsaw", "answer": [2, 1]})
        self.assertEqual(vr.parse_ground_truth({"answer": "180"}), {"game": "rotation", "answer": "180"})

    def test_bad_truths_raise(self):
        for bad in ['{"game":"jigsaw","answer":[1,1]}', '{"game":"jigsaw","answer":[]}', '{"game":"jigsaw","answer":"[1, 2]"}',
                    '{"game":"jigsaw","answer":[true,false]}', '{"game":"jigsaw","answer":[0,1]}', '{"game":"jigsaw"}']:
            with self.subTest(bad=bad):
                with self.assertRaises(ValueError):
                    vr.parse_ground_truth(bad)

    def test_parse_permutation(self):
        self.assertEqual(vr.parse_permutation(" [3, 1,4 2] "), [3, 1, 4, 2])
        self.assertEqual(vr.parse_permutation("(1)"), [1])
        for bad in ["", "[]", "[1, x]", "1;2", "\uff11", None, 12, "12345"]:
            with self.subTest(bad=bad):
                self.assertIsNone(vr.parse_permutation(bad))

    def test_never_raises(self):
        for answer in [[3, 1, 4, 2], [1, 1], [], None, "abc", [True, False], [1.5], {"a": 1}]:
            for response in [None, 3, b"bytes", ["list"], "<" * 1000, "<think>x</think><answer>[3, 1, 4, 2]</answer>", "<answer>" + "9" * 10000 + "</answer>"]:
                with self.subTest(answer=answer, response=repr(response)[:40]):
                    parts = vr.score_jigsaw(response, answer)
                    self.assertIn(parts["overall"], (0, 0.1, 1, 1.1))
        # A truth that is no permutation scores 0 here (score_response raises on it, as on any bad truth).
        self.assertEqual(vr.score_jigsaw("<think>x</think><answer>[1, 1]</answer>", [1, 1]), {"format": 0.0, "accuracy": 0.0, "overall": 0.0})


if __name__ == "__main__":
    unittest.main()
