"""Named-entity recognition for German and English (trained CRF) and mention merging.

    from quellenlage.ner import load_tagger, cluster_mentions, canonical_name
    spans = load_tagger("de").find(text)   # [(start, end, "PER"|"ORG"|"LOC"|"MISC"), ...]
    ids = cluster_mentions([(text[s:e], label) for s, e, label in spans], lang="de")
"""

from quellenlage.ner.merge import canonical_name, cluster_mentions, first_name_gender
from quellenlage.ner.tagger import PUBLIC_LABELS, SUPPORTED, CrfTagger, load_tagger, public_label

__all__ = ["CrfTagger", "PUBLIC_LABELS", "SUPPORTED", "canonical_name", "cluster_mentions", "first_name_gender",
           "load_tagger", "public_label"]
