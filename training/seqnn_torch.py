"""Training side of the small neural sequence tagger (`quellenlage.seqnn`).

The model: per token, K categorical feature columns (hashed or indexed ids, 0 = padding), each
with its own embedding table, concatenated with optional dense per-token vectors; one or more
bidirectional LSTM layers; a linear layer to C label scores; then either a linear-chain CRF
(`mode="crf"`, Viterbi at run time) or independent sigmoids (`mode="sigmoid"`, one probability
per label, for labels that may overlap).

Training needs PyTorch (`pip install torch==2.13.0`, CPU build; the `train-nn` extra); the
shipped model runs on numpy alone (`quellenlage.seqnn.SeqTagger`). `export` writes the weights
in the layout `SeqTagger.load` reads and checks that numpy and torch agree on a batch.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch import nn


class TorchSeqTagger(nn.Module):
    def __init__(self, vocab_sizes, emb_dims, n_labels, hidden=64, layers=1, dense_dim=0,
                 mode="crf", dropout=0.3):
        super().__init__()
        assert mode in ("crf", "sigmoid")
        self.mode = mode
        self.embs = nn.ModuleList(nn.Embedding(v + 1, d, padding_idx=0)
                                  for v, d in zip(vocab_sizes, emb_dims))
        self.dense_dim = dense_dim
        in_dim = sum(emb_dims) + dense_dim
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(in_dim, hidden, num_layers=layers, bidirectional=True,
                            batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.out = nn.Linear(2 * hidden, n_labels)
        if mode == "crf":
            self.trans = nn.Parameter(torch.zeros(n_labels, n_labels))  # from -> to
            self.start = nn.Parameter(torch.zeros(n_labels))
            self.end = nn.Parameter(torch.zeros(n_labels))

    def scores(self, ids, lengths, dense=None):
        """ids: (B, T, K) long; lengths: (B,) long; dense: (B, T, D) float. -> (B, T, C)."""
        parts = [emb(ids[:, :, k]) for k, emb in enumerate(self.embs)]
        if self.dense_dim:
            parts.append(dense)
        x = self.drop(torch.cat(parts, dim=-1))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])
        return self.out(self.drop(h))

    def loss(self, ids, lengths, gold, dense=None, label_weights=None):
        """gold: (B, T) long label ids for crf; (B, T, C) float 0/1 for sigmoid."""
        s = self.scores(ids, lengths, dense)
        T = ids.shape[1]
        mask = torch.arange(T)[None, :] < lengths[:, None]
        if self.mode == "sigmoid":
            bce = nn.functional.binary_cross_entropy_with_logits(
                s, gold, reduction="none", pos_weight=label_weights)
            return (bce.sum(-1) * mask).sum() / mask.sum()
        return (self._log_partition(s, mask) - self._gold_score(s, mask, gold)).sum() / mask.sum()

    def _gold_score(self, s, mask, gold):
        B, T, _ = s.shape
        emit = s.gather(2, gold.unsqueeze(-1)).squeeze(-1) * mask
        tr = self.trans[gold[:, :-1], gold[:, 1:]] * mask[:, 1:]
        last = gold.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        return self.start[gold[:, 0]] + emit.sum(1) + tr.sum(1) + self.end[last]

    def _log_partition(self, s, mask):
        alpha = self.start[None, :] + s[:, 0]
        for t in range(1, s.shape[1]):
            nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None] + s[:, t, None, :], dim=1)
            alpha = torch.where(mask[:, t, None], nxt, alpha)
        return torch.logsumexp(alpha + self.end[None, :], dim=1)


def pad_batch(seqs, dense=None):
    """seqs: list of (T_i, K) int arrays -> ids (B, T, K) long, lengths (B,), dense (B, T, D)."""
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    T, K = int(lengths.max()), seqs[0].shape[1]
    ids = torch.zeros(len(seqs), T, K, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.from_numpy(np.asarray(s, dtype=np.int64))
    dn = None
    if dense is not None:
        dn = torch.zeros(len(seqs), T, dense[0].shape[1])
        for i, d in enumerate(dense):
            dn[i, :len(d)] = torch.from_numpy(np.asarray(d, dtype=np.float32))
    return ids, lengths, dn


def state_arrays(model: TorchSeqTagger) -> dict[str, np.ndarray]:
    """The weights under the names `quellenlage.seqnn.SeqTagger` reads."""
    arrays = {}
    for k, emb in enumerate(model.embs):
        arrays[f"emb{k}"] = emb.weight.detach().numpy().astype(np.float32)
    for layer in range(model.lstm.num_layers):
        for direction, suffix in (("fw", ""), ("bw", "_reverse")):
            p = {n: getattr(model.lstm, f"{n}_l{layer}{suffix}").detach().numpy()
                 for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
            arrays[f"l{layer}_{direction}_Wih"] = p["weight_ih"].astype(np.float32)
            arrays[f"l{layer}_{direction}_Whh"] = p["weight_hh"].astype(np.float32)
            arrays[f"l{layer}_{direction}_b"] = (p["bias_ih"] + p["bias_hh"]).astype(np.float32)
    arrays["out_W"] = model.out.weight.detach().numpy().astype(np.float32)
    arrays["out_b"] = model.out.bias.detach().numpy().astype(np.float32)
    if model.mode == "crf":
        arrays["crf_trans"] = model.trans.detach().numpy().astype(np.float32)
        arrays["crf_start"] = model.start.detach().numpy().astype(np.float32)
        arrays["crf_end"] = model.end.detach().numpy().astype(np.float32)
    return arrays


def export(model: TorchSeqTagger, path: Path, meta: dict, check_seqs=None, check_dense=None,
           float16: bool = True) -> None:
    """Write the model for `quellenlage.seqnn.SeqTagger`; with `check_seqs`, assert that numpy
    and torch give the same scores on them (float32 weights) before writing."""
    from quellenlage.seqnn import SeqTagger

    model.eval()
    arrays = state_arrays(model)
    meta = dict(meta, mode=model.mode, layers=model.lstm.num_layers,
                hidden=model.lstm.hidden_size, dense_dim=model.dense_dim)
    if check_seqs:
        ref = SeqTagger(arrays, meta)
        with torch.no_grad():
            ids, lengths, dn = pad_batch(check_seqs, check_dense)
            want = model.scores(ids, lengths, dn).numpy()
        got = ref.scores(check_seqs, check_dense)
        for i, g in enumerate(got):
            np.testing.assert_allclose(g, want[i, :len(g)], rtol=1e-3, atol=1e-3)
    if float16:
        arrays = {k: (v.astype(np.float16) if k.startswith(("emb", "l")) else v)
                  for k, v in arrays.items()}
    np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
