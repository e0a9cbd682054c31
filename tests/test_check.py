"""Verdicts on claims: true, false and undecidable, judged at the claim's date."""

import pytest

from blocwatch.check import Claim, judge


def m(subject, obj, *, negated=False, date=None, predicate="member_of", quantifier=None, value=None):
    return Claim("membership", subject, predicate, obj, negated, quantifier, value, date)


@pytest.mark.parametrize(
    "claim, published, verdict, reason",
    [
        # The reference page's claims, judged on its date.
        (m("AZE", "csto", negated=True), "2018-11-21", "supported", "Azerbaijan was not a member"),
        (m("csto", "cis", quantifier="all"), "2018-11-21", "supported", "every CSTO member was a CIS member"),
        (m("cis", "csto", quantifier="not_all"), "2018-11-21", "supported", "Azerbaijan, Moldova, Turkmenistan, Uzbekistan"),
        # Counting: ten = nine full members plus Turkmenistan as an associate.
        (m("cis", "cis", predicate="member_count", value=10), "2018-11-21", "supported",
         "CIS on 2018-11-21: 9 full members + Turkmenistan (associate) = 10"),
        (m("cis", "cis", predicate="member_count", value=9), "2018-11-21", "supported", "9 full members"),
        (m("cis", "cis", predicate="member_count", value=12), "2018-11-21", "contradicted", "not 12"),
        # Date-dependent: Georgia in the CIS was true in 2008 and false in 2010.
        (m("GEO", "cis"), "2008-06-01", "supported", "Georgia was a member"),
        (m("GEO", "cis"), "2010-06-01", "contradicted", "Georgia was not a member"),
        # The statement's own date wins over the document's.
        (m("GEO", "cis", date="2008"), "2015-01-01", "supported", "CIS on 2008"),
        # Associates count by default; participants do not.
        (m("TKM", "cis"), "2018-11-21", "supported", "a member"),
        (m("UKR", "cis"), "2015-01-01", "contradicted", "participant"),
        # A frozen membership is not counted as belonging.
        (m("ARM", "csto"), "2025-01-01", "contradicted", "frozen"),
        # Changes: Finland joined NATO in 2023.
        (m("FIN", "nato", predicate="joins", date="2023"), None, "supported", "2023-04-04"),
        (m("FIN", "nato", predicate="joins", date="2019"), None, "contradicted", "not around 2019"),
        # Intentions are not in the reference base.
        (m("AZE", "csto", predicate="considers_joining"), "2018-11-21", "unknown", "intentions"),
        # Year-precision date across a change: undecidable.
        (m("GEO", "cis", date="2009"), None, "unknown", "not certain"),
        # No date at all.
        (m("AZE", "csto", negated=True), None, "unknown", "no date to judge against"),
    ],
)
def test_membership_verdicts(store, claim, published, verdict, reason):
    result = judge(store, claim, published=published)
    assert result.verdict == verdict, result.reason
    assert reason in result.reason


def test_verdict_cites_rows_and_sources(store):
    result = judge(store, m("UZB", "csto", negated=True), published="2018-11-21")
    assert result.verdict == "supported"
    assert result.evidence and all(e["source"] for e in result.evidence)
    assert any(e["status"] == "suspended" for e in result.evidence)


@pytest.mark.parametrize(
    "person, office, value, published, verdict",
    [
        ("valery-semerikov", "csto-secretary-general", "acting", "2018-11-21", "supported"),
        ("mark-rutte", "nato-secretary-general", None, "2025-03-01", "supported"),
        ("mark-rutte", "nato-secretary-general", None, "2020-03-01", "contradicted"),
        ("new:John Smith", "nato-secretary-general", None, "2020-03-01", "contradicted"),
    ],
)
def test_office_verdicts(store, person, office, value, published, verdict):
    claim = Claim("office", person, "holds", office, value=value)
    assert judge(store, claim, published=published).verdict == verdict


def test_a_window_from_office_tenures_is_used_without_a_date(store):
    claim = m("AZE", "csto", negated=True)
    result = judge(store, claim, date_range=("2018-11-02", "2019-06-01"))
    assert result.verdict == "supported"
    assert "window its office holders bound" in result.reason


def test_events_are_unknown_to_the_reference_base(store):
    claim = Claim("event", "ARM", "veto", "AZE", extra={"about": "accession:csto"})
    result = judge(store, claim, published="2018-11-21")
    assert result.verdict == "unknown" and "events" in result.reason
