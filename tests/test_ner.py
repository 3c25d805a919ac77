"""The trained NER taggers (German, English), the evaluation and entity merging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quellenlage.errors import DataError, UnsupportedLanguageError
from quellenlage.evaluation.ner import evaluate_folder, label_mapper
import quellenlage.ner
from quellenlage.ner import PUBLIC_LABELS, load_tagger
from quellenlage.ner.data import read_columns, spans_from_tags, tags_from_spans
from quellenlage.ner.features import ClusterTable
from quellenlage.ner.merge import canonical_name, cluster_mentions


def _found(text: str, lang: str) -> dict[str, str]:
    return {text[s:e]: label for s, e, label in load_tagger(lang).find(text)}


# --- tagger -----------------------------------------------------------------------------------


def test_german_sentences_written_for_the_test():
    text = ("Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten "
            "Emmanuel Macron. Die Europäische Union und die NATO beraten in Brüssel über die Ukraine.")
    found = _found(text, "de")
    assert found.get("Olaf Scholz") == "PER"
    assert found.get("Emmanuel Macron") == "PER"
    assert found.get("Berlin") == "LOC"
    assert found.get("Brüssel") == "LOC"
    assert found.get("NATO") == "ORG"
    assert found.get("Ukraine") == "LOC"
    # function words and common nouns are no entities; "französischen" (LOCderiv) is dropped
    assert "Montag" not in found and "Präsidenten" not in found and "französischen" not in found


def test_english_sentences_written_for_the_test():
    text = ("Yesterday John Miller flew from London to Chicago to meet executives of Microsoft. "
            "The FBI arrested two men in Ohio.")
    found = _found(text, "en")
    assert found.get("John Miller") == "PER"
    assert found.get("London") == "LOC"
    assert found.get("Chicago") == "LOC"
    assert found.get("Microsoft") == "ORG"
    assert found.get("FBI") == "ORG"
    assert found.get("Ohio") == "LOC"
    assert "Yesterday" not in found and "The" not in found and "executives" not in found


def test_offsets_are_exact_and_labels_public():
    text = "Am 3. Mai sprach Angela Merkel in Hamburg.\n\nDanach reiste sie nach Wien."
    spans = load_tagger("de").find(text)
    assert spans, "no entity found"
    for start, end, label in spans:
        assert label in PUBLIC_LABELS
        assert text[start:end] == text[start:end].strip() and text[start:end]
    assert ("Wien", "LOC") in {(text[s:e], lab) for s, e, lab in spans}
    assert load_tagger("de").find("") == []
    assert load_tagger("de").find_many(["Paris.", ""]) == [load_tagger("de").find("Paris."), []]


def test_find_many_same_document_spreads_names_across_sentences():
    tagger = load_tagger("de")
    sentences = ["Der frühere Geheimdienstchef Karim Massimov wurde verhaftet.",
                 "Tokajew enthob Massimow seines Postens."]
    joint = tagger.find_many(sentences, same_document=True)
    names = {(sentences[1][s:e], label) for s, e, label in joint[1]}
    assert ("Massimow", "PER") in names
    separate = tagger.find_many(sentences)
    assert len(separate) == 2 and all(set(a) <= set(b) for a, b in zip(separate, joint))
    assert ("Massimow", "PER") not in {(sentences[1][s:e], label) for s, e, label in separate[1]}


def test_native_labels_are_germeval_for_german():
    tagger = load_tagger("de")
    assert {"PER", "ORG", "LOC", "OTH", "LOCderiv"} <= set(tagger.labels)
    tags = tagger.tag_tokens(["Die", "deutschen", "Soldaten", "kamen", "aus", "Bayern", "."])
    assert tags[1] == "B-LOCderiv"
    assert tags[5] == "B-LOC"
    assert tags[0] == tags[2] == tags[6] == "O"
    assert set(load_tagger("en").labels) == {"PER", "ORG", "LOC"}


def test_unsupported_language():
    with pytest.raises(UnsupportedLanguageError) as err:
        load_tagger("fr")
    assert "de" in err.value.one_line() and "en" in err.value.one_line()
    with pytest.raises(UnsupportedLanguageError):
        cluster_mentions([("Paris", "LOC")], lang="fr")


def test_a_period_after_an_abbreviation_does_not_cut_the_sentence():
    tagger = load_tagger("de")
    for text, name, label in [("Napoleon starb 1821 auf St. Helena im Atlantik.", "St. Helena", "LOC"),
                              ("Ludwig XIV. baute Versailles.", "Ludwig XIV", "PER")]:
        found = [(text[s:e].rstrip("."), lab) for s, e, lab in tagger.find(text)]
        assert (name, label) in found, found


def test_periods_join_abbreviations_as_in_the_training_data():
    from quellenlage.ner.tagger import _attach_periods
    from quellenlage.tokenize import tokenize

    def tokens(text, lang):
        return [text[s:e] for s, e in _attach_periods(text, tokenize(text), lang)]

    # GermEval 2014: ordinals, letters, z.B., roman numerals, bzw. keep their period; Dr/St do not
    assert tokens("Am 18. Mai kam z.B. Dr. Weber mit Ludwig XIV. und bzw. dem Rest.", "de") == [
        "Am", "18.", "Mai", "kam", "z.B.", "Dr", ".", "Weber", "mit", "Ludwig", "XIV.", "und", "bzw.",
        "dem", "Rest", "."]
    # English (Universal Dependencies): titles and company words; a period before a closing
    # quotation mark ends the sentence
    assert tokens('Mr. Cook of Apple Inc. said "no."', "en") == [
        "Mr.", "Cook", "of", "Apple", "Inc.", "said", '"', "no", ".", '"']


def test_seed_post_sanity(sample_post_path: Path):
    text = sample_post_path.read_text(encoding="utf-8")
    spans = load_tagger("de").find(text)
    labels: dict[str, set[str]] = {}
    for s, e, label in spans:
        labels.setdefault(text[s:e], set()).add(label)
    expected = {
        "Tokajew": "PER", "Patruschew": "PER", "Jonathan Powell": "PER", "Felix Kulov": "PER",
        "Nasarbajew": "PER", "CIA": "ORG", "MI6": "ORG", "CSTO": "ORG", "KNB": "ORG",
        "Jabhat al-Nusra": "ORG", "Almaty": "LOC", "Bischkek": "LOC", "Kirgistan": "LOC", "Idlib": "LOC",
    }
    wrong = {name: sorted(labels.get(name, {"-"})) for name, label in expected.items()
             if label not in labels.get(name, set())}
    assert not wrong, f"missing or mislabelled: {wrong}"
    mentions = [(text[s:e], label) for s, e, label in spans]
    ids = cluster_mentions(mentions, lang="de")
    by_name = {}
    for (name, _), cid in zip(mentions, ids):
        by_name.setdefault(name, set()).add(cid)
    assert "Massimov" in by_name and "Massimow" in by_name
    assert by_name["Massimov"] == by_name["Massimow"]
    assert by_name["Kasachstan"] != by_name["Kirgistan"]


# --- merging ------------------------------------------------------------------------------------


def test_merge_inflection_and_transliteration():
    mentions = [("Massimov", "PER"), ("Massimow", "PER"), ("Kasachstans", "LOC"), ("Kasachstan", "LOC"),
                ("Tokajew", "PER"), ("Tokayev", "PER"), ("Nasarbajew", "PER"), ("Nazarbayev", "PER"),
                ("Patruschew", "PER"), ("Patrushev", "PER")]
    ids = cluster_mentions(mentions, lang="de")
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] == ids[5] and ids[6] == ids[7]
    assert ids[8] == ids[9]
    assert len(set(ids)) == 5
    assert ids[0] == 0 and ids[2] == 1  # numbered in order of appearance


def test_merge_aliases_acronyms_and_articles():
    mentions = [("der KNB", "ORG"), ("Nationales Sicherheitskomitee", "ORG"),
                ("des Nationalen Sicherheitskomitees", "ORG"), ("Europäische Union", "ORG"), ("EU", "ORG"),
                ("der Europäischen Union", "ORG"), ("CIA", "ORG")]
    ids = cluster_mentions(mentions, lang="de")
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] == ids[4] == ids[5]
    assert len({ids[0], ids[3], ids[6]}) == 3


def test_merge_negative_cases():
    # different places that look alike
    ids = cluster_mentions([("Kasachstan", "LOC"), ("Kirgistan", "LOC"), ("Usbekistan", "LOC")], lang="de")
    assert len(set(ids)) == 3
    # Müller and Miller are different people; so are two Müllers with different first names
    ids = cluster_mentions([("Hans Müller", "PER"), ("Anna Müller", "PER"), ("Miller", "PER")], lang="de")
    assert len(set(ids)) == 3
    # a bare surname shared by two full names stays apart from both
    ids = cluster_mentions([("Hans Müller", "PER"), ("Anna Müller", "PER"), ("Müller", "PER")], lang="de")
    assert len(set(ids)) == 3
    # same string, different kind of entity: kept apart (Washington the person, the city)
    ids = cluster_mentions([("Washington", "PER"), ("Washington", "LOC")], lang="en")
    assert ids[0] != ids[1]


def test_merge_bare_surname_mislabelled_by_the_tagger():
    # the tagger read one bare "Patruschew" as a place: the document reads it as a person
    ids = cluster_mentions([("Nikolai Patruschew", "PER"), ("Patruschew", "PER"), ("Patruschew", "LOC")], lang="de")
    assert len(set(ids)) == 1
    # a place that is mostly a place stays a place next to the person named after it
    ids = cluster_mentions([("George Washington", "PER"), ("Washington", "LOC"), ("Washington", "LOC")], lang="en")
    assert ids[0] != ids[1] and ids[1] == ids[2]
    # a bare non-person mention without a full name of that person stays apart
    ids = cluster_mentions([("Patruschew", "PER"), ("Patruschew", "LOC")], lang="de")
    assert ids[0] != ids[1]


def test_seed_post_people_are_only_people(sample_post_path):
    from quellenlage import analyze

    entities = analyze(sample_post_path.read_text(encoding="utf-8"), input_format="text").entities
    for surname in ("Patruschew", "Tokajew", "Powell", "Kulov", "Nasarbajew", "Massimov"):
        labels = {e.label for e in entities if surname in e.name or any(surname in v for v in e.variants)}
        assert labels == {"PER"}, (surname, labels)


def test_merge_surname_joins_single_full_name():
    mentions = [("Jonathan Powell", "PER"), ("Powell", "PER"), ("Powells", "PER"), ("Nikolai Patruschew", "PER"),
                ("Patruschew", "PER")]
    ids = cluster_mentions(mentions, lang="de")
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] == ids[4] != ids[0]


def test_merge_a_middle_initial_but_not_two_different_ones():
    ids = cluster_mentions([("Donald J. Trump", "PER"), ("Donald Trump", "PER"), ("Trump", "PER"),
                            ("George W. Bush", "PER"), ("George H. W. Bush", "PER")], lang="en")
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] != ids[4]


def test_merge_english():
    mentions = [("the CIA", "ORG"), ("Central Intelligence Agency", "ORG"), ("the United Nations", "ORG"),
                ("UN", "ORG"), ("Kazakhstan's", "LOC"), ("Kazakhstan", "LOC"), ("Kyrgyzstan", "LOC")]
    ids = cluster_mentions(mentions, lang="en")
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] == ids[5]
    assert ids[5] != ids[6] and ids[0] != ids[2]


def test_public_api_exports():
    assert quellenlage.ner.cluster_mentions is cluster_mentions
    assert quellenlage.ner.canonical_name is canonical_name


def test_cluster_table_looks_words_up_by_key():
    table = ClusterTable.from_dict({"kasachstan": (3, 41, 900), "bischkek": (3, 7, 12), "und": (0, 1, 2)})
    assert len(table) == 3
    assert table.get("kasachstan") == ("3", "41", "900")
    assert table.get("und") == ("0", "1", "2")
    assert table.get("Kasachstan") is None and table.get("") is None  # keys are the lower-cased words
    shipped = load_tagger("de").extractor.clusters
    # the German table holds the words of a large word list, names beyond the training text too
    assert len(shipped) > 300_000 and shipped.get("almaty") is not None


def test_entity_type_prior_features():
    import numpy as np

    prior = np.array([[25, 5, 220, 5, 0, 0], [255, 0, 0, 0, 0, 0], [100, 110, 45, 0, 0, 0]], dtype=np.uint8)
    table = ClusterTable.from_dict({"bischkek": (3, 7, 12), "und": (0, 1, 2), "kulov": (1, 1, 1)}, prior)
    assert table.prior_features(table.index("bischkek")) == ["qLOC=2", "qa=LOC"]
    assert table.prior_features(table.index("und")) == ["qa=O"]
    assert table.prior_features(table.index("kulov")) == ["qPER=1", "qLOC=0", "qa=PER"]
    assert table.index("massimov") == -1 and table.char_prior_features("massimov") == []
    shipped = load_tagger("de").extractor.clusters
    # words outside the table get the prior from their letters: a surname, a street
    assert shipped.index("massimov") == -1 and "ka=PER" in shipped.char_prior_features("massimov")
    assert "ka=LOC" in shipped.char_prior_features("schwarzenbergerstraße")


def test_canonical_name():
    assert canonical_name(["Kasachstans", "Kasachstan"]) == "Kasachstan"
    assert canonical_name(["Powell", "Jonathan Powell", "Powell"]) == "Jonathan Powell"
    assert canonical_name([]) == ""


# --- data and evaluation --------------------------------------------------------------------------


def test_spans_roundtrip_and_stray_inside_tag():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-ORG"]
    spans = spans_from_tags(tags)
    assert spans == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 7, "ORG")]
    assert spans_from_tags(tags_from_spans(7, spans)) == spans


def test_label_mapping_per_scheme():
    germeval = label_mapper({"PER", "LOCderiv", "OTH"})
    assert germeval("OTHpart") == "OTHpart" and germeval("LOCderiv") == "LOCderiv"
    uner = label_mapper({"PER", "LOC", "ORG"})
    assert uner("LOCderiv") is None and uner("OTH") is None and uner("PER") == "PER"
    conll = label_mapper({"PER", "LOC", "ORG", "MISC"})
    assert conll("OTH") == "MISC" and conll("ORGpart") is None


def _write(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_evaluate_folder_germeval_and_iob2(tmp_path: Path):
    _write(tmp_path / "a.txt", ["1\tAngela\tB-PER\tO", "2\tMerkel\tI-PER\tO", "3\tbesuchte\tO\tO",
                                "4\tParis\tB-LOC\tO", "5\t.\tO\tO", "",
                                "1\tDie\tO\tO", "2\tdeutschen\tB-LOCderiv\tB-LOC", "3\tTruppen\tO\tO", "4\t.\tO\tO"])
    _write(tmp_path / "b.iob2", ["# sent_id = x", "1\tBarack\tB-PER\t-\t-", "2\tObama\tI-PER\t-\t-",
                                 "3\tvisited\tO\t-\t-", "4\tLondon\tB-LOC\t-\t-", "5\t.\tO\t-\t-"])
    report = evaluate_folder(tmp_path)
    assert report["sentences"] == 3
    assert [f["lang"] for f in report["files"]] == ["de", "en"]
    assert set(report["files"][0]["per_label"]) >= {"PER", "LOC", "LOCderiv"}
    assert 0.0 <= report["f1"] <= 1.0
    assert report["f1"] > 0.5
    json.dumps(report)


def test_contemporary_fixture_matches_its_source():
    """tests/fixtures/ner/contemporary_de.tsv and contemporary_en.iob2 (gated in test_gate_ner.py) are
    the builds of their marked sources: every sentence, token and label as written there, the labels
    from GermEval's set (German) and Universal NER's (English)."""
    import importlib.util

    folder = Path(__file__).parent / "fixtures" / "ner"
    spec = importlib.util.spec_from_file_location("build_fixture", folder / "build_fixture.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    lines = [line for line in (folder / "contemporary_de.marked").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    sents = read_columns(folder / "contemporary_de.tsv")
    assert [(s.tokens, s.tags) for s in sents] == [build.convert(line) for line in lines]
    labels = {tag[2:] for s in sents for tag in s.tags if tag != "O"}
    assert labels <= {f"{k}{v}" for k in ("PER", "ORG", "LOC", "OTH") for v in ("", "deriv", "part")}
    assert len(sents) >= 60 and {"PER", "ORG", "LOC", "OTH", "ORGpart", "LOCderiv"} <= labels
    en_lines = [line for line in (folder / "contemporary_en.marked").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    en = read_columns(folder / "contemporary_en.iob2")
    assert [(s.tokens, s.tags) for s in en] == [build.convert(line) for line in en_lines]
    assert {tag[2:] for s in en for tag in s.tags if tag != "O"} == {"PER", "ORG", "LOC"} and len(en) >= 60


def test_evaluate_errors(tmp_path: Path):
    with pytest.raises(DataError):
        evaluate_folder(tmp_path / "missing")
    with pytest.raises(DataError):
        evaluate_folder(tmp_path)  # no files
    _write(tmp_path / "bad.txt", ["1\tWort"])
    with pytest.raises(DataError):
        evaluate_folder(tmp_path)
    _write(tmp_path / "bad.txt", ["1\tWort\tX-PER\tO"])
    with pytest.raises(DataError):
        read_columns(tmp_path / "bad.txt")


def test_cli_evaluate_ner(tmp_path: Path):
    from typer.testing import CliRunner

    from quellenlage.cli.main import app

    _write(tmp_path / "a.txt", ["1\tAngela\tB-PER\tO", "2\tMerkel\tI-PER\tO", "3\tlacht\tO\tO", "4\t.\tO\tO"])
    result = CliRunner().invoke(app, ["evaluate", "ner", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sentences"] == 1 and "per_label" in report
    result = CliRunner().invoke(app, ["evaluate", "ner", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 7


def test_cli_evaluate_ner_pipeline(tmp_path: Path):
    """--pipeline scores analyze's entities stage in public labels: GermEval's OTH is MISC, a
    compound part is no entity, and the stage's labels (MISC) are compared as such."""
    from typer.testing import CliRunner

    from quellenlage.cli.main import app

    _write(tmp_path / "a.txt", ["1	Angela	B-PER	O", "2	Merkel	I-PER	O", "3	las	O	O",
                                "4	den	O	O", "5	EU-Bericht	B-ORGpart	O", "6	in	O	O", "7	Berlin	B-LOC	O",
                                "8	.	O	O"])
    result = CliRunner().invoke(app, ["evaluate", "ner", "--data", str(tmp_path), "--pipeline"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["scored"] == "analyze's entities stage"
    assert report["gold"] == 2 and set(report["per_label"]) <= {"PER", "LOC", "ORG", "MISC"}
    assert report["per_label"]["PER"]["f1"] == 1.0 and report["per_label"]["LOC"]["f1"] == 1.0
    plain = json.loads(CliRunner().invoke(app, ["evaluate", "ner", "--data", str(tmp_path)]).output)
    assert plain["scored"] == "the trained tagger" and plain["gold"] == 3  # ORGpart counts there


def test_segments_do_not_end_at_an_initial():
    from quellenlage.ner.tagger import _segments
    from quellenlage.tokenize import tokenize

    text = "George W. Bush spoke. Then he left."
    offsets = tokenize(text)
    pieces = [text[offsets[a][0]:offsets[b - 1][1]] for a, b in _segments(text, offsets)]
    assert pieces == ["George W. Bush spoke.", "Then he left."]
