#!/usr/bin/env bash
# The GPU RL sweep behind models/vigal-nano-snake-rl: a smoke run (2 tiny steps, stops the sweep on any
# error), then four train_nano_rl.py runs side by side on one GPU (each is launch-bound, so they share it
# well), each with the same wall-clock budget. Every run picks its checkpoint by `val` accuracy alone.
# Usage: bash scripts/gpu/rl-sweep.sh DATA_DIR OUT_DIR [MINUTES]
#
# The shipped checkpoint: this sweep at 5.2 minutes (validation: lr1e-5 72.4%, lr3e-5 73.6%,
# focus-lr3e-5 75.2%, lr1e-4-kl 74.7% at step 40), then a second leg from the two best, again ranked by
# validation alone; models/vigal-nano-snake-rl is OUT/leg2-kl/best (75.8%):
#   python3 scripts/gpu/train_nano_rl.py DATA OUT/lr1e-4-kl/best/model.safetensors OUT/leg2-kl --minutes 2.3 --lr 5e-5 --min-lr 5e-6 --kl 0.02 --eval-every 25 --seed 2
#   python3 scripts/gpu/train_nano_rl.py DATA OUT/focus-lr3e-5/final/model.safetensors OUT/leg2-focus --minutes 2.3 --lr 3e-5 --min-lr 3e-6 --focus-scan 8000 --eval-every 25 --seed 2
#   python3 scripts/gpu/train_nano_rl.py DATA models/vigal-nano-snake-sft/model.safetensors OUT/focus-kl --minutes 2.3 --lr 1e-4 --min-lr 1e-5 --kl 0.02 --focus-scan 8000 --eval-every 25 --seed 3
set -euo pipefail
data=$1
out=$2
minutes=${3:-6.5}
init=models/vigal-nano-snake-sft/model.safetensors
here=$(dirname "$0")
mkdir -p "$out"
python3 "$here/train_nano_rl.py" "$data" "$init" "$out/smoke" --sets test1000 --max-steps 2 --prompts 8 --group 4 --eval-every 1 --minutes 1 >"$out/smoke.log" 2>&1 \
  || { cat "$out/smoke.log"; exit 1; }
run() {
  local name=$1
  shift
  OMP_NUM_THREADS=4 python3 "$here/train_nano_rl.py" "$data" "$init" "$out/$name" --minutes "$minutes" "$@" >"$out/$name.log" 2>&1 &
}
run lr1e-5 --lr 1e-5
run lr3e-5 --lr 3e-5 --min-lr 3e-6
run focus-lr3e-5 --lr 3e-5 --min-lr 3e-6 --focus-scan 8000 --focus-mix 0.25
run lr1e-4-kl --lr 1e-4 --min-lr 1e-5 --kl 0.02
wait
grep -h '"kind": "done"' "$out"/*.log
