"""``quellenlage claims score`` and ``quellenlage evaluate claims``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def _fail(err) -> None:
    typer.echo(f"error: {err.one_line()}", err=True)
    raise typer.Exit(err.exit_code)


def read_inputs(raw: str) -> list[str]:
    """Texts from plain lines (one text per line) or JSONL with a ``text`` field.

    The input is JSONL when every non-blank line is a JSON object; blank lines are not inputs.
    """
    from quellenlage.errors import InputError

    lines = [line for line in raw.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        texts = []
        for number, line in enumerate(lines, 1):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"line {number} is not valid JSON: {err.msg}",
                                 hint="give JSONL with a 'text' field, or one text per line") from err
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise InputError(f"line {number} has no 'text' string field",
                                 hint="give JSONL with a 'text' field, or one text per line")
            texts.append(item["text"])
        return texts
    return [line.rstrip("\r") for line in lines]


def languages_of(texts: list[str]) -> list[str]:
    """Language per text for ``--lang auto``.

    Short or unsure texts (an emoji, "@USER oh oh", a link) take the language most of the
    confidently detected inputs have, so that one German comment in a German file is not scored
    with another model; a text confidently in another language gets that language (degraded).
    """
    from collections import Counter

    from quellenlage.claimmodel import SUPPORTED_LANGUAGES
    from quellenlage.langid import detect_document_language

    detected = [detect_document_language(text) for text in texts]
    confident = Counter(lang for lang, prob in detected
                        if lang in SUPPORTED_LANGUAGES and prob >= 0.6)
    default = confident.most_common(1)[0][0] if confident else "en"
    out = []
    for text, (lang, prob) in zip(texts, detected):
        words = len(text.split())
        if lang in SUPPORTED_LANGUAGES and (prob >= 0.6 or lang == default):
            out.append(lang)
        elif lang not in SUPPORTED_LANGUAGES and lang not in ("und", "zxx") \
                and prob >= 0.6 and words >= 6:
            out.append(lang)
        else:
            out.append(default)
    return out


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    claims_app = typer.Typer(help="Check-worthiness and subjectivity of sentences or comments.",
                             no_args_is_help=True)
    app.add_typer(claims_app, name="claims")

    @claims_app.command("score")
    def score_cmd(
        file: str = typer.Argument(..., help="one text per line, or JSONL with a 'text' field; - for stdin"),
        lang: str = typer.Option("auto", "--lang", help="auto | de | en (others use the English model, flagged)"),
        model: str = typer.Option("fast", "--model", help="fast | accurate"),
        reasons: bool = typer.Option(False, "--reasons", help="add the reasons and the model name"),
    ) -> None:
        """Score each input: check-worthy claim? subjective? One JSON object per line, in input order."""
        from quellenlage.claimmodel import load_scorer
        from quellenlage.errors import InputNotFoundError, QuellenlageError

        try:
            if file == "-":
                raw = sys.stdin.read()
            else:
                path = Path(file)
                if not path.is_file():
                    raise InputNotFoundError(f"no such file: {file}")
                raw = path.read_text(encoding="utf-8", errors="replace")
            texts = read_inputs(raw)
            if lang == "auto":
                langs = languages_of(texts)
            else:
                langs = [lang.lower()] * len(texts)
            results: list = [None] * len(texts)
            for code in dict.fromkeys(langs):
                positions = [i for i, c in enumerate(langs) if c == code]
                scorer = load_scorer(code, model)
                scored = scorer.score([texts[i] for i in positions], explain=reasons)
                for i, res in zip(positions, scored):
                    row = {"text": texts[i], "check_worthy": res.check_worthy, "score": res.score,
                           "subjective": res.subjective,
                           "subjectivity_score": res.subjectivity_score}
                    if scorer.degraded or lang == "auto":
                        row["lang"] = code
                    if scorer.degraded:
                        row["degraded"] = True
                    if reasons:
                        row["reasons"] = res.reasons
                        row["model"] = res.model
                    results[i] = row
        except QuellenlageError as err:
            _fail(err)
        out = sys.stdout
        for row in results:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    @evaluate_app.command("claims")
    def evaluate_claims(
        data: Path = typer.Option(Path("../shared/data"), "--data", help="data root or one data-set folder"),
        model: str = typer.Option("fast", "--model", help="fast | accurate"),
        include_train: bool = typer.Option(False, "--include-train",
                                           help="also score the training splits (slow; not held out)"),
    ) -> None:
        """Official metrics of the shipped claims models on every data set found in DIR."""
        from quellenlage.errors import QuellenlageError
        from quellenlage.evaluation.claims import evaluate

        try:
            result = evaluate(data, variant=model, include_train=include_train)
        except QuellenlageError as err:
            _fail(err)
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
