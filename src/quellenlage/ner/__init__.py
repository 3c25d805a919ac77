"""Named-entity recognition for German and English (trained CRF) and mention merging.

    from quellenlage.ner import load_tagger, cluster_mentions
    spans = load_tagger("de").find(text)   # [(start, end, "PER"|"ORG"|"LOC"|"MISC"), ...]
"""

from quellenlage.ner.tagger import PUBLIC_LABELS, SUPPORTED, CrfTagger, load_tagger, public_label

__all__ = ["CrfTagger", "PUBLIC_LABELS", "SUPPORTED", "load_tagger", "public_label"]
