"""ViGaL Playground's verifiable reward for cluster RL engines (verl, EasyR1, OpenRLHF, TRL).

One file, standard library only: copy it next to your training job and point the engine at it.
It scores exactly what the app's TypeScript verifiers score (src/games/snake/reward.ts,
src/games/rotation/reward.ts and src/games/jigsaw/reward.ts); the shared golden vectors in
src/data/golden/reward-vectors.jsonl and src/games/jigsaw/reward-vectors.jsonl hold the two equal, and
both test suites run them.

Entry points (pick the one your engine calls):

  verl      custom_reward_function.path=vigal_reward.py  custom_reward_function.name=compute_score
            compute_score(data_source, solution_str, ground_truth, extra_info=None) -> dict(score, format, accuracy)
  EasyR1    worker.reward.reward_type=batch  worker.reward.reward_function=vigal_reward.py:compute_score
            compute_score(reward_inputs: list[dict(response, response_length, ground_truth)]) -> list[dict(overall, ...)]
            (a single dict, EasyR1's `sequential` reward type, also works)
  OpenRLHF  --reward.remote_url vigal_reward.py   (loads `reward_func`)
            reward_func(queries, prompts, labels, **kwargs) -> dict(rewards, scores, extra_logs)
  TRL       GRPOTrainer(reward_funcs=[vigal_reward.trl_reward], ...)
            trl_reward(prompts, completions, ground_truth, **kwargs) -> list[float]

`compute_score` tells verl from EasyR1 by its arguments, so one name serves both.

The ground truth is the JSON string the export writes:
  {"game":"snake","best":["UP"],"worst":["LEFT","RIGHT"],"state":{...}}   (state optional)
  {"game":"rotation","answer":"180"}
  {"game":"jigsaw","answer":[3,1,4,2],"grid":2,"seed":17}   (grid and seed optional)
ViGaL's own labels also score (OpenRLHF data released with the paper):
  <pos_moves>['UP']</pos_moves><neg_moves>['LEFT', 'RIGHT']</neg_moves>
  <image_ini_path>..</image_ini_path><image_rot_path>..</image_rot_path><answer>180</answer>

Reward (docs/games.md; ViGaL's released reward functions): format 0.1, accuracy 1.0, overall = sum,
so 0, 0.1, 1.0 or 1.1. Scoring never raises for any response; a ground truth that cannot be parsed
raises ValueError (it is a data bug, and a silent zero would hide it).

Rollout dumps: set VIGAL_ROLLOUT_DUMP=/some/dir and every scored response is appended, one JSON line
each, to /some/dir/<host>-<pid>.jsonl (one file per process, so parallel reward workers never interleave):
  {"engine", "output", "gts", "score", "format", "accuracy", "data_source", "extra_info"}
("output", "gts" and "score" are named as in verl's own trainer.rollout_data_dir dumps). The app imports
either kind. Any extra_info is written: a container that contains itself as "<cycle>", one nested deeper
than 64 levels as "<too deep>", a lone surrogate as a \\uXXXX escape. Writing never affects the score and
never raises: a line that cannot be written (a full disk, say) is reported once on stderr and counted by
dump_failures().

String semantics are Python's, as in ViGaL's released reward: "whitespace" is str.isspace (what
str.strip() removes and what the regex \\s matches), which the TypeScript verifiers reproduce on purpose.
"""

from __future__ import annotations

import ast
import json
import math
import os
import socket
import sys
import threading
from typing import Any, Iterable, Mapping, Optional, Sequence

__all__ = [
    "MOVES",
    "FORMAT_REWARD",
    "ACCURACY_REWARD",
    "score_snake",
    "score_rotation",
    "score_jigsaw",
    "parse_permutation",
    "parse_ground_truth",
    "score_response",
    "compute_score",
    "verl_compute_score",
    "easyr1_compute_score",
    "reward_func",
    "trl_reward",
    "trl_format_reward",
    "trl_accuracy_reward",
    "extract_response",
    "dump_failures",
]

MOVES = ("UP", "DOWN", "LEFT", "RIGHT")
FORMAT_REWARD = 0.1
ACCURACY_REWARD = 1.0

_SNAKE_TAGS = ("<think>", "</think>", "<best_answer>", "</best_answer>", "<worst_answer>", "</worst_answer>")
_ROTATION_TAGS = ("<think>", "</think>", "<answer>", "</answer>")


def _trim(text: str) -> str:
    # str.strip() with no argument removes exactly the str.isspace() characters, as ViGaL's code did.
    return text.strip()


def _only_whitespace(text: str) -> bool:
    # What ViGaL's `\s*` between tag groups accepts (re's \s on str patterns is str.isspace()).
    return text == "" or text.isspace()


def _first_tag_content(text: str, name: str) -> Optional[str]:
    """Content of the first <name>...</name> (the first opening tag, the first closing tag after it).

    Same result as re.search(r"<name>(.*?)</name>", text, re.DOTALL): if the first opening tag has no
    closing tag after it, no later opening tag has one either.
    """
    open_tag, close_tag = "<%s>" % name, "</%s>" % name
    start = text.find(open_tag)
    if start < 0:
        return None
    start += len(open_tag)
    end = text.find(close_tag, start)
    if end < 0:
        return None
    return text[start:end]


def _tagged_sequence_ok(text: str, tags: Sequence[str], nonempty: bool) -> bool:
    """The format rule of both games, without ViGaL's backtracking regex (quadratic on huge inputs).

    Every tag occurs exactly once; tags come in pairs (open, close) in the given order; between a close
    tag and the next open tag there is only whitespace; text before and after is free. `nonempty`
    requires every pair to enclose at least one character (Rotation's `(.+?)`).
    """
    positions = []
    for tag in tags:
        # No tag can overlap itself or another one, so str.count is an exact occurrence count.
        if text.count(tag) != 1:
            return False
        positions.append(text.find(tag))
    for k in range(0, len(tags), 2):
        open_at, close_at = positions[k], positions[k + 1]
        content_from = open_at + len(tags[k])
        if close_at < content_from or (nonempty and close_at == content_from):
            return False
        if k + 2 < len(tags):
            gap_from = close_at + len(tags[k + 1])
            next_open = positions[k + 2]
            if next_open < gap_from or not _only_whitespace(text[gap_from:next_open]):
                return False
    return True


def _clean_snake_answer(content: str) -> str:
    # ViGaL: .strip().replace('\n', '').replace('.', '').strip()
    return _trim(_trim(content).replace("\n", "").replace(".", ""))


def _canonical_moves(moves: Iterable[str]) -> list:
    wanted = set(moves)
    return [m for m in MOVES if m in wanted]


def _parts(format_score: float, accuracy: float) -> dict:
    return {"format": format_score, "accuracy": accuracy, "overall": accuracy + format_score}


def score_snake(response: Any, best: Sequence[str], worst: Sequence[str]) -> dict:
    """Snake reward: {"format", "accuracy", "overall"}. `best`/`worst` as the labels give them."""
    if not isinstance(response, str):
        return _parts(0.0, 0.0)
    text = _trim(response)
    if text == "":
        return _parts(0.0, 0.0)
    format_score = FORMAT_REWARD if _tagged_sequence_ok(text, _SNAKE_TAGS, nonempty=False) else 0.0

    accuracy = 0.0
    best_raw = _first_tag_content(text, "best_answer")
    worst_raw = _first_tag_content(text, "worst_answer")
    if best_raw is not None and worst_raw is not None:
        best_answer = _clean_snake_answer(best_raw)
        worst_answer = _clean_snake_answer(worst_raw)
        best_list = list(best)
        worst_list = _canonical_moves(worst)
        best_ok = (best_answer == "" and len(best_list) == 0) or best_answer.upper() in best_list
        # Moves named in the answer, case-sensitive substrings, in canonical order ("DOWN, UP" = [UP, DOWN]).
        named = [m for m in MOVES if m in worst_answer]
        worst_ok = (worst_answer.upper() == "NONE" and len(worst_list) == 0) or named == worst_list
        if best_ok and worst_ok:
            accuracy = ACCURACY_REWARD
    return _parts(format_score, accuracy)


def score_rotation(response: Any, answer: str) -> dict:
    """Rotation reward: {"format", "accuracy", "overall"}; `answer` is the exact option string."""
    read = _read_answer_tag(response)
    if read is None:
        return _parts(0.0, 0.0)
    format_score, content = read
    accuracy = ACCURACY_REWARD if content is not None and _trim(content).replace("\n", "") == answer else 0.0
    return _parts(format_score, accuracy)


def _read_answer_tag(response: Any) -> Optional[tuple]:
    """The <think>...</think><answer>...</answer> games' shared reading (Rotation, Jigsaw): None when the
    response is not a string or is blank (it scores 0); else (format score, the first <answer> tag's
    content or None)."""
    if not isinstance(response, str):
        return None
    text = _trim(response)
    if text == "":
        return None
    format_score = FORMAT_REWARD if _tagged_sequence_ok(text, _ROTATION_TAGS, nonempty=True) else 0.0
    return format_score, _first_tag_content(text, "answer")


# Jigsaw: a tile number has at most this many digits (int() of a huge digit string raises in Python 3.11+).
JIGSAW_MAX_DIGITS = 4


def parse_permutation(text: Any) -> Optional[list]:
    """Reads "[3, 1, 4, 2]", "3,1,4,2", "3 1 4 2", "(3, 1, 4, 2)" as a list of ints; None if it is not such a list.

    The rule of src/games/jigsaw/reward.ts (parsePermutation): strip; drop one enclosing pair of [] or ();
    split at every comma and every whitespace character, dropping empty pieces; every piece must be 1 to
    JIGSAW_MAX_DIGITS ASCII digits; at least one piece. Whether it is a permutation is the caller's question.
    """
    if not isinstance(text, str):
        return None
    s = _trim(text)
    if len(s) >= 2 and ((s[0] == "[" and s[-1] == "]") or (s[0] == "(" and s[-1] == ")")):
        s = s[1:-1]
    out = []
    value = 0
    digits = 0
    for ch in s + ",":  # a final comma closes the last piece
        if ch == "," or ch.isspace():
            if digits:
                out.append(value)
            value = 0
            digits = 0
        elif "0" <= ch <= "9":
            digits += 1
            if digits > JIGSAW_MAX_DIGITS:
                return None
            value = value * 10 + (ord(ch) - 48)
        else:
            return None
    return out or None


def _is_permutation(values: Any) -> bool:
    if not isinstance(values, (list, tuple)) or len(values) == 0:
        return False
    n = len(values)
    seen = set()
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or v < 1 or v > n or v in seen:
            return False
        seen.add(v)
    return True


def score_jigsaw(response: Any, answer: Sequence[int]) -> dict:
    """Jigsaw reward: {"format", "accuracy", "overall"}. `answer`: for each restored position (reading
    order), the 1-based number of the shuffled tile that belongs there.

    Format: Rotation's rule. Accuracy: the first <answer> tag's content, read by parse_permutation, equals
    the answer exactly (no partial credit). Never raises; an answer that is not a permutation scores 0.
    """
    read = _read_answer_tag(response) if _is_permutation(answer) else None
    if read is None:
        return _parts(0.0, 0.0)
    format_score, content = read
    parsed = parse_permutation(content) if content is not None else None
    accuracy = ACCURACY_REWARD if parsed is not None and parsed == list(answer) else 0.0
    return _parts(format_score, accuracy)


# ----------------------------------------------------------------------------------------------------
# Ground truth


def _parse_vigal_move_list(raw: Optional[str]) -> list:
    """ViGaL's parse_list_str: a Python list literal, else comma separated; entries stripped, upper-cased."""
    if raw is None:
        return []
    raw = raw.strip()
    if raw == "":
        return []
    try:
        parsed = ast.literal_eval(raw)
        if isinstance(parsed, (list, tuple)):
            return [str(item).strip().upper() for item in parsed]
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        pass
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    return [item.strip().strip("'\"").upper() for item in raw.split(",") if item.strip()]


def _tag_content(text: str, name: str) -> Optional[str]:
    """re.search(r"<name>(.*?)</name>", text, re.DOTALL).group(1).strip(), in linear time.

    The regex retries from every opening tag and scans to the end each time: quadratic when many
    opening tags have no closing one (160 KB of "<pos_moves>" took 13.6 s). _first_tag_content finds
    the same match with two str.find calls.
    """
    content = _first_tag_content(text, name)
    return content.strip() if content is not None else None


def parse_ground_truth(ground_truth: Any) -> dict:
    """Normalises a ground truth to {"game": "snake", "best", "worst"}, {"game": "rotation", "answer"} or
    {"game": "jigsaw", "answer": [tile numbers]}.

    Accepts the export's JSON (string or already-decoded dict) and ViGaL's tagged labels.
    Raises ValueError naming what was expected.
    """
    if isinstance(ground_truth, (bytes, bytearray)):
        ground_truth = ground_truth.decode("utf-8")
    if isinstance(ground_truth, str):
        stripped = ground_truth.strip()
        if stripped.startswith("{"):
            try:
                ground_truth = json.loads(stripped)
            except ValueError as err:
                raise ValueError("ground_truth looks like JSON but does not parse: %s" % err)
        elif "<pos_moves>" in stripped or "<neg_moves>" in stripped:
            best = _parse_vigal_move_list(_tag_content(stripped, "pos_moves"))
            worst = _parse_vigal_move_list(_tag_content(stripped, "neg_moves"))
            # ViGaL compared the predicted worst moves (canonical order) with the label's list as
            # written; its labels list them in canonical order, and canonicalising keeps that meaning.
            return {"game": "snake", "best": best, "worst": _canonical_moves(worst)}
        elif "<answer>" in stripped:
            answer = _tag_content(stripped, "answer")
            if answer is None:
                raise ValueError("ground_truth has <answer> but no </answer>: %r" % stripped[:200])
            return {"game": "rotation", "answer": answer}
        else:
            raise ValueError(
                "ground_truth must be the export's JSON ({\"game\":\"snake\",...} or {\"game\":\"rotation\",...}) "
                "or a ViGaL label (<pos_moves>/<neg_moves> or <answer>); got %r" % stripped[:200]
            )
    if not isinstance(ground_truth, Mapping):
        raise ValueError("ground_truth must be a JSON string or a dict, got %s" % type(ground_truth).__name__)

    game = ground_truth.get("game")
    if game is None:
        # Tolerate a bare truth without the tag: {"best","worst"} is Snake, {"answer": "..."} is Rotation,
        # {"answer": [...]} is Jigsaw.
        if "best" in ground_truth and "worst" in ground_truth:
            game = "snake"
        elif "answer" in ground_truth:
            game = "jigsaw" if isinstance(ground_truth.get("answer"), list) else "rotation"
    entry = GAMES.get(game) if isinstance(game, str) else None
    if entry is None:
        raise ValueError("ground_truth.game must be %s, got %r" % (" or ".join("'%s'" % g for g in GAMES), game))
    return entry[0](ground_truth)


def _snake_truth(ground_truth: Mapping) -> dict:
    best, worst = ground_truth.get("best"), ground_truth.get("worst")
    for key, moves in (("best", best), ("worst", worst)):
        if not isinstance(moves, (list, tuple)) or not all(m in MOVES for m in moves):
            raise ValueError("snake ground_truth.%s must be a list of %s, got %r" % (key, ", ".join(MOVES), moves))
    return {"game": "snake", "best": list(best), "worst": _canonical_moves(worst)}


def _rotation_truth(ground_truth: Mapping) -> dict:
    answer = ground_truth.get("answer")
    if not isinstance(answer, str):
        raise ValueError("rotation ground_truth.answer must be a string, got %r" % (answer,))
    return {"game": "rotation", "answer": answer}


def _jigsaw_truth(ground_truth: Mapping) -> dict:
    answer = ground_truth.get("answer")
    if not _is_permutation(answer):
        raise ValueError("jigsaw ground_truth.answer must be a permutation of 1..N as a list of ints, got %r" % (answer,))
    return {"game": "jigsaw", "answer": list(answer)}


# The games, one entry each (the app's registry is src/games/all.ts): the ground-truth reader (the
# export's JSON with "game" first, as that game's exportTruth writes it) and the scorer of a response
# against what it returns. Adding a game is its two functions and one line here.
GAMES = {
    "snake": (_snake_truth, lambda response, truth: score_snake(response, truth["best"], truth["worst"])),
    "rotation": (_rotation_truth, lambda response, truth: score_rotation(response, truth["answer"])),
    "jigsaw": (_jigsaw_truth, lambda response, truth: score_jigsaw(response, truth["answer"])),
}


def score_response(response: Any, ground_truth: Any) -> dict:
    """Scores one response against one ground truth (any accepted form): {"format", "accuracy", "overall"}."""
    truth = parse_ground_truth(ground_truth)
    return GAMES[truth["game"]][1](response, truth)


# ----------------------------------------------------------------------------------------------------
# Rollout dumps

DUMP_ENV = "VIGAL_ROLLOUT_DUMP"
# verl scores in executor threads: one writer at a time keeps every line whole.
_DUMP_LOCK = threading.Lock()


# Containers nested deeper than this are cut (json.dumps itself would raise RecursionError near 1000).
_MAX_DUMP_DEPTH = 64
_dump_failures = 0


def dump_failures() -> int:
    """Rollout dump lines this process could not write (the first failure is also reported on stderr)."""
    return _dump_failures


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:  # a broken __repr__ must not stop the dump
        return "<unrepresentable %s>" % type(value).__name__


def _json_key(key: Any) -> str:
    # What json.dumps itself writes for the key types it accepts; anything else by str().
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    return _safe_repr(key)


def _jsonable(value: Any, _depth: int = 0, _path: Optional[set] = None) -> Any:
    """A JSON-safe copy of value, built without recursion past _MAX_DUMP_DEPTH and never raising.

    A container that contains itself is written "<cycle>" where it recurs, nesting past the depth limit
    "<too deep>", a float that JSON cannot hold (nan, inf) and any other object as its repr.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, (Mapping, list, tuple)):
        path = set() if _path is None else _path
        if id(value) in path:
            return "<cycle>"
        if _depth >= _MAX_DUMP_DEPTH:
            return "<too deep>"
        path.add(id(value))
        try:
            if isinstance(value, Mapping):
                return {_json_key(k): _jsonable(v, _depth + 1, path) for k, v in value.items()}
            return [_jsonable(v, _depth + 1, path) for v in value]
        finally:
            path.discard(id(value))
    return _safe_repr(value)


def _dump(engine: str, response: Any, ground_truth: Any, parts: Mapping, data_source: Any = None, extra_info: Any = None) -> None:
    global _dump_failures
    directory = os.environ.get(DUMP_ENV)
    if not directory:
        return
    try:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, "%s-%d.jsonl" % (socket.gethostname(), os.getpid()))
        line = {
            "engine": engine,
            "output": _jsonable(response),
            "gts": _jsonable(ground_truth),
            "score": parts["overall"],
            "format": parts["format"],
            "accuracy": parts["accuracy"],
            "data_source": _jsonable(data_source),
            "extra_info": _jsonable(extra_info),
        }
        text = json.dumps(line, ensure_ascii=False) + "\n"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate (a model's broken byte decoding) has no UTF-8 form: write \uXXXX escapes,
            # which JSON readers (the app, json.loads) turn back into the same string.
            text = json.dumps(line, ensure_ascii=True) + "\n"
        with _DUMP_LOCK, open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except Exception as err:  # the dump never changes a score, and never raises into the trainer
        _dump_failures += 1
        if _dump_failures == 1:
            sys.stderr.write(
                "vigal_reward: could not write a rollout dump line to %s (%s: %s); scores are unaffected, "
                "later failures are counted by vigal_reward.dump_failures()\n" % (directory, type(err).__name__, err)
            )


# ----------------------------------------------------------------------------------------------------
# verl and EasyR1


def verl_compute_score(data_source: Any, solution_str: Any, ground_truth: Any, extra_info: Any = None, **kwargs: Any) -> dict:
    """verl's custom reward: the dict's "score" is the reward, the other keys are logged as metrics."""
    parts = score_response(solution_str, ground_truth)
    _dump("verl", solution_str, ground_truth, parts, data_source, extra_info)
    return {"score": parts["overall"], "format": parts["format"], "accuracy": parts["accuracy"]}


def _easyr1_one(reward_input: Mapping) -> dict:
    parts = score_response(reward_input.get("response"), reward_input.get("ground_truth"))
    _dump("easyr1", reward_input.get("response"), reward_input.get("ground_truth"), parts)
    return {"overall": parts["overall"], "format": parts["format"], "accuracy": parts["accuracy"]}


def easyr1_compute_score(reward_inputs: Any, **kwargs: Any) -> Any:
    """EasyR1: a list of {response, response_length, ground_truth} (reward_type=batch) gives a list of
    {overall, format, accuracy}; a single dict (reward_type=sequential) gives one dict."""
    if isinstance(reward_inputs, Mapping):
        return _easyr1_one(reward_inputs)
    return [_easyr1_one(item) for item in reward_inputs]


def compute_score(*args: Any, **kwargs: Any) -> Any:
    """verl's `compute_score(data_source, solution_str, ground_truth, extra_info=None)` or EasyR1's
    `compute_score(reward_inputs)`, told apart by the arguments."""
    if "solution_str" in kwargs or "data_source" in kwargs or len(args) >= 3:
        names = ("data_source", "solution_str", "ground_truth", "extra_info")
        bound = dict(zip(names, args))
        bound.update({k: v for k, v in kwargs.items() if k in names})
        return verl_compute_score(bound.get("data_source"), bound.get("solution_str"), bound.get("ground_truth"), bound.get("extra_info"))
    inputs = args[0] if args else kwargs.get("reward_inputs", kwargs.get("reward_input"))
    if inputs is None:
        raise TypeError("compute_score needs verl's (data_source, solution_str, ground_truth) or EasyR1's (reward_inputs)")
    return easyr1_compute_score(inputs)


# ----------------------------------------------------------------------------------------------------
# OpenRLHF

_ASSISTANT_MARKERS = ("<|im_start|>assistant\n", "<|im_start|>assistant")
_END_MARKERS = ("<|im_end|>", "<|endoftext|>", "<\uff5cend\u2581of\u2581sentence\uff5c>", "</s>", "<|eot_id|>")


def extract_response(query: str, prompt: Optional[str] = None) -> str:
    """The model's response inside OpenRLHF's query (= chat-templated prompt + response, special tokens kept).

    The prompt prefix is cut when the query starts with it; otherwise the text after the LAST assistant
    marker (Qwen's <|im_start|>assistant) is taken, as ViGaL's reward did. End-of-turn tokens are removed.
    """
    if not isinstance(query, str):
        return ""
    if isinstance(prompt, str) and prompt and query.startswith(prompt):
        response = query[len(prompt):]
    else:
        response = query
        for marker in _ASSISTANT_MARKERS:
            at = query.rfind(marker)
            if at >= 0:
                response = query[at + len(marker):]
                break
    for marker in _END_MARKERS:
        response = response.replace(marker, "")
    return response


def _as_tensor_or_list(values: list) -> Any:
    try:
        import torch  # noqa: PLC0415 - optional: the engines have it, the unit tests need not
    except ImportError:
        return values
    return torch.tensor(values, dtype=torch.float32)


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[Any], **kwargs: Any) -> dict:
    """OpenRLHF's reward function. `rewards` = overall (0..1.1) drive the advantages; `scores` = accuracy
    (0/1) feed dynamic filtering, which expects a binary score; the parts are logged in `extra_logs`."""
    overall, fmt, acc = [], [], []
    for i, query in enumerate(queries):
        prompt = prompts[i] if i < len(prompts) else None
        response = extract_response(query, prompt)
        parts = score_response(response, labels[i])
        _dump("openrlhf", response, labels[i], parts)
        overall.append(parts["overall"])
        fmt.append(parts["format"])
        acc.append(parts["accuracy"])
    return {
        "rewards": _as_tensor_or_list(overall),
        "scores": _as_tensor_or_list(acc),
        "extra_logs": {"format_reward": _as_tensor_or_list(fmt), "accuracy_reward": _as_tensor_or_list(acc)},
    }


# ----------------------------------------------------------------------------------------------------
# TRL


def _completion_text(completion: Any) -> str:
    """TRL passes a string (standard format) or a list of messages (conversational format)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Mapping):
        completion = [completion]
    if isinstance(completion, (list, tuple)) and completion:
        message = completion[-1]
        content = message.get("content") if isinstance(message, Mapping) else message
        if isinstance(content, str):
            return content
        if isinstance(content, (list, tuple)):
            # A part whose "text" is not a string (None, a number, a nested list) contributes nothing.
            return "".join(
                part["text"]
                for part in content
                if isinstance(part, Mapping) and part.get("type", "text") == "text" and isinstance(part.get("text"), str)
            )
    return ""


def _trl_parts(completions: Sequence[Any], ground_truth: Sequence[Any], dump: bool = False) -> list:
    out = []
    for completion, truth in zip(completions, ground_truth):
        text = _completion_text(completion)
        parts = score_response(text, truth)
        if dump:
            _dump("trl", text, truth, parts)
        out.append(parts)
    return out


def trl_reward(prompts: Any = None, completions: Sequence[Any] = (), ground_truth: Sequence[Any] = (), **kwargs: Any) -> list:
    """TRL GRPOTrainer reward: overall per completion (the dataset's `ground_truth` column arrives as a kwarg)."""
    return [p["overall"] for p in _trl_parts(completions, ground_truth, dump=True)]


def trl_format_reward(prompts: Any = None, completions: Sequence[Any] = (), ground_truth: Sequence[Any] = (), **kwargs: Any) -> list:
    """The format part alone, for reward_funcs=[trl_format_reward, trl_accuracy_reward] (logged separately)."""
    return [p["format"] for p in _trl_parts(completions, ground_truth)]


def trl_accuracy_reward(prompts: Any = None, completions: Sequence[Any] = (), ground_truth: Sequence[Any] = (), **kwargs: Any) -> list:
    """The accuracy part alone; the sum of the two equals trl_reward."""
    return [p["accuracy"] for p in _trl_parts(completions, ground_truth)]
