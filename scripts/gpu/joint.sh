#!/usr/bin/env bash
# Issue 16's joint model (one nano model for Snake and Rotation), end to end, in three stages:
#
#   prepare OUT   here, Node: the SFT data (jointSource: the Snake length curriculum, Rotation over three
#                 class sets, never a registered held-out state) with the run's config.json and
#                 tokenizer.json, and the RL prompt sets for that tokenizer (scripts/gpu/dump-joint-data.ts)
#   train OUT     the GPU machine, python3 with PyTorch: train_nano_sft.py on the SFT data, then
#                 train_nano_rl.py (RLOO on both games' verifiers) from the SFT's last checkpoint; the
#                 results go flat into $RESULTS (default OUT/results): sft.safetensors, sft-parity.safetensors,
#                 rl-best.safetensors, rl-final.safetensors, sft-metrics.jsonl, rl-metrics.jsonl, train.log
#   finish OUT    here, Node: model folders vigal-nano-joint-sft and -rl (ONNX fp32 + 4-bit, measured cards),
#                 the parity check of the GPU forward against the exported ONNX model, and every target
#                 of issue 16 measured by `vigal eval` (OUT/targets.md, appended to both cards)
#
# For the device tool OUT must lie inside the checkout and be ignored: out/joint (.gitignore has /out/), which
# the call then carries; prepare writes ~40 MB of gzipped data, within the 64 MiB a call takes with the repo.
# The device run (the one step that needs the GPU; ~5 minutes: give it timeout_s 420):
#   run  command: PYTHONUNBUFFERED=1 RESULTS=$OUT bash scripts/gpu/joint.sh train out/joint   carry: ["out/joint"]
# then copy its files (files_at) to out/joint/results and run `bash scripts/gpu/joint.sh finish out/joint`.
#
# TOY=1 shrinks every stage (a 1-layer model, a few steps, a handful of states) and runs `train` on the CPU:
# the whole route proven here without a GPU (PYTHON=/usr/bin/python3 where Debian's python3-torch is).
set -euo pipefail
stage=${1:?usage: joint.sh prepare|train|finish OUT}
out=${2:?usage: joint.sh prepare|train|finish OUT}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-python3}
results=${RESULTS:-$out/results}
toy=${TOY:-0}

if [ "$toy" = 1 ]; then
  sft_data=(--train 200 --eval 16 --d-model 32 --n-layer 1 --n-head 2 --d-ff 64 --name vigal-nano-joint-toy-sft)
  rl_data=(--pool 64 --val 4 --tests 4)
  sft_train=(--steps 4 --save 4 --batch 4 --warmup 1 --device cpu)
  rl_train=(--max-steps 2 --prompts 2 --group 2 --max-new 48 --micro 4 --eval-every 1 --minutes 5 --device cpu)
  card=(--eval-n 4 --eval-games 1 --bots greedy)
  n=4; games=1
else
  # The shipped Snake model's shape (d 128, 4 layers, 4 heads); 30,000 rows (65% Snake over the length
  # buckets, 35% Rotation) keep the data within the call's 64 MiB.
  sft_data=(--train 30000 --eval 256)
  rl_data=(--pool 8000 --val 300 --tests 500)
  # 3000 steps of 64, as the shipped Snake SFT; RL time-boxed to 2 minutes, so that the whole stage (~5
  # minutes with the evaluations) leaves a 15-minute device session room to run it again.
  sft_train=(--steps 3000 --save 1500,3000 --batch 64 --lr 1e-3 --min-lr 1e-4 --warmup 200)
  # Long-snake traces run to ~300 tokens: --max-new 384 (the Snake-only runs used 160).
  rl_train=(--minutes 2 --prompts 128 --group 8 --max-new 384 --lr 3e-5 --min-lr 3e-6 --kl 0.02 --eval-every 20)
  card=(--eval-n 500 --eval-games 100 --bots greedy,lookahead)
  n=500; games=100
fi

case "$stage" in
prepare)
  mkdir -p "$out"
  npx tsx "$here/dump-joint-data.ts" sft --out "$out/sft-data" "${sft_data[@]}"
  npx tsx "$here/dump-joint-data.ts" rl --model "$out/sft-data" --out "$out/rl-data" "${rl_data[@]}"
  du -sh "$out"
  ;;
train)
  mkdir -p "$results" "$out/sft" "$out/rl"
  log="$results/train.log"
  steps=$(printf '%s\n' "${sft_train[@]}" | awk 'prev == "--steps" { print } { prev = $0 }')
  {
    "$py" "$here/train_nano_sft.py" "$out/sft-data" "$out/sft" "${sft_train[@]}"
    cp "$out/sft/model-$steps.safetensors" "$results/sft.safetensors"
    cp "$out/sft/parity.safetensors" "$results/sft-parity.safetensors"
    cp "$out/sft/metrics.jsonl" "$results/sft-metrics.jsonl"
    "$py" "$here/train_nano_rl.py" "$out/rl-data" "$results/sft.safetensors" "$out/rl" \
      --sets val,snake1000,snake2000,long1000,long2000,rotation1000,three1000 "${rl_train[@]}"
    cp "$out/rl/best/model.safetensors" "$results/rl-best.safetensors"
    cp "$out/rl/final/model.safetensors" "$results/rl-final.safetensors"
    cp "$out/rl/metrics.jsonl" "$results/rl-metrics.jsonl"
  } 2>&1 | tee "$log"
  ;;
finish)
  cd "$root"
  vigal() { node "$root/bin/vigal.js" "$@"; }
  for leg in sft rl; do
    ck="$out/ck-$leg"
    mkdir -p "$ck"
    cp "$out/sft-data/config.json" "$out/sft-data/tokenizer.json" "$ck/"
    if [ "$leg" = sft ]; then cp "$results/sft.safetensors" "$ck/model.safetensors"; else cp "$results/rl-best.safetensors" "$ck/model.safetensors"; fi
    compare=()
    if [ "$leg" = rl ]; then compare=(--compare "$out/vigal-nano-joint-sft"); fi
    vigal export-model --checkpoint "$ck" --out "$out/vigal-nano-joint-$leg" --name "vigal-nano-joint-$leg" "${card[@]}" "${compare[@]}" \
      --description "One nano model for Snake and Rotation (issue 16): the Snake length curriculum and Rotation's three class sets; trained by scripts/gpu/joint.sh ($leg)." \
      --command "bash scripts/gpu/joint.sh prepare|train|finish OUT" >"$out/export-$leg.json"
  done
  # The GPU forward against the exported ONNX model, on the SFT data's first held-out rows.
  npx tsx "$here/check-parity.ts" "$out/sft-data" "$results/sft-parity.safetensors" "$out/vigal-nano-joint-sft" | tee "$out/parity.json"
  sft="nano:$out/vigal-nano-joint-sft"
  rl="nano:$out/vigal-nano-joint-rl"
  evals="$out/evals.jsonl"
  : >"$evals"
  # Every target of issue 16, SFT and RL on the same states (McNemar per set), greedy, fp32.
  for seed in 1000 2000; do
    vigal eval snake --policies "$sft,$rl" --n "$n" --seed "$seed" --games 0 --jsonl "$evals" >/dev/null
    vigal eval snake --policies "$sft,$rl" --n "$n" --seed "$seed" --min-length 8 --games 0 --jsonl "$evals" >/dev/null
  done
  for classes in default three; do
    vigal eval rotation --policies "$sft,$rl" --n "$n" --seed 1000 --classes "$classes" --jsonl "$evals" >/dev/null
  done
  # Games against the greedy bot, the model in seat 1 (game g from seed 1000 + g); --n 1: the games are the point.
  for model in "$sft" "$rl"; do
    vigal eval snake --policy "$model" --n 1 --seed 1000 --games "$games" --opponent greedy --jsonl "$evals" >/dev/null
  done
  npx tsx "$here/joint-targets.ts" "$evals" "$out/parity.json" >"$out/targets.md"
  for leg in sft rl; do cat "$out/targets.md" >>"$out/vigal-nano-joint-$leg/README.md"; done
  cat "$out/targets.md"
  ;;
*)
  echo "usage: joint.sh prepare|train|finish OUT" >&2
  exit 2
  ;;
esac
