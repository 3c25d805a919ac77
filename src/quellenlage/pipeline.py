"""Ordered stages with a requires/provides check made when the pipeline is built.

A stage is a small object with ``name``, ``requires`` and ``provides`` (layer names) and
``__call__(doc) -> doc``. Stages hold configuration only (no per-document state), so they can be
pickled to a worker. Backends behind a stage (e.g. the entity recogniser) are chosen by name
from a registry with an embedded default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from quellenlage.document import Document
from quellenlage.errors import ConfigurationError, PipelineOrderError


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


@dataclass
class Pipeline:
    stages: list[Stage]
    given: tuple[str, ...] = ("text",)
    progress: Callable[[str], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        available = set(self.given)
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in available]
            if missing:
                raise PipelineOrderError(
                    f"stage '{stage.name}' requires {missing}, which no earlier stage provides",
                    hint="order the stages so that each one's requirements come first: "
                    + " -> ".join(s.name for s in self.stages))
            available.update(stage.provides)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            if self.progress is not None:
                self.progress(stage.name)
            doc = stage(doc)
        return doc


def default_stages(*, entities: str = "auto", scorer: str = "auto") -> list[Stage]:
    """The default pipeline, in order. ``entities``/``scorer`` pick backends by registry name."""
    from quellenlage.stages.attribution import AttributionStage
    from quellenlage.stages.claims import ClaimsStage
    from quellenlage.stages.dates import DatesStage
    from quellenlage.stages.entities import EntitiesStage
    from quellenlage.stages.hedges import HedgesStage
    from quellenlage.stages.quantities import QuantitiesStage
    from quellenlage.stages.segment import SegmentStage
    from quellenlage.stages.voices import VoicesStage

    return [
        SegmentStage(),
        VoicesStage(),
        EntitiesStage(backend=entities),
        DatesStage(),
        QuantitiesStage(),
        HedgesStage(),
        AttributionStage(),
        ClaimsStage(backend=scorer),
    ]


def build_pipeline(names: Sequence[str] | None = None, **backends: str) -> Pipeline:
    stages = default_stages(**backends)
    if names is not None:
        by_name = {s.name: s for s in stages}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise ConfigurationError(f"unknown stage(s) {unknown}", hint=f"known stages: {sorted(by_name)}")
        stages = [by_name[n] for n in names]
    return Pipeline(stages)
