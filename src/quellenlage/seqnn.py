"""A small neural sequence tagger that runs on numpy alone.

Per token, K categorical feature columns (ids, 0 = padding or unknown) are looked up in their own
embedding tables and concatenated with optional dense per-token vectors; bidirectional LSTM
layers read the sequence both ways; a linear layer gives C label scores per token. A model is
either a linear-chain CRF over those scores (`mode == "crf"`, decoded with `viterbi`) or a set of
independent sigmoids (`mode == "sigmoid"`, `probabilities`), for labels that may overlap.

The weights are trained with PyTorch by `training/seqnn_torch.py`, which checks at export that
this code and torch give the same scores. Sequences of one call are run together as one padded
batch (lengths sorted, so that similar lengths share the loop over time steps).
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

    def _direction(self, x, lengths, Wih, Whh, b, reverse: bool) -> np.ndarray:
        B, T, _ = x.shape
        H = self.hidden
        if reverse:  # each sequence reversed within its own length
            idx = np.arange(T)[None, :]
            rev = np.where(idx < lengths[:, None], lengths[:, None] - 1 - idx, idx)
            x = x[np.arange(B)[:, None], rev]
        xp = x @ Wih + b
        h = np.zeros((B, H), np.float32)
        c = np.zeros((B, H), np.float32)
        out = np.zeros((B, T, H), np.float32)
        # sequences sorted longest first: at step t only the first `alive[t]` are still running
        alive = np.searchsorted(-lengths, -np.arange(T), side="right")
        for t in range(T):
            n = alive[t]
            g = xp[:n, t] + h[:n] @ Whh
            i = _sigmoid(g[:, :H])
            f = _sigmoid(g[:, H:2 * H])
            gg = np.tanh(g[:, 2 * H:3 * H])
            o = _sigmoid(g[:, 3 * H:])
            c[:n] = f * c[:n] + i * gg
            h[:n] = o * np.tanh(c[:n])
            out[:n, t] = h[:n]
        if reverse:
            out = out[np.arange(B)[:, None], rev]
        return out

    def scores(self, seqs: list[np.ndarray], dense: list[np.ndarray] | None = None
               ) -> list[np.ndarray]:
        """Label scores (T_i, C) for each sequence of feature ids (T_i, K)."""
        if not seqs:
            return []
        order = sorted(range(len(seqs)), key=lambda i: -len(seqs[i]))
        lengths = np.array([len(seqs[i]) for i in order], dtype=np.int64)
        B, T, K = len(seqs), int(lengths.max()), len(self.embs)
        ids = np.zeros((B, T, K), np.int64)
        dn = np.zeros((B, T, self.dense_dim), np.float32) if self.dense_dim else None
        for row, i in enumerate(order):
            ids[row, :lengths[row]] = seqs[i]
            if dn is not None:
                dn[row, :lengths[row]] = dense[i]
        x = self._inputs(ids, dn)
        for layer in self.lstm:
            x = np.concatenate([self._direction(x, lengths, *layer["fw"], reverse=False),
                                self._direction(x, lengths, *layer["bw"], reverse=True)], axis=-1)
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
