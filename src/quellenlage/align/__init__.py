"""Cross-lingual sentence alignment of a derived text (translation, excerpt, paraphrase)
with its original, and fidelity checks on the aligned pairs (``quellenlage compare``)."""

from quellenlage.align.core import align_sentences, align_texts, roles_from_alignment
from quellenlage.align.records import Comparison, Flag, Link, Sentence, SentenceRole, Span

__all__ = ["Comparison", "Flag", "Link", "Sentence", "SentenceRole", "Span", "align_sentences",
           "align_texts", "roles_from_alignment"]
