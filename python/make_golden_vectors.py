"""Writes src/data/golden/reward-vectors.jsonl (Snake, Rotation) and src/games/jigsaw/reward-vectors.jsonl
(Jigsaw, a file of its own so the data layer's golden test, which knows two games, reads only its own):
the reward cases both test suites must score identically.

Each expected score below is written by hand from the rules in docs/games.md (and ViGaL's released
reward functions), never computed by either implementation, so a vector can catch both. Run:

    python3 python/make_golden_vectors.py

One JSON object per line:
  id        unique name
  game      "snake" | "rotation" | "jigsaw"
  truth     the ground truth string exactly as the export writes it (or a ViGaL label, see `truthFormat`)
  truthFormat  "export" (default) or "vigal" (ViGaL's own labels; only the Python reward parses those)
  response  the model response, or responseRepeat {prefix, unit, times, suffix} for huge inputs
  expect    {"format", "accuracy", "overall"}
  why       what the case pins down
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "data", "golden", "reward-vectors.jsonl")


def snake_truth(best, worst, state=None):
    truth = {"game": "snake", "best": best, "worst": worst}
    if state is not None:
        truth["state"] = state
    return json.dumps(truth, separators=(",", ":"))


def rotation_truth(answer):
    return json.dumps({"game": "rotation", "answer": answer}, separators=(",", ":"))


STATE_A = {
    "width": 10, "height": 10, "apples": [[5, 9], [0, 0]],
    "snakes": [
        {"id": 1, "body": [[5, 5], [5, 4]], "lastMove": "UP", "alive": True, "score": 0},
        {"id": 2, "body": [[6, 5], [7, 5]], "lastMove": "LEFT", "alive": True, "score": 0},
    ],
    "you": 1, "round": 3,
}
# A: best UP, worst LEFT and RIGHT (a wall or body on both sides).
A = snake_truth(["UP"], ["LEFT", "RIGHT"])
A_WITH_STATE = snake_truth(["UP"], ["LEFT", "RIGHT"], STATE_A)
# B: two best moves, nothing deadly.
B = snake_truth(["UP", "RIGHT"], [])
# C: boxed in: every move is worst, so there is no best move.
C = snake_truth([], ["UP", "DOWN", "LEFT", "RIGHT"])
# D: best DOWN, worst UP.
D = snake_truth(["DOWN"], ["UP"])
# E: worst UP and DOWN (for the reordering example of docs/games.md).
E = snake_truth(["LEFT"], ["UP", "DOWN"])
# F: worst DOWN only.
F = snake_truth(["RIGHT"], ["DOWN"])

R180 = rotation_truth("180")
RCCW = rotation_truth("counter clockwise 90")
RCW = rotation_truth("clockwise 90")


def snake(best, worst, think="reasoning", gap1="", gap2="", before="", after=""):
    return (
        before + "<think>" + think + "</think>" + gap1 + "<best_answer>" + best + "</best_answer>" + gap2
        + "<worst_answer>" + worst + "</worst_answer>" + after
    )


def rot(answer, think="reasoning", gap="", before="", after=""):
    return before + "<think>" + think + "</think>" + gap + "<answer>" + answer + "</answer>" + after


def ok(fmt, acc):
    return {"format": 0.1 if fmt else 0, "accuracy": 1 if acc else 0, "overall": (1 if acc else 0) + (0.1 if fmt else 0)}


CASES = []


def case(id_, game, truth, response, fmt, acc, why, truth_format=None):
    entry = {"id": id_, "game": game, "truth": truth}
    if truth_format:
        entry["truthFormat"] = truth_format
    if isinstance(response, dict):
        entry["responseRepeat"] = response
    else:
        entry["response"] = response
    entry["expect"] = ok(fmt, acc)
    entry["why"] = why
    CASES.append(entry)


# ---- Snake: well-formed answers --------------------------------------------------------------------
case("snake-perfect", "snake", A, snake("UP", "LEFT, RIGHT"), 1, 1, "the textbook answer")
case("snake-perfect-state-in-truth", "snake", A_WITH_STATE, snake("UP", "LEFT, RIGHT"), 1, 1, "a state inside the truth changes nothing")
case("snake-gaps-whitespace", "snake", A, snake(" UP ", "LEFT,RIGHT", gap1="\n\n", gap2="\n"), 1, 1, "whitespace between tag groups and inside answers")
case("snake-gaps-crlf-tab", "snake", A, snake("UP", "LEFT,RIGHT", gap1="\r\n", gap2="\t "), 1, 1, "CR, LF, tab are whitespace")
case("snake-worst-reordered", "snake", A, snake("UP", "RIGHT, LEFT"), 1, 1, "worst moves are compared in canonical order")
case("snake-worst-spec-example", "snake", E, snake("LEFT", "DOWN, UP"), 1, 1, "spec: 'DOWN, UP' counts as [UP, DOWN]")
case("snake-worst-missing-one", "snake", A, snake("UP", "LEFT"), 1, 0, "worst must list every deadly move")
case("snake-worst-extra-one", "snake", A, snake("UP", "LEFT, RIGHT, UP"), 1, 0, "and no other")
case("snake-best-wrong", "snake", A, snake("DOWN", "LEFT, RIGHT"), 1, 0, "best not among the best moves")
case("snake-best-lowercase", "snake", A, snake("up", "LEFT, RIGHT"), 1, 1, "best compares upper-cased")
case("snake-best-mixedcase", "snake", B, snake("Up", "None"), 1, 1, "best compares upper-cased")
case("snake-worst-lowercase", "snake", A, snake("UP", "left, right"), 1, 0, "worst substrings are case-sensitive: 'left' names nothing")
case("snake-worst-lowercase-spec", "snake", F, snake("RIGHT", "down"), 1, 0, "spec: 'down' names nothing")
case("snake-best-fullstop", "snake", A, snake("UP.", "LEFT, RIGHT."), 1, 1, "full stops are deleted")
case("snake-best-dots-inside", "snake", A, snake("U.P", "LEFT, RIGHT"), 1, 1, "every full stop is deleted, even inside")
case("snake-best-newline-inside", "snake", A, snake("U\nP", "LEFT, RIGHT"), 1, 1, "newlines are deleted")
case("snake-best-crlf-inside", "snake", A, snake("U\r\nP", "LEFT, RIGHT"), 1, 0, "only LF is deleted: 'U\\rP' stays wrong (ViGaL's replace('\\n', ''))")
case("snake-best-space-inside", "snake", A, snake("U P", "LEFT, RIGHT"), 1, 0, "inner spaces stay")
case("snake-best-exclamation", "snake", A, snake("UP!", "LEFT, RIGHT"), 1, 0, "other punctuation stays")
case("snake-best-two-moves", "snake", B, snake("UP, RIGHT", "None"), 1, 0, "best is one move, not a list")
case("snake-best-list-literal", "snake", A, snake("['UP']", "LEFT, RIGHT"), 1, 0, "best is not parsed as a list")
case("snake-best-empty-but-expected", "snake", A, snake("", "LEFT, RIGHT"), 1, 0, "an empty best is right only when there is no best move")
case("snake-worst-list-literal", "snake", A, snake("UP", "['LEFT', 'RIGHT']"), 1, 1, "worst moves are found as substrings")
case("snake-worst-prose", "snake", A, snake("UP", "LEFT and RIGHT"), 1, 1, "prose around worst moves is fine")
case("snake-worst-glued", "snake", A, snake("UP", "LEFTRIGHT"), 1, 1, "substrings need no separators")
case("snake-worst-upward", "snake", D, snake("DOWN", "UPWARD"), 1, 1, "'UPWARD' contains UP")
case("snake-worst-wrong-move", "snake", D, snake("DOWN", "DOWN"), 1, 0, "DOWN is not the deadly move")
case("snake-worst-crlf-list", "snake", A, snake("UP", "LEFT,\r\nRIGHT"), 1, 1, "CR left inside worst does not hide the moves")
case("snake-none-upper", "snake", B, snake("RIGHT", "NONE"), 1, 1, "NONE when nothing is deadly")
case("snake-none-lower", "snake", B, snake("RIGHT", "none"), 1, 1, "'none' is accepted (upper-cased)")
case("snake-none-fullstop", "snake", B, snake("UP", "None."), 1, 1, "'None.' cleans to 'None'")
case("snake-none-dotted", "snake", B, snake("UP", ".N.O.N.E."), 1, 1, "dots deleted everywhere")
case("snake-worst-empty-when-none", "snake", B, snake("UP", ""), 1, 1, "an empty worst names no move, which is right when nothing is deadly")
case("snake-worst-nothing-word", "snake", B, snake("UP", "nothing"), 1, 1, "a word naming no move equals the empty list")
case("snake-none-but-deadly", "snake", A, snake("UP", "NONE"), 1, 0, "NONE is wrong when some move is deadly")
case("snake-boxed-in-right", "snake", C, snake("", "UP, DOWN, LEFT, RIGHT"), 1, 1, "no best move: the empty best is right")
case("snake-boxed-in-best-given", "snake", C, snake("UP", "UP, DOWN, LEFT, RIGHT"), 1, 0, "no best move: naming one is wrong")
case("snake-boxed-in-best-none", "snake", C, snake("none", "UP, DOWN, LEFT, RIGHT"), 1, 0, "'none' is not an empty best")
case("snake-boxed-in-worst-short", "snake", C, snake("", "UP, DOWN, LEFT"), 1, 0, "all four must be named")
case("snake-empty-think", "snake", A, snake("UP", "LEFT, RIGHT", think=""), 1, 1, "Snake tag contents may be empty")
case("snake-text-around", "snake", A, snake("UP", "LEFT, RIGHT", before="Sure! ", after="\nHope this helps."), 1, 1, "text before and after is allowed")
case("snake-outer-whitespace", "snake", A, "  \n" + snake("UP", "LEFT, RIGHT") + "\n\t ", 1, 1, "the response is trimmed first")

# ---- Snake: broken format --------------------------------------------------------------------------
case("snake-no-think", "snake", A, "<best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 1, "format needs think; accuracy does not")
case("snake-text-between-groups", "snake", A, snake("UP", "LEFT, RIGHT", gap1=" so "), 0, 1, "only whitespace may separate the groups")
case("snake-duplicate-best-first-right", "snake", A, snake("UP", "LEFT, RIGHT") + "<best_answer>DOWN</best_answer>", 0, 1, "a repeated tag breaks the format; the first occurrence is scored")
case("snake-duplicate-best-first-wrong", "snake", A,
     "<think>r</think><best_answer>DOWN</best_answer><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 0,
     "the first best_answer is the one read")
case("snake-duplicate-think", "snake", A, "<think>a</think><think>b</think>" + "<best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 1, "think twice breaks the format")
case("snake-worst-before-best", "snake", A, "<think>r</think><worst_answer>LEFT, RIGHT</worst_answer><best_answer>UP</best_answer>", 0, 1, "tags out of order")
case("snake-think-last", "snake", A, "<best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer><think>r</think>", 0, 1, "think after the answers")
case("snake-close-before-open", "snake", A, "</think>r<think><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 1, "closing tag before its opening tag")
case("snake-missing-worst", "snake", A, "<think>r</think><best_answer>UP</best_answer>", 0, 0, "a missing tag: no format and no accuracy")
case("snake-unclosed-best", "snake", A, "<think>r</think><best_answer>UP<worst_answer>LEFT, RIGHT</worst_answer>", 0, 0, "an unclosed best_answer has no content")
case("snake-nested-best", "snake", A, "<think>r</think><best_answer><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 0,
     "first <best_answer> to first </best_answer>: content '<best_answer>UP'")
case("snake-uppercase-tags", "snake", A, "<THINK>r</THINK><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 1, "tags are case-sensitive")
case("snake-tag-with-space", "snake", A, "<think>r</think><best_answer >UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>", 0, 0, "'<best_answer >' is not the tag")
case("snake-empty", "snake", A, "", 0, 0, "empty response")
case("snake-whitespace-only", "snake", B, " \n\t\r ", 0, 0, "whitespace trims to empty (B would accept empty-ish answers, but there are no tags)")
case("snake-answers-only-in-think", "snake", A, "<think><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer></think>", 0, 1,
     "answers inside think: wrong order for the format, found for accuracy")

# ---- Snake: unicode and garbage --------------------------------------------------------------------
case("snake-dotless-i", "snake", B, snake("r\u0131ght", "None"), 1, 1, "'r\u0131ght' (dotless i) upper-cases to RIGHT in both languages")
case("snake-fullwidth", "snake", A, snake("\uff35\uff30", "LEFT, RIGHT"), 1, 0, "fullwidth letters are not UP")
case("snake-nbsp-trimmed", "snake", A, snake("\u00a0UP\u00a0", "LEFT, RIGHT"), 1, 1, "NBSP is whitespace to trim")
case("snake-bom-not-trimmed", "snake", A, snake("\ufeffUP", "LEFT, RIGHT"), 1, 0, "U+FEFF is not whitespace to Python's strip (it is to JavaScript's trim)")
case("snake-nel-trimmed", "snake", A, snake("\u0085UP", "LEFT, RIGHT"), 1, 1, "U+0085 is whitespace to Python's strip (not to JavaScript's trim)")
case("snake-gap-line-separator", "snake", A, snake("UP", "LEFT, RIGHT", gap1="\u2028"), 1, 1, "U+2028 is whitespace between groups")
case("snake-gap-bom", "snake", A, snake("UP", "LEFT, RIGHT", gap2="\ufeff"), 0, 1, "U+FEFF is not whitespace to Python's \\s")
case("snake-gap-nel", "snake", A, snake("UP", "LEFT, RIGHT", gap1="\u0085"), 1, 1, "U+0085 is whitespace to Python's \\s")
case("snake-gap-info-separator", "snake", A, snake("UP", "LEFT, RIGHT", gap1="\u001f"), 1, 1, "U+001F is whitespace to Python's \\s")
case("snake-emoji", "snake", A, snake("UP", "LEFT, RIGHT", think="\U0001f914 hmm", before="\U0001f40d", after="\U0001f34e"), 1, 1, "astral characters around")
case("snake-nul-bytes", "snake", A, snake("UP", "LEFT, RIGHT", before="\u0000\u0001", think="\u0000"), 1, 1, "control characters are just text")
case("snake-lone-surrogate", "snake", A, snake("UP", "LEFT, RIGHT", think="\ud800x\udfff"), 1, 1, "lone surrogates are just text")
case("snake-cjk-think", "snake", A, snake("UP", "LEFT, RIGHT", think="\u86c7\u5411\u4e0a\u8d70"), 1, 1, "CJK reasoning")
case("snake-huge-think", "snake", A,
     {"prefix": "<think>", "unit": "step by step. ", "times": 80000, "suffix": "</think><best_answer>UP</best_answer><worst_answer>LEFT, RIGHT</worst_answer>"},
     1, 1, "a 1.1 MB response scores fast and right")
case("snake-huge-repeated-tags", "snake", A, {"prefix": "", "unit": "<think>", "times": 100000, "suffix": ""}, 0, 0,
     "100k repeated tags: no quadratic regex blow-up")
case("snake-huge-garbage", "snake", A, {"prefix": "", "unit": "x<", "times": 500000, "suffix": "<best_answer>UP</best_answer>"}, 0, 0, "a megabyte of garbage")

# ---- Rotation --------------------------------------------------------------------------------------
case("rot-perfect", "rotation", R180, rot("180"), 1, 1, "the textbook answer")
case("rot-ccw-perfect", "rotation", RCCW, rot("counter clockwise 90"), 1, 1, "ViGaL's option string")
case("rot-cw-perfect", "rotation", RCW, rot("clockwise 90"), 1, 1, "the three-class set's option")
case("rot-gap-and-padding", "rotation", R180, rot(" 180 ", gap="\n"), 1, 1, "trimmed answer, whitespace gap")
case("rot-newlines-around", "rotation", R180, rot("\n180\n"), 1, 1, "newlines around the answer")
case("rot-newline-inside", "rotation", R180, rot("1\n80"), 1, 1, "newlines inside are deleted")
case("rot-crlf-inside", "rotation", R180, rot("18\r\n0"), 1, 0, "only LF is deleted")
case("rot-cr-edge", "rotation", R180, rot("180\r"), 1, 1, "CR at the edge is trimmed")
case("rot-degrees", "rotation", R180, rot("180 degrees"), 1, 0, "exact string equality")
case("rot-fullstop", "rotation", R180, rot("180."), 1, 0, "full stops are not deleted for Rotation")
case("rot-case", "rotation", RCCW, rot("Counter Clockwise 90"), 1, 0, "case-sensitive")
case("rot-double-space", "rotation", RCCW, rot("counter  clockwise 90"), 1, 0, "inner whitespace is compared")
case("rot-wrong-class", "rotation", R180, rot("counter clockwise 90"), 1, 0, "the other class")
case("rot-cw-vs-ccw", "rotation", RCCW, rot("clockwise 90"), 1, 0, "clockwise is not counter clockwise")
case("rot-empty-think", "rotation", R180, rot("180", think=""), 0, 1, "Rotation needs a non-empty think")
case("rot-space-think", "rotation", R180, rot("180", think=" "), 1, 1, "one space is non-empty (ViGaL's (.+?))")
case("rot-empty-answer", "rotation", R180, rot(""), 0, 0, "empty answer: no format, wrong")
case("rot-no-think", "rotation", R180, "<answer>180</answer>", 0, 1, "format needs think")
case("rot-two-answers-first-wrong", "rotation", R180, rot("90") + "<answer>180</answer>", 0, 0, "the first answer is read; repeated tag breaks format")
case("rot-two-answers-first-right", "rotation", R180, rot("180") + "<answer>90</answer>", 0, 1, "the first answer is read")
case("rot-text-after", "rotation", R180, rot("180", after=" Final answer given."), 1, 1, "text after is allowed")
case("rot-text-between", "rotation", R180, rot("180", gap=" thus "), 0, 1, "only whitespace between think and answer")
case("rot-order-swapped", "rotation", R180, "<answer>180</answer><think>r</think>", 0, 1, "answer before think")
case("rot-unclosed-answer", "rotation", R180, "<think>r</think><answer>180", 0, 0, "no closing tag, no answer")
case("rot-empty", "rotation", R180, "", 0, 0, "empty response")
case("rot-whitespace-only", "rotation", R180, "\n\n   ", 0, 0, "whitespace-only response")
case("rot-nbsp", "rotation", R180, rot("\u00a0180"), 1, 1, "NBSP trimmed")
case("rot-nel", "rotation", R180, rot("\u0085180"), 1, 1, "U+0085 is trimmed (Python whitespace)")
case("rot-bom", "rotation", R180, rot("180\ufeff"), 1, 0, "U+FEFF is not trimmed (not Python whitespace)")
case("rot-gap-info-separator", "rotation", R180, rot("180", gap="\u001c"), 1, 1, "U+001C is Python whitespace between think and answer")
case("rot-gap-ls", "rotation", R180, rot("180", gap="\u2029"), 1, 1, "U+2029 is whitespace")
case("rot-cjk", "rotation", R180, rot("180", think="\u56de\u8ee2\u306f180\u5ea6"), 1, 1, "CJK reasoning")
case("rot-answer-in-think", "rotation", R180, "<think><answer>90</answer></think><answer>180</answer>", 0, 0,
     "answer inside think is the first occurrence (and the repeated tag breaks format)")
case("rot-huge-think", "rotation", R180, {"prefix": "<think>", "unit": "rotate the point. ", "times": 60000, "suffix": "</think><answer>180</answer>"},
     1, 1, "a 1 MB response")
case("rot-huge-repeated-answer", "rotation", R180, {"prefix": "", "unit": "<answer>", "times": 50000, "suffix": "180</answer>"}, 0, 0,
     "50k opening tags: content starts with '<answer>'")

# ---- ViGaL's own labels (Python only) --------------------------------------------------------------
case("vigal-snake-label", "snake", "<pos_moves>['UP']</pos_moves><neg_moves>['LEFT', 'RIGHT']</neg_moves>", snake("UP", "LEFT, RIGHT"), 1, 1,
     "ViGaL's released label format", truth_format="vigal")
case("vigal-snake-label-empty-neg", "snake", "<pos_moves>['UP', 'RIGHT']</pos_moves><neg_moves>[]</neg_moves>", snake("RIGHT", "None"), 1, 1,
     "an empty neg list accepts None", truth_format="vigal")
case("vigal-snake-label-unordered-neg", "snake", "<pos_moves>['UP']</pos_moves><neg_moves>['RIGHT', 'LEFT']</neg_moves>", snake("UP", "LEFT, RIGHT"), 1, 1,
     "neg moves are compared in canonical order", truth_format="vigal")
case("vigal-snake-label-wrong", "snake", "<pos_moves>['DOWN']</pos_moves><neg_moves>['LEFT', 'RIGHT']</neg_moves>", snake("UP", "LEFT, RIGHT"), 1, 0,
     "best not among pos moves", truth_format="vigal")
case("vigal-rotation-label", "rotation",
     "<image_ini_path>/data/ini.png</image_ini_path><image_rot_path>/data/rot.png</image_rot_path><answer>180</answer>", rot("180"), 1, 1,
     "ViGaL's rotation label", truth_format="vigal")


# ---- Jigsaw (a file of its own: src/games/jigsaw/reward-vectors.jsonl) ----------------------------
# The answer lists, per restored position in reading order, the shuffled tile that belongs there.
JIGSAW_OUT = os.path.join(HERE, "..", "src", "games", "jigsaw", "reward-vectors.jsonl")
JIGSAW_CASES = []


def jigsaw_truth(answer, grid):
    return json.dumps({"game": "jigsaw", "answer": answer, "grid": grid, "seed": 17}, separators=(",", ":"))


J4 = jigsaw_truth([3, 1, 4, 2], 2)
J9 = jigsaw_truth([2, 7, 4, 9, 1, 6, 3, 8, 5], 3)


def jcase(id_, truth, response, fmt, acc, why):
    entry = {"id": id_, "game": "jigsaw", "truth": truth}
    if isinstance(response, dict):
        entry["responseRepeat"] = response
    else:
        entry["response"] = response
    entry["expect"] = ok(fmt, acc)
    entry["why"] = why
    JIGSAW_CASES.append(entry)


jcase("jig-perfect", J4, rot("[3, 1, 4, 2]"), 1, 1, "the textbook answer")
jcase("jig-commas-no-brackets", J4, rot("3,1,4,2"), 1, 1, "brackets are optional")
jcase("jig-spaces-only", J4, rot("3 1 4 2"), 1, 1, "spaces separate as commas do")
jcase("jig-parentheses", J4, rot("(3, 1, 4, 2)"), 1, 1, "one pair of parentheses is dropped like brackets")
jcase("jig-padding-everywhere", J4, rot("  [ 3 , 1 ,4 ,  2 ]  "), 1, 1, "whitespace around and inside")
jcase("jig-newline-separators", J4, rot("\n[3,\n1,\n4,\n2]\n"), 1, 1, "newlines separate (not deleted as in Rotation)")
jcase("jig-newline-only-separators", J4, rot("3\n1\n4\n2"), 1, 1, "a newline alone separates")
jcase("jig-newline-not-deleted", J4, rot("31\n42"), 1, 0, "'31\\n42' is [31, 42], not 3142 nor [3, 1, 4, 2]")
jcase("jig-tab-nbsp-emspace", J4, rot("[3,\t1,\u00a04,\u20032]"), 1, 1, "tab, NBSP and em space are whitespace")
jcase("jig-nel-separator", J4, rot("3\u00851\u00854\u00852"), 1, 1, "U+0085 is Python whitespace")
jcase("jig-info-separator", J4, rot("3\u001f1\u001f4\u001f2"), 1, 1, "U+001F is Python whitespace")
jcase("jig-bom-inside", J4, rot("[3,\ufeff1,4,2]"), 1, 0, "U+FEFF is not Python whitespace: an invalid character")
jcase("jig-double-comma", J4, rot("3,,1,4,2"), 1, 1, "empty pieces are dropped")
jcase("jig-trailing-comma", J4, rot("[3, 1, 4, 2,]"), 1, 1, "a trailing comma is an empty piece")
jcase("jig-leading-zeros", J4, rot("[03, 01, 004, 0002]"), 1, 1, "leading zeros within 4 digits")
jcase("jig-five-digits", J4, rot("[00003, 1, 4, 2]"), 1, 0, "a piece of more than 4 digits is malformed")
jcase("jig-wrong-order", J4, rot("[1, 3, 4, 2]"), 1, 0, "another permutation")
jcase("jig-identity", J4, rot("[1, 2, 3, 4]"), 1, 0, "the shuffled order itself")
jcase("jig-inverse-reading", J4, rot("[2, 4, 1, 3]"), 1, 0, "where each tile goes (the inverse) is the other reading, and wrong")
jcase("jig-duplicate-number", J4, rot("[3, 3, 4, 2]"), 1, 0, "not a permutation")
jcase("jig-too-short", J4, rot("[3, 1, 4]"), 1, 0, "too few numbers")
jcase("jig-too-long", J4, rot("[3, 1, 4, 2, 5]"), 1, 0, "too many numbers")
jcase("jig-zero-based", J4, rot("[2, 0, 3, 1]"), 1, 0, "tiles are numbered from 1")
jcase("jig-negative", J4, rot("[-3, 1, 4, 2]"), 1, 0, "no signs")
jcase("jig-plus", J4, rot("[+3, 1, 4, 2]"), 1, 0, "no signs")
jcase("jig-decimal", J4, rot("[3.0, 1, 4, 2]"), 1, 0, "no decimal points")
jcase("jig-fullwidth-digit", J4, rot("[\uff13, 1, 4, 2]"), 1, 0, "only ASCII digits (Python's isdigit would take U+FF13)")
jcase("jig-arabic-indic-digit", J4, rot("[\u0663, 1, 4, 2]"), 1, 0, "only ASCII digits")
jcase("jig-words", J4, rot("tile 3, 1, 4, 2"), 1, 0, "words are malformed")
jcase("jig-nested-brackets", J4, rot("[[3, 1, 4, 2]]"), 1, 0, "only one enclosing pair is dropped")
jcase("jig-mismatched-brackets", J4, rot("[3, 1, 4, 2)"), 1, 0, "an unmatched pair is not dropped")
jcase("jig-open-bracket-only", J4, rot("[3, 1, 4, 2"), 1, 0, "a lone bracket is malformed")
jcase("jig-semicolons", J4, rot("3;1;4;2"), 1, 0, "semicolons do not separate")
jcase("jig-glued-digits", J4, rot("3142"), 1, 0, "one number, not four")
jcase("jig-empty-list", J4, rot("[]"), 1, 0, "an empty list")
jcase("jig-empty-answer", J4, rot(""), 0, 0, "an empty answer tag fails the format too")
jcase("jig-space-answer", J4, rot(" "), 1, 0, "one space is content (Rotation's rule), and no answer")
jcase("jig-astral-in-answer", J4, rot("[3, 1, 4, 2\U0001f600]"), 1, 0, "an emoji glued to a number")
jcase("jig-huge-number", J4, rot("[3" + "9" * 5000 + ", 1, 4, 2]"), 1, 0, "a 5,000-digit number is malformed, never parsed")
jcase("jig-no-think", J4, "<answer>[3, 1, 4, 2]</answer>", 0, 1, "format needs think")
jcase("jig-empty-think", J4, rot("[3, 1, 4, 2]", think=""), 0, 1, "think needs a character")
jcase("jig-text-between", J4, rot("[3, 1, 4, 2]", gap=" so "), 0, 1, "only whitespace between think and answer")
jcase("jig-text-around", J4, rot("[3, 1, 4, 2]", before="Sure. ", after=" Done."), 1, 1, "text before and after is allowed")
jcase("jig-outer-whitespace", J4, "\n\t " + rot("[3, 1, 4, 2]") + " \n", 1, 1, "the response is stripped first")
jcase("jig-duplicate-answer-first-right", J4, rot("[3, 1, 4, 2]") + "<answer>[1, 2, 3, 4]</answer>", 0, 1, "the first answer is read; a repeat breaks format")
jcase("jig-duplicate-answer-first-wrong", J4, rot("[1, 2, 3, 4]") + "<answer>[3, 1, 4, 2]</answer>", 0, 0, "the first answer is read")
jcase("jig-duplicate-think", J4, "<think>a</think><think>b</think><answer>[3, 1, 4, 2]</answer>", 0, 1, "think twice breaks the format")
jcase("jig-order-swapped", J4, "<answer>[3, 1, 4, 2]</answer><think>r</think>", 0, 1, "answer before think")
jcase("jig-unclosed-answer", J4, "<think>r</think><answer>[3, 1, 4, 2]", 0, 0, "no closing tag, no answer")
jcase("jig-empty", J4, "", 0, 0, "empty response")
jcase("jig-whitespace-only", J4, " \n\t ", 0, 0, "whitespace-only response")
jcase("jig-bare-list", J4, "[3, 1, 4, 2]", 0, 0, "no tags, no answer")
jcase("jig-lone-surrogate-think", J4, rot("[3, 1, 4, 2]", think="\ud800x\udfff"), 1, 1, "lone surrogates are just text")
jcase("jig-3x3-perfect", J9, rot("[2, 7, 4, 9, 1, 6, 3, 8, 5]"), 1, 1, "a 3 x 3 answer")
jcase("jig-3x3-one-swap", J9, rot("[7, 2, 4, 9, 1, 6, 3, 8, 5]"), 1, 0, "two tiles swapped: 7 of 9 in place, still wrong")
jcase("jig-3x3-rows-on-lines", J9, rot("2 7 4\n9 1 6\n3 8 5"), 1, 1, "a grid written row by row")
jcase("jig-3x3-glued", J9, rot("274916385"), 1, 0, "nine digits glued are one malformed piece")
jcase("jig-3x3-given-2x2", J9, rot("[3, 1, 4, 2]"), 1, 0, "a 2 x 2 answer to a 3 x 3 question")
jcase("jig-huge-think", J4, {"prefix": "<think>", "unit": "tile 3 goes top-left. ", "times": 50000, "suffix": "</think><answer>[3, 1, 4, 2]</answer>"},
      1, 1, "a 1 MB response")
jcase("jig-huge-separators", J4, {"prefix": "<think>r</think><answer>[", "unit": ", ", "times": 300000, "suffix": "3, 1, 4, 2]</answer>"},
      1, 1, "600 KB of separators are dropped in linear time")
jcase("jig-huge-repeated-answer", J4, {"prefix": "", "unit": "<answer>", "times": 50000, "suffix": "[3, 1, 4, 2]</answer>"}, 0, 0,
      "50k opening tags: the content starts with '<answer>'")


def write_jsonl(path, cases):
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in cases:
            # ensure_ascii keeps lone surrogates and invisible characters visible and portable.
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")
    print("wrote %d cases to %s" % (len(cases), os.path.relpath(path)))


def main():
    write_jsonl(OUT, CASES)
    write_jsonl(JIGSAW_OUT, JIGSAW_CASES)


if __name__ == "__main__":
    main()
