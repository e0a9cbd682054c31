import pytest

import blocwatch
from blocwatch.errors import UnknownEntityError


@pytest.mark.parametrize(
    "office, at, person, acting",
    [
        ("NATO Secretary General", "2025-01-01", "Mark Rutte", False),
        ("nato-secretary-general", "2020-06-01", "Jens Stoltenberg", False),
        ("Nato chief", "2010-01-01", "Anders Fogh Rasmussen", False),
        ("CSTO Secretary General", "2018-11-21", "Valery Semerikov", True),
        ("Secretary of the Security Council of Russia", "2018-11-21", "Nikolai Patrushev", False),
        ("Secretary of the Security Council of the Russian Federation", "2024-06-01", "Sergei Shoigu", False),
        ("EU High Representative", "2021-05-01", "Josep Borrell", False),
        ("President of Russia", "2010-01-01", "Dmitry Medvedev", False),
    ],
)
def test_holder_at_date(store, office, at, person, acting):
    result = blocwatch.holder(store, office, at=at).to_json()
    assert result["person"]["name"] == person
    assert result["acting"] is acting


def test_holder_json_shape(store):
    out = blocwatch.holder(store, "NATO Secretary General", at="2025-01-01").to_json()
    assert {"office", "person", "acting", "start", "end"} <= out.keys()
    assert out["start"] == "2024-10-01" and out["end"] is None


def test_no_holder_before_the_office_existed(store):
    assert blocwatch.holder(store, "CSTO Secretary General", at="1995").to_json()["person"] is None


def test_unknown_office_suggests_candidates(store):
    with pytest.raises(UnknownEntityError, match="did you mean"):
        blocwatch.holder(store, "NATO Secretary Generl", at="2020")
