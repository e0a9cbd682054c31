"""Meetings: body, ordinal, date, place, host, topic, participants, absences; CONSULT events.

Contexts are built with the real Extractor (tokens, sentences, reference-base
names), then given the date and person mentions the dates and persons
components would add, so these tests do not depend on those components.
"""

from __future__ import annotations

import pytest

from blocwatch.dates import parse_date
from blocwatch.extract.meetings import find_meetings, meeting_events
from blocwatch.extract.model import Context, DateMention, Meeting, Mention
from blocwatch.ingest.model import Document


def make_ctx(
    extractor, text: str, captions: tuple[str, ...] = (), title: str | None = None
) -> Context:
    doc = Document(
        role="main",
        text=text,
        title=title,
        published="2018-11-22",
        metadata={"captions": list(captions)},
    )
    return extractor.context(doc)


def section_text(ctx: Context, section: str) -> str:
    return next(s.text for s in ctx.sections if s.name == section)


def add_date(
    ctx: Context, written: str, iso: str | None, basis: str = "explicit", section: str = "body"
) -> None:
    """The date mention the dates component would find for ``written``."""
    start = section_text(ctx, section).index(written)
    ctx.dates.append(
        DateMention(
            section, start, start + len(written), written, parse_date(iso) if iso else None, basis
        )
    )


def add_person(
    ctx: Context,
    written: str,
    person: str,
    *,
    role: str | None = None,
    represents: str | None = None,
    section: str = "body",
) -> None:
    """The person mention the persons component would add (with its role and state)."""
    start = section_text(ctx, section).index(written)
    ctx.mentions.append(
        Mention(
            section,
            start,
            start + len(written),
            written,
            person,
            "person",
            how="role",
            role=role,
            represents=represents,
        )
    )


def only(meetings: list[Meeting]) -> Meeting:
    assert len(meetings) == 1, meetings
    return meetings[0]


def pairs(meeting: Meeting) -> list[tuple[str | None, str | None]]:
    return [(p.person, p.represents) for p in meeting.participants]


# --------------------------------------------------------------------------- running text


def test_wire_story_defence_ministers(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "MINSK - Defence ministers of the CSTO met in Minsk on Friday to discuss air defence "
        "cooperation. Russian Defence Minister Sergei Shoigu and his Belarusian counterpart "
        "Viktor Khrenin took part.",
    )
    add_date(ctx, "Friday", "2021-11-26", "weekday+document-date")
    add_person(
        ctx, "Viktor Khrenin", "new:Viktor Khrenin", role="defence minister", represents="BLR"
    )
    meeting = only(find_meetings(ctx))
    assert meeting.body == "csto-council-of-defence-ministers"
    assert (meeting.date, meeting.date_basis) == ("2021-11-26", "weekday+document-date")
    assert meeting.place == "Minsk"
    assert meeting.topic == "air defence cooperation"
    assert pairs(meeting) == [("sergei-shoigu", "RUS"), ("new:Viktor Khrenin", "BLR")]
    assert meeting.section == "body"
    assert (
        section_text(ctx, "body")[meeting.span[0] : meeting.span[1]]
        == "Defence ministers of the CSTO"
    )


@pytest.mark.parametrize(
    ("text", "body", "place"),
    [
        # a known alias of the body, with "met"
        (
            "The CSTO Collective Security Council met in Yerevan on Monday.",
            "csto-collective-security-council",
            "Yerevan",
        ),
        # the long official name, "was held"
        (
            (
                "The meeting of the secretaries of the security councils of the CIS member "
                "states was held in Dushanbe."
            ),
            "cis-security-council-secretaries",
            "Dushanbe",
        ),
        # a number inside the name: no alias covers it literally
        (
            (
                "The heads of the Security Councils of the nine member states of the "
                "Commonwealth of Independent States gathered in Bishkek."
            ),
            "cis-security-council-secretaries",
            "Bishkek",
        ),
        # "<ORG> summit" in a NATO story
        (
            "Allied leaders arrived for the NATO summit in Vilnius.",
            "nato-north-atlantic-council",
            "Vilnius",
        ),
        # "<group> of the <ORG>"
        (
            "Foreign ministers of the CIS met at Minsk's Palace of Independence.",
            "cis-council-of-foreign-ministers",
            "Minsk",
        ),
        # no venue named
        ("CIS foreign ministers met on Friday.", "cis-council-of-foreign-ministers", None),
        # an organisation whose body breaks the naming pattern (vocabulary override)
        ("EU foreign ministers met in Brussels.", "eu-council", "Brussels"),
        # "<ORG> leaders" is the organisation's summit body
        (
            "CSTO leaders met in Moscow to mark the treaty's anniversary.",
            "csto-collective-security-council",
            "Moscow",
        ),
        # "<ORG>'s <group>"
        (
            "The CIS's prime ministers convened in Ashgabat.",
            "cis-council-of-heads-of-government",
            "Ashgabat",
        ),
    ],
)
def test_body_and_place_from_running_text(
    extractor, text: str, body: str, place: str | None
) -> None:
    meeting = only(find_meetings(make_ctx(extractor, text)))
    assert (meeting.body, meeting.place) == (body, place)


@pytest.mark.parametrize(
    "text",
    [
        # a body named without any meeting
        "The CSTO Collective Security Council is the alliance's highest organ.",
        # an organisation, no body, no meeting
        "Armenia accused the CSTO of failing its allies.",
        # a meeting word, but nothing says which body or who met
        "A meeting is expected soon.",
        # Moscow as a metonym, not a venue
        "Moscow gave similar assurances in 2022.",
    ],
)
def test_no_meeting(extractor, text: str) -> None:
    assert find_meetings(make_ctx(extractor, text)) == []


def test_meeting_without_date(extractor) -> None:
    ctx = make_ctx(extractor, "The European Council met in Brussels and focused on migration.")
    meeting = only(find_meetings(ctx))
    assert meeting.body == "eu-european-council"
    assert (meeting.date, meeting.date_basis) == (None, None)
    assert meeting.topic == "migration"
    event = only_event(meeting_events([meeting], ctx))
    assert event.date is None


def test_unresolved_date_is_not_used(extractor) -> None:
    ctx = make_ctx(extractor, "The CSTO Collective Security Council met on Friday.")
    add_date(ctx, "Friday", None, "weekday")
    assert only(find_meetings(ctx)).date is None


def test_date_from_the_adjacent_sentence(extractor) -> None:
    ctx = make_ctx(extractor, "It was 14 May. CIS Security Council heads gathered in Baku.")
    add_date(ctx, "14 May", "2019-05-14")
    assert only(find_meetings(ctx)).date == "2019-05-14"


@pytest.mark.parametrize(
    ("text", "host"),
    [
        # a person named after "hosted by", with a role before the name
        (
            (
                "CIS Security Council heads met in Moscow. It was hosted by the Secretary of "
                "the Russian Security Council, Nikolai Patrushev."
            ),
            "nikolai-patrushev",
        ),
        # a state named after "hosted by"
        ("The CSTO summit in Yerevan was hosted by Armenia.", "ARM"),
        # a state named before "hosted"
        ("Kazakhstan hosted the CSTO summit in Astana.", "KAZ"),
        # "chaired by" a person
        ("The SCO summit in Samarkand was chaired by Shavkat Mirziyoyev.", "shavkat-mirziyoyev"),
    ],
)
def test_host_person_or_state(extractor, text: str, host: str) -> None:
    meeting = only(find_meetings(make_ctx(extractor, text)))
    assert meeting.host == host


def test_host_is_a_participant_too(extractor) -> None:
    ctx = make_ctx(extractor, "The CSTO summit was hosted by Vladimir Putin.")
    add_person(ctx, "Vladimir Putin", "vladimir-putin", role="President", represents="RUS")
    assert pairs(only(find_meetings(ctx))) == [("vladimir-putin", "RUS")]


@pytest.mark.parametrize(
    ("text", "ordinal"),
    [
        (
            "The talks marked the sixth gathering of the security chiefs.",
            6,
        ),  # word ordinal, anaphoric sentence
        ("It was the 12th meeting of the group.", 12),  # digits
        ("It was the first regular session since the war.", 1),  # one word between ordinal and noun
    ],
)
def test_ordinal(extractor, text: str, ordinal: int) -> None:
    ctx = make_ctx(extractor, "CIS Security Council heads met in Minsk. " + text)
    meeting = only(find_meetings(ctx))
    assert meeting.ordinal == ordinal


def test_topic_is_short(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "The CSTO Collective Security Council met in Minsk. The meeting focused on the "
        "threat of terrorism, which has grown since 2015.",
    )
    assert only(find_meetings(ctx)).topic == "terrorism"


# ------------------------------------------------------------------ two meetings of one body


TWO_MEETINGS = (
    "The secretaries of the security councils of the CIS member states met in Minsk on Thursday, "
    "12 October. This was the seventh gathering of the Security Council heads. "
    "Kyrgyzstan's envoy spoke first. "
    "The CSTO was not represented at the 6th meeting of the CIS Security Council heads in 2016."
)


def test_an_earlier_meeting_is_another_meeting(extractor) -> None:
    ctx = make_ctx(extractor, TWO_MEETINGS)
    add_date(ctx, "Thursday, 12 October", "2017-10-12", "weekday+year-in-text")
    add_date(ctx, "2016", "2016")
    seventh, sixth = find_meetings(ctx)
    assert (seventh.body, seventh.ordinal, seventh.date, seventh.place, seventh.absent) == (
        "cis-security-council-secretaries",
        7,
        "2017-10-12",
        "Minsk",
        [],
    )
    assert (sixth.body, sixth.ordinal, sixth.date, sixth.date_basis, sixth.absent) == (
        "cis-security-council-secretaries",
        6,
        "2016",
        "explicit",
        ["csto"],
    )
    assert sixth.place is None


def test_earlier_meeting_split_by_ordinal_even_without_dates(extractor) -> None:
    meetings = find_meetings(make_ctx(extractor, TWO_MEETINGS))
    assert [(m.ordinal, m.absent) for m in meetings] == [(7, []), (6, ["csto"])]


def test_next_meeting_is_not_this_meeting(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "CIS Security Council heads met in Minsk. The next meeting of the CIS "
        "Security Council heads will be held in Baku.",
    )
    meetings = find_meetings(ctx)
    assert [m.place for m in meetings] == ["Minsk", "Baku"]


def test_later_mention_of_the_same_meeting_joins_it(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "The CSTO Collective Security Council met in Yerevan. Analysts said little. "
        "The CSTO Collective Security Council session discussed Afghanistan.",
    )
    meeting = only(find_meetings(ctx))
    assert (meeting.place, meeting.topic) == ("Yerevan", "Afghanistan")


# --------------------------------------------------------------------------- participants


CAPTION = (
    "Participants at the meeting of the secretaries of the security councils of the CIS member "
    "states: "
    "Secretary of the Security Council of Armenia Armen Grigoryan, State Secretary of the Security "
    "Council of Belarus Stanislav Zas, Secretary of the Security Council of Russia N. Patrushev. "
    "Also participating is the Chairman of the CIS Executive Committee, Sergey Lebedev."
)


def test_caption_participants_merge_with_the_running_text_meeting(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "CIS Security Council heads met in Moscow on Tuesday. It was hosted by Nikolai Patrushev. "
        "Russia also invited to the meeting Valery Semerikov, the acting head of the CSTO.",
        captions=(CAPTION,),
    )
    meeting = only(find_meetings(ctx))
    assert meeting.body == "cis-security-council-secretaries"
    assert meeting.host == "nikolai-patrushev"
    assert sorted(pairs(meeting)) == sorted(
        [
            (
                "nikolai-patrushev",
                "RUS",
            ),  # "Nikolai Patrushev" in the text, "N. Patrushev" in the caption
            ("valery-semerikov", "csto"),  # apposition after the name
            ("armen-grigoryan", "ARM"),
            ("stanislav-zas", "BLR"),
            ("sergey-lebedev", "cis-executive-committee"),
        ]
    )
    patrushev = next(p for p in meeting.participants if p.person == "nikolai-patrushev")
    assert patrushev.name == "Nikolai Patrushev"
    assert patrushev.role == "Secretary of the Security Council of Russia"


def test_persons_component_roles_win_over_guesses(extractor) -> None:
    caption = (
        "Participants of the CSTO summit: Armenian Prime Minister Nikol Pashinyan, Vladimir Putin."
    )
    ctx = make_ctx(extractor, "The CSTO summit took place in Yerevan.", captions=(caption,))
    add_person(
        ctx,
        "Armenian Prime Minister Nikol Pashinyan",
        "new:Nikol Pashinyan",
        role="Armenian Prime Minister",
        represents="ARM",
        section="caption:0",
    )
    add_person(
        ctx,
        "Vladimir Putin",
        "vladimir-putin",
        role="President",
        represents="RUS",
        section="caption:0",
    )
    meeting = only(find_meetings(ctx))
    assert [(p.person, p.name, p.role, p.represents) for p in meeting.participants] == [
        ("new:Nikol Pashinyan", "Nikol Pashinyan", "Armenian Prime Minister", "ARM"),
        ("vladimir-putin", "Vladimir Putin", "President", "RUS"),
    ]


def test_learned_persons_named_twice_are_one(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "The CSTO summit in Minsk was attended by Ivan Petrov, the envoy of Belarus.",
        captions=("At the CSTO summit: I. Petrov.",),
    )
    add_person(ctx, "Ivan Petrov", "new:Ivan Petrov")
    add_person(ctx, "I. Petrov", "new:I. Petrov", section="caption:0")
    meeting = only(find_meetings(ctx))
    assert pairs(meeting) == [("new:Ivan Petrov", "BLR")]


def test_caption_without_meeting_words_adds_nobody(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "The CSTO summit took place in Yerevan.",
        captions=("Vladimir Putin in his office.",),
    )
    assert only(find_meetings(ctx)).participants == []


def test_caption_alone_makes_a_meeting(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "Tensions rose in the alliance.",
        captions=(
            (
                "Participants at the meeting of the CSTO Collective Security Council in Minsk: "
                "Vladimir Putin, Alexander Lukashenko."
            ),
        ),
    )
    meeting = only(find_meetings(ctx))
    assert (meeting.body, meeting.place, meeting.section) == (
        "csto-collective-security-council",
        "Minsk",
        "caption:0",
    )
    assert [p.person for p in meeting.participants] == ["vladimir-putin", "alexander-lukashenko"]


@pytest.mark.parametrize(
    ("text", "participants", "absent"),
    [
        # persons before "took part"
        (
            "The CSTO summit opened in Minsk. Vladimir Putin and Alexander Lukashenko took part.",
            ["vladimir-putin", "alexander-lukashenko"],
            [],
        ),
        # a speaker is not a participant: only the person after "attended by"
        (
            "Jens Stoltenberg said the NATO summit, attended by Mark Rutte, went well.",
            ["mark-rutte"],
            [],
        ),
        # a stated absence is not attendance
        (
            "Armenia did not attend the CSTO summit in Minsk, which Vladimir Putin attended.",
            ["vladimir-putin"],
            ["ARM"],
        ),
        # absence of a person
        (
            "The CSTO summit was held in Minsk; Alexander Lukashenko was absent.",
            [],
            ["alexander-lukashenko"],
        ),
    ],
)
def test_attendance_in_running_text(
    extractor, text: str, participants: list[str], absent: list[str]
) -> None:
    meeting = only(find_meetings(make_ctx(extractor, text)))
    assert [p.person for p in meeting.participants] == participants
    assert meeting.absent == absent


def test_absent_person_is_not_also_an_absent_state(extractor) -> None:
    ctx = make_ctx(
        extractor,
        "Armenian Prime Minister Nikol Pashinyan did not attend the CSTO summit in Astana.",
    )
    add_person(
        ctx,
        "Armenian Prime Minister Nikol Pashinyan",
        "new:Nikol Pashinyan",
        role="Armenian Prime Minister",
        represents="ARM",
    )
    meeting = only(find_meetings(ctx))
    assert (meeting.absent, meeting.participants) == (["new:Nikol Pashinyan"], [])


def test_bilateral_meeting_without_body(extractor) -> None:
    ctx = make_ctx(extractor, "Vladimir Putin and Alexander Lukashenko met in Sochi on Tuesday.")
    add_person(ctx, "Vladimir Putin", "vladimir-putin", represents="RUS")
    add_person(ctx, "Alexander Lukashenko", "alexander-lukashenko", represents="BLR")
    meeting = only(find_meetings(ctx))
    assert (meeting.body, meeting.place) == (None, "Sochi")
    event = only_event(meeting_events([meeting], ctx))
    assert (event.subject, event.object) == ("RUS", "BLR")


# --------------------------------------------------------------------------- events


def only_event(statements):
    events = [s for s in statements if not s.negated]
    assert len(events) == 1, statements
    return events[0]


def test_consult_event_per_meeting(extractor) -> None:
    ctx = make_ctx(
        extractor,
        TWO_MEETINGS + " Kazakhstan hosted the seventh meeting. "
        "The seventh meeting focused on drug trafficking.",
    )
    add_date(ctx, "Thursday, 12 October", "2017-10-12", "weekday+year-in-text")
    add_date(ctx, "2016", "2016")
    statements = meeting_events(find_meetings(ctx), ctx)
    got = [
        (
            s.kind,
            s.subject,
            s.predicate,
            s.object,
            s.negated,
            s.plover,
            s.cameo,
            s.date,
            s.extra.get("about"),
        )
        for s in statements
    ]
    assert got == [
        (
            "event",
            "KAZ",
            "meet",
            "cis-security-council-secretaries",
            False,
            "CONSULT",
            "04",
            "2017-10-12",
            "drug trafficking",
        ),
        # no host, no participant: the organisation the body belongs to
        (
            "event",
            "cis",
            "meet",
            "cis-security-council-secretaries",
            False,
            "CONSULT",
            "04",
            "2016",
            None,
        ),
        # the stated absence, as a negated consultation
        (
            "event",
            "csto",
            "meet",
            "cis-security-council-secretaries",
            True,
            "CONSULT",
            "04",
            "2016",
            None,
        ),
    ]
    assert all(s.sentence and s.span[1] > s.span[0] for s in statements)


def test_event_subject_is_first_represented_participant(extractor) -> None:
    ctx = make_ctx(
        extractor, "The CSTO summit was attended by Alexander Lukashenko, the President of Belarus."
    )
    event = only_event(meeting_events(find_meetings(ctx), ctx))
    assert (event.subject, event.object) == ("BLR", "csto-collective-security-council")


# --------------------------------------------------------------------------- odd input


@pytest.mark.parametrize(
    ("text", "captions"),
    [
        ("", ()),  # empty body
        ("   \n\n  ", ("",)),  # whitespace, empty caption
        (
            "Совещание секретарей советов безопасности государств-участников СНГ прошло в Москве.",
            (),
        ),  # Cyrillic
        (
            "meeting meeting summit hosted by by by",
            ("hosted by", "Participants:"),
        ),  # cue words and nothing else
        ("The 999th meeting of the CIS Security Council heads.", ()),  # odd ordinal
    ],
)
def test_odd_input_does_not_raise(extractor, text: str, captions: tuple[str, ...]) -> None:
    ctx = make_ctx(extractor, text, captions=captions)
    meetings = find_meetings(ctx)
    meeting_events(meetings, ctx)


def test_through_the_pipeline(extractor) -> None:
    doc = Document(
        role="main",
        text="The CSTO Collective Security Council met in Yerevan. It was hosted by Armenia.",
        published="2018-11-22",
    )
    extraction = extractor(doc)
    assert [(m.body, m.place, m.host) for m in extraction.meetings] == [
        ("csto-collective-security-council", "Yerevan", "ARM")
    ]
    assert any(s.plover == "CONSULT" for s in extraction.statements)


def test_caption_joins_the_dated_meeting_not_a_past_one_mentioned_in_passing(extractor):
    text = ("Security council secretaries from the ten member states of the Commonwealth of "
            "Independent States met in Moscow on Wednesday, 21 November, for their sixth annual "
            "meeting. At the previous, 5th meeting of the CIS security council heads in 2017 the "
            "CSTO was not represented at all.")
    caption = ("Participants at the meeting of the secretaries of the security councils of the "
               "CIS member states: Secretary of the Security Council of Armenia Armen Grigoryan "
               "and State Secretary of the Security Council of Belarus Stanislav Zas.")
    doc = Document(role="main", text=text, title=None, published="2018-11-22",
                   metadata={"captions": [caption]})
    meetings = {m.ordinal: m for m in extractor(doc).meetings}
    assert meetings[6].body == "cis-security-council-secretaries"
    assert str(meetings[6].date) == "2018-11-21"
    assert {(p.person, p.represents) for p in meetings[6].participants} >= {
        ("armen-grigoryan", "ARM"), ("stanislav-zas", "BLR")}
    assert not meetings[5].participants


def test_state_in_brackets_belongs_to_the_name_before_it(extractor):
    caption = ("Leaders at the session of the Collective Security Council in Astana: "
               "Nikol Pashinyan (Armenia), Alexander Lukashenko (Belarus), Vladimir Putin (Russia) "
               "and Emomali Rahmon (Tajikistan).")
    doc = Document(role="main", text="The CSTO summit was held in Astana on 8 November 2018.",
                   title=None, published="2018-11-09", metadata={"captions": [caption]})
    pairs = {(p.name, p.represents) for m in extractor(doc).meetings for p in m.participants}
    assert {("Alexander Lukashenko", "BLR"), ("Vladimir Putin", "RUS"),
            ("Emomali Rahmon", "TJK")} <= pairs
    assert ("Alexander Lukashenko", "ARM") not in pairs  # the bracket before is not his
