"""Supervised warm start of the nano model on a GPU (PyTorch), from data written by dump-sft-data.ts.

The model is nano_torch.py's (the architecture of src/model/config.ts and src/train/model.ts, weights
under the config's parameter names), so the checkpoint loads into `vigal export-model` unchanged. It exists because the project's CPU machines train ~2 s a step; on one H100 a step takes
milliseconds. Parity with the project's forward is checked after export (logits of a fixed batch are
written to parity.safetensors and compared with the ONNX model's).

Usage: python3 train_nano_sft.py DATA_DIR OUT_DIR --steps 6000 --save 1500,3000,6000
"""
import argparse, gzip, json, math, os, time

import numpy as np
import torch
import torch.nn.functional as F

from nano_torch import Nano, parameter_shapes, write_safetensors

p = argparse.ArgumentParser()
p.add_argument('data'); p.add_argument('out')
p.add_argument('--steps', type=int, default=6000)
p.add_argument('--save', default='1500,3000,6000')
p.add_argument('--batch', type=int, default=64)
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--min-lr', type=float, default=1e-4)
p.add_argument('--warmup', type=int, default=200)
p.add_argument('--wd', type=float, default=0.1)
p.add_argument('--clip', type=float, default=1.0)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--device', default='cuda')
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
torch.manual_seed(a.seed)
dev = a.device
torch.backends.cuda.matmul.allow_tf32 = False  # full fp32: the ONNX export is fp32
torch.backends.cudnn.allow_tf32 = False

meta = json.load(open(os.path.join(a.data, 'meta.json')))
c = meta['config']
N, T = meta['N'], meta['T']
side, L, V = c['imageSize'], c['nLayer'], c['vocabSize']
load = lambda f, dt: np.frombuffer(gzip.decompress(open(os.path.join(a.data, f), 'rb').read()), dtype=dt)
images = torch.from_numpy(load('images.u8.gz', np.uint8).reshape(N, side, side, 3).copy()).to(dev)
ids = torch.from_numpy(load('ids.i16.gz', np.int16).reshape(N, T).astype(np.int64)).to(dev)
lens = torch.from_numpy(load('lens.i16.gz', np.int16).reshape(N, 2).astype(np.int64)).to(dev)
ntrain = meta['train']

# GPT-2 / nanoGPT initialisation (src/train/model.ts initParams): N(0, 0.02), residual projections
# N(0, 0.02 / sqrt(2 nLayer)), biases 0, LayerNorm gains 1.
init = {}
for name, shape in parameter_shapes(c):
    if name.endswith('ln1.weight') or name.endswith('ln2.weight') or name == 'ln_f.weight': t = torch.ones(shape)
    elif len(shape) == 1: t = torch.zeros(shape)
    else:
        std = 0.02 / math.sqrt(2 * L) if name.endswith('proj.weight') else 0.02
        t = torch.randn(shape) * std
    init[name] = t
model = Nano(c, init, dev)
P = model.P
for t in P.values(): t.requires_grad_(True)

def batch_loss(rows):
    tok = ids[rows]
    logits = model.text_logits(model.patchify(images[rows]), tok)  # text position j predicts tok[j + 1]
    targets = tok[:, 1:]
    pl, rl = lens[rows, 0:1], lens[rows, 1:2]
    j = torch.arange(1, T, device=dev)[None, :]
    w = ((j >= pl) & (j < pl + rl)).float()
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, V), targets.reshape(-1), reduction='none').view(w.shape)
    hit = (logits[:, :-1].argmax(-1) == targets).float()
    return (ce * w).sum() / w.sum(), (hit * w).sum() / w.sum()

decay = [t for n, t in P.items() if n.endswith('.weight') and 'ln' not in n and 'embed' not in n]
nodecay = [t for n, t in P.items() if not (n.endswith('.weight') and 'ln' not in n and 'embed' not in n)]
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.wd}, {'params': nodecay, 'weight_decay': 0.0}], lr=a.lr, betas=(0.9, 0.95))
def lr_at(s):
    if s < a.warmup: return a.lr * (s + 1) / a.warmup
    t = min(1.0, (s - a.warmup) / max(1, a.steps - a.warmup))
    return a.min_lr + 0.5 * (a.lr - a.min_lr) * (1 + math.cos(math.pi * t))

save_at = {int(s) for s in a.save.split(',') if s}
g = torch.Generator(device='cpu').manual_seed(a.seed)
log = open(os.path.join(a.out, 'metrics.jsonl'), 'w')
start = time.time()
for step in range(1, a.steps + 1):
    for group in opt.param_groups: group['lr'] = lr_at(step - 1)
    rows = torch.randint(0, ntrain, (a.batch,), generator=g).to(dev)
    loss, acc = batch_loss(rows)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(list(P.values()), a.clip)
    opt.step()
    if step % 100 == 0 or step in save_at:
        with torch.no_grad():
            ev = torch.arange(ntrain, N, device=dev)
            el, ea = batch_loss(ev[:128])
        rec = dict(step=step, loss=loss.item(), tok_acc=acc.item(), eval_loss=el.item(), eval_tok_acc=ea.item(), lr=lr_at(step - 1), grad_norm=norm.item(), seconds=time.time() - start)
        log.write(json.dumps(rec) + '\n'); log.flush()
        if step % 500 == 0 or step in save_at: print(json.dumps(rec), flush=True)
    if step in save_at:
        write_safetensors(os.path.join(a.out, f'model-{step}.safetensors'), {n: t.detach().cpu().numpy() for n, t in P.items()}, {'step': step})

# A fixed batch's logits for the parity check against the exported ONNX model.
with torch.no_grad():
    rows = torch.arange(ntrain, ntrain + 2, device=dev)
    write_safetensors(os.path.join(a.out, 'parity.safetensors'), {'rows': rows.cpu().numpy().astype(np.int32), 'logits': model.text_logits(model.patchify(images[rows]), ids[rows]).cpu().numpy()})
print(json.dumps({'done': True, 'seconds': time.time() - start}))
