#!/usr/bin/env python3
"""Generates the correctional sample records (plugins/correctional/samples; output is committed).

Run: python3 scripts/samples/correctional_gen.py [repo root], then correctional_readme.py.
The people, facilities and cases are fictitious.
"""
import datetime as dt
import os
import sys
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ next to the scripts
import samplegen as sg  # noqa: E402
from samplegen import attrs, day, pronouns, ts, write  # noqa: E402

ROOT = sg.repo_root(__file__)
SAMPLES = os.path.join(ROOT, "plugins/correctional/samples")

STAFF = sg.Staff({
    "u41": dict(name="Marisol Ibarra", role="case-manager", credential="MSW"),
    "u44": dict(name="Tomasz Wiśniewski", role="correctional-counselor", credential="BA"),
    "u47": dict(name="Siobhán Ó Briain", role="case-manager", credential="LCSW"),
    "u08": dict(name="Ørjan Haugen", role="unit-manager", credential="MPA"),
    "u52": dict(name="Hélène Marchand", role="psychologist", credential="PhD"),
})
signature = STAFF.signature


def D(s, hm="09:00"):
    return sg.D(s, hm)


def H(h):
    return dt.timedelta(hours=h)


def inmate_signature(c, at):
    # An inmate has no professional credential; the common rule X2-SIG-FIELDS asks for one, so "n/a".
    return f"<signature {attrs(signer=c['reg'], name=c['name'], role='inmate', credential='n/a', signed_at=ts(at), method='handwritten')}/>"


class Note(sg.Note):
    SETTING, STAFF = "correctional", STAFF
    ENTERED_H, AUTHOR = 1.0, "u41"


def client_lines(c):
    return sg.client_lines(c, ("register-number", c["reg"]))


# People ----------------------------------------------------------------------------------------------
JOSE = dict(id="I-48213-039", reg="48213-039", name="José Núñez", first="José", birth="1988-04-02", sex="M")
ZOE = dict(id="I-51177-112", reg="51177-112", name="Zoë Lindqvist-Osei", first="Zoë", birth="1995-11-19", sex="F")
LUKASZ = dict(id="I-60342-018", reg="60342-018", name="Łukasz Wójcik", first="Łukasz", birth="1979-06-30", sex="M")
AARON = dict(id="I-72019-004", reg="72019-004", name="Aarón Peña-Villalobos", first="Aarón", birth="2001-01-12", sex="M")
CHLOE = dict(id="I-39561-077", reg="39561-077", name="Chloé Bérubé", first="Chloé", birth="1984-08-08", sex="F")
THANH = dict(id="I-58830-265", reg="58830-265", name="Trần Thị Thanh", first="Thanh", birth="1990-03-03", sex="F")
DARIUS = dict(id="I-66104-231", reg="66104-231", name="Darius Ahmadi-Sáenz", first="Darius", birth="1983-12-14", sex="M")


# Classification (Program Review Report) ----------------------------------------------------------
NEEDS = [("education", "No high school diploma or GED; reads at a sixth-grade level."),
         ("substance-use", "Reports daily methamphetamine use before arrest; no treatment history."),
         ("employment", "Longest job held eight months; no recognised trade.")]
PROGRAMS = [("Literacy and GED program", "enrolled", "Education Department, five mornings a week."),
            ("Nonresidential Drug Abuse Program (NR-DAP)", "waitlisted", "Psychology Services; expected start within 60 days."),
            ("HVAC vocational course", "recommended", "After GED completion.")]


def classification_note(c, id_, service, kind="initial", author_id="u41", notice_h=96, notice=True, waiver=False,
                        refused=False, refusal="Said he would not leave his cell while his appeal is pending.",
                        reason_known=True, needs=True, programs=True, work="Food service, morning shift",
                        medical_exempt=None, sorna="false", sorna_notified=None, copy=True, next_review=180,
                        unit_manager=True, inmate_sig=True, drop_kind=False, **kw):
    n = Note("classification", id_, service, author_id=author_id, **kw)
    f = c["first"]
    sub, pos = pronouns(c)
    if kind == "initial":
        summary = (f"Initial classification of {f} by the unit team. Custody and security level reviewed; the team discussed "
                   f"{pos} apparent needs and the programs offered, and {pos} work assignment.")
    else:
        summary = (f"Program review of {f} by the unit team: progress in the recommended programs, work performance, "
                   "conduct since the last review, and release preparation.")
    if refused:
        summary = f"{f} refused to appear before the unit team. The team completed the review in {pos} absence."
    n.sections = [("summary", summary)]
    ca = dict(kind=None if drop_kind else kind, team="Unit 4A unit team",
              attendance="refused" if refused else "present",
              next_review=day(service + dt.timedelta(days=next_review)) if next_review else None)
    b = [f"<classification {attrs(**ca)}>"]
    if notice:
        b.append(f"  <notice {attrs(given_at=ts(service - H(notice_h)), method='in-person')}/>")
    if waiver:
        b.append(f"  <waiver {attrs(signed_at=ts(service - H(3)))}>{escape(f)} asked to be seen at the earlier date and waived the 48-hour notice in writing.</waiver>")
    if refused:
        if reason_known is False:
            b.append('  <refusal reason-known="false"/>')
        elif refusal:
            b.append(f"  <refusal reason-known=\"true\">{escape(refusal)}</refusal>")
    if needs:
        b.append("  <needs>")
        for area, text in NEEDS:
            b.append(f"    <need area={quoteattr(area)}>{escape(text)}</need>")
        b.append("  </needs>")
    if programs:
        b.append("  <program-plan>")
        for name, status, text in PROGRAMS:
            b.append(f"    <program {attrs(name=name, status=status)}>{escape(text)}</program>")
        b.append("  </program-plan>")
    if medical_exempt is not None:
        b.append(f"  <work-assignment {attrs(medical_exemption='true', reason=medical_exempt or None)}/>")
    elif work:
        b.append(f"  <work-assignment {attrs(assignment=work)}/>")
    if sorna is not None:
        b.append(f"  <sex-offender-registration {attrs(applies=sorna, notified_at=sorna_notified)}/>")
    if copy:
        b.append(f"  <copy-to-inmate {attrs(given_at=ts(service + H(1.75)))}/>")
    b.append("</classification>")
    n.body = b
    if unit_manager:
        n.extra_sigs.append(signature("u08", service + H(1.3)))
    if inmate_sig and not refused:
        n.extra_sigs.append(inmate_signature(c, service + H(1.6)))
    return n


# Risk/needs assessment ---------------------------------------------------------------------------
ORAS_DOMAINS = [("criminal-history", "moderate", True), ("education-employment", "high", False),
                ("family-social-support", "low", False), ("neighborhood-problems", "low", False),
                ("substance-use", "high", False), ("peer-associations", "moderate", False),
                ("criminal-attitudes", "moderate", False)]
GOALS = {
    "education-employment": ("Earn a GED, then complete the HVAC vocational certificate.", "Education Department",
                             "GED classes five mornings a week; HVAC course after the GED."),
    "substance-use": ("Complete drug treatment and keep a written relapse-prevention plan.", "Psychology Services",
                      "Nonresidential Drug Abuse Program, two group sessions a week; weekly individual session."),
    "companions": ("Build contacts with people who support a law-abiding life.", "Chaplaincy and Unit 4A team",
                   "Mentoring program; family visits planned with the counselor."),
    "family-marital": ("Repair the relationship with her mother, the planned release residence.", "Psychology Services",
                       "Family-communication group; monthly video visit planned with the counselor."),
    "procriminal-attitude": ("Recognise and challenge thinking that leads to offending.", "Psychology Services",
                             "Cognitive-behavioural program (Challenge), three sessions a week."),
}


def assessment_note(c, id_, service, tool="ORAS-PIT", purpose="intake", level="moderate", domains=ORAS_DOMAINS,
                    goals=("education-employment", "substance-use"), author_id="u41", assessor="u41",
                    training=("ORAS-PIT", "2022-03-18", "2025-03-18"), drop_intervention=(), **kw):
    n = Note("risk-needs-assessment", id_, service, author_id=author_id, **kw)
    f = c["first"]
    n.sections = [("summary", f"{'Intake' if purpose == 'intake' else 'Periodic'} risk and needs assessment of {f} "
                              f"({tool or 'instrument not recorded'}), from an interview, the presentence report and institutional records.")]
    aa = dict(tool=tool, purpose=purpose, risk_level=level)
    b = [f"<assessment {attrs(**aa)}>"]
    b.append(f"  <assessor {attrs(staff_id=assessor, name=STAFF[assessor]['name'])}>")
    if training:
        t_tool, done, expires = training
        b.append(f"    <training {attrs(tool=t_tool, completed=done, expires=expires)}/>")
    b.append("  </assessor>")
    for code, lvl, static in domains:
        b.append(f"  <domain {attrs(code=code, level=lvl, static='true' if static else None)}/>")
    b.append("</assessment>")
    b.append("<case-plan>")
    for g in goals:
        stmt, provider, interv = GOALS[g]
        b.append(f"  <goal {attrs(domain=g, target_date=day(service + dt.timedelta(days=270)))}>")
        b.append(f"    <statement>{escape(stmt)}</statement>")
        if g not in drop_intervention:
            b.append(f"    <intervention {attrs(provider=provider)}>{escape(interv)}</intervention>")
        b.append("  </goal>")
    b.append("</case-plan>")
    n.body = b
    return n


# Reentry plan ------------------------------------------------------------------------------------
def reentry_note(c, id_, service, status="complete", sentence=("2021-08-30", "2024-08-29", "2024-03-29"),
                 placements=(("rrc", "2024-01-02", "2024-02-26", None), ("home-confinement", "2024-02-26", "2024-03-29", None)),
                 docs=(("social-security-card", "obtained", None), ("birth-certificate", "obtained", None),
                       ("photo-id", "requested", None)),
                 residence=True, employment=True, author_id="u41", **kw):
    n = Note("reentry-plan", id_, service, author_id=author_id, **kw)
    f = c["first"]
    sub, pos = pronouns(c)
    n.sections = [("summary", f"Reentry plan for {f}, reviewed with {f} and the unit team. "
                              f"{'The plan is complete.' if status == 'complete' else 'The plan is in progress.'}")]
    b = [f"<reentry-plan {attrs(status=status, release_type='supervised-release')}>"]
    if sentence:
        began, full, prd = sentence
        b.append(f"  <sentence {attrs(computation_began=began, full_term=full, projected_release=prd)}/>")
    if residence:
        b.append(f"  <residence {attrs(type='family', address='2217 Calle Obispo, Apt 3, Las Cruces, NM 88001')}>"
                 f"With {pos} sister, who confirmed in writing that {f} may live with her.</residence>")
    if employment:
        b.append(f"  <employment status=\"offer\">Conditional offer from Río Grande Mechanical as an HVAC helper, start within two weeks of release.</employment>")
    b.append("  <supervision office=\"U.S. Probation Office, District of New Mexico, Las Cruces\">Report to the probation office within 72 hours of release.</supervision>")
    b.append("  <id-documents>")
    for t, st, reason in docs:
        extra = {"requested_on": day(service - dt.timedelta(days=20))} if st == "requested" else {}
        b.append(f"    <document {attrs(type=t, status=st, reason=reason, **extra)}/>")
    b.append("  </id-documents>")
    if placements:
        b.append("  <prerelease-custody>")
        for t, start, end, authority in placements:
            fac = "Las Cruces Residential Reentry Center" if t == "rrc" else None
            b.append(f"    <placement {attrs(type=t, facility=fac, start=start, end=end, authority=authority)}/>")
        b.append("  </prerelease-custody>")
    b.append("</reentry-plan>")
    n.body = b
    return n


# Contact note ------------------------------------------------------------------------------------
CONTACT_TEXT = [
    ("{f} came to the unit office to ask about the waitlist for the drug program and about {pos} mother's health.",
     "{f} is engaged and asking for services; no conduct problems reported by the unit officer.",
     "Confirm the drug-program start date with Psychology Services; approve a call to {pos} mother this week."),
    ("Release-preparation meeting: reviewed the ID-document requests and the residence plan with {f}.",
     "The birth certificate request is pending with the state vital records office; the residence is confirmed.",
     "Follow up on the birth certificate in two weeks; send the residence verification to probation."),
]


def contact_note(c, id_, service, fmt="DAP", idx=0, author_id="u44", mode="in-person", **kw):
    n = Note("contact-note", id_, service, author_id=author_id, fmt=fmt, **kw)
    f = c["first"]
    sub, pos = pronouns(c)
    d, a, p = (t.format(f=f, pos=pos, sub=sub) for t in CONTACT_TEXT[idx % len(CONTACT_TEXT)])
    n.sections = sg.format_sections(
        fmt, d, a, p, subjective=f"{f} says {sub} is sleeping better and wants to start the GED class.",
        intervention=f"Reviewed the program plan with {f} and explained the waitlist order.",
        response=f"{f} agreed to attend the orientation session and to keep {pos} work assignment.",
        goal=f"{f} will complete the steps of the reentry plan (case plan goal 1).", other=[("summary", d + " " + a)])
    n.body = [f"<contact {attrs(mode=mode, location='unit-office' if mode == 'in-person' else None, duration_minutes=25)}/>"]
    return n


# Documents -----------------------------------------------------------------------------------------
def standalone(note, c):
    return note.standalone(client_lines(c))


def case_record(c, rid, as_of, events, notes, extensions=(), office="FCI Las Cruces", worker="u41", sort=True):
    return sg.case_record(Note.SETTING, client_lines(c), rid, as_of, events, notes, extensions, office, worker, sort)


# José: in custody since July 2024, checked with the 2024 schema ------------------------------------
JOSE_REVIEWS = ["2025-01-20", "2025-04-15", "2025-07-10"]


def jose_record(initial="2024-07-29", reviews=JOSE_REVIEWS, intake="2024-07-22", extensions=(), counselor_at="2024-07-09T10:00",
                drop_events=(), event_overrides=None, extra_notes=(), swap=None, note_overrides=None, as_of="2025-09-30"):
    c = JOSE
    notes = [contact_note(c, "N-48213-C01", D("2024-07-09", "10:30"), "DAP", 0),
             assessment_note(c, "N-48213-A01", D(intake, "09:30")),
             classification_note(c, "N-48213-K01", D(initial), "initial"),
             contact_note(c, "N-48213-C02", D("2024-10-15", "14:00"), "SOAP", 0),
             reentry_note(c, "N-48213-R01", D("2025-04-15", "13:00"), status="in-progress",
                          sentence=("2024-06-20", "2026-06-19", "2026-03-03"),
                          placements=(("rrc", "2025-10-06", "2026-01-02", None), ("home-confinement", "2026-01-02", "2026-03-03", None)),
                          docs=(("social-security-card", "obtained", None), ("birth-certificate", "requested", None),
                                ("photo-id", "requested", None))),
             contact_note(c, "N-48213-C03", D("2025-09-02", "15:00"), "BIRP", 1)]
    for i, r in enumerate(reviews):
        notes.append(classification_note(c, f"N-48213-K{i + 2:02d}", D(r), "program-review", next_review=84 if i < 2 else 85))
    for n in notes:
        for k, v in (note_overrides or {}).get(n.id, {}).items():
            setattr(n, k, v)
    notes = sg.sorted_notes(notes + list(extra_notes), swap)
    events = [dict(type="arrival", date="2024-07-08", at="2024-07-08T14:20", facility="FCI Las Cruces"),
              dict(type="counselor-assigned", date=counselor_at[:10] if counselor_at else None, at=counselor_at, staff="u44"),
              dict(type="projected-release", date="2026-03-03", method="good-conduct-time")]
    if not counselor_at:
        events = [e for e in events if e["type"] != "counselor-assigned"]
    for e in events:
        e.update((event_overrides or {}).get(e["type"], {}))
    events = [e for e in events if e["type"] not in drop_events]
    return case_record(c, "CR-48213-039", as_of, events, notes, extensions, sort=False)


# Zoë: released in March 2024, checked with the 2020 schema ------------------------------------------
ZOE_REVIEWS = ["2022-03-28", "2022-09-19", "2023-03-06", "2023-06-05", "2023-08-28", "2023-11-20", "2024-02-12"]


def zoe_record(reviews=ZOE_REVIEWS, plan_status="complete"):
    c = ZOE
    notes = [assessment_note(c, "N-51177-A01", D("2021-09-30", "10:00"), tool="LS/CMI", level="medium", author_id="u47", assessor="u52",
                             training=("LS/CMI", "2019-05-10", None),
                             domains=(("criminal-history", "high", True), ("education-employment", "medium", False),
                                      ("family-marital", "high", False), ("leisure-recreation", "medium", False),
                                      ("companions", "high", False), ("alcohol-drug", "low", False),
                                      ("procriminal-attitude", "medium", False), ("antisocial-pattern", "medium", False)),
                             goals=("family-marital", "companions")),
             classification_note(c, "N-51177-K01", D("2021-10-05"), "initial", author_id="u47", next_review=None,
                                 work="Laundry, day shift"),
             reentry_note(c, "N-51177-R01", D("2023-08-28", "14:00"), status="in-progress", author_id="u47",
                          docs=(("social-security-card", "requested", None), ("birth-certificate", "requested", None),
                                ("photo-id", "requested", None))),
             reentry_note(c, "N-51177-R02", D("2023-11-20", "14:00"), status=plan_status, author_id="u47"),
             contact_note(c, "N-51177-C01", D("2024-01-10", "10:00"), "GIRP", 1, author_id="u47"),
             contact_note(c, "N-51177-C02", D("2024-03-25", "11:00"), "DAP", 1, author_id="u47", mode="telephone")]
    for i, r in enumerate(reviews):
        notes.append(classification_note(c, f"N-51177-K{i + 2:02d}", D(r), "program-review", author_id="u47", next_review=None,
                                         work="Laundry, day shift"))
    events = [dict(type="arrival", date="2021-09-14", at="2021-09-14T11:05", facility="FCI Las Cruces"),
              dict(type="counselor-assigned", date="2021-09-20", staff="u44"),
              dict(type="projected-release", date="2024-03-29", method="good-conduct-time"),
              dict(type="release", date="2024-03-29", method="good-conduct-time")]
    return case_record(c, "CR-51177-112", "2024-05-31", events, notes, worker="u47")


# Standalone bases ----------------------------------------------------------------------------------
def lukasz_initial(**kw):
    return classification_note(LUKASZ, "N-60342-K01", D("2024-09-16", "09:30"), "initial", **kw)


def aaron_assessment(**kw):
    return assessment_note(AARON, "N-72019-A01", D("2024-09-03", "10:00"), **kw)


def chloe_plan(**kw):
    kw.setdefault("sentence", ("2022-01-10", "2027-01-09", "2026-04-14"))
    kw.setdefault("placements", (("rrc", "2025-10-20", "2026-02-16", None), ("home-confinement", "2026-02-16", "2026-04-14", None)))
    return reentry_note(CHLOE, "N-39561-R02", D("2025-05-19", "14:00"), author_id="u47", **kw)


def thanh_contact(fmt="DAP", **kw):
    return contact_note(THANH, "N-58830-C07", D("2025-01-14", "13:30"), fmt, 0, **kw)


def main():
    v, inv = sg.fresh_dirs(os.path.join(SAMPLES, "valid"), os.path.join(SAMPLES, "invalid"))

    # Valid samples -------------------------------------------------------------------------------------
    write(f"{v}/case-record-jose-2025.xml", "none",
          "In custody since 2024-07-08 (2024 schema): counselor within 72 hours, intake assessment on day 14, initial classification on day 21, "
          "program reviews every 90 days once within 12 months of the projected release date (2026-03-03).", jose_record())
    write(f"{v}/case-record-jose-intake-extension.xml", "none",
          "Intake assessment on day 42 under an extension agreed on day 22, before the 28-day due date (CORR-C8-INTAKE extended).",
          jose_record(intake="2024-08-19", extensions=(dict(rule="CORR-C8-INTAKE", agreed_at="2024-07-30", until="2024-08-23",
                                                            reason="Assessor on leave; the inmate was in quarantine for a week.", agreed_by="u08"),)))
    write(f"{v}/case-record-zoe-released-2024.xml", "none",
          "Released 2024-03-29, record extracted 2024-05-31 (2020 schema): reviews every 180 days, then every 90 days in the last 12 months, "
          "a complete reentry plan before release, RRC and home confinement within 3624(c). The counselor was assigned 6 days after arrival: "
          "no rule required 72 hours before 2024-07-01.", zoe_record())
    write(f"{v}/classification-initial.xml", "none", "Initial classification: 4 days' notice, needs and program plan, work assignment, "
          "SORNA determination, signed by the Unit Manager and the inmate, copy given.", standalone(lukasz_initial(), LUKASZ))
    write(f"{v}/classification-initial-refused.xml", "none", "The inmate refused to attend his initial classification: the refusal and its "
          "reason are documented, a copy was given, the Unit Manager signed.",
          standalone(classification_note(AARON, "N-72019-K01", D("2024-09-24", "10:00"), "initial", refused=True,
                                         refusal="Said he would not leave his cell while his appeal is pending."), AARON))
    write(f"{v}/classification-initial-sorna.xml", "none", "Initial classification of an inmate who must register as a sex offender, "
          "notified the same day through the copy of the Program Review Report; medically exempt from work.",
          standalone(classification_note(DARIUS, "N-66104-K01", D("2024-11-04", "13:00"), "initial", sorna="true",
                                         sorna_notified="2024-11-04", medical_exempt="Post-surgical restrictions until 2025-02-01 (Health Services)."), DARIUS))
    write(f"{v}/classification-review-waiver.xml", "none", "Program review held at short notice, the inmate having waived the "
          "48-hour notice in writing.",
          standalone(classification_note(CHLOE, "N-39561-K06", D("2025-02-03", "14:00"), "program-review", author_id="u47",
                                         notice=False, waiver=True, next_review=90), CHLOE))
    write(f"{v}/classification-2024-06-review-no-next-date.xml", "none", "Program review on 2024-06-12 without a next-review date: "
          "checked with the 2020 schema, before the agency required one (2024-07-01).",
          standalone(classification_note(CHLOE, "N-39561-K04", D("2024-06-12", "14:00"), "program-review", author_id="u47",
                                         next_review=None), CHLOE))
    write(f"{v}/risk-needs-assessment-oras.xml", "none", "Intake ORAS-PIT assessment by a trained assessor; the two high need domains "
          "have case-plan goals and interventions; criminal history (static) needs none.", standalone(aaron_assessment(), AARON))
    write(f"{v}/risk-needs-assessment-lscmi.xml", "none", "LS/CMI reassessment with a very-high need domain, each high domain with a goal.",
          standalone(assessment_note(THANH, "N-58830-A02", D("2025-03-10", "10:00"), tool="LS/CMI", purpose="reassessment", level="high",
                                     author_id="u47", assessor="u52", training=("LS/CMI", "2019-05-10", None),
                                     domains=(("criminal-history", "very-high", True), ("companions", "high", False),
                                              ("procriminal-attitude", "very-high", False), ("alcohol-drug", "medium", False)),
                                     goals=("companions", "procriminal-attitude")), THANH))
    write(f"{v}/reentry-plan-complete.xml", "none", "Complete reentry plan: residence, employment, ID documents, RRC then home confinement "
          "within 3624(c) (57 days of home confinement; limit 181 days, the shorter of 10 % of the term and 6 months).", standalone(chloe_plan(), CHLOE))
    write(f"{v}/reentry-plan-fsa-time-credits.xml", "none", "Home confinement of 9 months made under 18 U.S.C. 3624(g) (First Step Act time "
          "credits): not held to the 3624(c) limits.",
          standalone(chloe_plan(placements=(("home-confinement", "2025-07-14", "2026-04-14", "3624(g)"),)), CHLOE))
    write(f"{v}/contact-note-dap.xml", "none", "Contact note, DAP format.", standalone(thanh_contact("DAP"), THANH))
    write(f"{v}/contact-note-soap.xml", "none", "Contact note, SOAP format.", standalone(thanh_contact("SOAP"), THANH))
    write(f"{v}/contact-note-birp.xml", "none", "Contact note, BIRP format.", standalone(thanh_contact("BIRP"), THANH))
    write(f"{v}/contact-note-girp.xml", "none", "Contact note, GIRP format, by video.", standalone(thanh_contact("GIRP", mode="video"), THANH))
    late = thanh_contact(entered_h=50, late_entry="true", late_reason="Counselor was detailed to another unit for two days after the contact.")
    late.addenda = STAFF.addendum("u44", "amendment", "2025-01-18T09:15", "Birth certificate request number NM-VR-2025-01187, filed 2025-01-13.",
                                  D("2025-01-18", "09:20"), reason="Added the vital-records request number asked for by the case manager.")
    write(f"{v}/contact-note-late-entry-with-amendment.xml", "none", "A labelled late entry (entered 50 hours after the contact) with a "
          "signed amendment addendum.", standalone(late, THANH))

    # Invalid samples: common note rules (X1-X4), on contact notes ------------------------------------
    def inv_note(name, expect, desc, note, c=THANH):
        write(f"{inv}/{name}.xml", expect, desc, standalone(note, c))

    sg.write_common_note_samples(
        inv_note, thanh_contact,
        STAFF.addendum("u44", "correction", "2025-01-16T10:00", "The contact lasted 25 minutes, not 15.", D("2025-01-16", "10:02")),
        short_goal="Goal 1.", date_only="2025-01-14", bad_signed_at="01/14/2025 3:40 PM", contact="contact",
        window="72-hour window", noun="contact note")
    inv_note("contact-mode-missing", "CORR-CONTACT-MODE", "The contact note does not say how the contact took place.", thanh_contact(mode=None))

    # Invalid samples: classification (Program Review Report) -----------------------------------------
    def inv_class(name, expect, desc, **kw):
        inv_note(name, expect, desc, lukasz_initial(**kw), LUKASZ)

    inv_class("c3-notice-30-hours", "CORR-C3", "Notice of the initial classification given 30 hours before the appearance, no waiver.", notice_h=30)
    inv_class("c3-no-notice-no-waiver", "CORR-C3", "No notice of the appearance is recorded and the inmate did not waive it.", notice=False)
    inv_note("c4-refusal-no-reason", "CORR-C4", "The inmate refused to attend; the report neither gives the reason nor says it is unknown.",
             classification_note(AARON, "N-72019-K01", D("2024-09-24", "10:00"), "initial", refused=True, refusal=None), AARON)
    inv_note("c4-refusal-no-copy", "CORR-C4", "The inmate refused to attend (reason unknown); no copy of the report was given to him.",
             classification_note(AARON, "N-72019-K01", D("2024-09-24", "10:00"), "initial", refused=True, reason_known=False, copy=False), AARON)
    inv_class("c5-no-inmate-signature", "CORR-C5-SIG", "The Program Review Report at initial classification is not signed by the inmate.", inmate_sig=False)
    inv_class("c5-no-unit-manager-signature", "CORR-C5-SIG", "The Program Review Report at initial classification is not signed by the Unit Manager.", unit_manager=False)
    inv_class("c5-no-program-plan", "CORR-C5-CONTENT", "The initial classification records the needs but not the programs offered.", programs=False)
    inv_class("c5-no-copy", "CORR-C5-COPY", "No copy of the initial Program Review Report was given to the inmate.", copy=False)
    inv_class("c6-no-work-assignment", "CORR-C6", "No work assignment and no medical exemption at initial classification.", work=None)
    inv_class("c6-exemption-without-reason", "CORR-C6", "A medical exemption from work without its reason.", medical_exempt="")
    inv_class("c7-sorna-not-determined", "CORR-C7-STATUS", "The initial classification does not record whether sex-offender registration applies.", sorna=None)
    inv_class("c7-sorna-notified-late", "CORR-C7", "The inmate must register as a sex offender but was notified 9 days after his initial classification.",
              sorna="true", sorna_notified="2024-09-25")
    inv_class("dq-classification-kind-missing", "CORR-DQ-CLASS-KIND", "The classification note does not say whether it is the initial classification or a program review.", drop_kind=True)
    inv_class("c14-no-next-review-date", "CORR-C14-NEXT-REVIEW", "A classification decision of 2024-09-16 without the date of the next review (agency policy from 2024-07-01).",
              next_review=None)

    # Invalid samples: risk/needs assessment ----------------------------------------------------------
    def inv_rna(name, expect, desc, **kw):
        inv_note(name, expect, desc, aaron_assessment(**kw), AARON)

    inv_rna("c8-no-tool", "CORR-C8-TOOL", "The assessment does not name the instrument.", tool=None)
    inv_rna("c8-no-purpose", "CORR-C8-PURPOSE", "The assessment does not say whether it is the intake assessment or a reassessment.", purpose=None)
    inv_rna("c8-risk-level-unknown", "CORR-C8-LEVEL", "The risk level is not one of the instrument levels (\"elevated\").", level="elevated")
    inv_rna("c9-high-domain-without-goal", "CORR-C9", "Substance use is scored high but the case plan has no goal for it.", goals=("education-employment",))
    inv_rna("c9-goal-without-intervention", "CORR-C9", "The education-employment goal has no intervention.", drop_intervention=("education-employment",))
    inv_rna("c10-training-expired", "CORR-C10", "The assessor's ORAS training expired before the assessment date.", training=("ORAS-PIT", "2021-03-18", "2024-03-18"))
    inv_rna("c10-trained-on-other-tool", "CORR-C10", "The assessor is trained on LS/CMI, not on the ORAS-PIT used.", training=("LS/CMI", "2020-02-11", None))

    # Invalid samples: reentry plan -------------------------------------------------------------------
    def inv_plan(name, expect, desc, **kw):
        inv_note(name, expect, desc, chloe_plan(**kw), CHLOE)

    inv_plan("c11-no-photo-id", "CORR-C11", "The reentry plan says nothing about a photo ID.",
             docs=(("social-security-card", "obtained", None), ("birth-certificate", "obtained", None)))
    inv_plan("c11-unable-without-reason", "CORR-C11", "The birth certificate could not be obtained, and the plan does not say why.",
             docs=(("social-security-card", "obtained", None), ("birth-certificate", "unable", None), ("photo-id", "requested", None)))
    inv_plan("c12-home-confinement-over-10-percent", "CORR-C12-HOME", "Home confinement of 90 days on a 24-month term: the limit is "
             "10 % of the term (73 days), shorter than 6 months.",
             sentence=("2024-06-20", "2026-06-19", "2026-03-03"),
             placements=(("rrc", "2025-10-06", "2025-12-03", None), ("home-confinement", "2025-12-03", "2026-03-03", None)))
    inv_plan("c12-home-confinement-over-6-months", "CORR-C12-HOME", "Home confinement of 212 days on a 10-year term: the limit is "
             "6 months (181 days), shorter than 10 % of the term (365 days).",
             sentence=("2016-05-02", "2026-05-01", "2026-04-14"),
             placements=(("rrc", "2025-08-20", "2025-09-14", None), ("home-confinement", "2025-09-14", "2026-04-14", None)))
    inv_plan("c12-home-confinement-no-term", "CORR-C12-HOME", "Home confinement is planned but the plan lacks the sentence computation dates.",
             sentence=None)
    inv_plan("c12-prerelease-over-12-months", "CORR-C12-RRC", "RRC placement of 11 months followed by 2 months of home confinement: "
             "13 months of prerelease custody.",
             placements=(("rrc", "2025-03-14", "2026-02-14", None), ("home-confinement", "2026-02-14", "2026-04-14", None)))
    inv_plan("c13-status-missing", "CORR-C13-STATUS", "The reentry plan does not state whether it is complete.", status=None)
    inv_plan("c13-complete-without-employment", "CORR-C13-CONTENT", "A reentry plan marked complete without an employment or income plan "
             "(a warning: the record stays compliant).", employment=False)

    # Invalid samples: case records -------------------------------------------------------------------
    def inv_record(name, expect, desc, lines):
        write(f"{inv}/{name}.xml", expect, desc, lines)

    inv_record("c1-initial-classification-late", "CORR-C1", "Initial classification on day 35 after arrival.", jose_record(initial="2024-08-12"))
    inv_record("c2-no-review-for-260-days", "CORR-C2", "No program review between the initial classification (2024-07-29) and 2025-04-15: 260 days.",
               jose_record(reviews=("2025-04-15", "2025-07-10")))
    inv_record("c2-90-review-late", "CORR-C2-90", "Within 12 months of the projected release date, the review after 2025-04-15 came 127 days "
               "later (native check).", jose_record(reviews=("2025-01-20", "2025-04-15", "2025-08-20")))
    inv_record("c2-90-review-overdue", "CORR-C2-90", "Within 12 months of the projected release date, no review since 2025-04-15 as of 2025-09-30 "
               "(168 days; native check).", jose_record(reviews=("2025-01-20", "2025-04-15")))
    inv_record("c2-90-overdue-before-release", "CORR-C2-90", "No program review in the 130 days between 2023-11-20 and the release on "
               "2024-03-29 (native check, 2020 schema).", zoe_record(reviews=ZOE_REVIEWS[:-1]))
    inv_record("c8-intake-assessment-late", "CORR-C8-INTAKE", "Intake risk and needs assessment on day 42 after arrival, no extension.",
               jose_record(intake="2024-08-19"))
    inv_record("c8-intake-extension-too-late", "CORR-C8-INTAKE", "Intake assessment on day 42; the extension was agreed on day 32, after the "
               "28-day due date, so it does not count.",
               jose_record(intake="2024-08-19", extensions=(dict(rule="CORR-C8-INTAKE", agreed_at="2024-08-09", until="2024-08-23",
                                                                 reason="Assessor on leave.", agreed_by="u08"),)))
    inv_record("c13-released-without-complete-plan", "CORR-C13", "Released 2024-03-29 while the reentry plan was still in progress (2020 schema).",
               zoe_record(plan_status="in-progress"))
    inv_record("c14-counselor-assigned-late", "CORR-C14", "Counselor assigned 91 hours after arrival (agency policy from 2024-07-01: 72 hours).",
               jose_record(counselor_at="2024-07-12T09:30"))
    inv_record("c14-no-counselor", "CORR-C14", "No counselor assignment is recorded for an inmate who arrived on 2024-07-08.", jose_record(counselor_at=None))
    inv_record("dq-no-arrival", "CORR-DQ-ARRIVAL", "A custody record with no arrival event.", jose_record(drop_events=("arrival",)))
    inv_record("dq-no-projected-release", "CORR-DQ-PROJECTED-RELEASE", "A custody record with no projected release date.",
               jose_record(drop_events=("projected-release",)))
    inv_record("dq-event-date-malformed", "CORR-DQ-EVENT-DATE", "The projected release date is not YYYY-MM-DD.",
               jose_record(event_overrides={"projected-release": {"date": "03/03/2026"}}))
    other = contact_note(JOSE, "N-48213-D01", D("2025-06-05", "10:00"), "narrative", 0)
    other.type = "disciplinary-hearing"
    inv_record("dq-note-type-unknown", "CASEDOC-DOCUMENT-TYPE", "A note whose type the correctional plugin does not declare.", jose_record(extra_notes=(other,)))
    inv_record("dq-notes-out-of-order", "CORR-DQ-NOTE-ORDER", "The October 2024 contact note is listed before the initial classification.",
               jose_record(swap=(2, 3)))
    inv_record("case-record-several-problems", "CORR-C2-90 X2-SIG-METHOD X3-LATE",
               "A realistic mix: no program review since 2025-04-15, a stamped signature on a contact note, a review note entered 40 hours "
               "late without saying so.",
               jose_record(reviews=("2025-01-20", "2025-04-15"),
                           note_overrides={"N-48213-C02": {"sig_method": "stamped"},
                                           "N-48213-K02": {"entered": D("2025-01-22", "01:00"), "signed": D("2025-01-22", "01:06")}}))


if __name__ == "__main__":
    main()
