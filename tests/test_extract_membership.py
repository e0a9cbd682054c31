"""Membership statements: is / is not a member, lists, all / not all, counts, changes, traps."""

from __future__ import annotations

import pytest

from blocwatch.extract.gazetteer import Gazetteer
from blocwatch.extract.membership import find_membership
from blocwatch.extract.model import Statement
from blocwatch.ingest.model import Document

Fact = tuple[str | None, str, str | None, bool, str | None, object]


def statements(extractor, text: str, *, title: str | None = None,
               captions: tuple[str, ...] = ()) -> list[Statement]:
    doc = Document(role="main", text=text, title=title, published="2019-03-14",
                   metadata={"captions": list(captions)})
    ctx = extractor.context(doc)
    return [s for section in ctx.sections for s in find_membership(section, ctx)]


def facts(found: list[Statement]) -> set[Fact]:
    return {(s.subject, s.predicate, s.object, s.negated, s.quantifier, s.value) for s in found}


def member(subject: str, obj: str, negated: bool = False) -> Fact:
    return (subject, "member_of", obj, negated, None, None)


def count(obj: str, value: int) -> Fact:
    return (obj, "member_count", obj, False, None, value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain copula
        ("Kyrgyzstan is a member of the CSTO.", {member("KGZ", "csto")}),
        # apposition between commas
        ("Belarus, a member of the EAEU, hosted the forum in Minsk.", {member("BLR", "eaeu")}),
        # apposition in brackets
        ("Tajikistan (a member of the CSTO) asked for help.", {member("TJK", "csto")}),
        # organisation before the member noun
        ("EAEU member Kyrgyzstan raised tariffs.", {member("KGZ", "eaeu")}),
        # possessive and a list
        ("The EAEU's members Armenia, Kazakhstan and Russia agreed a budget.",
         {member("ARM", "eaeu"), member("KAZ", "eaeu"), member("RUS", "eaeu")}),
        # members named after "such as"
        ("Members of the CIS such as Tajikistan and Kazakhstan rely on Russian gas.",
         {member("TJK", "cis"), member("KAZ", "cis")}),
        # a list of subjects and a list of organisations
        ("Belarus and Kazakhstan are members of the CSTO and the EAEU.",
         {member("BLR", "csto"), member("KAZ", "csto"), member("BLR", "eaeu"),
          member("KAZ", "eaeu")}),
        # "both members of" apposition after a list
        ("Tajikistan and Kyrgyzstan, both members of the CSTO, held drills.",
         {member("TJK", "csto"), member("KGZ", "csto")}),
        # organisation as a modifier after the copula
        ("Turkey is a NATO ally.", {member("TUR", "nato")}),
        ("Russia is the CSTO's biggest member.", {member("RUS", "csto")}),
        # "belongs to"
        ("Armenia belongs to the EAEU.", {member("ARM", "eaeu")}),
        # a relative clause between subject and verb
        ("Kazakhstan, which is a member of the SCO, hosted the summit.", {member("KAZ", "sco")}),
    ],
)
def test_positive_membership(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "not a member of"
        ("Moldova is not a member of the EAEU.", {member("MDA", "eaeu", True)}),
        # "never joined" says the state is not a member
        ("Turkmenistan has never joined the CSTO.", {member("TKM", "csto", True)}),
        # "not part of"
        ("Georgia is not part of the CSTO.", {member("GEO", "csto", True)}),
        # "no longer"
        ("Georgia is no longer a member of the CIS.", {member("GEO", "cis", True)}),
        # "does not belong to"
        ("Azerbaijan does not belong to the EAEU.", {member("AZE", "eaeu", True)}),
        # non-member before the name, organisation elsewhere in the sentence
        ("Non-member Turkmenistan sent an envoy to the CSTO summit.",
         {member("TKM", "csto", True)}),
        # "non member of <state>", as careless copy writes it
        ("Meanwhile non member of Turkmenistan is thinking about the EAEU.",
         {member("TKM", "eaeu", True)}),
        # non-member apposition
        ("Moldova, a non-member of the CSTO, declined.", {member("MDA", "csto", True)}),
        # neither ... nor on the object side
        ("Ukraine is neither a member of the EAEU nor of the CSTO.",
         {member("UKR", "eaeu", True), member("UKR", "csto", True)}),
        # neither ... nor on the subject side
        ("Neither Georgia nor Moldova is a member of the CSTO.",
         {member("GEO", "csto", True), member("MDA", "csto", True)}),
    ],
)
def test_negated_membership(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected


def test_contrast_gives_the_other_polarity(extractor):
    text = "Armenia and Kazakhstan are members of the CIS but not of NATO."
    assert facts(statements(extractor, text)) == {
        member("ARM", "cis"), member("KAZ", "cis"),
        member("ARM", "nato", True), member("KAZ", "nato", True)}


def test_group_expanded_under_either_or(extractor):
    # a group in the subject list stands for its member states; either/or gives both pairs
    text = ("Of the 15 former Soviet republics, the three Baltic States and Georgia are "
            "not members of either the EAEU or the CSTO.")
    found = facts(statements(extractor, text))
    for state in ("EST", "LVA", "LTU", "GEO"):
        for org in ("eaeu", "csto"):
            assert member(state, org, True) in found
    assert count("post-soviet", 15) in found
    assert not any(f[0] == "post-soviet" and f[1] == "member_of" for f in found)


def test_group_in_a_list_is_expanded_and_recorded(extractor):
    found = statements(extractor, "Poland and the Baltic States are members of NATO.")
    assert {s.subject for s in found} == {"POL", "EST", "LVA", "LTU"}
    assert all(s.extra.get("groups") == ["baltic-states"] for s in found)


def test_group_alone_is_a_universal_statement(extractor):
    # "the Baltic states are members of NATO" speaks of all of them at once
    found = facts(statements(extractor, "The Baltic States are all members of NATO."))
    assert found == {("baltic-states", "member_of", "nato", False, "all", None)}
    found = facts(statements(extractor, "The Baltic states never joined the CIS."))
    assert found == {("baltic-states", "member_of", "cis", True, "all", None)}


def test_neither_nor_objects(extractor):
    found = facts(statements(extractor, "Georgia is in neither the CIS nor the EAEU."))
    assert found == {member("GEO", "cis", True), member("GEO", "eaeu", True)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # all members of X are members of Y
        ("All members of the EAEU are members of the CIS.",
         {("eaeu", "member_of", "cis", False, "all", None)}),
        # every ... is a member of
        ("Every member of the EAEU is also a member of the CIS.",
         {("eaeu", "member_of", "cis", False, "all", None)}),
        # organisation as a modifier on both sides
        ("All EAEU member states are CIS members.",
         {("eaeu", "member_of", "cis", False, "all", None)}),
        # not all
        ("Not all members of the CIS are members of the EAEU.",
         {("cis", "member_of", "eaeu", False, "not_all", None)}),
        # some ... are not amounts to not all
        ("Some CIS members are not in the CSTO.",
         {("cis", "member_of", "csto", False, "not_all", None)}),
    ],
)
def test_quantified(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected


def test_elliptic_negation_takes_the_previous_organisation(extractor):
    # the second sentence names no organisation: it is the one the first ends with
    text = ("Every EAEU member is a member of the CIS, but not all members of the CIS are "
            "members of the EAEU. Moldova, Tajikistan and Azerbaijan are not.")
    found = facts(statements(extractor, text))
    assert ("eaeu", "member_of", "cis", False, "all", None) in found
    assert ("cis", "member_of", "eaeu", False, "not_all", None) in found
    for state in ("MDA", "TJK", "AZE"):
        assert member(state, "eaeu", True) in found
    assert not any(f[0] in ("MDA", "TJK", "AZE") and f[2] == "cis" for f in found)


@pytest.mark.parametrize(
    "text",
    [
        # "do not" ellipsis
        "Kazakhstan is a member of the EAEU. Uzbekistan and Tajikistan do not belong.",
        # "are not members" without an organisation
        "Kazakhstan is a member of the EAEU. Uzbekistan and Tajikistan are not members.",
        # same sentence, after "and"
        "Kazakhstan is a member of the EAEU and Uzbekistan and Tajikistan are not.",
    ],
)
def test_elliptic_forms(extractor, text):
    found = facts(statements(extractor, text))
    assert member("UZB", "eaeu", True) in found
    assert member("TJK", "eaeu", True) in found


def test_ellipsis_needs_a_recent_statement(extractor):
    # nothing about membership before: "are not" says nothing
    assert statements(extractor, "Belarus was invited. Armenia and Moldova were not.") == []
    # a positive elliptic "is" is not read
    text = "Belarus is a member of the CSTO. Russia is."
    assert facts(statements(extractor, text)) == {member("BLR", "csto")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # number word before "member states of"
        ("The seven member states of the CSTO met in Yerevan.", count("csto", 7)),
        # organisation before the member noun
        ("Diplomats of the five EAEU member states signed the deal.", count("eaeu", 5)),
        # possessive with allies
        ("NATO's 32 allies endorsed the plan.", count("nato", 32)),
        # "all N allies" with the organisation elsewhere in the sentence
        ("All 32 allies met at NATO headquarters.", count("nato", 32)),
        # a having-verb
        ("NATO has 32 members.", count("nato", 32)),
        # a having-verb in a relative clause
        ("The CSTO, which has six members, met.", count("csto", 6)),
        # "N-member" with a word for the organisation, named before
        ("NATO, the 32-member alliance, met in Vilnius.", count("nato", 32)),
        # hyphenated number word
        ("The twenty-seven EU member states backed it.", count("eu", 27)),
        # "N-member" with the organisation after
        ("The 27-member EU agreed.", count("eu", 27)),
        # a group count
        ("Out of the 15 former Soviet republics, few joined NATO.", count("post-soviet", 15)),
    ],
)
def test_member_count(extractor, text, expected):
    assert expected in facts(statements(extractor, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "became the Nth member": joins, and the organisation counts N
        ("Finland became the 31st member of NATO on Tuesday.",
         {("FIN", "joins", "nato", False, None, None), count("nato", 31)}),
        # ordinal word and a status word before "member"
        ("Belarus became the tenth full member of the SCO.",
         {("BLR", "joins", "sco", False, None, None), count("sco", 10)}),
        # with a copula it is a membership
        ("North Macedonia is the thirtieth member of NATO.",
         {member("MKD", "nato"), count("nato", 30)}),
        # an ordinal of a meeting is nothing
        ("The first meeting of the CSTO was held in Moscow.", set()),
    ],
)
def test_ordinal_member(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a definite noun takes the organisation named before ("the Union" = EAEU here)
        ("The Eurasian Economic Union turned ten. Tajikistan has never joined the Union.",
         {member("TJK", "eaeu", True)}),
        # a generic noun with modifiers takes the last organisation named
        ("NATO met in Vilnius. Sweden joined the Nordic-led alliance in 2024.",
         {("SWE", "joins", "nato", False, None, None)}),
        # a count through "to" after a definite noun
        ("NATO met in Vilnius, bringing the alliance to 32 allies.", {count("nato", 32)}),
        # "the Union State" is not "the Union" (the EU)
        ("Belarus is a member of the EAEU and the Union State.",
         {member("BLR", "eaeu"), member("BLR", "union-state")}),
    ],
)
def test_definite_nouns_for_organisations(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected


def test_pronoun_subject_takes_the_state_just_discussed(extractor):
    text = ("Azerbaijan is not a member of the CSTO. It is a member of the CIS and of GUAM.")
    assert facts(statements(extractor, text)) == {
        member("AZE", "csto", True), member("AZE", "cis"), member("AZE", "guam")}
    # without a state just discussed, "it" is nobody
    assert statements(extractor, "It is a member of the CIS.") == []


def test_companions_share_the_claim(extractor):
    text = "Georgia remains a member of GUAM, alongside Ukraine, Azerbaijan and Moldova."
    assert facts(statements(extractor, text)) == {
        member("GEO", "guam"), member("UKR", "guam"), member("AZE", "guam"),
        member("MDA", "guam")}


def test_will_remain_is_a_present_membership(extractor):
    text = "After the exit, only Azerbaijan and Armenia will remain in the CIS."
    assert facts(statements(extractor, text)) == {member("AZE", "cis"), member("ARM", "cis")}
    assert statements(extractor, "Armenia would remain in the CIS.") == []


def test_dash_enclosed_list_of_subjects(extractor):
    text = "Of the guests, three - Armenia, Belarus and Kazakhstan - are members of the CSTO."
    assert facts(statements(extractor, text)) == {
        member("ARM", "csto"), member("BLR", "csto"), member("KAZ", "csto")}


@pytest.mark.parametrize(
    "text",
    [
        # a count without a definite determiner is a part, not the whole
        "Two CSTO member states quarrelled over the border.",
        # an ordinal is not a count
        "The 5th meeting of the CSTO took place in 2017.",
        # troops are not members
        "Some 200,000 Russian troops crossed the border.",
        # "the two organisations" counts organisations, not members
        "The two organisations, the CIS and the CSTO, overlap.",
        # a correction retracts what it reports
        "Correction: an earlier version said NATO has 29 members.",
        # a subset of a group is not the group's size
        "NATO promised the two former Soviet republics a path to membership.",
    ],
)
def test_no_member_count(extractor, text):
    assert not [s for s in statements(extractor, text) if s.predicate == "member_count"]


@pytest.mark.parametrize(
    ("text", "expected", "date"),
    [
        ("Finland joined NATO in 2023.", ("FIN", "joins", "nato", False), "2023"),
        ("Sweden became a member of NATO in March 2024.", ("SWE", "joins", "nato", False),
         "2024"),
        ("Estonia formally acceded to NATO in 2004.", ("EST", "joins", "nato", False), "2004"),
        ("Georgia left the CIS in 2009.", ("GEO", "leaves", "cis", False), "2009"),
        ("Uzbekistan withdrew from the CSTO in 2012.", ("UZB", "leaves", "csto", False), "2012"),
        ("Moldova quit the CIS.", ("MDA", "leaves", "cis", False), None),
        ("Armenia suspended its membership in the CSTO.", ("ARM", "suspends", "csto", False),
         None),
        ("Armenia has frozen its participation in the CSTO since 2024.",
         ("ARM", "suspends", "csto", False), "2024"),
        ("Armenia froze its CSTO membership.", ("ARM", "suspends", "csto", False), None),
        ("Ukraine applied to join the EU in 2022.", ("UKR", "applies_to", "eu", False), "2022"),
        ("Georgia submitted a formal application to join the EU.",
         ("GEO", "applies_to", "eu", False), None),
        ("Uzbekistan is considering joining the EAEU.",
         ("UZB", "considers_joining", "eaeu", False), None),
        ("Azerbaijan has been toying with the idea of joining the CSTO.",
         ("AZE", "considers_joining", "csto", False), None),
        ("Uzbekistan mulls EAEU membership.", ("UZB", "considers_joining", "eaeu", False), None),
        ("Serbia is weighing the possibility of joining the EAEU.",
         ("SRB", "considers_joining", "eaeu", False), None),
        # negated change
        ("Armenia has not left the CSTO.", ("ARM", "leaves", "csto", True), None),
        ("Azerbaijan did not join the CSTO.", ("AZE", "joins", "csto", True), None),
    ],
)
def test_change_verbs(extractor, text, expected, date):
    found = statements(extractor, text)
    assert [(s.subject, s.predicate, s.object, s.negated) for s in found] == [expected]
    assert found[0].date == date


def test_list_of_states_joining(extractor):
    found = statements(extractor, "Estonia, Latvia and Lithuania joined NATO in 2004.")
    assert {(s.subject, s.predicate, s.object, s.date) for s in found} == {
        ("EST", "joins", "nato", "2004"), ("LVA", "joins", "nato", "2004"),
        ("LTU", "joins", "nato", "2004")}


def test_date_stays_in_its_clause(extractor):
    # the year belongs to the freezing, not to the membership
    text = "Armenia is still a member of the CSTO, although it froze its participation in 2024."
    found = statements(extractor, text)
    assert [(s.subject, s.predicate, s.date) for s in found] == [("ARM", "member_of", None)]


@pytest.mark.parametrize(
    "text",
    [
        # leading an organisation is not a membership claim of this kind
        "Russia, which leads the CSTO, hosted the drills.",
        # "member states" with no organisation after them
        "Armenia accused some of the member states of not acting like allies.",
        # speculation without a consider/mull/weigh trigger
        "Turkey could join the SCO.",
        # someone else's prediction is no decision ("would" without the state announcing it)
        "Stoltenberg said he was confident Sweden would join NATO.",
        # conditional
        "If Armenia leaves the CSTO, Russia loses an ally.",
        # questions assert nothing
        "Will Armenia leave the CSTO?",
        "Is Armenia still a member of the CSTO?",
        # a meeting or exercise of an organisation is not the organisation
        "Armenia left the CSTO summit early.",
        "Kazakhstan joined CSTO exercises in Tajikistan.",
        # a demonym is not a state as subject
        "The Russian delegation is a member of the CSTO.",
        # a state inside a longer noun phrase is not the subject
        "The Security Council of Armenia is a member of the CSTO.",
        # "a member of" with no organisation
        "Armenia is a member of the family of nations.",
        # membership of a state is not membership of an organisation
        "Crimea is part of Ukraine.",
    ],
)
def test_traps(extractor, text):
    assert statements(extractor, text) == []


def test_question_in_the_title(extractor):
    found = statements(extractor, "Georgia left the CIS in 2009.",
                       title="Will Kazakhstan leave the EAEU?")
    assert [(s.section, s.subject) for s in found] == [("body", "GEO")]


def test_caption_section_and_span(extractor):
    found = statements(extractor, "Nothing here.",
                       captions=("Kyrgyzstan, a member of the CSTO, sent observers.",))
    assert len(found) == 1
    s = found[0]
    assert s.section == "caption:0" and s.kind == "membership"
    caption = "Kyrgyzstan, a member of the CSTO, sent observers."
    assert caption[s.span[0]:s.span[1]] == "Kyrgyzstan, a member of the CSTO"
    assert s.sentence == caption


def test_spans_point_into_the_body(extractor):
    text = "Tensions grew.\n\nMoldova is not a member of the EAEU. Georgia left the CIS."
    for s in statements(extractor, text):
        assert s.section == "body"
        assert text[s.span[0]:s.span[1]] in s.sentence
        assert s.sentence in text


def test_paragraph_without_a_stop_does_not_lend_its_year(extractor):
    text = "Armenia joined the drills in 2017 (see photo)\n\nGeorgia left the CIS."
    found = statements(extractor, text)
    assert [(s.subject, s.predicate, s.date) for s in found] == [("GEO", "leaves", None)]
    assert found[0].sentence == "Georgia left the CIS."


def test_repeated_fact_in_one_sentence_is_kept_once(extractor):
    text = "Kazakhstan, a member of the EAEU, is a member of the EAEU."
    assert len(statements(extractor, text)) == 1


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n\n", "...", "member of", "is a member of the CSTO", "non -", "— , ( ) ;",
     "Армения является членом ОДКБ.", "the 15", "Armenia, Belarus, and", "All members of the",
     "NATO's", "the 0 member states of NATO", "the 99999999999999999999 member states of NATO",
     "Non", "Armenia is not."],
)
def test_odd_input_does_not_raise(extractor, text):
    statements(extractor, text, title=text or None, captions=(text,))


def test_gazetteer_has_group_members(gazetteer):
    assert set(gazetteer.group_members["baltic-states"]) == {"EST", "LVA", "LTU"}
    assert len(gazetteer.group_members["post-soviet"]) == 15


def test_gazetteer_build_without_group_members(gazetteer):
    built = Gazetteer.build(gazetteer.entities, gazetteer.aliases, gazetteer.tenures)
    assert built.group_members == {}


# The golden corpus codes a stated wish ("want to join") as considers_joining and a dated
# future step ("will join on 1 May") as the change itself.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a wish to join
        ("Georgia and Ukraine want to join NATO.",
         {("GEO", "considers_joining", "nato", False),
          ("UKR", "considers_joining", "nato", False)}),
        # "they" after a verb of saying is the subject of that verb
        ("Only Georgia and Ukraine have said they want to join NATO.",
         {("GEO", "considers_joining", "nato", False),
          ("UKR", "considers_joining", "nato", False)}),
        # a scheduled step
        ("On 1 May, Estonia and Latvia will also join the European Union.",
         {("EST", "joins", "eu", False), ("LVA", "joins", "eu", False)}),
        # an announced withdrawal is coded as leaving
        ("Moldova on Monday announced it would withdraw from the CIS.",
         {("MDA", "leaves", "cis", False)}),
        # progressive, negated, with the organisation as a definite noun
        ("Uzbekistan suspended its membership of the CSTO. "
         "Uzbekistan is not leaving the organisation.",
         {("UZB", "suspends", "csto", False), ("UZB", "leaves", "csto", True)}),
        # bare verb: the organisation the text is about
        ("Sweden joined NATO on Thursday. Finland joined last year.",
         {("SWE", "joins", "nato", False), ("FIN", "joins", "nato", False)}),
        # an aside between the subject and the verb, and an elliptic "not yet a member"
        ("Finland joined NATO in April. Sweden, which applied on the same day, "
         "is not yet a member: Turkey has not ratified the protocol.",
         {("FIN", "joins", "nato", False), ("SWE", "applies_to", "nato", False),
          ("SWE", "member_of", "nato", True)}),
        # an apposition opened by "although", then the verb after it
        ("Tajikistan, although a member of the CSTO and of the CIS, has never joined the EAEU.",
         {("TJK", "member_of", "csto", False), ("TJK", "member_of", "cis", False),
          ("TJK", "member_of", "eaeu", True)}),
        # a definite noun for the state just discussed
        ("Moldova applied to join the EU in 2022. The country, whose constitution proclaims "
         "neutrality, has never been a member of the Moscow-led CSTO.",
         {("MDA", "applies_to", "eu", False), ("MDA", "member_of", "csto", True)}),
        # a second verb shares the subject of the first
        ("The minister recalled that the Republic of Moldova is a neutral state and is a member "
         "of neither NATO nor the CSTO.",
         {("MDA", "member_of", "nato", True), ("MDA", "member_of", "csto", True)}),
        ("Uzbekistan joined GUAM in 1999, but suspended its participation three years later "
         "and left for good in 2005.",
         {("UZB", "joins", "guam", False), ("UZB", "suspends", "guam", False),
          ("UZB", "leaves", "guam", False)}),
        # a list with "together with"
        ("Estonia and Latvia, together with Bulgaria and Romania, joined NATO in 2004.",
         {("EST", "joins", "nato", False), ("LVA", "joins", "nato", False),
          ("BGR", "joins", "nato", False), ("ROU", "joins", "nato", False)}),
        # a list of organisations with a comma
        ("Belarus is a member of the CSTO, the EAEU and the SCO.",
         {("BLR", "member_of", "csto", False), ("BLR", "member_of", "eaeu", False),
          ("BLR", "member_of", "sco", False)}),
        # a noun of change with its owner
        ("Georgia's exit from the CIS takes effect.", {("GEO", "leaves", "cis", False)}),
    ],
)
def test_changes_and_subjects_from_context(extractor, text, expected):
    found = statements(extractor, text)
    assert {(s.subject, s.predicate, s.object, s.negated) for s in found} == expected


def test_none_of_them_is_a_negated_universal(extractor):
    text = "The three Baltic states are now all members of NATO, and none of them has ever been " \
           "a member of the CIS."
    found = facts(statements(extractor, text))
    assert ("baltic-states", "member_of", "cis", True, "all", None) in found


def test_list_after_colon_that_is_the_subject_of_not(extractor):
    # the states after the colon are the ones that are NOT members: no positive statement
    text = "The two blocs differ, since not all members of the CIS are members of the CSTO: " \
           "Uzbekistan, Turkmenistan, Moldova and Azerbaijan are not."
    found = facts(statements(extractor, text))
    for state in ("AZE", "MDA", "TKM", "UZB"):
        assert member(state, "csto", True) in found
        assert member(state, "csto") not in found
    assert ("cis", "member_of", "csto", False, "not_all", None) in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a definite count of members with the organisation only named before
        ("The EAEU met in Bishkek. All five member states sent their premiers.",
         {count("eaeu", 5)}),
        # "the N-member bloc" with the organisation named in an earlier sentence
        ("The SCO met in Astana. Officials said the ten-member bloc would expand.",
         {count("sco", 10)}),
        # a count whose members are listed after a colon, as many as the number says
        (("NATO grew. The Nordic wing now has five members: Denmark, Finland, Iceland, "
          "Norway and Sweden."),
         {count("nato", 5), member("DNK", "nato"), member("FIN", "nato"), member("ISL", "nato"),
          member("NOR", "nato"), member("SWE", "nato")}),
        # a list that does not match the number names nobody
        ("The CSTO met. Diplomats praised three members: Armenia and Belarus.", set()),
        # hyphenated states before the definite noun of a count
        (("The SCO gathered. Iran joined, taking the India- and China-backed grouping to "
          "nine members."), {("IRN", "joins", "sco", False, None, None), count("sco", 9)}),
    ],
)
def test_counts_from_context(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected


def test_relative_clause_after_a_predicate_adds_a_statement(extractor):
    text = "Austria and Ireland are EU members that are not NATO allies."
    assert facts(statements(extractor, text)) == {
        member("AUT", "eu"), member("IRL", "eu"), member("AUT", "nato", True),
        member("IRL", "nato", True)}


def test_participates_as_a_member(extractor):
    text = "The CIS convened. Turkmenistan participates in the Commonwealth as an associate member."
    found = statements(extractor, text)
    assert facts(found) == {member("TKM", "cis")}
    assert found[0].extra.get("status") == "associate"


def test_plural_noun_subject_takes_the_states_named_before(extractor):
    text = ("Armenia and Kazakhstan signed a trade deal on Monday. Both countries are members "
            "of the EAEU.")
    found = facts(statements(extractor, text))
    assert {member("ARM", "eaeu"), member("KAZ", "eaeu")} <= found
    # the number must match the states named before
    assert statements(extractor, "Armenia met officials. The two countries are in the CSTO.") \
        == []


def test_pronoun_subject_shared_across_and(extractor):
    text = ("Moldova is not a member of the CSTO. It has no troops abroad and never joined the "
            "Eurasian Economic Union.")
    assert member("MDA", "eaeu", True) in facts(statements(extractor, text))


def test_gapped_verb_shares_the_change(extractor):
    text = "Albania joined NATO in 2009 and Montenegro in 2017."
    found = {(s.subject, s.predicate, s.object) for s in statements(extractor, text)}
    assert found == {("ALB", "joins", "nato"), ("MNE", "joins", "nato")}
    # a second clause with a verb of its own is not gapped
    text = "Albania joined NATO in 2009 and Montenegro in June protested."
    found = {(s.subject, s.predicate, s.object) for s in statements(extractor, text)}
    assert found == {("ALB", "joins", "nato")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Georgia is filing an application for accelerated accession to the EU.",
         ("GEO", "applies_to", "eu", False)),
        (("The EAEU summit closed. Mongolia will explore the possibility of full membership "
          "in the Union."), ("MNG", "considers_joining", "eaeu", False)),
        ("Serbia does not seek membership in military blocs, whether NATO or the CSTO.",
         ("SRB", "considers_joining", "csto", True)),
    ],
)
def test_more_phrases_of_change(extractor, text, expected):
    found = statements(extractor, text)
    assert expected in {(s.subject, s.predicate, s.object, s.negated) for s in found}


def test_the_organisation_is_not_a_bare_treaty(extractor):
    text = ("The CSTO turned twenty. Belarus ratified the Collective Security Treaty early, and "
            "Serbia has since joined the organisation as an observer.")
    found = {(s.subject, s.predicate, s.object) for s in statements(extractor, text)}
    assert ("SRB", "joins", "csto") in found
    assert ("SRB", "joins", "cst") not in found


def test_counted_members_listed_as_office_holders(extractor):
    text = ("The GUAM forum opened in Kyiv with envoys of the four member states of GUAM: the "
            "envoy of Georgia, Mr A, the envoy of Ukraine, Ms B, the envoy of the Republic of "
            "Moldova, Mr C, and the envoy of Azerbaijan, Ms D, as well as a guest of Romania.")
    found = facts(statements(extractor, text))
    assert count("guam", 4) in found
    assert {member(s, "guam") for s in ("GEO", "UKR", "MDA", "AZE")} <= found
    assert member("ROU", "guam") not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relative clause after the organisation: "of which A and B are members"
        ("The exercise was staged by the Union State, of which Belarus and Russia are members.",
         {member("BLR", "union-state"), member("RUS", "union-state")}),
        # "the only members": that is all of them
        ("Drills are planned by the Union State, of which Belarus and Russia are the only "
         "members.",
         {member("BLR", "union-state"), member("RUS", "union-state"), count("union-state", 2)}),
        # negated: no count
        ("Talks went on in the CSTO, of which Azerbaijan and Georgia are not members.",
         {member("AZE", "csto", True), member("GEO", "csto", True)}),
        # "of which" after something that is not an organisation says nothing
        ("It was a long week, of which Belarus and Russia are members.", set()),
    ],
)
def test_of_which_clause(extractor, text, expected):
    assert facts(statements(extractor, text)) == expected
