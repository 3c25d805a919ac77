"""``quellenlage claims score`` and ``quellenlage evaluate claims``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def _fail(err) -> None:
    typer.echo(f"error: {err.one_line()}", err=True)
    raise typer.Exit(err.exit_code)


def read_inputs(raw: str) -> list[tuple[int, str | Exception]]:
    """``(line number, text)`` from plain lines (one text per line) or JSONL with a ``text``
    field; a JSONL line that is no JSON object with a ``text`` string gives ``(line number,
    InputError)`` in its place, so that a batch records the failure and goes on.

    The input is JSONL when every non-blank line is a JSON object; blank lines are not inputs.
    """
    from quellenlage.errors import InputError

    lines = [(number, line) for number, line in enumerate(raw.splitlines(), 1) if line.strip()]
    if lines and all(line.lstrip().startswith("{") for _n, line in lines):
        items: list[tuple[int, str | Exception]] = []
        hint = "give JSONL with a 'text' field, or one text per line"
        for number, line in lines:
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                items.append((number, InputError(f"line {number} is not valid JSON: {err.msg}", hint=hint)))
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                items.append((number, InputError(f"line {number} has no 'text' string field", hint=hint)))
                continue
            items.append((number, item["text"]))
        return items
    return [(number, line.rstrip("\r")) for number, line in lines]


def languages_of(texts: list[str]) -> list[str]:
    """Language per text for ``--lang auto``.

    Short or unsure texts (an emoji, "@USER oh oh", a link) take the language most of the
    confidently detected inputs have (without any, the one most often detected), so that one
    German comment in a German file is not scored with another model; a text confidently in
    another language gets that language (degraded).
    """
    from collections import Counter

    from quellenlage.claimmodel import SUPPORTED_LANGUAGES
    from quellenlage.langid import detect_document_language

    detected = [detect_document_language(text) for text in texts]
    confident = Counter(lang for lang, prob in detected
                        if lang in SUPPORTED_LANGUAGES and prob >= 0.6)
    # without any confident input (one short line), the supported language detected most often,
    # unsure as it is ("Die Polizei nahm 35 Personen fest.": de at 0.53), rather than English
    unsure = Counter(lang for lang, _prob in detected if lang in SUPPORTED_LANGUAGES)
    default = (confident or unsure).most_common(1)[0][0] if (confident or unsure) else "en"
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
        from quellenlage.cli.analyze import _read_stdin
        from quellenlage.errors import EmptyInputError, InputNotFoundError, QuellenlageError
        from quellenlage.ingest.decode import decode_bytes

        try:
            if file == "-":
                data = _read_stdin()
            else:
                path = Path(file)
                if not path.is_file():
                    raise InputNotFoundError(f"no such file: {file}")
                data = path.read_bytes()
            if not data.strip():
                raise EmptyInputError("the input is empty", hint="give one text per line, or JSONL with a 'text' field")
            raw, _encoding = decode_bytes(data)  # binary refused, any encoding read, as for analyze
            items = read_inputs(raw)
            texts = [x for _n, x in items if isinstance(x, str)]
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
        rows = iter(results)
        failed = [(n, x) for n, x in items if not isinstance(x, str)]
        for number, item in items:
            row = next(rows) if isinstance(item, str) else {"line": number, "error": item.to_dict()}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        if failed:
            for number, err in failed:
                typer.echo(f"error: {err.one_line()}", err=True)
            typer.echo(f"{len(failed)} of {len(items)} inputs failed; their records say why", err=True)
            if len(failed) == len(items):  # as analyze's batches: non-zero when nothing was scored
                raise typer.Exit(failed[0][1].exit_code)

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
