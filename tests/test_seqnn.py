"""The numpy sequence tagger (quellenlage.seqnn): batching, reversal and decoding are exact."""

import itertools

import numpy as np
import pytest

from quellenlage.errors import ModelError
from quellenlage.seqnn import SeqTagger, hash_id


def _random_model(mode, layers=2, dense_dim=3, hidden=6, labels=3, seed=0):
    rng = np.random.default_rng(seed)
    arrays = {"emb0": rng.normal(size=(30, 5)), "emb1": rng.normal(size=(9, 2))}
    in_dim = 7 + dense_dim
    for layer in range(layers):
        for d in ("fw", "bw"):
            arrays[f"l{layer}_{d}_Wih"] = rng.normal(size=(4 * hidden, in_dim))
            arrays[f"l{layer}_{d}_Whh"] = rng.normal(size=(4 * hidden, hidden))
            arrays[f"l{layer}_{d}_b"] = rng.normal(size=4 * hidden)
        in_dim = 2 * hidden
    arrays["out_W"] = rng.normal(size=(labels, 2 * hidden))
    arrays["out_b"] = rng.normal(size=labels)
    if mode == "crf":
        arrays |= {"crf_trans": rng.normal(size=(labels, labels)),
                   "crf_start": rng.normal(size=labels), "crf_end": rng.normal(size=labels)}
    meta = {"mode": mode, "layers": layers, "hidden": hidden, "dense_dim": dense_dim,
            "labels": ["O", "B", "I"][:labels]}
    return SeqTagger(arrays, meta), rng


def _naive_lstm(x, Wih, Whh, b):
    H = Whh.shape[1]
    h, c, out = np.zeros(H), np.zeros(H), []
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    for xt in x:
        g = Wih @ xt + Whh @ h + b
        i, f, gg, o = sig(g[:H]), sig(g[H:2 * H]), np.tanh(g[2 * H:3 * H]), sig(g[3 * H:])
        c = f * c + i * gg
        h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


def test_batched_scores_equal_a_plain_loop_per_sequence():
    model, rng = _random_model("sigmoid")
    seqs = [np.stack([rng.integers(0, 30, n), rng.integers(0, 9, n)], 1) for n in (5, 1, 9, 9, 2)]
    dense = [rng.normal(size=(len(s), 3)) for s in seqs]
    got = model.scores(seqs, dense)
    for s, d, g in zip(seqs, dense, got):
        x = np.concatenate([model.embs[0][s[:, 0]], model.embs[1][s[:, 1]], d], 1)
        for layer in model.lstm:
            fw = _naive_lstm(x, layer["fw"][0].T, layer["fw"][1].T, layer["fw"][2])
            bw = _naive_lstm(x[::-1], layer["bw"][0].T, layer["bw"][1].T, layer["bw"][2])[::-1]
            x = np.concatenate([fw, bw], 1)
        np.testing.assert_allclose(g, x @ model.out_W + model.out_b, rtol=1e-4, atol=1e-4)
    # the same sequence scores the same alone and in a batch
    np.testing.assert_allclose(model.scores([seqs[0]], [dense[0]])[0], got[0], rtol=1e-5, atol=1e-5)
    probs = model.probabilities(seqs, dense)
    assert all(((p > 0) & (p < 1)).all() for p in probs)


def test_viterbi_and_marginals_match_brute_force():
    model, rng = _random_model("crf", layers=1, dense_dim=0)
    s = rng.normal(size=(4, 3)).astype(np.float32)

    def path_score(p):
        return (model.start[p[0]] + sum(s[t, p[t]] for t in range(4))
                + sum(model.trans[p[t - 1], p[t]] for t in range(1, 4)) + model.end[p[-1]])

    paths = list(itertools.product(range(3), repeat=4))
    scores = np.array([path_score(p) for p in paths])
    assert tuple(model.viterbi_one(s)) == paths[int(scores.argmax())]
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    want = np.zeros((4, 3))
    for p, w in zip(paths, weights):
        want[np.arange(4), p] += w
    np.testing.assert_allclose(model.marginals_one(s), want, atol=1e-5)
    seqs = [rng.integers(0, 9, size=(n, 2)) for n in (3, 6)]
    assert [len(p) for p in model.viterbi(seqs)] == [3, 6]


def test_hash_ids_are_stable_and_never_padding():
    assert hash_id("Massimov", 1000) == hash_id("Massimov", 1000)
    assert all(1 <= hash_id(w, 7) <= 7 for w in ("", "a", "Tokajew", "ß"))


def test_unreadable_model_is_a_coded_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ModelError):
        SeqTagger.load(bad)
    np.savez(tmp_path / "nometa.npz", emb0=np.zeros((2, 2)))
    with pytest.raises(ModelError):
        SeqTagger.load(tmp_path / "nometa.npz")
