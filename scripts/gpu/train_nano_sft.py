"""Supervised warm start of the nano model on a GPU (PyTorch), from data written by dump-sft-data.ts.

The same architecture as src/model/config.ts and src/train/model.ts (the jax-js reference): pre-norm
decoder over [image patches][text], learned positions, GELU (tanh), causal mask -1e9, weights stored
[in, out] under the config's parameter names, so the checkpoint loads into `vigal export-model`
unchanged. It exists because the project's CPU machines train ~2 s a step; on one H100 a step takes
milliseconds. Parity with the project's forward is checked after export (logits of a fixed batch are
written to parity.safetensors and compared with the ONNX model's).

Usage: python3 train_nano_sft.py DATA_DIR OUT_DIR --steps 6000 --save 1500,3000,6000
"""
import argparse, gzip, json, math, os, time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

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
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
torch.manual_seed(a.seed)
dev = 'cuda'
torch.backends.cuda.matmul.allow_tf32 = False  # full fp32: the ONNX export is fp32
torch.backends.cudnn.allow_tf32 = False

meta = json.load(open(os.path.join(a.data, 'meta.json')))
c = meta['config']
N, T = meta['N'], meta['T']
side, ps, d, L, H, V = c['imageSize'], c['patchSize'], c['dModel'], c['nLayer'], c['nHead'], c['vocabSize']
hs = d // H
Np = (side // ps) ** 2
load = lambda f, dt: np.frombuffer(gzip.decompress(open(os.path.join(a.data, f), 'rb').read()), dtype=dt)
images = torch.from_numpy(load('images.u8.gz', np.uint8).reshape(N, side, side, 3).copy()).to(dev)
ids = torch.from_numpy(load('ids.i16.gz', np.int16).reshape(N, T).astype(np.int64)).to(dev)
lens = torch.from_numpy(load('lens.i16.gz', np.int16).reshape(N, 2).astype(np.int64)).to(dev)
ntrain = meta['train']

def patchify(img):  # [B, H, W, 3] uint8 -> [B, Np, ps*ps*3]: patches row-major, values (py, px, c), /255
    B = img.shape[0]
    x = img.float().div(255.0).view(B, side // ps, ps, side // ps, ps, 3)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(B, Np, ps * ps * 3)

def shapes():
    s = [('patch_embed.weight', (ps * ps * 3, d)), ('patch_embed.bias', (d,)), ('tok_embed.weight', (V, d)), ('pos_embed.weight', (c['maxSeqLen'], d))]
    for i in range(L):
        b = f'blocks.{i}'
        s += [(f'{b}.ln1.weight', (d,)), (f'{b}.ln1.bias', (d,)), (f'{b}.attn.qkv.weight', (d, 3 * d)), (f'{b}.attn.qkv.bias', (3 * d,)),
              (f'{b}.attn.proj.weight', (d, d)), (f'{b}.attn.proj.bias', (d,)), (f'{b}.ln2.weight', (d,)), (f'{b}.ln2.bias', (d,)),
              (f'{b}.mlp.fc.weight', (d, c['dFF'])), (f'{b}.mlp.fc.bias', (c['dFF'],)), (f'{b}.mlp.proj.weight', (c['dFF'], d)), (f'{b}.mlp.proj.bias', (d,))]
    return s + [('ln_f.weight', (d,)), ('ln_f.bias', (d,)), ('lm_head.weight', (d, V))]

P = {}
for name, shape in shapes():
    if name.endswith('ln1.weight') or name.endswith('ln2.weight') or name == 'ln_f.weight': t = torch.ones(shape)
    elif len(shape) == 1: t = torch.zeros(shape)
    else:
        std = 0.02 / math.sqrt(2 * L) if name.endswith('proj.weight') else 0.02
        t = torch.randn(shape) * std
    P[name] = t.to(dev).requires_grad_(True)

def ln(x, w, b): return F.layer_norm(x, (d,), w, b, c['lnEps'])

def forward(patches, tok):  # -> logits at text positions [B, Tt, V]
    B, Tt = tok.shape
    x = torch.cat([patches @ P['patch_embed.weight'] + P['patch_embed.bias'], P['tok_embed.weight'][tok]], dim=1)
    S = x.shape[1]
    x = x + P['pos_embed.weight'][:S]
    mask = torch.ones(S, S, device=dev, dtype=torch.bool).tril()
    for i in range(L):
        b = f'blocks.{i}'
        qkv = ln(x, P[f'{b}.ln1.weight'], P[f'{b}.ln1.bias']) @ P[f'{b}.attn.qkv.weight'] + P[f'{b}.attn.qkv.bias']
        q, k, v = qkv.split(d, dim=-1)
        q, k, v = (t.view(B, S, H, hs).transpose(1, 2) for t in (q, k, v))  # (B, nh, S, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
        att = att.masked_fill(~mask, -1e9).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, S, d)
        x = x + y @ P[f'{b}.attn.proj.weight'] + P[f'{b}.attn.proj.bias']
        h = F.gelu(ln(x, P[f'{b}.ln2.weight'], P[f'{b}.ln2.bias']) @ P[f'{b}.mlp.fc.weight'] + P[f'{b}.mlp.fc.bias'], approximate='tanh')
        x = x + h @ P[f'{b}.mlp.proj.weight'] + P[f'{b}.mlp.proj.bias']
    x = ln(x, P['ln_f.weight'], P['ln_f.bias'])
    return x[:, Np:] @ P['lm_head.weight']

def batch_loss(rows):
    tok = ids[rows]
    logits = forward(patchify(images[rows]), tok)  # text position j predicts tok[j + 1]
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
        save_file({n: t.detach().float().contiguous().cpu() for n, t in P.items()}, os.path.join(a.out, f'model-{step}.safetensors'), metadata={'step': str(step)})

# A fixed batch's logits for the parity check against the exported ONNX model.
with torch.no_grad():
    rows = torch.arange(ntrain, ntrain + 2, device=dev)
    save_file({'rows': rows.cpu().int(), 'logits': forward(patchify(images[rows]), ids[rows]).float().cpu().contiguous()}, os.path.join(a.out, 'parity.safetensors'))
print(json.dumps({'done': True, 'seconds': time.time() - start}))
