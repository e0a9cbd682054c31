"""Quality gate: extraction on the golden corpus must not fall below pinned floors.

The corpus (tests/golden/) is 42 articles written for blocwatch with
hand-made expectations; tests/golden_score.py scores them. Raise a floor
when quality improves; never lower one to make a change pass.
"""

import pytest

from tests.golden_score import analyse_with_blocwatch, score

# field: (precision floor, recall floor), measured with `python tests/golden_score.py`
FLOORS = {
    "documents": (0.95, 0.90),
    "published": (0.95, 0.50),
    "entities": (0.97, 0.91),
    "meetings": (0.43, 0.65),
    "participants": (0.91, 0.63),
    "date_range.from": (0.67, 0.67),
    "statements.membership": (0.98, 0.67),
    "statements.office": (0.96, 0.91),
    "statements.event": (0.48, 0.47),
    "statements.quote": (0.66, 0.78),
    "statements.quantity": (0.65, 0.65),
}


@pytest.fixture(scope="module")
def counts():
    return score(analyse_with_blocwatch())


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_quality_floor(counts, field):
    precision_floor, recall_floor = FLOORS[field]
    c = counts[field]
    assert c.precision >= precision_floor, f"{field} precision {c.precision:.3f} < {precision_floor}"
    assert c.recall >= recall_floor, f"{field} recall {c.recall:.3f} < {recall_floor}"
