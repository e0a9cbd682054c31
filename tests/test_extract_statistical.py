"""The optional statistical model: a real spaCy NER, trained here on a few sentences.

No model weights can be downloaded on these machines, so the test trains a
small named-entity recogniser from a blank English pipeline, saves it, and
points ``BLOCWATCH_SPACY_MODEL`` at it, as a user would at an installed model.
"""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.training import Example

from blocwatch.errors import BlocwatchError
from blocwatch.extract.pipeline import Extractor
from blocwatch.extract.statistical import MODEL_ENV, load_model
from blocwatch.ingest.model import Document

# sentences in the style of wire copy, with the persons' names marked
TRAINING = [
    "Aram Petrosyan told reporters in Yerevan that the talks had stalled.",
    "Officials close to Lena Kovac said the delegation would leave on Friday.",
    "The proposal was drafted by Timur Alimov and circulated among members.",
    "Speaking after the session, Irina Belova called the vote a mistake.",
    "Aram Petrosyan and Irina Belova met briefly on the sidelines.",
    "A letter signed by Lena Kovac urged the council to act.",
    "Timur Alimov declined to comment on the report.",
    "The ministry did not respond to questions about the visit.",
]
NAMES = ["Aram Petrosyan", "Lena Kovac", "Timur Alimov", "Irina Belova"]


def _entities(text: str) -> list[tuple[int, int, str]]:
    out = []
    for name in NAMES:
        start = text.find(name)
        while start >= 0:
            out.append((start, start + len(name), "PERSON"))
            start = text.find(name, start + 1)
    return sorted(out)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("PERSON")
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": _entities(t)}) for t in TRAINING]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(40):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    path = tmp_path_factory.mktemp("model") / "tiny-ner"
    nlp.to_disk(path)
    return path


@pytest.fixture
def with_model(model_path, monkeypatch):
    monkeypatch.setenv(MODEL_ENV, str(model_path))
    return load_model()


def persons(extractor: Extractor, text: str) -> dict[str, tuple[str | None, str]]:
    found = extractor(Document(role="main", text=text, published="2024-03-01"))
    return {m.text: (m.entity_id, m.how) for m in found.mentions if m.kind == "person"}


TEXT = ("Aram Petrosyan told reporters in Yerevan that the talks had stalled. "
        "NATO Secretary General Jens Stoltenberg was not in the room.")


def test_a_person_named_without_a_role_is_found_by_the_model(gazetteer, with_model) -> None:
    found = persons(Extractor(gazetteer, with_model), TEXT)
    assert found["Aram Petrosyan"] == ("new:Aram Petrosyan", "model")
    # what the rules find stays theirs
    assert found["Jens Stoltenberg"][1] != "model"


def test_without_a_model_only_the_rules_find_persons(gazetteer) -> None:
    found = persons(Extractor(gazetteer), TEXT)
    assert "Aram Petrosyan" not in found
    assert "Jens Stoltenberg" in found


def test_a_model_that_cannot_be_loaded_is_a_clear_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "no-such-model"))
    with pytest.raises(BlocwatchError, match="cannot load this spaCy model"):
        load_model()


def test_no_model_by_default(monkeypatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert (load_model() is None) == (not spacy.util.is_package("en_core_web_sm"))
