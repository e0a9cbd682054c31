"""Accession, co-presence, related documents, facts and explain on small stores built here."""

import json

import pytest

import blocwatch
from blocwatch.analysis import accession, copresence, explain, facts, overlap, related
from blocwatch.extract.model import Extraction, Meeting, Mention, Participant, Statement
from blocwatch.ingest.model import Document, RawPage
from blocwatch.ingest.pipeline import IngestOptions, store_page
from blocwatch.store.facts import store_extraction


@pytest.fixture
def small(db_path):
    store, _ = blocwatch.init(db_path)
    yield store
    store.close()


def add(store, text, *, published=None, statements=(), meetings=(), mentions=()):
    """Store one page with one document and the facts given (as extraction would)."""
    raw = RawPage(path=f"test:{hash(text)}", format="text", raw=text.encode())
    doc = Document(role="main", text=text, title=text[:40], published=published)
    with store.write() as conn:
        outcome = store_page(conn, raw, [doc], IngestOptions())
        doc_id = outcome.sightings[0].document_id
        store_extraction(conn, doc_id, Extraction(list(mentions), [], list(meetings),
                                                  list(statements), (None, None)))
    return doc_id


def veto(subject, target, org, *, negated=False, plover="THREATEN", sentence="x"):
    return Statement("event", subject, "veto", target, negated=negated, plover=plover,
                     sentence=sentence, span=(0, len(sentence)),
                     extra={"about": f"accession:{org}"})


def test_a_members_veto_blocks_accession_under_consensus(small):
    doc = add(small, "Armenia has promised to veto Azerbaijan joining the CSTO.", published="2018-11-21",
              statements=[veto("ARM", "AZE", "csto", sentence="Armenia has promised to veto it.")])
    result = accession(small, "Azerbaijan", "CSTO", at="2019-01-01")
    assert result.possible is False
    assert result.rule == "consensus"
    assert result.blocked_by == ["ARM"]
    assert result.evidence[0]["document"] == doc
    assert result.evidence[0]["sentence"] == "Armenia has promised to veto it."


def test_a_veto_later_withdrawn_no_longer_blocks(small):
    add(small, "Yerevan threatens a veto.", published="2018-11-21",
        statements=[veto("ARM", "AZE", "csto")])
    add(small, "Yerevan now backs Baku's bid.", published="2020-03-01",
        statements=[veto("ARM", "AZE", "csto", plover="SUPPORT")])
    before = accession(small, "AZE", "csto", at="2019-06-01")
    after = accession(small, "AZE", "csto", at="2020-06-01")
    assert before.possible is False and before.blocked_by == ["ARM"]
    assert after.possible is True and after.blocked_by == [] and after.withdrawn


def test_a_non_members_objection_does_not_block(small):
    add(small, "Georgia objects.", published="2018-11-21", statements=[veto("GEO", "AZE", "csto")])
    assert accession(small, "AZE", "csto", at="2019-01-01").possible is True


def test_accession_of_a_member_says_so(small):
    result = accession(small, "Armenia", "CSTO", at="2019-01-01")
    assert result.possible is False
    assert result.message == "Armenia is already a member of CSTO on 2019-01-01 (full)"


def test_accession_without_a_rule_says_so(small):
    result = accession(small, "Armenia", "GUAM", at="2019-01-01")
    assert result.possible is None
    assert result.message.startswith("no admission rule on record for GUAM")


def meeting(date, ordinal, participants, absent=()):
    m = Meeting("cis-security-council-secretaries", ordinal, date, "explicit", "Moscow", None,
                "terrorism", participants, "body", (0, 10), "They met.")
    m.absent = list(absent)  # type: ignore[attr-defined]
    return m


def test_copresence_counts_meetings_per_year_and_who_came(small):
    semerikov = Participant("valery-semerikov", "Valery Semerikov", "acting secretary general", "csto")
    patrushev = Participant("nikolai-patrushev", "Nikolai Patrushev", "secretary", "RUS")
    add(small, "The sixth meeting.", meetings=[meeting("2018-11-21", 6, [patrushev, semerikov]),
                                               meeting("2017", 5, [patrushev], absent=["csto"])])
    # The same 2018 meeting reported again by another article counts once.
    add(small, "Another report of the sixth meeting.", meetings=[meeting("2018-11-21", 6, [semerikov])])
    rows = {r.year: r for r in copresence(small, "CSTO", at_body="CIS security council secretaries")}
    assert (rows[2017].meetings, rows[2017].with_presence, rows[2017].absent) == (1, 0, 1)
    assert (rows[2018].meetings, rows[2018].with_presence) == (1, 1)
    assert rows[2018].officials == ["Valery Semerikov"]


def test_presence_by_office_held_at_the_meeting_date(small):
    # Represents nobody in particular, but was the CSTO's acting Secretary General then.
    semerikov = Participant("valery-semerikov", "V. Semerikov", None, None)
    add(small, "Meeting.", meetings=[meeting("2018-11-21", 6, [semerikov])])
    rows = copresence(small, "csto", at_body="cis-security-council-secretaries")
    assert rows[0].with_presence == 1


def test_overlap_index_per_year(small):
    rows = {r.year: r for r in overlap(small, "CIS", "CSTO", first=2018, last=2018)}
    assert (rows[2018].a, rows[2018].b, rows[2018].both) == (10, 6, 6)
    assert rows[2018].index == 0.6


def mention(entity, kind="state"):
    return Mention("body", 0, 1, entity, entity, kind)


def test_related_weights_rare_entities_above_common_ones(small):
    a = add(small, "Semerikov in Moscow with Russia.", mentions=[mention("RUS"), mention("valery-semerikov", "person")])
    b = add(small, "Russia again.", mentions=[mention("RUS")])
    c = add(small, "Semerikov speaks.", mentions=[mention("valery-semerikov", "person")])
    add(small, "Russia and more Russia.", mentions=[mention("RUS")])
    ranked = related(small, a)
    assert [r.document for r in ranked][:2] == [c, b]
    assert ranked[0].shared[0]["id"] == "valery-semerikov"


def test_facts_lists_claims_newest_first_and_shows_disagreement(small):
    said = Statement("membership", "GEO", "member_of", "cis", sentence="Georgia is a CIS member.",
                     span=(0, 24))
    denied = Statement("membership", "GEO", "member_of", "cis", negated=True,
                       sentence="Georgia is not a CIS member.", span=(0, 28))
    old = add(small, "2008 article", published="2008-05-01", statements=[said])
    new = add(small, "2012 article", published="2012-05-01", statements=[denied])
    result = facts(small, "Georgia")
    assert [f["document"]["id"] for f in result.facts] == [new, old]
    assert [f["verdict"] for f in result.facts] == ["supported", "supported"]
    assert len(result.disagreements) == 1
    sides = {s["says"]: s for s in result.disagreements[0]["sides"]}
    assert set(sides) == {"yes", "not"}


def test_explain_walks_from_sentence_to_sources(small):
    claim = Statement("membership", "UZB", "member_of", "csto", negated=True,
                      sentence="Uzbekistan is not in the CSTO.", span=(0, 30))
    add(small, "doc", published="2018-11-21", statements=[claim])
    import sqlalchemy as sa
    from blocwatch.store import schema

    with small.read() as conn:
        sid = conn.execute(sa.select(schema.statement.c.id)).scalar()
    out = explain(small, sid)
    assert out["sentence"] == "Uzbekistan is not in the CSTO."
    assert out["verdict"] == "supported"
    assert out["judged_at"] == "2018-11-21"
    assert any("suspended" == s.get("status") for s in out["sources"])


def test_cli_accession_on_an_ingested_article(tmp_path, cli):
    page = tmp_path / "page.txt"
    page.write_text(
        "Baku weighs a bid for the CSTO\n\n"
        "Azerbaijan, which is not a member of the Collective Security Treaty Organisation, is "
        "weighing a bid to join the CSTO, a move that Armenia has vowed to veto. "
        "Officials in Baku said on Monday, 19 November 2018 that no decision had been taken.\n",
        encoding="utf-8")
    db = str(tmp_path / "x.sqlite")
    assert cli("ingest", str(page), db=db).exit_code == 0
    out = json.loads(cli("accession", "Azerbaijan", "CSTO", "--at", "2019-01-01", "--json", db=db).output)
    assert out["possible"] is False
    assert out["blocked_by"] == ["ARM"]
    assert "vowed to veto" in out["evidence"][0]["sentence"]
