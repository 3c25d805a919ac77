"""German speech tagger: spans, kinds, speakers on sentences written for these tests."""

from __future__ import annotations

import pytest

from quellenlage.errors import DataError, UnsupportedLanguageError
from quellenlage.speech import SpeechSpan, load_speech_tagger
from quellenlage.speech.corpora import read_rw_file
from quellenlage.speech.tagger_de import decode_kinds, encode_kinds
from quellenlage.speech.textfeatures import quote_structure, sentence_chunks


@pytest.fixture(scope="module")
def tagger():
    return load_speech_tagger("de")


def _covered(spans: list[SpeechSpan], text: str, kind: str) -> str:
    return " ".join(text[s.start:s.end] for s in spans if s.kind == kind)


def test_loader_is_cached():
    assert load_speech_tagger("de") is load_speech_tagger("de")


@pytest.mark.parametrize("lang", ["en", "fr", ""])
def test_unsupported_language_names_supported_ones(lang):
    with pytest.raises(UnsupportedLanguageError) as err:
        load_speech_tagger(lang)
    assert "de" in err.value.one_line()


def test_direct_speech_in_quotes_with_speaker(tagger):
    text = "»Wir werden das Gesetz nicht ändern«, sagte der Minister am Montag in Berlin."
    spans = tagger.find(text)
    direct = [s for s in spans if s.kind == "direct"]
    assert direct, spans
    sp = direct[0]
    assert "Gesetz" in text[sp.start:sp.end]
    assert "Montag" not in text[sp.start:sp.end]
    assert sp.speaker is not None
    assert "Minister" in text[sp.speaker[0]:sp.speaker[1]]


def test_direct_speech_with_lower_quotes_and_colon(tagger):
    text = "Die Kanzlerin erklärte: „Die Lage ist ernst, aber wir haben einen Plan.“ Dann ging sie."
    covered = _covered(tagger.find(text), text, "direct")
    assert "Lage ist ernst" in covered
    assert "Dann ging sie" not in covered


def test_indirect_speech_with_subjunctive(tagger):
    text = ("Der Sprecher sagte, die Regierung habe keine Kenntnis von dem Vorfall gehabt "
            "und werde den Bericht prüfen.")
    covered = _covered(tagger.find(text), text, "indirect")
    assert "Regierung habe keine Kenntnis" in covered


def test_indirect_speech_with_dass(tagger):
    text = "Sie behauptete, dass der Bürgermeister von dem Plan gewusst habe."
    covered = _covered(tagger.find(text), text, "indirect")
    assert "Bürgermeister" in covered


@pytest.mark.parametrize("text", [
    "Der Zug fuhr um acht Uhr ab und kam pünktlich in Hamburg an.",
    "Die Preise für Strom sind im letzten Jahr um zehn Prozent gestiegen.",
    "Im Garten blühen die Rosen, und die Kinder spielen auf der Wiese.",
])
def test_plain_narration_has_no_direct_or_indirect_speech(tagger, text):
    spans = tagger.find(text)
    assert not [s for s in spans if s.kind in ("direct", "indirect")], spans


def test_offsets_point_into_the_text_and_several_sentences_work(tagger):
    text = ("Es regnete. »Ich komme morgen«, rief Anna. Der Minister sagte, er sei nicht "
            "informiert worden. Danach war es still.")
    spans = tagger.find(text)
    assert spans
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert text[sp.start:sp.end].strip() == text[sp.start:sp.end]
        for part in (sp.speaker, sp.cue):
            if part is not None:
                assert 0 <= part[0] < part[1] <= len(text)
    assert "Ich komme morgen" in _covered(spans, text, "direct")


def test_empty_text_gives_no_spans(tagger):
    assert tagger.find("") == []
    assert tagger.find("   \n ") == []


def test_kind_label_round_trip():
    for kinds in ({"direct"}, {"direct", "reported"}, {"indirect", "free_indirect"}, set()):
        assert decode_kinds(encode_kinds(kinds)) == kinds
    assert encode_kinds(set()) == "O"


def test_quote_pairing_german_and_swiss_guillemets():
    toks = "» Ja « , sagte er . „ Nein “ .".split()
    q = quote_structure(toks)
    assert q.inside == [False, True, False, False, False, False, False, False, True, False, False]
    swiss = "« Oui » , dit-il .".split()
    assert quote_structure(swiss).inside[1] is True


def test_sentence_chunks_keep_closing_quotes_and_skip_lowercase():
    toks = "Er sagte : » Gut . « Dann ging er . und so weiter".split()
    chunks = sentence_chunks(toks)
    assert [toks[s:e] for s, e in chunks][0][-1] == "«"
    assert chunks[-1][1] == len(toks)
    assert len(chunks) == 2


def test_reader_rejects_a_file_without_header(tmp_path):
    bad = tmp_path / "x.tsv"
    bad.write_text("foo\tbar\n", encoding="utf-8")
    with pytest.raises(DataError):
        read_rw_file(bad)


def test_reader_parses_kinds_speakers_and_cues(tmp_path):
    header = "tok\tnormtok\tlemma\tpos\trfpos\tsentstart\tstwr\tframe\tspeaker\tintexpr\tnote"
    rows = [
        "»\t\"\t\"\t$(\t-\tyes\tdirect.speech.1\t-\t-\t-\t-",
        "Ja\tJa\tja\tPTKANT\t-\tno\tdirect.speech.1\t-\t-\t-\t-",
        "«\t\"\t\"\t$(\t-\tno\tdirect.speech.1\t-\t-\t-\t-",
        "sagte\tsagte\tsagen\tVVFIN\t-\tno\t-\tframe.1\t-\tintexpr.1\t-",
        "er\ter\ter\tPPER\t-\tno\t-\tframe.1\tspeaker._1_2\t-\t-",
        "dies\tdies\tdies\tPDS\t-\tno\tindirect freeIndirect.speech.2\t-\t-\t-\t-",
    ]
    path = tmp_path / "s.tsv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    doc = read_rw_file(path)
    assert doc.kinds[1] == {"direct"}
    assert doc.kinds[5] == {"indirect", "free_indirect"}
    assert doc.speakers == {1: [4], 2: [4]}
    assert doc.cues == {1: [3]}
    assert doc.stts[3] == "VVFIN" and doc.lemmas[3] == "sagen"
    assert doc.pos[:4] == ["$(", "PTK", "$(", "VFIN"]


def test_reduced_tags_keep_the_mood_of_finite_verbs():
    from quellenlage.speech.pos_de import reduce_tag

    assert reduce_tag("VAFIN", "VFIN.Sein.3.Sg.Pres.Subj") == "VFIN.K1"
    assert reduce_tag("VAFIN", "VFIN.Sein.3.Sg.Past.Subj") == "VFIN.K2"
    assert reduce_tag("VVFIN", "VFIN.Full.3.Sg.Past.Ind") == "VFIN"
    assert reduce_tag("PWAV", "PROADV.Inter") == "PW"
    assert reduce_tag("FM.xy", "-") == "FM"


def test_shipped_pos_tagger_finds_konjunktiv_one():
    from quellenlage.speech import MODELS
    from quellenlage.speech.pos_de import GermanPosTagger
    from quellenlage.speech.tagger_de import POS_FILE

    tokens = "Die Sprecherin erklärte , man habe keine Kenntnis davon .".split()
    tags = GermanPosTagger(MODELS / "speech" / POS_FILE).tag(tokens, sentence_chunks(tokens))
    assert tags[2] == "VFIN" and tags[3] == "$,"
    assert tags[5] == "VFIN.K1"
    assert tags[1] == "NN" and tags[7] == "NN"


def test_mined_words_of_speech_are_shipped():
    from quellenlage.speech.lexicon import german_mined_words

    words = german_mined_words()
    assert words["sagte"] == "V"
    assert words["antwort"] == "N"
    assert "und" not in words and "der" not in words


def _write_sample(folder):
    header = "tok\tnormtok\tlemma\tpos\trfpos\tsentstart\tstwr\tframe\tspeaker\tintexpr\tnote"
    rows = [
        "»\t\"\t\"\t$(\t-\tyes\tdirect.speech.1\t-\t-\t-\t-",
        "Wir\tWir\twir\tPPER\t-\tno\tdirect.speech.1\t-\t-\t-\t-",
        "kommen\tkommen\tkommen\tVVFIN\t-\tno\tdirect.speech.1\t-\t-\t-\t-",
        "morgen\tmorgen\tmorgen\tADV\t-\tno\tdirect.speech.1\t-\t-\t-\t-",
        "«\t\"\t\"\t$(\t-\tno\tdirect.speech.1\t-\t-\t-\t-",
        ",\t,\t,\t$,\t-\tno\t-\tframe.1\t-\t-\t-",
        "sagte\tsagte\tsagen\tVVFIN\t-\tno\t-\tframe.1\t-\tintexpr.1\t-",
        "Anna\tAnna\tAnna\tNE\t-\tno\t-\tframe.1\tspeaker.1\t-\t-",
        ".\t.\t.\t$.\t-\tno\t-\t-\t-\t-\t-",
    ]
    (folder / "rwk_test_1-1.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    (folder / "metadata.tsv").write_text("file\tyear\nrwk_test_1-1.tsv\t1900\n", encoding="utf-8")


def test_cli_evaluate_speech_prints_the_documented_json(tmp_path):
    import json

    from typer.testing import CliRunner

    from quellenlage.cli.main import app

    _write_sample(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", "speech", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) >= {"direct", "indirect", "reported", "free_indirect", "speaker"}
    assert set(scores["direct"]) == {"precision", "recall", "f1"}
    assert scores["direct"]["recall"] > 0.5
    assert "accuracy" in scores["speaker"]


def test_cli_evaluate_speech_missing_folder_exits_with_data_error(tmp_path):
    from typer.testing import CliRunner

    from quellenlage.cli.main import app

    result = CliRunner().invoke(app, ["evaluate", "speech", "--data", str(tmp_path / "nope")])
    assert result.exit_code == DataError.exit_code


def test_a_line_break_ends_a_sentence():
    from quellenlage.speech.textfeatures import line_starts
    from quellenlage.tokenize import tokenize

    text = "Die Lage in Almaty\nDer Minister sagte, er sei nicht informiert worden."
    offsets = tokenize(text)
    tokens = [text[s:e] for s, e in offsets]
    starts = line_starts(text, offsets)
    assert starts == frozenset({4})
    assert sentence_chunks(tokens, starts)[0] == (0, 4)
    assert sentence_chunks(tokens)[0] != (0, 4)


def _clause_inputs():
    from quellenlage.speech.features_de import _clauses
    from quellenlage.speech.lexicon import german_lexicons

    tokens = "Der Minister sagte , er habe keine Zeit . Dann ging er nach Hause .".split()
    tags = ["ART", "NN", "VFIN", "$,", "PPER", "VFIN.K1", "PIAT", "NN", "$.",
            "ADV", "VFIN", "PPER", "APPR", "NN", "$."]
    chunks = sentence_chunks(tokens)
    hit = [None, None, "V", None, None, None, None, None, None, None, None, None, None, None, None]
    return (tokens, chunks, tags, hit, german_lexicons()[0], _clauses(tokens, chunks),
            quote_structure(tokens).inside)


def test_clause_classifier_scores_its_bags_without_building_them():
    from quellenlage.speech.clauses_de import ClauseModel, clause_bags

    args = _clause_inputs()
    items = clause_bags(*args)
    assert [(a, b) for a, b, _ in items] == [(0, 3), (4, 9), (9, 15)]  # the comma apart
    assert "p:mV|c:K1" in items[1][2] and "pw=sagte" in items[1][2]
    weights = {"bias": (-2.0, -1.0), "p:mV|c:K1": (3.0, 0.0), "w=sagte": (0.0, 1.5),
               "pw=sagte": (0.5, 0.0), "nw=er": (0.0, 0.2), "t=VFIN": (0.1, 0.1),
               "sep=,": (0.2, -0.3), "s:K1": (0.4, 0.0), "ps:K1": (0.3, 0.1)}
    model = ClauseModel(weights)
    spans, fast = model.clause_probs(*args)
    assert [(a, b) for a, b, _ in spans] == [(0, 3), (4, 9), (9, 15)]
    assert abs(fast - model.probs([bag for _, _, bag in items])).max() < 1e-12
    assert fast[1, 0] > 0.8 > fast[0, 0]  # the Konjunktiv clause after the verb of saying


def test_clause_classifier_round_trip(tmp_path):
    from quellenlage.speech.clauses_de import ClauseModel

    model = ClauseModel({"bias": (-1.0, 0.5), "w=sagte": (0.25, -0.75)})
    model.save(tmp_path / "c.npz")
    assert ClauseModel.load(tmp_path / "c.npz").w == model.w


def test_token_probabilities_fill_punctuation_from_the_lower_neighbour():
    from quellenlage.speech.clauses_de import token_probs

    items = [(0, 3, None), (4, 9, None)]
    out = token_probs(10, [(0, 9), (9, 10)], items, [[0.2, 0.9], [0.8, 0.1]])
    assert out[3] == [0.2, 0.1] and out[5] == [0.8, 0.1] and out[9] == [0.0, 0.0]


def test_no_speech_in_tables_of_numbers():
    from quellenlage.speech.tagger_de import _drop_tables

    tokens = "Er sagte es . 3 1/2 % Obl. 80 1/4 ditto 79 .".split()
    chunks = [(0, 4), (4, 13)]
    kinds = [{"reported"} for _ in tokens]
    _drop_tables(kinds, tokens, chunks)
    assert all(kinds[i] == {"reported"} for i in range(4))
    assert not any(kinds[i] for i in range(4, 13))


def test_speaker_nearest_to_the_cue_not_to_the_span():
    from quellenlage.speech.tagger_de import _nearest

    # "Ich fürchte, Schwester Elisabeth, der Eindruck wäre zu stark, entgegnete die blasse Dame."
    chunks = [(0, 17)]
    sent_of = [0] * 17
    runs = [(3, 5), (15, 16)]  # "Schwester Elisabeth", "Dame"
    assert _nearest(runs, 6, 11, sent_of, chunks) == (3, 5)  # nearest to the span
    assert _nearest(runs, 6, 11, sent_of, chunks, anchor=(12, 13)) == (15, 16)  # to the cue


def test_speakers_from_the_role_marginals(tagger):
    text = ("Ich fürchte, Schwester Elisabeth, der Eindruck wäre zu stark, "
            "entgegnete die blasse Dame.")
    speakers = {text[sp.speaker[0]:sp.speaker[1]] for sp in tagger.find(text) if sp.speaker}
    assert "Dame" in speakers and not any("Elisabeth" in x for x in speakers)


def test_clause_crf_gives_one_probability_per_clause(tmp_path):
    from quellenlage.speech.clauses_de import ClauseCRF, fit_crf

    docs = [([{"w=sagte", "bias"}, {"f=dass", "c:K1", "bias"}], [False, True], [False, False]),
            ([{"w=lief", "bias"}, {"w=erzählte", "bias"}], [False, False], [False, True])] * 3
    path = tmp_path / "clauses.crfsuite"
    fit_crf(docs, path)
    probs = ClauseCRF(path).indirect([{"w=sagte", "bias"}, {"f=dass", "c:K1", "bias"}])
    assert len(probs) == 2 and all(0.0 <= p <= 1.0 for p in probs) and probs[1] > probs[0]
    assert ClauseCRF(path).indirect([]) == []
