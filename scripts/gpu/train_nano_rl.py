"""RL (RLOO or GRPO) of the nano model on Snake (and Rotation: the joint model), on one GPU (PyTorch), from data written by
dump-rl-data.ts (or dump-joint-data.ts rl: rows of both games, each scored by its own verifier).

The same loop as src/train/rl.ts, at the batch sizes a GPU allows: each step samples `--prompts` pool
states x `--group` responses at temperature 1 (the ids the app's sampler suppresses are masked), scores
them with python/vigal_reward.py (the app's verifier, held equal to the TypeScript one by the shared
golden vectors), takes leave-one-out (RLOO) or group-normalised (GRPO) advantages, and makes one
on-policy update of the token-mean policy-gradient loss (+ an optional k3 KL to the start model), with
AdamW (betas 0.9/0.99, no weight decay) and gradient clipping at 1, as the TypeScript trainer does.

Why it exists: on the project's 2-core CPU a step of 12 prompts x 6 samples takes ~45 s, and the runs
there fixed the states they trained on but moved held-out greedy answers both ways (README, RL). This
script gives the same algorithm thousands of groups per minute.

Checks before training (the run stops with an error if one fails):
  - python/nano_decode.py reproduces Tokenizer.decode on every decode vector in meta.json (this
    vocabulary; the CI suite checks the shipped one against src/data/golden/decode-vectors.json);
  - the start model's greedy accuracy on the held-out sets is printed next to what `vigal eval` measured
    with the ONNX runtime (65.0% on test1000, 72.0% on test2000 for vigal-nano-snake-sft): the forward,
    prompts, decoding and reward all sit under that number.

Checkpoint selection uses the `val` set only (greedy accuracy, every --eval-every steps). The test sets'
accuracies are logged for the record; the chosen checkpoint is remeasured in TypeScript by `vigal eval`.

Outputs (OUT): metrics.jsonl, best/model.safetensors (best val accuracy), final/model.safetensors.
Usage: python3 train_nano_rl.py DATA_DIR INIT_SAFETENSORS OUT --minutes 6 --prompts 128 --group 8 --lr 2e-5
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'python'))
from vigal_reward import score_rotation, score_snake  # noqa: E402  (the app's reward, one file, standard library only)
from nano_decode import NanoDecoder  # noqa: E402  (the app's decoder; python/test_nano_decode.py holds them equal)
from nano_torch import Nano, read_safetensors, write_safetensors  # noqa: E402  (the model, shared with train_nano_sft.py)

# ------------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------------


def score_row(text, label):
    """A row's verifier: [best, worst] is a Snake row (dump-rl-data.ts), {'rotation': answer} a Rotation row
    (dump-joint-data.ts writes both games into one set for the joint model)."""
    if isinstance(label, dict):
        return score_rotation(text, label['rotation'])
    return score_snake(text, label[0], label[1])


class PromptSet:
    def __init__(self, data, name, meta, dev):
        n, side = meta['sets'][name]['rows'], meta['config']['imageSize']
        P = meta['sets'][name]['longestPrompt']
        load = lambda f, dt: np.frombuffer(gzip.decompress(open(os.path.join(data, f'{name}.{f}'), 'rb').read()), dtype=dt)
        self.images = torch.from_numpy(load('images.u8.gz', np.uint8).reshape(n, side, side, 3).copy()).to(dev)
        self.ids_cpu = torch.from_numpy(load('ids.i16.gz', np.int16).reshape(n, P).astype(np.int64))
        self.ids = self.ids_cpu.to(dev)
        self.lens = load('lens.i16.gz', np.int16).astype(np.int64)
        self.labels = json.load(open(os.path.join(data, f'{name}.labels.json')))
        self.n = n

# ------------------------------------------------------------------------------------------------------
# Sampling with a KV cache. Prompts differ in length: text is LEFT-padded to the longest, and each
# row's positions skip its padding, so every real token sits at the position the app feeds it at.
# ------------------------------------------------------------------------------------------------------


@torch.no_grad()
def generate(model, ps, rows, group, temperature, max_new, sampler, gen):
    """rows: indices into ps; each repeated `group` times. temperature 0 is greedy; sampler: (mask, stop).
    Returns per sample: (token list, log-prob list under softmax(logits / T) with suppression)."""
    dev, Np, maxlen = model.dev, model.Np, model.c['maxSeqLen']
    rows_t = torch.as_tensor(rows, device=dev).repeat_interleave(group)
    B = rows_t.shape[0]
    lens = torch.as_tensor(ps.lens[np.asarray(rows)], device=dev).repeat_interleave(group)
    Lmax = int(lens.max())
    # Left-pad: row r's prompt occupies columns [Lmax - len, Lmax).
    src = ps.ids[rows_t]
    col = torch.arange(Lmax, device=dev)[None]
    pad = Lmax - lens[:, None]
    gather = (col - pad).clamp(min=0)
    text = torch.where(col >= pad, src.gather(1, gather), torch.zeros_like(gather))
    text_valid = col >= pad
    budget = torch.clamp(torch.minimum(torch.full_like(lens, max_new), maxlen - Np - lens), min=1)
    steps = int(budget.max())
    Smax = Np + Lmax + steps
    cache = [(torch.zeros(B, model.H, Smax, model.hs, device=dev), torch.zeros(B, model.H, Smax, model.hs, device=dev)) for _ in range(model.L)]
    key_valid = torch.zeros(B, Smax, dtype=torch.bool, device=dev)
    key_valid[:, :Np] = True
    key_valid[:, Np:Np + Lmax] = text_valid
    P = model.P
    x = torch.cat([model.patchify(ps.images[rows_t]) @ P['patch_embed.weight'] + P['patch_embed.bias'], P['tok_embed.weight'][text]], 1)
    pos = torch.cat([torch.arange(Np, device=dev).expand(B, Np), (Np + col - pad).clamp(min=0)], 1)
    S0 = Np + Lmax
    causal = torch.ones(S0, S0, device=dev, dtype=torch.bool).tril()
    allowed = causal[None, None] & key_valid[:, None, None, :S0]
    logits = model.run(x, pos, allowed, cache, 0)[:, -1]
    mask, stop = sampler
    tokens = torch.zeros(B, steps, dtype=torch.long, device=dev)
    logps = torch.zeros(B, steps, device=dev)
    length = torch.zeros(B, dtype=torch.long, device=dev)
    alive = torch.ones(B, dtype=torch.bool, device=dev)
    for t in range(steps):
        scaled = (logits if temperature == 0 else logits / temperature) + mask
        lp = scaled.log_softmax(-1)
        nxt = scaled.argmax(-1) if temperature == 0 else torch.multinomial(lp.exp(), 1, generator=gen)[:, 0]
        tokens[:, t] = torch.where(alive, nxt, 0)
        logps[:, t] = torch.where(alive, lp.gather(1, nxt[:, None])[:, 0], torch.zeros_like(logps[:, t]))
        length += alive.long()
        alive = alive & ~stop[nxt] & (length < budget)
        if not bool(alive.any()):
            break
        at = S0 + t
        key_valid[:, at] = alive
        xe = P['tok_embed.weight'][tokens[:, t]][:, None]
        pe = (Np + lens + t).clamp(max=maxlen - 1)[:, None]  # finished rows run on (ignored), past the table
        logits = model.run(xe, pe, key_valid[:, None, None, :at + 1], cache, at)[:, -1]
    length, tokens, logps = length.cpu().numpy(), tokens.cpu().numpy(), logps.cpu().numpy()
    return [(tokens[b, :length[b]].tolist(), logps[b, :length[b]].tolist()) for b in range(B)]


def evaluate(model, ps, decoder, sampler, max_new, n=None, batch=500):
    """Greedy answers to the first n rows of ps (default: all): accuracy, format rate, per-row 1/0."""
    n = ps.n if n is None else min(n, ps.n)
    right, fmt = [], 0
    for s in range(0, n, batch):
        rows = list(range(s, min(n, s + batch)))
        for r, (toks, _) in zip(rows, generate(model, ps, rows, 1, 0, max_new, sampler, None)):
            v = score_row(decoder.decode(toks), ps.labels[r])
            right.append(1 if v['accuracy'] > 0 else 0)
            fmt += 1 if v['format'] > 0 else 0
    return sum(right) / n, fmt / n, right

# ------------------------------------------------------------------------------------------------------
# The RL update
# ------------------------------------------------------------------------------------------------------


def advantages(algo, rewards, G):
    r = np.asarray(rewards, dtype=np.float64).reshape(-1, G)
    mean = r.mean(1, keepdims=True)
    same = (r == r[:, :1]).all(1, keepdims=True)
    if algo == 'rloo':
        a = G / (G - 1) * (r - mean)
    else:
        a = (r - mean) / (r.std(1, ddof=1, keepdims=True) + 1e-6)
    return np.where(same, 0.0, a).reshape(-1)


def policy_step(model, ref, opt, ps, rows_rep, samples, adv, a, mask):
    """One on-policy update; rows_rep[i] is the prompt row of samples[i]. Returns metrics."""
    dev = model.dev
    total_tokens = sum(len(t) for t, _ in samples)
    active = [i for i in range(len(samples)) if adv[i] != 0 or a.kl > 0]
    opt.zero_grad(set_to_none=True)
    stats = dict(entropy=0.0, kl=0.0, gap=0.0, tokens=0)
    for s in range(0, len(active), a.micro):
        part = active[s:s + a.micro]
        lens = [int(ps.lens[rows_rep[i]]) for i in part]
        T = max(l + len(samples[i][0]) for l, i in zip(lens, part))
        ids = torch.zeros(len(part), T, dtype=torch.long)
        w = torch.zeros(len(part), T)
        A = torch.zeros(len(part), T)
        old = torch.zeros(len(part), T)
        for j, (i, l) in enumerate(zip(part, lens)):
            toks, lps = samples[i]
            ids[j, :l] = ps.ids_cpu[rows_rep[i], :l]
            ids[j, l:l + len(toks)] = torch.tensor(toks)
            # position p predicts ids[p + 1]: response token k is predicted at l + k - 1
            w[j, l - 1:l - 1 + len(toks)] = 1.0 / total_tokens
            A[j, l - 1:l - 1 + len(toks)] = float(adv[i])
            old[j, l - 1:l - 1 + len(toks)] = torch.tensor(lps)
        ids, w, A, old = ids.to(dev), w.to(dev), A.to(dev), old.to(dev)
        img = ps.images[torch.as_tensor([rows_rep[i] for i in part], device=dev)]
        patches = model.patchify(img)
        logits = model.text_logits(patches, ids)[:, :-1] / a.temperature + mask
        logp_all = logits.log_softmax(-1)
        tgt = ids[:, 1:]
        live = w[:, :-1] > 0
        logp = logp_all.gather(2, tgt[..., None])[..., 0]
        ratio = torch.exp(torch.where(live, logp - logp.detach(), torch.zeros_like(logp)))  # on-policy: 1, gradient of logp
        per_token = -A[:, :-1] * ratio
        if a.kl > 0:
            with torch.no_grad():
                ref_logp = (ref.text_logits(patches, ids)[:, :-1] / a.temperature + mask).log_softmax(-1).gather(2, tgt[..., None])[..., 0]
            diff = torch.where(live, ref_logp - logp, torch.zeros_like(logp))
            k3 = torch.exp(diff) - diff - 1
            per_token = per_token + a.kl * k3
            stats['kl'] += float((k3 * live).sum())
        (per_token * w[:, :-1]).sum().backward()
        with torch.no_grad():
            ent = -(logp_all.exp() * logp_all.masked_fill(torch.isinf(logp_all), 0)).sum(-1)
            stats['entropy'] += float((ent * live).sum())
            stats['gap'] += float(torch.where(live, (logp - old[:, :-1]).abs(), torch.zeros_like(logp)).sum())
            stats['tokens'] += int(live.sum())
    norm = torch.nn.utils.clip_grad_norm_(list(model.P.values()), a.clip) if active else torch.tensor(0.0)
    if active and torch.isfinite(norm):
        opt.step()
    n = max(1, stats['tokens'])
    return dict(active_samples=len(active), grad_norm=float(norm), entropy=stats['entropy'] / n, kl=stats['kl'] / n, logprob_gap_mean=stats['gap'] / n)

# ------------------------------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('data')
    p.add_argument('init', help='the start model (model.safetensors of vigal-nano-snake-sft)')
    p.add_argument('out')
    p.add_argument('--algo', choices=['rloo', 'grpo'], default='rloo')
    p.add_argument('--prompts', type=int, default=128)
    p.add_argument('--group', type=int, default=8)
    p.add_argument('--temperature', type=float, default=1.0)
    p.add_argument('--max-new', type=int, default=160)
    p.add_argument('--lr', type=float, default=2e-5)
    p.add_argument('--min-lr', type=float, default=None, help='cosine floor (default: lr, constant)')
    p.add_argument('--kl', type=float, default=0.0)
    p.add_argument('--clip', type=float, default=1.0)
    p.add_argument('--micro', type=int, default=128)
    p.add_argument('--minutes', type=float, default=6.0, help='wall-clock budget for the steps')
    p.add_argument('--max-steps', type=int, default=100000)
    p.add_argument('--eval-every', type=int, default=20)
    p.add_argument('--focus-scan', type=int, default=0, help='greedy-scan this many pool prompts first and draw from the wrong ones')
    p.add_argument('--focus-mix', type=float, default=0.25)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--sets', default='val,test1000,test2000', help='held-out sets to load (val must be first)')
    a = p.parse_args()
    if a.group < 2 or a.prompts < 1 or not (0 < a.temperature <= 5) or a.lr <= 0 or a.kl < 0 or not (0 <= a.focus_mix <= 1):
        p.error('need --group >= 2, --prompts >= 1, 0 < --temperature <= 5, --lr > 0, --kl >= 0, 0 <= --focus-mix <= 1')
    dev = a.device
    torch.manual_seed(a.seed)
    if dev == 'cuda':
        torch.backends.cuda.matmul.allow_tf32 = False  # fp32 as the app runs the model
        torch.backends.cudnn.allow_tf32 = False
    meta = json.load(open(os.path.join(a.data, 'meta.json')))
    decoder = NanoDecoder(meta['vocab'])
    for v in meta['decodeVectors']:
        got = decoder.decode(v['ids'])
        if got != v['text']:
            sys.exit(f'decoder mismatch on {v["ids"]}: {got!r} != {v["text"]!r}')
    start = read_safetensors(a.init)
    model = Nano(meta['config'], start, dev)
    ref = Nano(meta['config'], start, dev) if a.kl > 0 else None
    for t in model.P.values():
        t.requires_grad_(True)
    pool = PromptSet(a.data, 'pool', meta, dev)
    held = {name: PromptSet(a.data, name, meta, dev) for name in a.sets.split(',')}
    val_name = a.sets.split(',')[0]
    # The app's sampler: suppressed ids get no mass (the trainer's log-probs use the same mask); stop ids end a row.
    mask = torch.zeros(meta['config']['vocabSize'], device=dev)
    mask[meta['suppressedIds']] = float('-inf')
    stop = torch.zeros(meta['config']['vocabSize'], dtype=torch.bool, device=dev)
    stop[meta['stopIds']] = True
    sampler = (mask, stop)
    os.makedirs(a.out, exist_ok=True)
    log = open(os.path.join(a.out, 'metrics.jsonl'), 'a')

    def emit(rec):
        log.write(json.dumps(rec) + '\n')
        log.flush()
        print(json.dumps(rec), flush=True)

    def eval_all(step):
        rec = dict(kind='eval', step=step)
        for name, ps in held.items():
            acc, fmt, _ = evaluate(model, ps, decoder, sampler, a.max_new)
            rec[f'{name}/accuracy'], rec[f'{name}/format'] = acc, fmt
        emit(rec)
        return rec

    def save(kind, step, rec):
        write_safetensors(os.path.join(a.out, kind, 'model.safetensors'), {k: v.detach().cpu().numpy() for k, v in model.P.items()},
                          {'step': step, 'val_accuracy': rec[f'{val_name}/accuracy'], 'init': os.path.abspath(a.init)})

    attention_diff = model.check_attention(pool.images[:4], pool.ids[:4])
    t0 = time.time()
    rec = eval_all(0)
    emit(dict(kind='start', eval_seconds=time.time() - t0, pool=pool.n, fused_attention=model.fused, fused_vs_written=attention_diff, options=vars(a)))
    best = rec[f'{val_name}/accuracy']
    save('best', 0, rec)

    gen = torch.Generator(device=dev).manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    focus = None
    if a.focus_scan > 0:
        _, _, right = evaluate(model, pool, decoder, sampler, a.max_new, n=a.focus_scan)
        focus = np.array([i for i, ok in enumerate(right) if ok == 0])
        emit(dict(kind='focus', scanned=len(right), kept=len(focus)))
        if len(focus) == 0:
            sys.exit('focus scan: the start model answers every scanned prompt right; nothing to focus on')
    opt = torch.optim.AdamW(list(model.P.values()), lr=a.lr, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.0)
    min_lr = a.lr if a.min_lr is None else a.min_lr
    budget = a.minutes * 60
    t_steps = time.time()
    step = 0
    while step < a.max_steps and time.time() - t_steps < budget:
        frac = min(1.0, (time.time() - t_steps) / budget)
        lr = min_lr + 0.5 * (a.lr - min_lr) * (1 + math.cos(math.pi * frac))
        for g in opt.param_groups:
            g['lr'] = lr
        ts = time.time()
        if focus is not None:
            rows = [int(focus[rng.integers(len(focus))]) if rng.random() >= a.focus_mix else int(rng.integers(pool.n)) for _ in range(a.prompts)]
        else:
            rows = [int(x) for x in rng.integers(pool.n, size=a.prompts)]
        samples = generate(model, pool, rows, a.group, a.temperature, a.max_new, sampler, gen)
        t_roll = time.time() - ts
        rows_rep = [r for r in rows for _ in range(a.group)]
        parts = [score_row(decoder.decode(toks), pool.labels[r]) for (toks, _), r in zip(samples, rows_rep)]
        rewards = [v['overall'] for v in parts]
        adv = advantages(a.algo, rewards, a.group)
        m = policy_step(model, ref, opt, pool, rows_rep, samples, adv, a, mask)
        step += 1
        grouped = np.asarray(rewards).reshape(-1, a.group)
        m.update(kind='train', step=step, lr=lr, reward=float(np.mean(rewards)), reward_std=float(np.std(rewards)),
                 accuracy=float(np.mean([v['accuracy'] > 0 for v in parts])), format_rate=float(np.mean([v['format'] > 0 for v in parts])),
                 frac_reward_zero_std=float(np.mean((grouped == grouped[:, :1]).all(1))),
                 mean_length=float(np.mean([len(t) for t, _ in samples])), rollout_s=t_roll, step_s=time.time() - ts,
                 tokens_per_second=sum(len(t) for t, _ in samples) / max(1e-9, t_roll))
        if step % 5 == 0 or step == 1:
            emit(m)
        else:
            log.write(json.dumps(m) + '\n')
        if step % a.eval_every == 0:
            rec = eval_all(step)
            if rec[f'{val_name}/accuracy'] > best:
                best = rec[f'{val_name}/accuracy']
                save('best', step, rec)
    rec = eval_all(step)
    save('final', step, rec)
    if rec[f'{val_name}/accuracy'] > best:
        best = rec[f'{val_name}/accuracy']
        save('best', step, rec)
    emit(dict(kind='done', steps=step, seconds=time.time() - t0, best_val=best))


if __name__ == '__main__':
    main()
