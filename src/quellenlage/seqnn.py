"""A small neural sequence tagger that runs on numpy alone.

Per token, K categorical feature columns (ids, 0 = padding or unknown) are looked up in their own
embedding tables and concatenated with optional dense per-token vectors; bidirectional LSTM
layers read the sequence both ways; a linear layer gives C label scores per token. A model is
either a linear-chain CRF over those scores (`mode == "crf"`, decoded with `viterbi`) or a set of
independent sigmoids (`mode == "sigmoid"`, `probabilities`), for labels that may overlap.

The weights are trained with PyTorch by `training/seqnn_torch.py`, which checks at export that
this code and torch give the same scores. Sequences of one call are run together as one padded
batch (lengths sorted, so that similar lengths share the loop over time steps), both directions
in one loop: documents give few sequences, so the Python steps of that loop dominate.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from .errors import ModelError

__all__ = ["SeqTagger", "hash_id"]


def hash_id(text: str, buckets: int) -> int:
    """A stable id in 1..buckets for a feature string (0 stays free for padding)."""
    return zlib.crc32(text.encode("utf-8")) % buckets + 1


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


class SeqTagger:
    def __init__(self, arrays: dict[str, np.ndarray], meta: dict):
        self.meta = meta
        self.mode = meta["mode"]
        self.layers = int(meta["layers"])
        self.hidden = int(meta["hidden"])
        self.dense_dim = int(meta.get("dense_dim", 0))
        f32 = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        self.embs = []
        while f"emb{len(self.embs)}" in f32:
            self.embs.append(f32[f"emb{len(self.embs)}"])
        self.lstm = [{d: (f32[f"l{i}_{d}_Wih"].T.copy(), f32[f"l{i}_{d}_Whh"].T.copy(),
                          f32[f"l{i}_{d}_b"]) for d in ("fw", "bw")}
                     for i in range(self.layers)]
        # both directions of a layer run in one loop over time: weights stacked (fw, bw), gates
        # reordered to i, f, o, g, and the sigmoid gates' weights halved, since
        # sigmoid(x) = 0.5 * tanh(x / 2) + 0.5 (one tanh for the three of them)
        H = self.hidden
        perm = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
        scale = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(np.float32)
        self._both = [tuple(np.stack([layer[d][j][..., perm] * scale for d in ("fw", "bw")])
                            for j in range(3)) for layer in self.lstm]
        self.out_W = f32["out_W"].T.copy()
        self.out_b = f32["out_b"]
        if self.mode == "crf":
            self.trans, self.start, self.end = f32["crf_trans"], f32["crf_start"], f32["crf_end"]

    @classmethod
    def load(cls, path: Path | str) -> "SeqTagger":
        try:
            with np.load(path, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files if k != "meta"}
                meta = json.loads(str(z["meta"]))
            return cls(arrays, meta)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot load sequence model {path}: {exc}") from exc

    @property
    def labels(self) -> list[str]:
        return list(self.meta.get("labels", []))

    # -- forward pass --------------------------------------------------------------------------
    def _inputs(self, ids: np.ndarray, dense: np.ndarray | None) -> np.ndarray:
        parts = [emb[ids[..., k]] for k, emb in enumerate(self.embs)]
        if self.dense_dim:
            parts.append(dense.astype(np.float32))
        return np.concatenate(parts, axis=-1)

    def scores(self, seqs: list[np.ndarray], dense: list[np.ndarray] | None = None
               ) -> list[np.ndarray]:
        """Label scores (T_i, C) for each sequence of feature ids (T_i, K)."""
        if not seqs:
            return []
        order = sorted(range(len(seqs)), key=lambda i: -len(seqs[i]))
        lengths = np.array([len(seqs[i]) for i in order], dtype=np.int64)
        B, T, H = len(seqs), int(lengths.max()), self.hidden
        ids = np.zeros((B, T, len(self.embs)), np.int64)
        dn = np.zeros((B, T, self.dense_dim), np.float32) if self.dense_dim else None
        for row, i in enumerate(order):
            ids[row, :lengths[row]] = seqs[i]
            if dn is not None:
                dn[row, :lengths[row]] = dense[i]
        x = self._inputs(ids, dn)
        # the backward direction reads each sequence reversed within its own length
        idx = np.arange(T)[None, :]
        rev = np.where(idx < lengths[:, None], lengths[:, None] - 1 - idx, idx)
        rows = np.arange(B)[:, None]
        # sequences sorted longest first: at step t only the first `alive[t]` are still running
        alive = np.searchsorted(-lengths, -np.arange(T), side="right")
        for Wih, Whh, b in self._both:
            # (T, 2, B, 4H): both directions' input terms, one contiguous block per time step
            xp = np.ascontiguousarray(np.stack([x @ Wih[0] + b[0], x[rows, rev] @ Wih[1] + b[1]])
                                      .transpose(2, 0, 1, 3))
            h = np.zeros((2, B, H), np.float32)
            c = np.zeros((2, B, H), np.float32)
            out = np.zeros((T, 2, B, H), np.float32)
            for t in range(T):
                n = alive[t]
                g = xp[t, :, :n] + np.matmul(h[:, :n], Whh)
                gates = np.tanh(g[..., :3 * H]) * 0.5 + 0.5  # sigmoid of the halved i, f, o
                cn = gates[..., H:2 * H] * c[:, :n] + gates[..., :H] * np.tanh(g[..., 3 * H:])
                c[:, :n] = cn
                h[:, :n] = out[t, :, :n] = gates[..., 2 * H:] * np.tanh(cn)
            out = out.transpose(1, 2, 0, 3)
            x = np.concatenate([out[0], out[1][rows, rev]], axis=-1)
        s = x @ self.out_W + self.out_b
        result: list[np.ndarray] = [None] * B  # type: ignore[list-item]
        for row, i in enumerate(order):
            result[i] = s[row, :lengths[row]]
        return result

    # -- decoding ------------------------------------------------------------------------------
    def probabilities(self, seqs, dense=None) -> list[np.ndarray]:
        """Sigmoid models: per token and label the probability (T_i, C)."""
        return [_sigmoid(s) for s in self.scores(seqs, dense)]

    def viterbi_one(self, s: np.ndarray) -> np.ndarray:
        T, C = s.shape
        score = self.start + s[0]
        back = np.zeros((T, C), np.int64)
        for t in range(1, T):
            cand = score[:, None] + self.trans
            back[t] = cand.argmax(0)
            score = cand.max(0) + s[t]
        best = np.zeros(T, np.int64)
        best[-1] = int((score + self.end).argmax())
        for t in range(T - 1, 0, -1):
            best[t - 1] = back[t, best[t]]
        return best

    def viterbi(self, seqs, dense=None) -> list[np.ndarray]:
        """CRF models: the best label id per token for each sequence."""
        return [self.viterbi_one(s) for s in self.scores(seqs, dense)]

    def marginals_one(self, s: np.ndarray) -> np.ndarray:
        """CRF models: per token the marginal probability of each label (forward-backward)."""
        T, C = s.shape
        alpha = np.zeros((T, C), np.float64)
        beta = np.zeros((T, C), np.float64)
        alpha[0] = self.start + s[0]
        for t in range(1, T):
            alpha[t] = _logsumexp(alpha[t - 1][:, None] + self.trans, axis=0) + s[t]
        beta[-1] = self.end
        for t in range(T - 2, -1, -1):
            beta[t] = _logsumexp(self.trans + (s[t + 1] + beta[t + 1])[None, :], axis=1)
        z = _logsumexp(alpha[-1] + self.end, axis=0)
        return np.exp(alpha + beta - z)


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)
