"""Clause classifier for indirect and reported speech (German), mixed into the kind CRF's
posterior decoding (``GermanSpeechTagger``, ``speech_de_clauses.npz`` next to the kind model).

Every clause (``features_de._clauses``: sentences cut at commas, colons, dashes, brackets and
quotation marks; the marks apart) is described by a bag of strings: its words, part-of-speech
tags, first word and tag, Konjunktiv I/II, words of speech (hand lexicon or mined), inside a
quotation; the words, first word and facts of the clause before and after it in its sentence,
the mark between the clause before and this one, the conjunctions "fact of the clause before
x first word / fact of this clause"; facts of this, the previous and the next sentence. Two
logistic regressions (hashed bags for training, then a dictionary of the seen strings) give
P(indirect) and P(reported) per clause. The clause sees its neighbours' words, which the
token-centred CRF sees only within two tokens.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

DIM = 1 << 18  # hashed feature space for training
CLAUSE_FILE = "speech_de_clauses.npz"
C = 0.3  # inverse L2 regularisation (0.1: same within 0.001 on the held-out half, 1 and 3 lower)
# A linear-chain CRF over a document's clauses (the same bags as attributes; labels O, I, R,
# IR), next to the kind model; where present, P(indirect) of a clause is
# (1 - CRF_SHARE) * the regression's + CRF_SHARE * the CRF's marginal (chosen on the two
# halves of the train split, MODEL_CARD); P(reported) stays the regression's (the CRF's was
# lower there).
CLAUSE_CRF_FILE = "speech_de_clauses_crf.crfsuite"
CRF_SHARE = 0.7
CRF_PARAMS = {"c1": 0.0, "c2": 5.0, "max_iterations": 150, "feature.minfreq": 2,
              "feature.possible_transitions": True}


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & (DIM - 1)


def _clause_facts(low, tags, hit, is_verb, a, b) -> set[str]:
    facts = set()
    tg = tags[a:b]
    if "VFIN.K1" in tg:
        facts.add("K1")
    if "VFIN.K2" in tg:
        facts.add("K2")
    for i in range(a, b):
        if hit[i]:
            facts.add("m" + hit[i])
        if is_verb[i]:
            facts.add("verb")
    return facts


def _sentence_facts(chunks, tags, hit, is_verb) -> list[list[str]]:
    out = []
    for s, e in chunks:
        f = []
        if "VFIN.K1" in tags[s:e]:
            f.append("K1")
        if any(hit[s:e]):
            f.append("m")
        if any(is_verb[s:e]):
            f.append("verb")
        out.append(f)
    return out


def _word_clauses(low, chunks, clauses):
    """(sentence index, a, b) of the clauses that are not a punctuation mark."""
    out = []
    si = 0
    for a, b in clauses:
        while chunks[si][1] <= a:
            si += 1
        if b - a == 1 and not low[a].isalnum():
            continue
        out.append((si, a, b))
    return out


def clause_bags(tokens, chunks, tags, hit, verbs, clauses, inside, is_verb=None):
    """(a, b, bag) for every word clause (training; ``ClauseModel.clause_probs`` scores the
    same bags without building them)."""
    low = [t.lower() for t in tokens]
    if is_verb is None:
        is_verb = [w in verbs for w in low]
    info = [(si, a, b, _clause_facts(low, tags, hit, is_verb, a, b))
            for si, a, b in _word_clauses(low, chunks, clauses)]
    s_facts = _sentence_facts(chunks, tags, hit, is_verb)
    out = []
    for k, (si, a, b, facts) in enumerate(info):
        bag = {"bias"}
        bag.update("w=" + x for x in low[a:b])
        bag.update("t=" + x for x in tags[a:b])
        bag.add("f=" + low[a])
        bag.add("ft=" + tags[a])
        bag.update("c:" + x for x in facts)
        if inside[a]:
            bag.add("inq")
        prev = info[k - 1] if k > 0 and info[k - 1][0] == si else None
        nxt = info[k + 1] if k + 1 < len(info) and info[k + 1][0] == si else None
        if prev is None:
            bag.add("sfirst")
        else:
            pa, pb, pf = prev[1], prev[2], prev[3]
            bag.update("pw=" + x for x in low[pa:pb])
            bag.add("pf=" + low[pa])
            bag.update("p:" + x for x in pf)
            bag.add("sep=" + "".join(low[pb:a]))
            for x in pf:
                bag.add("p:" + x + "|f=" + low[a])
                for y in facts:
                    bag.add("p:" + x + "|c:" + y)
        if nxt is None:
            bag.add("slast")
        else:
            na, nb, nf = nxt[1], nxt[2], nxt[3]
            bag.update("nw=" + x for x in low[na:nb])
            bag.add("nf=" + low[na])
            bag.update("n:" + x for x in nf)
        bag.update("s:" + x for x in s_facts[si])
        if si > 0:
            bag.update("ps:" + x for x in s_facts[si - 1])
        if si + 1 < len(chunks):
            bag.update("ns:" + x for x in s_facts[si + 1])
        out.append((a, b, bag))
    return out


def bag_matrix(bags):
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, bag in enumerate(bags):
        for c in {_h(x) for x in bag}:
            rows.append(r)
            cols.append(c)
    return csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(bags), DIM))


def fit(bags, y_i, y_r, c: float = C) -> "ClauseModel":
    """The two logistic regressions (hashed bags; the intercept is the 'bias' bag item), kept as
    a dictionary from the training bags' strings to their (indirect, reported) weights."""
    from sklearn.linear_model import LogisticRegression

    X = bag_matrix(bags)
    w = np.zeros((DIM, 2), np.float32)
    for j, y in enumerate((y_i, y_r)):
        lr = LogisticRegression(C=c, solver="saga", fit_intercept=False, max_iter=100, tol=1e-3,
                                random_state=0)
        lr.fit(X, np.asarray(y, int))
        w[:, j] = lr.coef_[0]
    vocab = sorted({x for bag in bags for x in bag})
    vw = w[[_h(x) for x in vocab]]
    keep = np.abs(vw).max(axis=1) > 1e-4
    return ClauseModel({x: (float(a), float(b)) for x, (a, b), k in zip(vocab, vw, keep) if k})


class ClauseModel:
    """P(indirect), P(reported) of a clause from its bag: a dictionary string -> weights."""

    def __init__(self, weights: dict[str, tuple[float, float]]) -> None:
        self.w = weights
        zero = (0.0, 0.0)
        words: dict[str, tuple] = {}
        for key in weights:
            for prefix in ("w=", "pw=", "nw=", "t="):
                if key.startswith(prefix):
                    words.setdefault(key[len(prefix):], None)
        get = weights.get
        # one look-up per distinct word of a clause: its weights as own / previous / next word
        # and as a tag
        self._words = {x: (get("w=" + x, zero), get("pw=" + x, zero), get("nw=" + x, zero),
                           get("t=" + x, zero)) for x in words}

    @classmethod
    def load(cls, path: Path) -> "ClauseModel":
        z = np.load(path)
        return cls({str(x): (float(a), float(b)) for x, (a, b) in zip(z["vocab"], z["weights"])})

    def save(self, path: Path) -> None:
        vocab = sorted(self.w)
        np.savez_compressed(path, vocab=np.array(vocab),
                            weights=np.array([self.w[x] for x in vocab], np.float32).reshape(-1, 2))

    def probs(self, bags) -> np.ndarray:
        """(len(bags), 2) probabilities of bags from ``clause_bags``."""
        get = self.w.get
        z = np.zeros((len(bags), 2))
        for r, bag in enumerate(bags):
            for x in bag:
                v = get(x)
                if v is not None:
                    z[r, 0] += v[0]
                    z[r, 1] += v[1]
        return 1.0 / (1.0 + np.exp(-z))

    def clause_probs(self, tokens, chunks, tags, hit, verbs, clauses, inside, is_verb=None):
        """(a, b, None) of every word clause and their (n, 2) probabilities: the same as
        ``probs(clause_bags(...))`` without building the bags."""
        low = [t.lower() for t in tokens]
        if is_verb is None:
            is_verb = [w in verbs for w in low]
        W = self.w.get
        words = self._words
        zero = (0.0, 0.0)
        nil = (zero, zero, zero, zero)
        info = []
        for si, a, b in _word_clauses(low, chunks, clauses):
            tg = tags[a:b]
            facts = _clause_facts(low, tags, hit, is_verb, a, b)
            own = [0.0, 0.0]
            as_prev = [0.0, 0.0]
            as_next = [0.0, 0.0]
            for x in set(low[a:b]):
                ww, pw, nw, _ = words.get(x, nil)
                own[0] += ww[0]
                own[1] += ww[1]
                as_prev[0] += pw[0]
                as_prev[1] += pw[1]
                as_next[0] += nw[0]
                as_next[1] += nw[1]
            for t in set(tg):
                v = words.get(t, nil)[3]
                own[0] += v[0]
                own[1] += v[1]
            for key in ["f=" + low[a], "ft=" + tg[0]] + ["c:" + x for x in facts] + (
                    ["inq"] if inside[a] else []):
                v = W(key, zero)
                own[0] += v[0]
                own[1] += v[1]
            v = W("pf=" + low[a], zero)
            as_prev[0] += v[0]
            as_prev[1] += v[1]
            v = W("nf=" + low[a], zero)
            as_next[0] += v[0]
            as_next[1] += v[1]
            for x in facts:
                v = W("p:" + x, zero)
                as_prev[0] += v[0]
                as_prev[1] += v[1]
                v = W("n:" + x, zero)
                as_next[0] += v[0]
                as_next[1] += v[1]
            info.append((si, a, b, facts, own, as_prev, as_next))
        s_facts = _sentence_facts(chunks, tags, hit, is_verb)
        spans = []
        z = np.zeros((len(info), 2))
        bias = W("bias", zero)
        sent_z: dict[int, list[float]] = {}
        for k, (si, a, b, facts, own, as_prev, as_next) in enumerate(info):
            if si not in sent_z:  # the sentence facts are the same for all its clauses
                keys = ["s:" + x for x in s_facts[si]]
                if si > 0:
                    keys += ["ps:" + x for x in s_facts[si - 1]]
                if si + 1 < len(chunks):
                    keys += ["ns:" + x for x in s_facts[si + 1]]
                zs = [bias[0], bias[1]]
                for key in keys:
                    v = W(key, zero)
                    zs[0] += v[0]
                    zs[1] += v[1]
                sent_z[si] = zs
            zs = sent_z[si]
            zi, zr = own[0] + zs[0], own[1] + zs[1]
            keys = []
            prev = info[k - 1] if k > 0 and info[k - 1][0] == si else None
            nxt = info[k + 1] if k + 1 < len(info) and info[k + 1][0] == si else None
            if prev is None:
                keys.append("sfirst")
            else:
                zi += prev[5][0]
                zr += prev[5][1]
                keys.append("sep=" + "".join(low[prev[2]:a]))
                for x in prev[3]:
                    keys.append("p:" + x + "|f=" + low[a])
                    keys.extend("p:" + x + "|c:" + y for y in facts)
            if nxt is None:
                keys.append("slast")
            else:
                zi += nxt[6][0]
                zr += nxt[6][1]
            for key in set(keys):
                v = W(key, zero)
                zi += v[0]
                zr += v[1]
            z[k, 0], z[k, 1] = zi, zr
            spans.append((a, b, None))
        return spans, 1.0 / (1.0 + np.exp(-z))


def clause_labels(y_i, y_r) -> list[str]:
    """The clause CRF's labels from the clauses' indirect/reported flags."""
    return [("I" if i else "") + ("R" if r else "") or "O" for i, r in zip(y_i, y_r)]


def fit_crf(documents, path: Path) -> None:
    """Train the clause CRF on (bags, indirect flags, reported flags) per document."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for bags, y_i, y_r in documents:
        if bags:
            trainer.append(pycrfsuite.ItemSequence([sorted(b) for b in bags]),
                           clause_labels(y_i, y_r))
    trainer.select("lbfgs", "crf1d")
    trainer.set_params(CRF_PARAMS)
    trainer.train(str(path))


class ClauseCRF:
    """Marginal P(indirect) of each clause of a document from the clause CRF."""

    def __init__(self, path: Path) -> None:
        from quellenlage.crf import open_crf

        self._crf = open_crf(path, "speech clause model", "training/train_speech.py")
        self._indirect = tuple(x for x in self._crf.labels() if "I" in x)

    def indirect(self, bags) -> list[float]:
        """Marginal P(indirect) of each clause of the clause sequence ``bags`` (the tagger takes
        P(reported) from the regression alone)."""
        import pycrfsuite

        n = len(bags)
        if not n:
            return []
        crf = self._crf
        crf.set(pycrfsuite.ItemSequence([list(b) for b in bags]))  # attribute order is free
        marginal = crf.marginal
        out = [0.0] * n
        for x in self._indirect:
            for t in range(n):
                out[t] += marginal(x, t)
        return out


def token_probs(n: int, chunks, items, probs) -> list[list[float]]:
    """Per token [P(indirect), P(reported)] of its clause; a punctuation mark between two clauses
    of a sentence takes the lower of theirs, one at the sentence's start or end its neighbour's."""
    out: list = [None] * n
    for (a, b, _), p in zip(items, probs.tolist() if hasattr(probs, "tolist") else probs):
        for i in range(a, b):
            out[i] = p
    zero = [0.0, 0.0]
    for s, e in chunks:
        i = s
        while i < e:
            if out[i] is not None:
                i += 1
                continue
            j = i
            while j < e and out[j] is None:
                j += 1
            left = out[i - 1] if i > s else None
            right = out[j] if j < e else None
            if left is not None and right is not None:
                fill = [min(left[0], right[0]), min(left[1], right[1])]
            else:
                fill = left or right or zero
            for k in range(i, j):
                out[k] = fill
            i = j
    return out
