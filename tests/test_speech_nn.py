"""The neural kind model of the German speech tagger: inputs, the faster LSTM loop, wiring."""

from __future__ import annotations

import numpy as np
import pytest

from quellenlage.seqnn import hash_id
from quellenlage.speech import load_speech_tagger
from quellenlage.speech.nn_de import COLUMN_INDEX, COLUMNS, Encoder, encode, is_flag
from quellenlage.speech.tagger_de import NN_FILE, kind_probabilities


def test_encoder_matches_plain_encoding_and_splits_columns_from_flags():
    feats = [["b", "w=sagte", "w-1=er", "s3=gte", "verb", "S:verb", "C:start=KOUS"],
             ["b", "w=er", "sh=l", "unseen-flag", "t=PPER", "t-1=VFIN"]]
    flags = ["C:start=KOUS", "S:verb", "b", "verb"]
    ids, dense = Encoder(flags)(feats)
    ids2, dense2 = encode(feats, {x: i for i, x in enumerate(flags)})
    assert (ids == ids2).all() and (dense == dense2).all()
    w, t = COLUMN_INDEX["w"], COLUMN_INDEX["t"]
    assert ids[0, w] == hash_id("sagte", COLUMNS[w][1]) and ids[1, t] == hash_id("PPER", 64)
    assert dense[0].tolist() == [1, 1, 1, 1] and dense[1].tolist() == [0, 0, 1, 0]
    assert not is_flag("w-1=er") and not is_flag("w=er") and is_flag("S:verb")
    # cached codes give the same result the second time
    again = Encoder(flags)
    again(feats)
    assert (again(feats)[0] == ids).all()


def test_crf_kind_probabilities_sum_the_labels_of_each_kind(tmp_path):
    pycrfsuite = pytest.importorskip("pycrfsuite")
    trainer = pycrfsuite.Trainer(verbose=False)
    xs = [["a"], ["b"], ["c"], ["d"]]
    trainer.append(xs, ["O", "D", "DR", "I"])
    trainer.append(xs[::-1], ["I", "DR", "D", "O"])
    trainer.train(str(tmp_path / "m.crfsuite"))
    crf = pycrfsuite.Tagger()
    crf.open(str(tmp_path / "m.crfsuite"))
    crf.set(xs)
    p = kind_probabilities(crf, 4)
    for t in range(4):
        m = {y: crf.marginal(y, t) for y in crf.labels()}
        want = [m["D"] + m["DR"], m["I"], m["DR"], 0.0]
        np.testing.assert_allclose(p[t], want, atol=2e-3)


def test_shipped_tagger_uses_the_neural_model_when_present():
    tagger = load_speech_tagger("de")
    from quellenlage.speech import MODELS

    assert (tagger._nn is not None) == (MODELS / "speech" / NN_FILE).is_file()


def test_find_many_equals_find_one_text_at_a_time():
    tagger = load_speech_tagger("de")
    texts = ["»Wir werden das prüfen«, sagte der Minister.", "",
             "Die Sprecherin erklärte, man habe keine Kenntnis davon.\nEr ging."]
    assert tagger.find_many(texts) == [tagger.find(t) for t in texts]
    assert tagger.find_many([]) == []
