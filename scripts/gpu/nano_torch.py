"""The nano model in PyTorch, shared by the GPU trainers (train_nano_sft.py, train_nano_rl.py).

The same architecture as src/model/config.ts and src/train/model.ts (the jax-js reference): pre-norm
decoder over [image patches][text], learned positions, GELU (tanh), causal attention, weights stored
[in, out] under the config's parameter names, so a checkpoint loads into `vigal export-model` unchanged.
scripts/gpu/check-parity.ts compares its logits with the exported ONNX model's.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def parameter_shapes(c):
    """Every parameter's name and shape, in config.ts's order (parameterShapes)."""
    d, ps, V, dff = c['dModel'], c['patchSize'], c['vocabSize'], c['dFF']
    s = [('patch_embed.weight', (ps * ps * 3, d)), ('patch_embed.bias', (d,)), ('tok_embed.weight', (V, d)), ('pos_embed.weight', (c['maxSeqLen'], d))]
    for i in range(c['nLayer']):
        b = f'blocks.{i}'
        s += [(f'{b}.ln1.weight', (d,)), (f'{b}.ln1.bias', (d,)), (f'{b}.attn.qkv.weight', (d, 3 * d)), (f'{b}.attn.qkv.bias', (3 * d,)),
              (f'{b}.attn.proj.weight', (d, d)), (f'{b}.attn.proj.bias', (d,)), (f'{b}.ln2.weight', (d,)), (f'{b}.ln2.bias', (d,)),
              (f'{b}.mlp.fc.weight', (d, dff)), (f'{b}.mlp.fc.bias', (dff,)), (f'{b}.mlp.proj.weight', (dff, d)), (f'{b}.mlp.proj.bias', (d,))]
    return s + [('ln_f.weight', (d,)), ('ln_f.bias', (d,)), ('lm_head.weight', (d, V))]


# ------------------------------------------------------------------------------------------------------
# safetensors (F32 only; a few lines instead of a dependency the CPU machines lack)
# ------------------------------------------------------------------------------------------------------


def read_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        if info['dtype'] != 'F32':
            raise ValueError(f'{path}: tensor {name} is {info["dtype"]}, expected F32')
        a, b = info['data_offsets']
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f4').reshape(info['shape']).copy()
    return out


def write_safetensors(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        dtype = 'I32' if np.asarray(t).dtype == np.int32 else 'F32'  # I32: index tensors (parity rows)
        data = np.ascontiguousarray(t, dtype='<i4' if dtype == 'I32' else '<f4').tobytes()
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header['__metadata__'] = {k: str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + '.tmp', 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(chunks))
    os.replace(path + '.tmp', path)

# ------------------------------------------------------------------------------------------------------
# The model
# ------------------------------------------------------------------------------------------------------


class Nano:
    def __init__(self, config, params, dev):
        self.c = config
        self.d, self.L, self.H = config['dModel'], config['nLayer'], config['nHead']
        self.hs = self.d // self.H
        self.ps = config['patchSize']
        self.Np = (config['imageSize'] // self.ps) ** 2
        self.P = {k: torch.as_tensor(v, dtype=torch.float32, device=dev).clone() for k, v in params.items()}
        self.dev = dev

    def patchify(self, img):  # [B, H, W, 3] uint8 -> [B, Np, ps*ps*3], patches row-major, (py, px, c), /255
        B, side, ps = img.shape[0], self.c['imageSize'], self.ps
        x = img.float().div(255.0).view(B, side // ps, ps, side // ps, ps, 3)
        return x.permute(0, 1, 3, 2, 4, 5).reshape(B, self.Np, ps * ps * 3)

    def _ln(self, x, name):
        return F.layer_norm(x, (self.d,), self.P[name + '.weight'], self.P[name + '.bias'], self.c['lnEps'])

    # PyTorch 2's fused attention keeps the [B, H, S, S] scores out of memory; the written-out form is
    # the reference (and what older PyTorch runs). `check_attention` compares them before a run.
    fused = hasattr(F, 'scaled_dot_product_attention')

    def _attend(self, q, k, v, allowed):  # allowed: bool, broadcastable to [B, H, Sq, Sk]
        if self.fused:
            return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.hs)
        return att.masked_fill(~allowed, -1e9).softmax(-1) @ v

    def run(self, x, positions, allowed, cache=None, at=0):
        """x [B, S, d] embeddings, positions [B, S], allowed [B, 1, S, Sk]; cache: per-layer (K, V) of
        [B, H, Smax, hs] written at columns [at, at + S) and attended over [0, at + S)."""
        P, B, S = self.P, x.shape[0], x.shape[1]
        x = x + P['pos_embed.weight'][positions]
        for i in range(self.L):
            b = f'blocks.{i}'
            qkv = self._ln(x, f'{b}.ln1') @ P[f'{b}.attn.qkv.weight'] + P[f'{b}.attn.qkv.bias']
            q, k, v = (t.view(B, S, self.H, self.hs).transpose(1, 2) for t in qkv.split(self.d, dim=-1))
            if cache is not None:
                K, Vc = cache[i]
                K[:, :, at:at + S] = k
                Vc[:, :, at:at + S] = v
                k, v = K[:, :, :at + S], Vc[:, :, :at + S]
            y = self._attend(q, k, v, allowed).transpose(1, 2).reshape(B, S, self.d)
            x = x + y @ P[f'{b}.attn.proj.weight'] + P[f'{b}.attn.proj.bias']
            h = F.gelu(self._ln(x, f'{b}.ln2') @ P[f'{b}.mlp.fc.weight'] + P[f'{b}.mlp.fc.bias'], approximate='tanh')
            x = x + h @ P[f'{b}.mlp.proj.weight'] + P[f'{b}.mlp.proj.bias']
        return self._ln(x, 'ln_f') @ P['lm_head.weight']

    def check_attention(self, images, ids):
        """Fused and written-out attention must give the same logits (max |diff| < 1e-3) on real prompts."""
        if not self.fused:
            return 0.0
        with torch.no_grad():
            patches = self.patchify(images)
            fused = self.text_logits(patches, ids)
            self.fused = False
            written = self.text_logits(patches, ids)
            self.fused = True
        diff = float((fused - written).abs().max())
        if not diff < 1e-3:
            sys.exit(f'fused attention differs from the written-out form by {diff}')
        return diff

    def text_logits(self, patches, ids):
        """Right-padded [patches][ids]: logits at the text positions [B, T, V] (position j predicts ids[j + 1])."""
        B, T = ids.shape
        x = torch.cat([patches @ self.P['patch_embed.weight'] + self.P['patch_embed.bias'], self.P['tok_embed.weight'][ids]], 1)
        S = x.shape[1]
        pos = torch.arange(S, device=self.dev).expand(B, S)
        causal = torch.ones(S, S, device=self.dev, dtype=torch.bool).tril()[None, None]
        return self.run(x, pos, causal)[:, self.Np:]
