#!/usr/bin/env python3
"""Generates the child welfare sample records and record-format examples (output is committed).

Run: python3 scripts/samples/child_welfare_gen.py [repo root] (default: the repository holding this script), then child_welfare_readme.py.
"""
import datetime as dt
import os
import sys
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ next to the scripts
import samplegen as sg  # noqa: E402
from samplegen import D, attrs, pronouns, write  # noqa: E402

ROOT = sg.repo_root(__file__)
SAMPLES = os.path.join(ROOT, "plugins/child_welfare/samples")
EXAMPLES = os.path.join(ROOT, "schemas/record/examples")

STAFF = sg.Staff({
    "u17": dict(name="Dana Reyes", role="caseworker", credential="LBSW"),
    "u22": dict(name="Ngozi Adébáyọ̀", role="caseworker", credential="LMSW"),
    "u31": dict(name="Mikael Sørensen", role="caseworker", credential="LBSW"),
    "u05": dict(name="Renée Château", role="supervisor", credential="LCSW"),
})


class Note(sg.Note):
    SETTING, STAFF = "child_welfare", STAFF
    ENTERED_H, AUTHOR, FORMAT = 3.0, "u17", "DAP"


# ---------------------------------------------------------------------------------------------------
# Narrative text

VISIT_TEXT = [
    ("{f} was at home with {cg} after school. {f} showed me {pos} room, which is clean and has a working smoke detector; "
     "the home has food and the medications are locked away.",
     "{f} appears settled and says {sub} feels safe with {cg}. No new safety concerns were observed or reported.",
     "Next visit in four weeks; confirm the family-visit schedule with the parent and send the school release to {cg}."),
    ("{f} talked about school and {pos} weekend visit with {pos} mother, which went well according to both {f} and {cg}. "
     "{f} is sleeping through the night and eating well.",
     "Placement remains stable and meets {f}'s needs; the visits with the parent are consistent and positive.",
     "Request the visit-supervisor reports; schedule the dental cleaning; next caseworker visit next month."),
    ("Met {f} privately for twenty minutes, then with {cg}. {f} described an argument with a classmate that the school "
     "handled; {sub} did not want to change schools.",
     "No safety concerns. {f} is coping; the conflict at school was age-typical and was resolved by staff.",
     "Follow up with the school counselor; continue therapy weekly; next visit in four weeks."),
    ("{f} was calm and engaged. {cg} reported one missed therapy appointment because of car trouble; it was rescheduled. "
     "The home was observed to be safe and appropriate.",
     "Therapy attendance is good overall; transportation is a barrier for {cg} on weekdays.",
     "Authorize bus passes for {cg}; confirm the rescheduled appointment; next visit next month."),
]

TOPICS = {
    "safety": "Home observed; {f} reports feeling safe; no injuries or new concerns.",
    "permanency": "Reviewed progress toward the permanency goal and the family-visit schedule with {f}.",
    "well-being": "Discussed school, health appointments, friends and activities.",
}


def visit_note(c, cg, id_, service, location="child-residence", idx=0, author_id="u17", fmt="DAP",
               face=True, topics=("safety", "permanency", "well-being"), drop_visit=(), **kw):
    n = Note("caseworker-visit", id_, service, author_id=author_id, fmt=fmt, **kw)
    sub, pos = pronouns(c)
    f = c["first"]
    d, a, p = (t.format(f=f, cg=cg, sub=sub, pos=pos) for t in VISIT_TEXT[idx % len(VISIT_TEXT)])
    if location == "school":
        d = f"Visited {f} at school in the counselor's office. " + d.split(". ", 1)[1]
    elif location == "office":
        d = f"{cg} brought {f} to the agency office. " + d.split(". ", 1)[1]
    n.sections = sg.format_sections(
        fmt, d, a, p, subjective=f"{f} says {sub} likes {pos} new school and misses {pos} brother.",
        intervention=f"Reviewed the safety plan with {f} and {cg}; practised the coping plan from therapy.",
        response=f"{f} named two adults {sub} can call and agreed to use the coping plan at school.",
        goal=f"{f} will keep stable school attendance and weekly family time (case plan goal 2).")
    va = dict(face_to_face="true" if face else "false", location=location, private_contact="true", duration_minutes=50)
    for k in drop_visit:
        va.pop(k)
    n.body = [f"<visit {attrs(**va)}>"]
    for t in topics:
        n.body.append(f"  <topic code={quoteattr(t)}>{escape(TOPICS[t].format(f=f))}</topic>")
    n.body.append("</visit>")
    return n


def plan_note(c, cg, id_, service, age_consult=True, consulted="true", chosen=(("Tomás Aguilar", "coach"), ("Valeria Ruiz", "cousin")),
              parent=("María Núñez",), nonpart=("Héctor Núñez", "Incarcerated; the plan was mailed to him and he did not respond."),
              placement_type="relative-foster-home", safety=True, services=("parent", "child", "foster-parent"),
              health=True, health_unavailable=None, education=True, education_unavailable=None, content=True,
              kind="initial", grade="9", goal="reunification", author_id="u17", **kw):
    n = Note("case-plan", id_, service, author_id=author_id, fmt="narrative",
             extra_sigs=(("u05", service + dt.timedelta(hours=kw.pop("approve_h", 20))),), **kw)
    f = c["first"]
    sub, pos = pronouns(c)
    n.sections = [("summary", f"{kind.capitalize()} case plan for {f}, developed at a family team meeting with the participants listed.")]
    if not content:
        return n
    b = [f"<case-plan {attrs(kind=kind, goal=goal, concurrent_goal='guardianship')}>"]
    if age_consult:
        cdate = (service - dt.timedelta(days=3)).strftime("%Y-%m-%d")
        b.append(f"  <child-consultation {attrs(consulted=consulted, date=cdate, method='in-person')}>"
                 f"{escape(f)} asked to stay at {pos} school and to see {pos} siblings every week.</child-consultation>")
    for p in parent:
        b.append(f"  <participant {attrs(role='parent', name=p, date=service.strftime('%Y-%m-%d'))}/>")
    if nonpart:
        b.append(f"  <parent-non-participation {attrs(parent=nonpart[0], reason=nonpart[1])}/>")
    b.append(f"  <participant {attrs(role='caregiver', name=cg, date=service.strftime('%Y-%m-%d'))}/>")
    for name, rel in chosen:
        b.append(f"  <team-member {attrs(name=name, relationship=rel, chosen_by_child='true')}/>")
    b.append(f"  <team-member {attrs(name='Sofía Herrera', relationship='therapist', chosen_by_child='false')}/>")
    b.append(f"  <placement {attrs(type=placement_type, since=c['removal'], caregiver=cg)}>")
    if safety:
        b.append(f"    <safety-discussion>{escape(cg)}'s home passed the home assessment and background checks; it is near {escape(f)}'s school and "
                 f"keeps {pos} siblings together for visits. It is the least restrictive safe setting.</safety-discussion>")
    b.append("  </placement>")
    b.append("  <services>")
    stext = {"parent": "Parenting class (12 weeks) and substance-use assessment for the mother; supervised family time twice a week.",
             "child": f"Trauma-focused therapy weekly for {f}; tutoring twice a week.",
             "foster-parent": f"Kinship navigator support and respite for {cg}; training on trauma-informed care."}
    for s in services:
        b.append(f"    <service for={quoteattr(s)}>{escape(stext[s])}</service>")
    b.append("  </services>")
    if health:
        b.append("  <health>")
        b.append(f"    <provider {attrs(name='Dr. Amélie Fournier', address='1200 Oak Street, Springfield', role='primary-care')}/>")
        b.append("    <immunizations status=\"up-to-date\">Up to date per the state immunization registry.</immunizations>")
        b.append("    <medical-problems>Mild persistent asthma.</medical-problems>")
        if health != "no-medications":
            b.append("    <medications>Albuterol inhaler as needed.</medications>")
        b.append("  </health>")
    if education:
        b.append("  <education>")
        b.append(f"    <school {attrs(name=('Lincoln High School' if grade in ('9', '10', '11', '12') else 'Lincoln Middle School' if grade in ('6', '7', '8') else 'Lincoln Elementary School'), address='400 Elm Avenue, Springfield', grade_level=grade)}/>")
        b.append("  </education>")
    if health_unavailable:
        b.append(f"  <records-unavailable {attrs(area='health', reason=health_unavailable[0])}>")
        if health_unavailable[1]:
            b.append(f"    <steps>{escape(health_unavailable[1])}</steps>")
        b.append("  </records-unavailable>")
    if education_unavailable:
        b.append(f"  <records-unavailable {attrs(area='education', reason=education_unavailable[0])}>")
        if education_unavailable[1]:
            b.append(f"    <steps>{escape(education_unavailable[1])}</steps>")
        b.append("  </records-unavailable>")
    b.append("</case-plan>")
    n.body = b
    return n


def hearing_note(c, id_, service, kind, findings=(), goal=None, author_id="u17", court="Springfield County District Court",
                 judge="Hon. Beatriz Salinas", drop_goal=False, **kw):
    n = Note("court-hearing", id_, service, author_id=author_id, fmt="narrative", **kw)
    f = c["first"]
    summary = {
        "shelter": f"Shelter hearing after {f}'s removal. The court found continuation in the home contrary to {f}'s welfare and "
                   "that reasonable efforts to prevent removal were made; temporary managing conservatorship to the agency.",
        "adjudication": f"Adjudication: the court found that {f} was neglected. Disposition set; family time continues.",
        "periodic-review": f"Six-month review. The court reviewed {f}'s placement, services and progress and found the agency in compliance with the plan.",
        "permanency": f"Permanency hearing. The court reviewed progress and set the permanency plan for {f}.",
        "status": f"Status hearing for {f}.",
    }[kind]
    n.sections = [("summary", summary)]
    b = [f"<hearing {attrs(kind=kind, court=court, judge=judge, cause_number=c['cause'])}>"]
    for code in findings:
        if code == "reasonable-efforts-prevent":
            b.append(f"  <finding {attrs(code=code, determination='made')}/>")
        else:
            b.append(f"  <finding code={quoteattr(code)}/>")
    if kind == "permanency" and not drop_goal:
        b.append(f"  <permanency-plan {attrs(goal=goal or 'reunification', concurrent_goal='adoption')}/>")
    b.append("</hearing>")
    n.body = b
    return n


# ---------------------------------------------------------------------------------------------------
# Documents

def standalone(note, c):
    return note.standalone(sg.client_lines(c))


def case_record(c, rid, as_of, events, notes, extensions=(), office="North", worker="u17", sort=True):
    return sg.case_record(Note.SETTING, sg.client_lines(c), rid, as_of, events, notes, extensions, office, worker, sort)


# Children -------------------------------------------------------------------------------------------
JOSE = dict(id="C-1001", name="José Núñez", first="José", birth="2009-05-14", sex="M", removal="2024-01-10", cause="D-1-FM-24-000112")
ZOE = dict(id="C-1002", name="Zoë Åkesson-Muñoz", first="Zoë", birth="2011-03-08", sex="F", removal="2022-09-15", cause="D-1-FM-22-004417")
LUCIA = dict(id="C-0987", name="Lucía Gómez-Ortiz", first="Lucía", birth="2016-11-02", sex="F", removal="2023-03-06", cause="D-1-FM-23-001129")
CHLOE = dict(id="C-1140", name="Chloé Nguyễn", first="Chloé", birth="2019-07-21", sex="F", removal="2024-07-15", cause="D-1-FM-24-002301")
AMARA = dict(id="C-1207", name="Amara Okonkwo-Ibáñez", first="Amara", birth="2014-02-11", sex="F", removal="2024-04-02", cause="D-1-FM-24-000988")
MATEO = dict(id="C-1215", name="Mateo Ñancupil", first="Mateo", birth="2008-09-30", sex="M", removal="2024-05-20", cause="D-1-FM-24-001377")

JOSE_VISITS = [("2024-01-12", "child-residence"), ("2024-02-09", "child-residence"), ("2024-03-08", "school"),
               ("2024-04-12", "child-residence"), ("2024-05-10", "child-residence"), ("2024-06-14", "office"),
               ("2024-07-12", "child-residence"), ("2024-08-09", "child-residence"), ("2024-09-13", "child-residence"),
               ("2024-10-11", "school"), ("2024-11-08", "child-residence"), ("2024-12-13", "child-residence")]


def jose_record(visits=JOSE_VISITS, plan_date="2024-02-05", extensions=(), drop_events=(), event_date_override=None,
                review=True, shelter_findings=("contrary-to-welfare", "reasonable-efforts-prevent"), consulted="true",
                extra_notes=(), swap=None, note_overrides=None):
    c, cg = JOSE, "Rosa Delgado"
    notes = []
    for i, (d, loc) in enumerate(visits):
        kw = (note_overrides or {}).get(d, {})
        notes.append(visit_note(c, cg, f"N-24-0001-V{i + 1:02d}", D(d, "16:00"), loc, i, **kw))
    notes.append(hearing_note(c, "N-24-0001-H1", D("2024-01-12", "09:00"), "shelter", shelter_findings))
    notes.append(hearing_note(c, "N-24-0001-H2", D("2024-02-20", "09:30"), "adjudication", ("abuse-neglect",)))
    if review:
        notes.append(hearing_note(c, "N-24-0001-H3", D("2024-08-12", "13:30"), "periodic-review"))
    notes.append(plan_note(c, cg, "N-24-0001-P1", D(plan_date, "10:00"), consulted=consulted))
    notes += list(extra_notes)
    events = [dict(type="removal", date="2024-01-10", reason="neglect"),
              dict(type="placement", date=event_date_override or "2024-01-10", placement_type="relative-foster-home")]
    events = [e for e in events if e["type"] not in drop_events]
    return case_record(c, "CR-2024-0001", "2024-12-31", events, sg.sorted_notes(notes, swap), extensions, sort=False)


def zoe_record(permanency=("2023-10-05", "2024-09-20"), tpr=True):
    c, cg = ZOE, "Ingrid Åkesson"
    notes = []
    d = dt.date(2022, 9, 20)
    i = 0
    while d <= dt.date(2024, 9, 30):
        loc = "school" if i % 4 == 2 else "child-residence"
        notes.append(visit_note(c, cg, f"N-22-0417-V{i + 1:02d}", dt.datetime(d.year, d.month, d.day, 15, 45), loc, i,
                                author_id="u22" if d >= dt.date(2023, 6, 1) else "u17"))
        i += 1
        nm = d.month % 12 + 1
        ny = d.year + (1 if d.month == 12 else 0)
        d = dt.date(ny, nm, 10 + (i * 3) % 15)
    notes.append(hearing_note(c, "N-22-0417-H1", D("2022-09-16", "09:00"), "shelter", ("contrary-to-welfare", "reasonable-efforts-prevent")))
    notes.append(hearing_note(c, "N-22-0417-H2", D("2022-10-20", "09:00"), "adjudication", ("abuse-neglect",)))
    for k, r in enumerate(("2023-04-12", "2023-09-28", "2024-03-20", "2024-09-12")):
        notes.append(hearing_note(c, f"N-22-0417-R{k + 1}", D(r, "13:30"), "periodic-review", author_id="u22" if r >= "2023-06" else "u17"))
    for k, p in enumerate(permanency):
        notes.append(hearing_note(c, f"N-22-0417-PH{k + 1}", D(p, "10:30"), "permanency",
                                  goal="reunification" if k == 0 else "adoption", author_id="u22" if p >= "2023-06" else "u17"))
    notes.append(plan_note(c, cg, "N-22-0417-P1", D("2022-10-12", "11:00"), age_consult=False, chosen=(), grade="6",
                           parent=("Karin Åkesson",), nonpart=("Luis Muñoz", "Whereabouts unknown; a diligent search is under way.")))
    notes.append(plan_note(c, cg, "N-22-0417-P2", D("2023-10-11", "11:00"), age_consult=False, chosen=(), grade="7", kind="review",
                           goal="adoption", parent=("Karin Åkesson",), nonpart=("Luis Muñoz", "Whereabouts still unknown after a diligent search."),
                           placement_type="foster-home", author_id="u22"))
    events = [dict(type="removal", date="2022-09-15", reason="physical-abuse"),
              dict(type="placement", date="2022-09-15", placement_type="relative-foster-home"),
              dict(type="placement", date="2023-06-01", placement_type="foster-home")]
    if tpr:
        events.append(dict(type="tpr-petition", date="2024-01-25"))
    return case_record(c, "CR-2022-0417", "2024-09-30", events, notes, worker="u22", office="South")


def lucia_record():
    c, cg = LUCIA, "Carmen Ortiz"
    visits = [("2023-03-07", "child-residence"), ("2023-04-14", "child-residence"), ("2023-05-12", "school"),
              ("2023-06-09", "child-residence"), ("2023-07-14", "child-residence"), ("2023-08-11", "office"),
              ("2023-09-08", "child-residence"), ("2023-10-13", "child-residence"), ("2023-11-10", "child-residence")]
    notes = []
    for i, (d, loc) in enumerate(visits):
        kw = {"sign_h": 100} if d == "2023-06-09" else {}   # within the 2020 schema's 120-hour window
        notes.append(visit_note(c, cg, f"N-23-0112-V{i + 1:02d}", D(d, "15:00"), loc, i, author_id="u31", **kw))
    notes.append(hearing_note(c, "N-23-0112-H1", D("2023-03-08", "09:00"), "shelter", ("contrary-to-welfare", "reasonable-efforts-prevent"), author_id="u31"))
    notes.append(hearing_note(c, "N-23-0112-H2", D("2023-04-10", "09:00"), "adjudication", ("abuse-neglect",), author_id="u31"))
    notes.append(hearing_note(c, "N-23-0112-H3", D("2023-09-25", "14:00"), "periodic-review", author_id="u31"))
    notes.append(plan_note(c, cg, "N-23-0112-P1", D("2023-03-31", "10:00"), age_consult=False, chosen=(), grade="1",
                           parent=("Ana Gómez", "Ricardo Gómez"), nonpart=None, author_id="u31"))
    events = [dict(type="removal", date="2023-03-06", reason="neglect"),
              dict(type="placement", date="2023-03-06", placement_type="relative-foster-home"),
              dict(type="discharge", date="2023-11-20", reason="reunification")]
    return case_record(c, "CR-2023-0112", "2023-12-31", events, notes, worker="u31", office="East")


def chloe_record():
    c, cg = CHLOE, "Hoa Nguyễn"
    notes = [visit_note(c, cg, "N-24-0230-V01", D("2024-07-19", "15:00"), "child-residence", 0),
             visit_note(c, cg, "N-24-0230-V02", D("2024-08-16", "15:00"), "child-residence", 1),
             visit_note(c, cg, "N-24-0230-V03", D("2024-09-20", "15:00"), "office", 3),
             hearing_note(c, "N-24-0230-H1", D("2024-07-17", "09:00"), "shelter", ("contrary-to-welfare", "reasonable-efforts-prevent")),
             hearing_note(c, "N-24-0230-H2", D("2024-08-28", "09:00"), "adjudication", ("abuse-neglect",)),
             plan_note(c, cg, "N-24-0230-P1", D("2024-08-09", "10:00"), age_consult=False, chosen=(), grade="K",
                       parent=("Mai Nguyễn",), nonpart=("Father unknown", "Paternity not established; the mother named no father."))]
    events = [dict(type="removal", date="2024-07-15", reason="neglect"),
              dict(type="placement", date="2024-07-15", placement_type="relative-foster-home")]
    return case_record(c, "CR-2024-0230", "2024-09-30", events, notes)


# Standalone bases -------------------------------------------------------------------------------------
def amara_visit(fmt="DAP", when="2024-10-04", **kw):
    return visit_note(AMARA, "Grace Okafor", "N-24-0988-V07", D(when, "16:30"), "child-residence", 2, author_id="u22", fmt=fmt, **kw)


def mateo_plan(**kw):
    kw.setdefault("chosen", (("Paloma Quispe", "mentor"), ("Diego Ñancupil", "brother")))
    kw.setdefault("parent", ("Rocío Ñancupil",))
    kw.setdefault("nonpart", None)
    return plan_note(MATEO, "Esther Blum", "N-24-1377-P1", D("2024-06-18", "13:00"), grade="10", placement_type="foster-home",
                     author_id="u31", **kw)


def zoe_permanency(**kw):
    return hearing_note(ZOE, "N-22-0417-PH2", D("2024-09-20", "10:30"), "permanency", goal="adoption", author_id="u22", **kw)


def main():
    v, inv = sg.fresh_dirs(os.path.join(SAMPLES, "valid"), os.path.join(SAMPLES, "invalid"))

    # Examples of each document type (schemas/record/examples).
    write(f"{EXAMPLES}/case-record.xml", None, "Example case record: a child in care for three months (child welfare).", chloe_record())
    write(f"{EXAMPLES}/caseworker-visit.xml", None, "Example caseworker visit note (DAP format).", standalone(amara_visit(), AMARA))
    write(f"{EXAMPLES}/case-plan.xml", None, "Example case plan for a 15-year-old in a foster home.", standalone(mateo_plan(), MATEO))
    write(f"{EXAMPLES}/court-hearing.xml", None, "Example permanency hearing note.", standalone(zoe_permanency(), ZOE))

    # Valid samples.
    write(f"{v}/case-record-jose-2024.xml", "none", "In care since January 2024: monthly visits, plan within 30 days, consulted at 14, six-month review.", jose_record())
    write(f"{v}/case-record-jose-extension.xml", "none", "Case plan on day 43 under a state-period extension agreed on day 22 (CW-W4-STATE extended; the federal 60 days met).",
          jose_record(plan_date="2024-02-22", extensions=(dict(rule="CW-W4-STATE", agreed_at="2024-02-01", until="2024-02-29",
                                                                 reason="Family team meeting rescheduled at the mother's request.", agreed_by="u05"),)))
    write(f"{v}/case-record-zoe-long-stay.xml", "none", "Two years in care: permanency hearings at 12 months, TPR petition filed after 15 of 22 months.", zoe_record())
    write(f"{v}/case-record-lucia-2023.xml", "none", "Discharged to reunification in 2023; checked with the 2020 schema (a visit note signed 100 hours after service is within its 120-hour window).", lucia_record())
    write(f"{v}/visit-dap.xml", "none", "Caseworker visit note, DAP format.", standalone(amara_visit(), AMARA))
    write(f"{v}/visit-soap.xml", "none", "Caseworker visit note, SOAP format.", standalone(amara_visit("SOAP"), AMARA))
    write(f"{v}/visit-birp.xml", "none", "Caseworker visit note, BIRP format.", standalone(amara_visit("BIRP"), AMARA))
    write(f"{v}/visit-girp.xml", "none", "Caseworker visit note, GIRP format.", standalone(amara_visit("GIRP"), AMARA))
    late = amara_visit(entered_h=50, late_entry="true", late_reason="Caseworker was out sick the two days after the visit.")
    late.addenda = STAFF.addendum("u22", "amendment", "2024-10-08T09:15",
                                  "School counselor: Mr. Étienne Lavoie, 555-0142; Amara agreed to meet him weekly.",
                                  D("2024-10-08", "09:20"), reason="Added the school counselor contact requested by the supervisor.")
    write(f"{v}/visit-late-entry-with-amendment.xml", "none", "A labelled late entry (entered 50 hours after the visit) with a signed amendment addendum.", standalone(late, AMARA))
    write(f"{v}/visit-2023-signed-100h.xml", "none", "A 2023 visit note signed 100 hours after service: within the 2020 schema's 120-hour window.",
          standalone(visit_note(LUCIA, "Carmen Ortiz", "N-23-0112-V10", D("2023-10-27", "15:00"), "child-residence", 1, author_id="u31", sign_h=100), LUCIA))
    write(f"{v}/case-plan-youth-consulted.xml", "none", "Case plan for a 15-year-old who was consulted and chose two team members.", standalone(mateo_plan(), MATEO))
    write(f"{v}/court-hearing-permanency.xml", "none", "Permanency hearing that sets the permanency plan.", standalone(zoe_permanency(), ZOE))

    # Invalid samples: common note rules (X1-X4).
    def inv_note(name, expect, desc, note, child=AMARA):
        write(f"{inv}/{name}.xml", expect, desc, standalone(note, child))

    sg.write_common_note_samples(
        inv_note, amara_visit,
        STAFF.addendum("u22", "correction", "2024-10-07T10:00", "The visit lasted 50 minutes, not 40.", D("2024-10-07", "10:02")),
        short_goal="Goal 2.", date_only="2024-10-04", bad_signed_at="10/04/2024 7:40 PM", contact="visit",
        window="2024 schema: 72-hour window")

    # Invalid samples: child welfare note content.
    inv_note("w1-visit-contact-missing", "CW-W1-CONTACT", "The visit note does not say whether the contact was face to face.", amara_visit(drop_visit=("face_to_face",)))
    inv_note("w2-visit-location-missing", "CW-W2-LOCATION", "The visit note does not say where the visit took place.", amara_visit(drop_visit=("location",)))
    inv_note("w3-visit-topics-missing", "CW-W3-TOPICS", "The visit note does not document the well-being topic.", amara_visit(topics=("safety", "permanency")))
    inv_note("w15-birth-date-malformed", "CW-W15-BIRTH-DATE", "The child's birth date is not an ISO date.", amara_visit(), dict(AMARA, birth="11/02/2014"))
    inv_note("w5-plan-no-content", "CW-W5-WRITTEN", "A case-plan note with no case-plan content.", mateo_plan(content=False), MATEO)
    inv_note("w5-no-parent", "CW-W5-PARENT", "The plan records neither a parent's participation nor why a parent did not take part.", mateo_plan(parent=()), MATEO)
    inv_note("w6-no-safety-discussion", "CW-W6-PLACEMENT", "The plan does not discuss the placement's safety and appropriateness.", mateo_plan(safety=False), MATEO)
    inv_note("w6-no-foster-parent-services", "CW-W6-SERVICES", "The plan lists no services for the foster parent of a child in a foster home.",
             mateo_plan(services=("parent", "child")), MATEO)
    inv_note("w6-health-incomplete", "CW-W6-HEALTH", "The health record lacks the medications and no reason is given.", mateo_plan(health="no-medications"), MATEO)
    inv_note("w6-education-unavailable-no-steps", "CW-W6-EDUCATION", "Education records unavailable, with a reason but no steps taken.",
             mateo_plan(education=False, education_unavailable=("Previous school in another state has not answered.", None)), MATEO)
    inv_note("w7-three-chosen-members", "CW-W7-TEAM", "The youth is recorded as choosing three team members.",
             mateo_plan(chosen=(("Paloma Quispe", "mentor"), ("Diego Ñancupil", "brother"), ("Jun Park", "teacher"))), MATEO)
    inv_note("w7-foster-parent-chosen", "CW-W7-TEAM-ROLE", "The youth's chosen team members include the foster parent.",
             mateo_plan(chosen=(("Paloma Quispe", "mentor"), ("Esther Blum", "foster-parent"))), MATEO)
    inv_note("w7-youth-not-consulted", "CW-W7-CONSULT", "A 15-year-old is not documented as consulted on the plan (native check).", mateo_plan(consulted="false"), MATEO)
    inv_note("w9-permanency-no-goal", "CW-W9-GOAL", "A permanency hearing note without the permanency plan.", zoe_permanency(drop_goal=True), ZOE)
    n = hearing_note(ZOE, "N-22-0417-S1", D("2024-06-03", "09:00"), "status", author_id="u22")
    inv_note("w15-hearing-kind-unknown", "CW-W15-HEARING-KIND", "A court-hearing note whose hearing kind is not in the list.", n, ZOE)

    # Invalid samples: case records.
    def inv_record(name, expect, desc, lines):
        write(f"{inv}/{name}.xml", expect, desc, lines)

    inv_record("w1-missing-month", "CW-W1", "No caseworker visit in May 2024.", jose_record(visits=[x for x in JOSE_VISITS if x[0] != "2024-05-10"]))
    inv_record("w2-residence-minority", "CW-W2", "Only 5 of 12 visits took place in the child's residence.",
               jose_record(visits=[(d, "child-residence" if i % 2 == 0 and i < 10 else "school") for i, (d, _) in enumerate(JOSE_VISITS)]))
    inv_record("w4-plan-after-60-days", "CW-W4", "Case plan on day 65 after removal: the state period was extended, but the federal 60 days cannot be.",
               jose_record(plan_date="2024-03-15", extensions=(dict(rule="CW-W4-STATE", agreed_at="2024-01-25", until="2024-03-20",
                                                                    reason="Mother in residential treatment until March.", agreed_by="u05"),)))
    inv_record("w4-state-period-missed", "CW-W4-STATE", "Case plan on day 43 after removal, past the state's 30 days, with no extension.", jose_record(plan_date="2024-02-22"))
    inv_record("w4-state-extension-too-late", "CW-W4-STATE", "Case plan on day 43; the extension was agreed after the state due date, so it does not count.",
               jose_record(plan_date="2024-02-22", extensions=(dict(rule="CW-W4-STATE", agreed_at="2024-02-12", until="2024-02-29",
                                                                    reason="Family team meeting rescheduled.", agreed_by="u05"),)))
    inv_record("w7-case-record-youth-not-consulted", "CW-W7-CONSULT", "The case plan of a 14-year-old does not document his consultation (native check, case record).",
               jose_record(consulted="false"))
    inv_record("w8-no-periodic-review", "CW-W8", "No six-month review: entered care 2024-02-20, no review by 2024-08-20.", jose_record(review=False))
    inv_record("w9-first-permanency-hearing-late", "CW-W9", "Entered care 2022-10-20; the first permanency hearing was held only in September 2024.",
               zoe_record(permanency=("2024-09-20",)))
    inv_record("w9-permanency-hearings-15-months-apart", "CW-W9-RECUR", "Permanency hearings in June 2023 and September 2024: more than 12 months apart.",
               zoe_record(permanency=("2023-06-14", "2024-09-20")))
    inv_record("w10-no-reasonable-efforts-finding", "CW-W10", "No judicial determination on reasonable efforts to prevent removal.",
               jose_record(shelter_findings=("contrary-to-welfare",)))
    inv_record("w12-no-tpr-petition", "CW-W12", "In care 22 of the most recent 22 months, with no TPR petition and no documented exception.", zoe_record(tpr=False))
    inv_record("w15-no-removal-event", "CW-W15-REMOVAL", "A foster-care case record with no removal event.", jose_record(drop_events=("removal",)))
    inv_record("w15-event-date-malformed", "CW-W15-EVENT-DATE", "A placement event with a date that is not YYYY-MM-DD.", jose_record(event_date_override="2024-1-10"))
    other = visit_note(JOSE, "Rosa Delgado", "N-24-0001-X1", D("2024-10-25", "17:00"), "child-residence", 1)
    other.type = "home-visit"
    inv_record("w15-note-type-unknown", "CASEDOC-DOCUMENT-TYPE", "A note whose type the child welfare plugin does not declare.", jose_record(extra_notes=(other,)))
    inv_record("w15-notes-out-of-order", "CW-W15-NOTE-ORDER", "The January and February visit notes are swapped, so the notes are not in order of service.", jose_record(swap=(1, 3)))
    inv_record("case-record-several-problems", "CW-W1 X2-SIG-METHOD X3-LATE",
               "A realistic mix: no visit in November, a stamped signature in July, an unlabelled late entry in September.",
               jose_record(visits=[x for x in JOSE_VISITS if x[0] != "2024-11-08"],
                           note_overrides={"2024-07-12": {"sig_method": "stamped"}, "2024-09-13": {"entered_h": 40}}))


if __name__ == "__main__":
    main()
