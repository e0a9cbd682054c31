"""Quantities: numbers with what they count, whose they are, and how they are qualified."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocwatch.extract.quantities import find_quantities
from blocwatch.ingest.model import Document

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PAGE = SHARED / "corpus" / "commonspace-cis-csto.txt"


def quantities(extractor, text: str):
    ctx = extractor.context(Document(role="main", text=text))
    return [st for s in ctx.sections for st in find_quantities(s, ctx)]


def key(st):
    x = st.extra
    return (st.subject, st.predicate, st.value, x["unit"], x["approx"], x["period"])


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list sharing subject, verb, approximation and period; the last item overrides "about"
        ("According to estimates by the Institute for Strategic Studies, Belarus builds about 40 "
         "tanks, 90 armoured vehicles and more than 12 helicopters a year.",
         [("BLR", "build", 40, "tanks", "about", "year"),
          ("BLR", "build", 90, "armoured vehicles", "about", "year"),
          ("BLR", "build", 12, "helicopters", "more than", "year")]),
        # digits with separators; the demonym in the unit says whose
        ("In 2014, 10,000 Russian soldiers crossed into Ukraine.",
         [("RUS", "cross", 10000, "soldiers", None, None)]),
        # number words and multipliers
        ("Azerbaijan deployed some five thousand troops.",
         [("AZE", "deploy", 5000, "troops", "about", None)]),
        ("Kazakhstan exports 1.5 million barrels daily.",
         [("KAZ", "export", 1500000, "barrels", None, "day")]),
        # the unit is the noun phrase up to its plural head
        ("Armenia received twelve infantry fighting vehicles each month.",
         [("ARM", "receive", 12, "infantry fighting vehicles", None, "month")]),
        # percentages
        ("Unemployment in Armenia rose to 7% last year.",
         [("ARM", "count", 7, "%", None, None)]),
        # the subject named after the number when none is before it
        ("About 2,000 troops were sent by Kazakhstan.",
         [("KAZ", "send", 2000, "troops", "about", None)]),
        # how many members a bloc has is a membership statement, not a quantity
        ("The ten member states of the CIS met.", []),
        ("The two sides agreed to talk again.", []),
        # not counts: dates, years, ordinals, time spans, names counted
        ("The 5th summit took place on 12 March 2019.", []),
        ("The sixth meeting was held in 1999.", []),
        ("The war has lasted for more than three years.", []),
        ("Of the 15 former Soviet republics, three Baltic States are in NATO.", []),
        ("It was a one-off, one step further.", []),
    ],
)
def test_quantities(extractor, text, expected):
    assert [key(st) for st in quantities(extractor, text)] == expected


def test_attribution_and_year(extractor):
    text = ("According to a new report by the Institute for Strategic Studies, Belarus built "
            "around 30 tanks in 2021.")
    [st] = quantities(extractor, text)
    assert st.extra["attributed_to"] == "Institute for Strategic Studies"
    assert st.extra["year"] == 2021
    assert text[st.span[0]:st.span[1]] == "around 30 tanks"


@pytest.mark.parametrize("text", ["", "1", "ten", "1,000,000,000,000,000", "2,5 tanks", "½ tanks",
                                  "twenty-", "-5 tanks", "$", "million tanks"])
def test_odd_input_never_raises(extractor, text):
    assert isinstance(quantities(extractor, text), list)


@pytest.mark.skipif(not PAGE.exists(), reason="reference page not available")
def test_reference_page_nato_teaser(extractor):
    from blocwatch.ingest.segment import segment_text

    docs = segment_text(PAGE.read_text(encoding="utf-8"))
    teaser = next(d for d in docs if d.title and "NATO" in d.title)
    found = quantities(extractor, teaser.text)
    by_unit = {st.extra["unit"]: st for st in found}
    assert [(by_unit[u].value, by_unit[u].extra["approx"]) for u in
            ("tanks", "infantry fighting vehicles", "Lancet drones", "artillery pieces")] == [
        (150, "around"), (550, "around"), (120, "around"), (50, "more than")]
    assert {by_unit[u].extra["attributed_to"] for u in ("tanks", "artillery pieces")} == {
        "Kiel Institute for the World Economy"}
    assert {by_unit[u].extra["period"] for u in ("tanks", "artillery pieces")} == {"month"}
    troops = by_unit["troops"]
    assert (troops.subject, troops.value, troops.extra["year"]) == ("RUS", 200000, 2022)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a percentage keeps the sign as written, so "% of GDP" reads as in the text
        ("Poland will spend 4.7% of GDP on defence.", [("POL", 4.7, "%")]),
        # a currency named with its state is a unit, not the subject
        ("Trade inside the Eurasian Economic Union is large. Trade between the member states "
         "reached 80 billion US dollars.", [("eaeu", 80000000000, "US dollars")]),
        # a body reports for its organisation; a person for the office's organisation
        ("According to the CSTO Secretariat, 40 tonnes of drugs were seized.",
         [("csto", 40, "tonnes")]),
        # a unit joined to the number by a hyphen
        ("Norway has a 198-km border with Russia.", [("NOR", 198, "km")]),
        # plurals in -men, owned by the demonym before them
        ("Some 300 Kazakh servicemen serve abroad.", [("KAZ", 300, "servicemen")]),
        # people with a casualty verb after them count deaths
        ("At least 12 civilians were killed in Armenia.", [("ARM", 12, "deaths")]),
        # a figure in the next sentence with no actor continues the claim before it
        ("NATO agreed to spend 5% of GDP on defence. Of that, 3.5% goes on core defence.",
         [("nato", 5, "%"), ("nato", 3.5, "%")]),
    ],
)
def test_subjects_and_units(extractor, text, expected):
    got = [(st.subject, st.value, st.extra["unit"]) for st in quantities(extractor, text)]
    assert got == expected
