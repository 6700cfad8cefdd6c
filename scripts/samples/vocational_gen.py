#!/usr/bin/env python3
"""Generates the vocational rehabilitation sample records (output is committed).

Usage: scripts/samples/vocational_gen.py [REPO_ROOT]; then scripts/samples/vocational_readme.py [REPO_ROOT].
The people, employers and providers are fictitious.
"""
import datetime as dt
import os
import sys
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ next to the scripts
import samplegen as sg  # noqa: E402
from samplegen import D, attrs, day, pronouns, ts, write  # noqa: E402

ROOT = sg.repo_root(__file__)
SAMPLES = os.path.join(ROOT, "plugins/vocational/samples")

STAFF = sg.Staff({
    "u41": dict(name="Marisol Quintero-Díaz", role="vr-counselor", credential="CRC"),
    "u44": dict(name="Benoît Lefèvre", role="vr-counselor", credential="LPC"),
    "u47": dict(name="Kwame Mensah", role="vr-counselor", credential="CRC"),
    "u58": dict(name="Siobhán Ní Bhriain", role="vr-counselor", credential="BA"),  # not a qualifying credential
    "u09": dict(name="Hye-jin Park", role="supervisor", credential="CRC"),
})

JOSE = dict(id="C-3101", name="José Núñez", first="José", birth="1999-03-14", sex="M", language="es",
            impairment="Traumatic brain injury (2019) with documented deficits in memory and processing speed")
ZOE = dict(id="C-2877", name="Zoë Lindqvist", first="Zoë", birth="2003-11-02", sex="F", language="en",
           impairment="Autism spectrum disorder and an intellectual disability documented in school psychological evaluations")
TADEUSZ = dict(id="C-3240", name="Tadeusz Wójcik", first="Tadeusz", birth="2001-08-19", sex="M", language="pl",
               impairment="Cerebral palsy affecting fine motor control and stamina, documented by the treating physiatrist")
ANAIS = dict(id="C-3155", name="Anaïs Belmonte-Ruiz", first="Anaïs", birth="1987-06-21", sex="F", language="fr",
             impairment="Schizoaffective disorder")
MINH = dict(id="C-3190", name="Dương Văn Minh", first="Minh", birth="1992-01-30", sex="M", language="vi",
            impairment="Major depressive disorder, recurrent, documented by the treating psychiatrist")


class Note(sg.Note):
    SETTING, STAFF = "vocational", STAFF
    ENTERED_H, AUTHOR = 3.0, "u41"


def agreement(c, party, at, satisfactory=None, drop=(), signed_at_text=None, uid=None):
    if party == "vr-counselor":
        a = dict(party=party, name=STAFF[uid]["name"], signer=uid, signed_at=signed_at_text or ts(at),
                 method="electronic", satisfactory=satisfactory)
    else:
        name = c["name"] if party == "individual" else "Lucía Núñez (mother, authorized representative)"
        a = dict(party=party, name=name, signed_at=signed_at_text or ts(at), method="handwritten", satisfactory=satisfactory)
    for k in drop:
        a.pop(k, None)
    return f"<agreement {attrs(**a)}/>"


def copy_line(c, at, drop=()):
    a = dict(date=day(at), language=c["language"], mode="print")
    for k in drop:
        a.pop(k)
    return f"<copy-provided {attrs(**a)}/>"


# ---------------------------------------------------------------------------------------------------
# Note builders

PROGRESS_TEXT = {
    "service-progress": (
        "{f} finished week {n} of the job-readiness course; the instructor reports on-time attendance and good work on mock interviews.",
        "{f} is on track with the IPE timeline; transportation remains the main barrier on early shifts.",
        "Confirm the bus pass renewal; schedule the work-readiness assessment; next contact in four weeks."),
    "trial-work-assessment": (
        "Visited {f} at the trial work site; the supervisor reports {sub} completes the stocking route with two reminders a shift.",
        "{f} is gaining speed and accuracy; the job coach is fading support as planned in the trial work plan.",
        "Continue the trial work experience; job coach to record task data weekly; reassess before the next review."),
    "job-search": (
        "{f} applied to four customer service openings this month and had one interview at a call center.",
        "{f} interviews well but needs help disclosing accommodation needs; {sub} chose to practise with the job developer.",
        "Job developer to arrange two informational interviews; follow up on the call-center application next week."),
    "employment-follow-up": (
        "Phone follow-up with {f} and {pos} supervisor; {f} is working the agreed hours and met the first-quarter targets.",
        "The job is stable and matches the IPE outcome; the accommodation (screen magnifier) is working well.",
        "Next follow-up in four weeks; discuss closure once 90 days of employment are reached."),
    "other": (
        "{f} called to update {pos} address and phone number.",
        "No change to services; the contact information is updated in the case file.",
        "Send the updated release of information form for signature."),
}


def progress_note(c, id_, service, purpose="service-progress", fmt="DAP", n=3, author_id="u41", contact="in-person", **kw):
    note = Note("progress-note", id_, service, author_id=author_id, fmt=fmt, **kw)
    sub, pos = pronouns(c)
    f = c["first"]
    d, a, p = (t.format(f=f, sub=sub, pos=pos, n=n) for t in PROGRESS_TEXT.get(purpose, PROGRESS_TEXT["other"]))
    # another format than the four: a narrative summary, or DAP sections (an unknown format is still structured)
    other = [("summary", d + " " + a)] if fmt == "narrative" else [("data", d), ("assessment", a), ("plan", p)]
    note.sections = sg.format_sections(
        fmt, d, a, p, subjective=f"{f} says the course is going well and {sub} feels more confident on the phone.",
        intervention=f"Reviewed the IPE services and timeline with {f}; practised the accommodation request.",
        response=f"{f} agreed to ask the employer about a screen magnifier and to report back next week.",
        goal=f"{f} will obtain competitive integrated employment as a customer service representative (IPE goal 1).",
        other=other)
    if purpose is not None:
        note.body = [f"<progress {attrs(contact=contact, purpose=purpose)}/>"]
    return note


def application_note(c, id_, service, author_id="u41", date_text=None, signed_by="individual", **kw):
    note = Note("application", id_, service, author_id=author_id, **kw)
    f = c["first"]
    note.sections = [("summary", f"{f} applied for vocational rehabilitation services at the Eastside office, signed the application "
                                 "and the release of information, and is available to complete the assessment for eligibility.")]
    note.body = [f"<application {attrs(date=date_text or day(service), method='in-person', signed_by=signed_by, referral_source='self')}/>"]
    return note


def eligibility_note(c, id_, service, decision="eligible", application=None, category="most-significant", evidence=True,
                     basis=True, inelig=None, author_id="u41", **kw):
    note = Note("eligibility-determination", id_, service, author_id=author_id, **kw)
    f = c["first"]
    sub, pos = pronouns(c)
    if decision == "eligible":
        note.sections = [("summary", f"{f} is eligible for VR services: the records establish a disability that is a substantial "
                                     f"impediment to employment, and {sub} requires VR services to prepare for, secure and retain employment.")]
    else:
        note.sections = [("summary", f"{f} is not eligible for VR services at this time; the determination was discussed with {pos} "
                                     "in a full consultation before it was made.")]
    b = [f"<eligibility-determination {attrs(decision=decision, application_date=application)}>"]
    if basis:
        if decision == "eligible":
            b.append(f"  <basis>{escape(c['impairment'])}; {escape(f)} lost two jobs because of it. The impairment is a substantial "
                     "impediment to employment, and VR services are needed to prepare for, secure and keep a job.</basis>")
        else:
            b.append(f"  <basis>Current medical records show {f} is in intensive inpatient treatment with no expected discharge "
                     "date; the treating physician states that employment is not possible in the foreseeable future.</basis>")
    if decision == "eligible" and category is not None:
        b.append(f"  <disability-priority {attrs(category=category)}>")
        if evidence:
            b.append("    <evidence>Serious limitation in three functional capacities (cognition, work tolerance, self-direction) "
                     "per the evaluations in the record; needs multiple services over an extended time.</evidence>")
        b.append("  </disability-priority>")
    if inelig is not None:
        b.append(f"  <ineligibility {attrs(reason=inelig.get('reason', 'incapable'))}>")
        if inelig.get("consultation", True):
            b.append(f"    <consultation {attrs(date=day(service - dt.timedelta(days=5)), with_='individual')}>Reviewed the medical "
                     f"information with {f} and {pos} sister; {f} asked that the agency contact {pos} again after discharge.</consultation>")
        if inelig.get("notice", True):
            b.append(f"    <notice {attrs(date=day(service), language=c['language'], mode='print')}>Reasons: the treating "
                     "physician's statement that employment is not possible while in intensive treatment. Includes the right "
                     "to appeal and to request mediation.</notice>")
        if inelig.get("cap", True):
            b.append(f"    <cap-information {attrs(date=day(service))}/>")
        if inelig.get("referral", True):
            b.append(f"    <referral {attrs(to='Eastside Community Mental Health Center, peer support program', date=day(service))}/>")
        if inelig.get("review_due") is not None:
            b.append(f"    <review {attrs(due=inelig['review_due'])}/>")
        b.append("  </ineligibility>")
    b.append("</eligibility-determination>")
    note.body = b
    return note


JOSE_SERVICES = [
    dict(code="vocational-counseling", setting="integrated", start_by="2025-06-02", provider="Eastside VR office",
         procurement="dsu-staff", text="Vocational counseling and guidance twice a month."),
    dict(code="job-readiness-training", setting="integrated", start_by="2025-06-16", provider="Northside Employment Partners",
         procurement="purchased", text="Twelve-week job-readiness course at the community college."),
    dict(code="job-placement", setting="integrated", start_by="2025-09-01", provider="Northside Employment Partners",
         procurement="purchased", text="Job development and placement in customer service."),
    dict(code="assistive-technology", setting="integrated", start_by="2025-09-01", provider="Eastside VR office",
         procurement="purchased", text="Screen magnifier and headset for the workplace."),
]
ZOE_SERVICES = [
    dict(code="prevocational-skills", setting="non-integrated", start_by="2023-09-25", provider="Harborview Skills Center",
         procurement="purchased", text="Four-week prevocational skills group (stocking, time management).",
         justification="{f} chose the four-week center-based group after touring two community options: the only integrated "
                       "program with an opening starts in March, and the group is time-limited and leads to the job placement below."),
    dict(code="supported-employment", setting="integrated", start_by="2023-10-30", provider="Harborview Supported Employment",
         procurement="purchased", text="Job development, placement and job coaching in a grocery store."),
]
MINH_SERVICES = [
    dict(code="vocational-counseling", setting="integrated", start_by="2025-12-01", provider="Westside VR office",
         procurement="dsu-staff", text="Vocational counseling and guidance twice a month."),
    dict(code="occupational-training", setting="integrated", start_by="2026-01-12", provider="Lakeview Technical College",
         procurement="purchased", text="IT support certificate program (two semesters)."),
    dict(code="job-placement", setting="integrated", start_by="2026-09-01", provider="Westside VR office",
         procurement="dsu-staff", text="Job development and placement in IT support."),
]
ALL_CHOICES = ("assessment", "outcome", "services", "providers", "setting", "procurement")
CHOICE_TEXT = {
    "assessment": "{f} chose to complete the situational assessment at a community employer rather than a center.",
    "outcome": "{f} chose the outcome after two informational interviews and a labor-market review.",
    "services": "{f} compared the course with on-the-job training and chose the course.",
    "providers": "{f} chose the provider from a list of three after meeting two of them.",
    "setting": "{f} chose community settings for every service offered in one.",
    "procurement": "{f} agreed to the agency purchasing the services; no self-directed purchase was requested.",
}


def ipe_note(c, id_, service, author_id="u41", kind="competitive-integrated", soc="43-4051", title="Customer service representative",
             hours=30, services=None, drop=(), choices=ALL_CHOICES, supported=None, copy_drop=(), party="individual",
             agreement_text=None, ipe_kind="initial", cosign=True, **kw):
    extra = ((("u09", service + dt.timedelta(days=1, hours=-2)),) if cosign else ())
    note = Note("ipe", id_, service, author_id=author_id, extra_sigs=extra, **kw)
    f = c["first"]
    sub, pos = pronouns(c)
    note.sections = [("summary", f"Individualized Plan for Employment developed with {f} at a planning meeting; {f} chose the "
                                 "employment outcome, services and providers below.")]
    services = JOSE_SERVICES if services is None else services
    if "content" in drop:
        note.body = []
        return note
    b = [f"<ipe {attrs(kind=ipe_kind)}>"]
    oa = dict(kind=kind, soc=soc, title=title, hours_per_week=hours)
    for k in ("kind", "soc"):
        if f"outcome-{k}" in drop:
            oa.pop(k)
    b.append(f"  <employment-outcome {attrs(**oa)}/>")
    b.append("  <services>")
    for s in services:
        sa = dict(code=s["code"], setting=s["setting"], start_by=s["start_by"], provider=s["provider"], procurement=s["procurement"])
        for k in s.get("drop", ()):
            sa.pop(k)
        if s.get("justification") is None:
            b.append(f"    <service {attrs(**sa)}>{escape(s['text'])}</service>")
        else:
            b.append(f"    <service {attrs(**sa)}>{escape(s['text'])}")
            if s["justification"]:
                b.append(f"      <justification>{escape(s['justification'].format(f=f))}</justification>")
            b.append("    </service>")
    b.append("  </services>")
    if "timeline" not in drop:
        b.append(f"  <timeline {attrs(outcome_by=day(service + dt.timedelta(days=365)))}/>")
    supported_outcome = kind == "supported-employment"
    if "progress-criteria" not in drop:
        b.append("  <progress-criteria>Job coach task data show the agreed tasks done with no more than one prompt a shift; "
                 "weekly hours reach the goal; monthly progress reviewed with the counselor against the IPE timeline.</progress-criteria>"
                 if supported_outcome else
                 "  <progress-criteria>Course completed with a certificate; at least four applications a month once placement "
                 "starts; monthly progress reviewed with the counselor against the IPE timeline.</progress-criteria>")
    b.append("  <terms>")
    b.append("    <dsu-responsibilities>Pay for the skills group, job development and job coaching; provide counseling and "
             "guidance.</dsu-responsibilities>" if supported_outcome else
             "    <dsu-responsibilities>Pay for the course, placement services and assistive technology; provide counseling "
             "and guidance.</dsu-responsibilities>")
    b.append(f"    <individual-responsibilities>Attend the course and appointments; tell the counselor about any change in "
             "health, address or benefits.</individual-responsibilities>")
    b.append(f"    <cost-participation>None: {f}'s income is below the agency's financial-need threshold.</cost-participation>")
    if "comparable-benefits" not in drop:
        b.append("    <comparable-benefits>Medicaid waiver funds the extended services after job coaching ends.</comparable-benefits>"
                 if supported_outcome else
                 "    <comparable-benefits>Pell grant applied to the tuition; Medicaid covers the neuropsychology follow-up.</comparable-benefits>")
    b.append("  </terms>")
    if supported is not None:
        sa = dict(extended_services_source=supported.get("source"), weekly_hours_goal=supported.get("hours"))
        b.append(f"  <supported-employment {attrs(**sa)}>Job coaching fades over 12 weeks; extended services start once the job "
                 "is stable.</supported-employment>")
    if "post-employment" not in drop:
        b.append(f"  <post-employment-services {attrs(expected='false')}>None expected; {f} can ask for them after closure.</post-employment-services>")
    b.append("  <informed-choice>")
    for ch in choices:
        b.append(f"    <choice about={quoteattr(ch)}>{escape(CHOICE_TEXT[ch].format(f=f))}</choice>")
    b.append("  </informed-choice>")
    if party:
        b.append("  " + agreement(c, party, service + dt.timedelta(minutes=90), signed_at_text=agreement_text))
    if "copy" not in drop:
        b.append("  " + copy_line(c, service, copy_drop))
    b.append("</ipe>")
    note.body = b
    return note


def amendment_note(c, id_, service, effective, author_id="u41", changes=(("services", "Adds 8 weeks of job coaching by Northside Employment Partners after placement."),),
                   individual_at=None, copy=True, party="individual", **kw):
    note = Note("ipe-amendment", id_, service, author_id=author_id, **kw)
    f = c["first"]
    note.sections = [("summary", f"IPE amendment agreed with {f}: job coaching added after the first placement interviews showed "
                                 "a need for on-site support.")]
    b = [f"<ipe-amendment {attrs(ipe='N-25-3101-IPE', effective_date=effective)}>"]
    for area, text in changes:
        b.append(f"  <change area={quoteattr(area)}>{escape(text)}</change>")
    b.append("  <services>")
    b.append(f"    <service {attrs(code='job-coaching', setting='integrated', start_by=effective, provider='Northside Employment Partners', procurement='purchased')}>Job coaching on site, fading over 8 weeks.</service>")
    b.append("  </services>")
    if party:
        b.append("  " + agreement(c, party, individual_at or service + dt.timedelta(minutes=45)))
    if copy:
        b.append("  " + copy_line(c, service))
    b.append("</ipe-amendment>")
    note.body = b
    return note


def review_note(c, id_, service, participated="true", author_id="u41", **kw):
    note = Note("ipe-review", id_, service, author_id=author_id, **kw)
    f = c["first"]
    note.sections = [("summary", f"Annual review of the IPE with {f}.")]
    note.body = [f"<ipe-review {attrs(individual_participated=participated, result='continue')}>Reviewed progress on each service "
                 f"and the timeline with {escape(f)}; the outcome and services still fit {escape(f)}'s choices. No amendment needed.</ipe-review>"]
    return note


def closure_note(c, id_, service, kind="employment-outcome", reason_code=None, start=None, author_id="u41", employment=None,
                 agree=("individual", "vr-counselor"), **kw):
    note = Note("closure", id_, service, author_id=author_id, **kw)
    f = c["first"]
    if kind == "employment-outcome":
        note.sections = [("summary", f"Case closed with an employment outcome: {f} has worked as a customer service representative "
                                     f"since the start date below, and both {f} and the counselor agree the job is satisfactory.")]
    else:
        note.sections = [("summary", f"Case closed without an employment outcome; {f} was informed of the closure in writing and "
                                     "of the right to reapply.")]
    b = [f"<closure {attrs(kind=kind, reason_code=reason_code)}>"]
    if kind == "employment-outcome":
        e = dict(employer="Cascade Mutual Insurance", start_date=start, soc="43-4051", title="Customer service representative",
                 hours_per_week=32, hourly_wage="19.75", setting="competitive-integrated", consistent_with_ipe="true",
                 services_contributed="true")
        e.update(employment or {})
        b.append(f"  <employment {attrs(**e)}/>")
    for party in agree:
        b.append("  " + agreement(c, party, service + dt.timedelta(minutes=30), satisfactory="true" if kind == "employment-outcome" else None,
                                  uid=author_id if party == "vr-counselor" else None))
    b.append("</closure>")
    note.body = b
    return note


# ---------------------------------------------------------------------------------------------------
# Documents

def standalone(note, c):
    return note.standalone(sg.client_lines(c))


def case_record(c, rid, as_of, events, notes, extensions=(), office="Eastside", worker="u41", sort=True):
    return sg.case_record(Note.SETTING, sg.client_lines(c), rid, as_of, events, notes, extensions, office, worker, sort)


# José: applied 2025-02-03, eligible on day 49, IPE on day 66 after eligibility, amended, reviewed after a year,
# employed from 2026-06-01, closed after 105 days. Checked with the 2025 schema.
JOSE_PROGRESS = [("2025-04-15", "service-progress"), ("2025-07-10", "service-progress"), ("2025-08-19", "service-progress"),
                 ("2025-11-18", "job-search"), ("2026-02-10", "job-search"), ("2026-04-07", "job-search"),
                 ("2026-07-14", "employment-follow-up"), ("2026-08-20", "employment-follow-up")]


def jose_record(app="2025-02-03", elig="2025-03-24", decision="eligible", ipe="2025-05-29", review="2026-05-15",
                emp_start="2026-06-01", closure="2026-09-14", as_of="2026-09-30", extensions=(), drop_events=(),
                event_overrides=None, extra_notes=(), elig_note=True, swap=None, progress=JOSE_PROGRESS, note_overrides=None,
                app_date_event=None):
    c = JOSE
    notes = [application_note(c, "N-25-3101-APP", D(app, "09:30"))]
    if elig_note:
        notes.append(eligibility_note(c, "N-25-3101-ELG", D(elig, "14:00"), application=app))
    if ipe:
        notes.append(ipe_note(c, "N-25-3101-IPE", D(ipe, "10:00")))
        notes.append(amendment_note(c, "N-25-3101-AM1", D("2025-09-08", "11:00"), "2025-09-15"))
    if review:
        notes.append(review_note(c, "N-26-3101-REV1", D(review, "10:30")))
    for i, (d, purpose) in enumerate(progress):
        kw = (note_overrides or {}).get(d, {})
        notes.append(progress_note(c, f"N-3101-P{i + 1:02d}", D(d, "15:00"), purpose, n=i + 2, **kw))
    if closure:
        notes.append(closure_note(c, "N-26-3101-CLS", D(closure, "11:00"), start=emp_start))
    notes += list(extra_notes)
    events = [dict(type="application", date=app_date_event or app),
              dict(type="eligibility", date=elig, decision=decision),
              dict(type="employment-start", date=emp_start, employer="Cascade Mutual Insurance"),
              dict(type="exit", date=closure)]
    events = [e for e in events if e["type"] not in drop_events and e["date"]]
    for e in events:
        e.update((event_overrides or {}).get(e["type"], {}))
        if "decision" in e and e["decision"] is None:
            e.pop("decision")
    if not closure:
        events = [e for e in events if e["type"] != "exit"]
    return case_record(c, "VR-2025-3101", as_of, events, sg.sorted_notes(notes, swap), extensions, worker="u41", sort=False)


# Zoë: supported employment after a trial work experience (progress assessed every 74 days), eligibility on an
# extension she agreed to; open on 2024-06-30, so checked with the 2017 schema (90-day trial work interval).
# `shift` moves every date (whole weeks) to reuse the same case under the 2025 schema.
def trial_work_record(c=ZOE, rid="VR-2023-2877", shift_days=0, as_of="2024-06-30", assessments=("2023-04-07", "2023-06-20"),
                      plan_date="2023-01-20", extension=True, author_id="u47"):
    def S(s, hm="10:00"):
        return D(s, hm) + dt.timedelta(days=shift_days)

    def sd(s):
        return day(S(s))

    notes = [application_note(c, f"N-{rid[3:]}-APP", S("2023-01-09", "09:30"), author_id=author_id)]
    for i, a in enumerate(assessments):
        notes.append(progress_note(c, f"N-{rid[3:]}-TW{i + 1}", S(a, "14:00"), "trial-work-assessment", n=i + 1, author_id=author_id))
    en = eligibility_note(c, f"N-{rid[3:]}-ELG", S("2023-07-14", "11:00"), application=sd("2023-01-09"), author_id=author_id)
    notes.append(en)
    ipe = ipe_note(c, f"N-{rid[3:]}-IPE", S("2023-09-12", "10:00"), author_id=author_id, kind="supported-employment", soc="53-7065",
                   title="Stocker and order filler", hours=20, services=[dict(s, start_by=sd(s["start_by"])) for s in ZOE_SERVICES],
                   supported=dict(source="Riverside County Developmental Disabilities Board", hours=20))
    notes.append(ipe)
    notes.append(progress_note(c, f"N-{rid[3:]}-P1", S("2023-11-14", "15:00"), "service-progress", n=4, author_id=author_id))
    notes.append(progress_note(c, f"N-{rid[3:]}-P2", S("2024-03-12", "15:00"), "employment-follow-up", n=5, author_id=author_id))
    notes.append(progress_note(c, f"N-{rid[3:]}-P3", S("2024-05-07", "15:00"), "employment-follow-up", n=6, author_id=author_id))
    tw = dict(type="trial-work", date=sd("2023-01-23"), end_date=sd("2023-06-30"), plan_date=sd(plan_date) if plan_date else None)
    events = [dict(type="application", date=sd("2023-01-09")), tw,
              dict(type="eligibility", date=sd("2023-07-14"), decision="eligible"),
              dict(type="employment-start", date=sd("2024-02-05"), employer="Fairway Market")]
    extensions = ()
    if extension:
        extensions = (dict(rule="VR-V1", agreed_at=sd("2023-02-27"), until=sd("2023-07-31"),
                           reason=f"Trial work experience under way to decide whether {c['first']} can benefit from VR services.",
                           agreed_by=author_id, individual_agreed="true"),)
    return case_record(c, rid, as_of, events, notes, extensions, worker=author_id)


# Minh: the IPE on day 98 under an extension to a specific date he agreed to on day 77 (2025 schema).
def minh_record(ext=dict(agreed_at="2025-11-03", until="2025-12-05"), ipe="2025-11-24", ext_extra=None):
    c = MINH
    notes = [application_note(c, "N-25-3190-APP", D("2025-07-07", "09:00"), author_id="u44"),
             eligibility_note(c, "N-25-3190-ELG", D("2025-08-18", "13:00"), application="2025-07-07", category="significant",
                              author_id="u44"),
             progress_note(c, "N-25-3190-P1", D("2025-09-30", "15:00"), "other", author_id="u44", fmt="SOAP"),
             ipe_note(c, "N-25-3190-IPE", D(ipe, "10:00"), author_id="u44", soc="15-1232", title="Computer user support specialist",
                      hours=40, services=MINH_SERVICES, cosign=False),
             progress_note(c, "N-26-3190-P2", D("2026-02-17", "15:00"), "service-progress", author_id="u44")]
    extensions = ()
    if ext is not None:
        x = dict(rule="VR-V2", agreed_at=ext["agreed_at"], until=ext["until"],
                 reason="Minh was hospitalized in October; the planning meeting was postponed at his request.",
                 agreed_by="u44", individual_agreed="true")
        x.update(ext_extra or {})
        extensions = (x,)
    events = [dict(type="application", date="2025-07-07"), dict(type="eligibility", date="2025-08-18", decision="eligible")]
    return case_record(c, "VR-2025-3190", "2026-03-31", events, notes, extensions, office="Westside", worker="u44")


# Anaïs: found ineligible (incapable of an employment outcome for now) on day 49; review scheduled within 12
# months; closed as ineligible.
def anais_record():
    c = ANAIS
    notes = [application_note(c, "N-25-3155-APP", D("2025-08-04", "10:00"), author_id="u44"),
             eligibility_note(c, "N-25-3155-ELG", D("2025-09-22", "14:00"), decision="ineligible", application="2025-08-04",
                              inelig=dict(review_due="2026-09-15"), author_id="u44"),
             closure_note(c, "N-25-3155-CLS", D("2025-10-06", "11:00"), kind="ineligible", reason_code="06", author_id="u44",
                          agree=())]
    events = [dict(type="application", date="2025-08-04"), dict(type="eligibility", date="2025-09-22", decision="ineligible"),
              dict(type="exit", date="2025-10-06")]
    return case_record(c, "VR-2025-3155", "2025-10-31", events, notes, office="Westside", worker="u44")


def main():
    v, inv = sg.fresh_dirs(os.path.join(SAMPLES, "valid"), os.path.join(SAMPLES, "invalid"))

    def jose_ipe(**kw):
        return ipe_note(JOSE, "N-25-3101-IPE", D("2025-05-29", "10:00"), **kw)

    def jose_progress(fmt="DAP", **kw):
        return progress_note(JOSE, "N-25-3101-P03", D("2025-08-19", "15:00"), "service-progress", fmt=fmt, **kw)

    def jose_amendment(**kw):
        return amendment_note(JOSE, "N-25-3101-AM1", D("2025-09-08", "11:00"), kw.pop("effective", "2025-09-15"), **kw)

    def jose_closure(**kw):
        kw.setdefault("start", "2026-06-01")
        return closure_note(JOSE, "N-26-3101-CLS", D("2026-09-14", "11:00"), **kw)

    def anais_eligibility(**kw):
        inelig = dict(review_due="2026-09-15")
        inelig.update(kw.pop("inelig", {}))
        return eligibility_note(ANAIS, "N-25-3155-ELG", D("2025-09-22", "14:00"), decision="ineligible", application="2025-08-04",
                                inelig=inelig, author_id="u44", **kw)

    def jose_eligibility(**kw):
        return eligibility_note(JOSE, "N-25-3101-ELG", D("2025-03-24", "14:00"), application="2025-02-03", **kw)

    # Valid samples ------------------------------------------------------------------------------------
    write(f"{v}/case-record-jose-2026.xml", "none",
          "Eligible on day 49, IPE on day 66, amended, reviewed within 12 months, employed 105 days before closure (2025 schema).", jose_record())
    write(f"{v}/case-record-zoe-2024-trial-work.xml", "none",
          "Trial work with progress every 74 days, eligibility on an agreed extension, supported employment; open on 2024-06-30, checked with the 2017 schema (90-day interval).",
          trial_work_record())
    write(f"{v}/case-record-minh-ipe-extension.xml", "none",
          "IPE on day 98 after eligibility under an extension to 2025-12-05 agreed on day 77 (VR-V2 extended).", minh_record())
    write(f"{v}/case-record-anais-ineligible.xml", "none",
          "Found ineligible on day 49 with consultation, notice, CAP information, referral and a review within 12 months; closed as ineligible.",
          anais_record())
    write(f"{v}/application.xml", "none", "Application for VR services.", standalone(application_note(JOSE, "N-25-3101-APP", D("2025-02-03", "09:30")), JOSE))
    write(f"{v}/eligibility-eligible.xml", "none", "Eligibility determination: eligible, most significant disability, with evidence.", standalone(jose_eligibility(), JOSE))
    write(f"{v}/eligibility-ineligible.xml", "none", "Ineligibility determination (incapable for now) with every required notice and a review in 12 months.",
          standalone(anais_eligibility(), ANAIS))
    write(f"{v}/ipe-competitive-integrated.xml", "none", "IPE for competitive integrated employment, signed by José and a qualified counselor, copy in Spanish.",
          standalone(jose_ipe(), JOSE))
    write(f"{v}/ipe-representative-signed.xml", "none", "IPE agreed and signed by the individual's authorized representative.",
          standalone(jose_ipe(party="representative"), JOSE))
    write(f"{v}/ipe-2023-supported-employment.xml", "none",
          "Supported-employment IPE with extended services, a justified non-integrated service; 2023, checked with the 2017 schema.",
          standalone(ipe_note(ZOE, "N-2023-2877-IPE", D("2023-09-12", "10:00"), author_id="u47", kind="supported-employment", soc="53-7065",
                              title="Stocker and order filler", hours=20, services=ZOE_SERVICES,
                              supported=dict(source="Riverside County Developmental Disabilities Board", hours=20)), ZOE))
    write(f"{v}/ipe-amendment.xml", "none", "IPE amendment adding job coaching, signed by both parties before it takes effect.", standalone(jose_amendment(), JOSE))
    write(f"{v}/ipe-review.xml", "none", "Annual IPE review held with the individual.", standalone(review_note(JOSE, "N-26-3101-REV1", D("2026-05-15", "10:30")), JOSE))
    write(f"{v}/progress-dap.xml", "none", "Progress note, DAP format.", standalone(jose_progress(), JOSE))
    write(f"{v}/progress-soap.xml", "none", "Progress note, SOAP format.", standalone(jose_progress("SOAP"), JOSE))
    write(f"{v}/progress-birp.xml", "none", "Progress note, BIRP format.", standalone(jose_progress("BIRP"), JOSE))
    write(f"{v}/progress-girp.xml", "none", "Progress note, GIRP format.", standalone(jose_progress("GIRP"), JOSE))
    late = jose_progress(entered_h=50, late_entry="true", late_reason="Counselor was at a two-day training after the contact.")
    late.addenda = STAFF.addendum("u41", "amendment", "2025-08-25T09:15",
                                  "Course instructor: Ms. Ingrid Sæther, 555-0187; José agreed to weekly check-ins with her.",
                                  D("2025-08-25", "09:20"), reason="Added the instructor contact requested by the supervisor.")
    write(f"{v}/progress-late-entry-with-amendment.xml", "none", "A labelled late entry (entered 50 hours after the contact) with a signed amendment addendum.",
          standalone(late, JOSE))
    write(f"{v}/progress-2023-trial-work.xml", "none", "A 2023 trial work assessment, checked with the 2017 schema.",
          standalone(progress_note(ZOE, "N-2023-2877-TW1", D("2023-04-07", "14:00"), "trial-work-assessment", author_id="u47"), ZOE))
    write(f"{v}/closure-employment-outcome.xml", "none", "Closed with an employment outcome after 105 days of employment; both parties agree it is satisfactory.",
          standalone(jose_closure(), JOSE))
    write(f"{v}/closure-no-employment-outcome.xml", "none", "Closed without an employment outcome, with an RSA-911 reason for exit.",
          standalone(closure_note(MINH, "N-26-3190-CLS", D("2026-04-20", "11:00"), kind="no-employment-outcome", reason_code="13", author_id="u44",
                                  agree=()), MINH))

    # Invalid samples: common note rules (X1-X4) -----------------------------------------------------------
    def inv_note(name, expect, desc, note, c=JOSE):
        write(f"{inv}/{name}.xml", expect, desc, standalone(note, c))

    sg.write_common_note_samples(
        inv_note, jose_progress,
        STAFF.addendum("u41", "correction", "2025-08-21T10:00", "The course is the twelve-week course, not the eight-week one.",
                       D("2025-08-21", "10:02")),
        short_goal="IPE 1.", date_only="2025-08-19", bad_signed_at="08/19/2025 6:10 PM", contact="contact",
        window="agency window: 72 hours")

    # Invalid samples: vocational notes ------------------------------------------------------------------------
    inv_note("v1-application-date-malformed", "VR-V1-APPLICATION-DATE", "The application date is not an ISO date.",
             application_note(JOSE, "N-25-3101-APP", D("2025-02-03", "09:30"), date_text="02/03/2025"))
    inv_note("v8-decision-missing", "VR-V8-DECISION", "The eligibility determination does not state the decision.",
             eligibility_note(JOSE, "N-25-3101-ELG", D("2025-03-24", "14:00"), decision=None, application="2025-02-03", category=None))
    inv_note("v8-no-basis", "VR-V8", "The eligibility determination does not document its basis.", jose_eligibility(basis=False))
    inv_note("v9-no-evidence", "VR-V9", "An eligible individual's significance of disability has no evidence.", jose_eligibility(evidence=False))
    inv_note("v14-no-cap-information", "VR-V14", "Ineligibility notice without information on the Client Assistance Program.",
             anais_eligibility(inelig=dict(cap=False)), ANAIS)
    inv_note("v14-review-after-14-months", "VR-V14-REVIEW", "Ineligible as incapable on 2025-09-22, review scheduled only for 2026-11-20 (over 12 months).",
             anais_eligibility(inelig=dict(review_due="2026-11-20")), ANAIS)
    inv_note("v3-no-ipe-content", "VR-V3-WRITTEN", "An ipe note with no ipe content.", jose_ipe(drop=("content",)))
    inv_note("v3-counselor-not-qualified", "VR-V3-COUNSELOR", "The IPE is approved only by a counselor whose credential (BA) the agency does not accept.",
             jose_ipe(author_id="u58", cosign=False))
    inv_note("v3-no-individual-agreement", "VR-V3-INDIVIDUAL", "The IPE is not agreed and signed by the individual or a representative.", jose_ipe(party=None))
    inv_note("v3-agreement-date-malformed", "VR-V3-AGREEMENT-DATE", "The individual's signature on the IPE has no ISO date-time.",
             jose_ipe(agreement_text="May 29, 2025"))
    inv_note("v4-copy-no-language", "VR-V4", "The copy of the IPE does not record the language it was provided in.", jose_ipe(copy_drop=("language",)))
    inv_note("v7-outcome-no-soc", "VR-V7-OUTCOME", "The employment outcome has no SOC occupation code.", jose_ipe(drop=("outcome-soc",)))
    inv_note("v7-outcome-uncompensated", "VR-V7-OUTCOME-KIND", "The employment outcome is an uncompensated one (homemaker), not competitive integrated or supported employment.",
             jose_ipe(kind="uncompensated", soc="11-9199", title="Homemaker"))
    inv_note("v7-service-no-start-date", "VR-V7-SERVICES", "A service without the date it will start.",
             jose_ipe(services=[dict(s, drop=("start_by",)) if s["code"] == "job-placement" else s for s in JOSE_SERVICES]))
    inv_note("v7-service-no-procurement", "VR-V7-PROVIDERS", "A service without its procurement method.",
             jose_ipe(services=[dict(s, drop=("procurement",)) if s["code"] == "assistive-technology" else s for s in JOSE_SERVICES]))
    inv_note("v7-no-timeline", "VR-V7-TIMELINE", "The IPE has no timeline for achieving the outcome.", jose_ipe(drop=("timeline",)))
    inv_note("v7-no-progress-criteria", "VR-V7-PROGRESS-CRITERIA", "The IPE has no criteria to evaluate progress.", jose_ipe(drop=("progress-criteria",)))
    inv_note("v7-no-comparable-benefits", "VR-V7-TERMS", "The IPE's terms do not address comparable benefits.", jose_ipe(drop=("comparable-benefits",)))
    inv_note("v7-supported-no-hours-goal", "VR-V7-SUPPORTED", "A supported-employment IPE without the weekly-hours goal.",
             ipe_note(ZOE, "N-2023-2877-IPE", D("2023-09-12", "10:00"), author_id="u47", kind="supported-employment", soc="53-7065",
                      title="Stocker and order filler", hours=20, services=ZOE_SERVICES,
                      supported=dict(source="Riverside County Developmental Disabilities Board")), ZOE)
    inv_note("v7-no-post-employment", "VR-V7-POST-EMPLOYMENT", "The IPE does not say whether post-employment services are expected.", jose_ipe(drop=("post-employment",)))
    inv_note("v10-informed-choice-incomplete", "VR-V10", "Informed choice of providers and procurement method is not documented.",
             jose_ipe(choices=("assessment", "outcome", "services", "setting")))
    inv_note("v11-non-integrated-no-justification", "VR-V11", "A service in a non-integrated setting without a justification.",
             ipe_note(ZOE, "N-2023-2877-IPE", D("2023-09-12", "10:00"), author_id="u47", kind="supported-employment", soc="53-7065",
                      title="Stocker and order filler", hours=20, services=[dict(s, justification="") if s["setting"] == "non-integrated" else s for s in ZOE_SERVICES],
                      supported=dict(source="Riverside County Developmental Disabilities Board", hours=20)), ZOE)
    inv_note("v6-no-effective-date", "VR-V6-EFFECTIVE-DATE", "The IPE amendment does not say when it takes effect.", jose_amendment(effective=None))
    inv_note("v6-not-signed-by-individual", "VR-V6-SIGNED", "The IPE amendment is not signed by the individual.", jose_amendment(party=None))
    inv_note("v6-no-changes", "VR-V6-CHANGES", "The IPE amendment does not say what it changes.", jose_amendment(changes=()))
    inv_note("v6-effective-before-signed", "VR-V6-EFFECTIVE", "The amendment is dated effective 2025-09-01, a week before both parties signed it.",
             jose_amendment(effective="2025-09-01"))
    inv_note("v4-amendment-no-copy", "VR-V4-AMENDMENT", "No copy of the IPE amendment was given to the individual.", jose_amendment(copy=False))
    inv_note("v5-review-without-individual", "VR-V5-WITH-INDIVIDUAL", "The annual review was held without the individual.",
             review_note(JOSE, "N-26-3101-REV1", D("2026-05-15", "10:30"), participated="false"))
    inv_note("v12-progress-purpose-unknown", "VR-V12-PURPOSE", "The progress note's purpose is not a known one.",
             progress_note(JOSE, "N-25-3101-P03", D("2025-08-19", "15:00"), "check-in"))
    inv_note("v13-closed-after-60-days", "VR-V13", "Closed with an employment outcome 60 days after the job started (native check).",
             jose_closure(start="2026-07-16"))
    inv_note("v13-no-start-date", "VR-V13", "Closed with an employment outcome, but no employment start date is recorded (native check).",
             jose_closure(start=None))
    inv_note("v13-outcome-not-consistent-with-ipe", "VR-V13-OUTCOME", "The employment at closure does not match the IPE outcome, and its wage is missing.",
             jose_closure(employment=dict(consistent_with_ipe="false", hourly_wage=None)))
    inv_note("v13-no-counselor-agreement", "VR-V13-AGREEMENT", "The counselor's agreement that the outcome is satisfactory is missing.",
             jose_closure(agree=("individual",)))
    inv_note("v15-exit-type-unknown", "VR-V15-EXIT-TYPE", "The closure kind is not a known one.",
             closure_note(MINH, "N-26-3190-CLS", D("2026-04-20", "11:00"), kind="unsuccessful", reason_code="13", author_id="u44", agree=()), MINH)
    inv_note("v15-exit-reason-invalid", "VR-V15-EXIT-REASON", "The reason for exit code 01 is not in the PD 19-03 code set.",
             closure_note(MINH, "N-26-3190-CLS", D("2026-04-20", "11:00"), kind="no-employment-outcome", reason_code="01", author_id="u44", agree=()), MINH)

    # Invalid samples: case records ----------------------------------------------------------------------------
    def inv_record(name, expect, desc, lines):
        write(f"{inv}/{name}.xml", expect, desc, lines)

    inv_record("v1-eligibility-after-75-days", "VR-V1", "Eligibility determined 75 days after the application, without an extension.",
               jose_record(elig="2025-04-19"))
    inv_record("v1-extension-agreed-too-late", "VR-V1", "Eligibility on day 75 under an extension agreed on day 65, after the 60 days ran out.",
               jose_record(elig="2025-04-19", extensions=(dict(rule="VR-V1", agreed_at="2025-04-09", until="2025-04-30",
                                                               reason="Medical records from the neurologist delayed.", agreed_by="u41",
                                                               individual_agreed="true"),)))
    inv_record("v1-extension-without-individual", "VR-V1-EXTENSION VR-V1", "An extension of the eligibility deadline the individual did not agree to, so it does not count.",
               jose_record(elig="2025-04-19", extensions=(dict(rule="VR-V1", agreed_at="2025-03-20", until="2025-04-30",
                                                               reason="Medical records from the neurologist delayed.", agreed_by="u41"),)))
    inv_record("v2-ipe-after-104-days", "VR-V2", "IPE signed 104 days after eligibility, without an extension.", minh_record(ext=None, ipe="2025-11-30"))
    inv_record("v2-extension-no-agreed-by", "VR-V2-EXTENSION", "The IPE extension does not say who agreed to it for the agency.",
               minh_record(ext_extra=dict(agreed_by=None)))
    inv_record("v5-no-annual-review", "VR-V5", "IPE signed 2025-05-29, no review with the individual by the exit on 2026-09-14.", jose_record(review=None))
    inv_record("v8-no-determination-note", "VR-V8-RECORD", "An eligibility event without the eligibility-determination note documenting its basis.",
               jose_record(elig_note=False))
    inv_record("v12-trial-work-2025-interval", "VR-V12",
               "The same trial work history as Zoë's, in 2025: progress every 74 days breaks the 2025 schema's 60-day interval (native check).",
               trial_work_record(c=TADEUSZ, rid="VR-2025-3240", shift_days=728, as_of="2026-06-28", author_id="u44"))
    inv_record("v12-trial-work-no-plan", "VR-V12-PLAN", "A trial work experience without a written plan date.", trial_work_record(plan_date=None))
    inv_record("v13-case-record-closed-early", "VR-V13", "Employment started 2026-07-20; the case was closed on 2026-09-14, after 56 days (native check).",
               jose_record(emp_start="2026-07-20", progress=JOSE_PROGRESS[:-2]))
    inv_record("v15-eligibility-before-application", "VR-V15-DATES", "The eligibility event (2025-03-24) is dated before the application (2025-03-30) (native check).",
               jose_record(app="2025-03-30"))
    inv_record("v15-no-application-event", "VR-V15-APPLICATION", "The case record has no application event.", jose_record(drop_events=("application",)))
    inv_record("v15-eligibility-decision-missing", "VR-V15-ELIGIBILITY-EVENT", "The eligibility event does not state the decision.",
               jose_record(event_overrides={"eligibility": {"decision": None}}))
    inv_record("v15-event-date-malformed", "VR-V15-EVENT-DATE", "The employment-start event's date is not YYYY-MM-DD.",
               jose_record(event_overrides={"employment-start": {"date": "2026-6-1"}}))
    other = progress_note(JOSE, "N-26-3101-X1", D("2026-08-27", "15:00"), "other")
    other.type = "home-visit"
    inv_record("v15-note-type-unknown", "CASEDOC-DOCUMENT-TYPE", "A note whose type the vocational plugin does not declare.", jose_record(extra_notes=(other,)))
    inv_record("v15-notes-out-of-order", "VR-V15-NOTE-ORDER", "Two progress notes are swapped, so the notes are not in order of service.", jose_record(swap=(4, 5)))
    inv_record("case-record-several-problems", "VR-V2 VR-V5 X2-SIG-METHOD X3-LATE",
               "A realistic mix: IPE 98 days after eligibility, no annual review, a stamped signature in July 2025, an unlabelled late entry in February 2026.",
               jose_record(ipe="2025-06-30", review=None, note_overrides={"2025-07-10": {"sig_method": "stamped"}, "2026-02-10": {"entered_h": 40}}))


if __name__ == "__main__":
    main()
