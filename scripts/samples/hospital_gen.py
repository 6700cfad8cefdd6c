#!/usr/bin/env python3
"""Generates the hospital sample records (output is committed): plugins/hospital/samples/{valid,invalid}.

Run: python3 scripts/samples/hospital_gen.py [repo root]; then hospital_readme.py writes the README.
The patients, staff and providers are fictitious.
"""
import datetime as dt
import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ next to the scripts
import samplegen as sg  # noqa: E402
from samplegen import D, attrs, pronouns, ts, write  # noqa: E402

ROOT = sg.repo_root(__file__)
SAMPLES = os.path.join(ROOT, "plugins/hospital/samples")

STAFF = sg.Staff({
    "u21": dict(name="Maëlle Lindqvist", role="case-manager", credential="RN"),
    "u34": dict(name="Inés Castaño-Ruiz", role="social-worker", credential="LCSW"),
    "u40": dict(name="Dr. Amélie Fournier", role="attending", credential="MD"),
    "u41": dict(name="Dr. Kwame Mensah", role="hospitalist", credential="DO"),
    "u52": dict(name="Dr. Søren Vik", role="resident", credential="MD"),
    "u60": dict(name="Tomás Ibarra", role="discharge-planner", credential="BA"),
    "u05": dict(name="Renée Château", role="case-management-supervisor", credential="RN"),
})


class Note(sg.Note):
    SETTING, STAFF = "hospital", STAFF
    ENTERED_H, SIGNED_MIN, AUTHOR = 1.0, 5, "u21"


def client_lines(p):
    return sg.client_lines(p, ("mrn", p["mrn"]))


# ---------------------------------------------------------------------------------------------------
# Patients and providers

JOSE = dict(id="P-20417", name="José Núñez", first="José", birth="1946-03-12", sex="M", mrn="MRN-0041877", rep="Marisol Núñez")
ZOE = dict(id="P-18830", name="Zoë Åkesson-Muñoz", first="Zoë", birth="1958-11-02", sex="F", mrn="MRN-0038215", rep="Ingrid Åkesson")
LUCIA = dict(id="P-21105", name="Lucía Gómez-Ortiz", first="Lucía", birth="1982-07-19", sex="F", mrn="MRN-0045530")
CHLOE = dict(id="P-21388", name="Chloé Nguyễn", first="Chloé", birth="1939-01-27", sex="F", mrn="MRN-0046102")
FRANCOIS = dict(id="P-21460", name="François Dubois-Ngata", first="François", birth="1951-05-30", sex="M", mrn="MRN-0046391")

PROVIDERS = {
    "SNF": [("Sunrise Skilled Nursing &amp; Rehabilitation", "455812"), ("Bluebonnet Care Center", "455903"),
            ("Casa de Paz Nursing Center", "456017")],
    "HHA": [("Amistad Home Health", "457120"), ("Lone Star Visiting Nurses", "457344")],
    "IRF": [("Hill Country Rehabilitation Hospital", "453025"), ("St. Brigid Inpatient Rehabilitation", "453110")],
    "LTCH": [("Bayview Specialty Hospital", "452007"), ("Riverside Long-Term Acute Care", "452031")],
}


# ---------------------------------------------------------------------------------------------------
# Notes

ALL_NEEDS = ("hospice", "post-hospital-extended-care", "home-health", "non-health-care", "community-based")


def evaluation_note(p, id_, service, author_id="u21", likely=("post-hospital-extended-care", "non-health-care"),
                    needs=ALL_NEEDS, availability=True, access=True, discussed="patient", **kw):
    n = Note("discharge-planning-evaluation", id_, service, author_id=author_id, **kw)
    f = p["first"]
    sub, pos = pronouns(p)
    n.sections = [("summary", f"Discharge planning evaluation for {f}: screened at risk on admission; lives alone in a "
                              f"second-floor apartment; {sub} walked with a cane before this admission.")]
    text = {
        "hospice": "Not indicated; goals of care are restorative.",
        "post-hospital-extended-care": f"Likely: {f} needs daily physical therapy and nursing before returning home.",
        "home-health": f"Possible after the skilled stay; reassess before {f} goes home.",
        "non-health-care": "Likely: meal delivery and help with shopping after return home.",
        "community-based": f"Senior centre transport and the church visiting programme {f} already uses.",
    }
    b = [f"<dp-evaluation {attrs(reason='risk-screen')}>"]
    for s in needs:
        b.append(f"  <need {attrs(service=s, likely='true' if s in likely else 'false')}>{escape(text[s])}</need>")
    if availability:
        b.append("  <availability>Medicare-participating SNFs and home health agencies serving the patient's ZIP code "
                 "have capacity this week; Meals on Wheels serves the area.</availability>")
    if access:
        b.append(f"  <access>Medicare Part A covers the skilled stay after the qualifying 3-day admission; "
                 f"{pos} daughter can drive {f} to follow-up visits.</access>")
    if discussed:
        name = p["name"] if discussed == "patient" else p.get("rep", "the representative")
        b.append(f"  <discussed-with {attrs(party=discussed, name=name, at=ts(service + dt.timedelta(hours=2)))}>"
                 f"Reviewed the findings with {escape(name)}; {sub} agrees to a short skilled-nursing stay.</discussed-with>")
    b.append("</dp-evaluation>")
    n.body = b
    return n


def plan_note(p, id_, service, planned="SNF", kind="initial", providers=None, presented="patient", choice=True,
              quality=True, non_participating=False, financial_interest=False, disclosure=True, author_id="u21",
              update_reason=None, drop_disposition=False, **kw):
    n = Note("discharge-plan", id_, service, author_id=author_id, **kw)
    f = p["first"]
    sub, pos = pronouns(p)
    summary = {"initial": f"Initial discharge plan for {f}, developed with {f} and {pos} daughter.",
               "update": f"Discharge plan re-evaluated after the change in {f}'s condition."}[kind]
    n.sections = [("summary", summary)]
    a = dict(kind=kind, planned_disposition=None if drop_disposition else planned,
             planned_date=(service + dt.timedelta(days=4)).strftime("%Y-%m-%d"), update_reason=update_reason)
    b = [f"<discharge-plan {attrs(**a)}>",
         f"  <goals-of-care>Return home to {pos} apartment walking independently with a cane.</goals-of-care>",
         f"  <treatment-preferences>{f} prefers a facility close to {pos} daughter and wants no further "
         f"hospital stays if they can be avoided.</treatment-preferences>"]
    pac = planned in PROVIDERS
    if pac and providers != ():
        plist = providers if providers is not None else PROVIDERS[planned]
        pa = dict(presented_at=ts(service + dt.timedelta(hours=1)) if presented else None,
                  presented_to=presented or None, area="Travis County, TX")
        b.append(f"  <pac-list {attrs(**pa)}>")
        for i, (name, ccn) in enumerate(plist):
            fi = "true" if financial_interest and i == len(plist) - 1 else "false"
            mp = "false" if non_participating and i == len(plist) - 1 else "true"
            b.append(f"    <provider name=\"{name}\" {attrs(type=planned, medicare_participating=mp, ccn=ccn, financial_interest=fi)}/>")
        b.append("  </pac-list>")
        if quality:
            b.append(f"  <quality-data {attrs(source='Medicare Care Compare', quality_measures='true', resource_use_measures='true')}>"
                     f"Compared star ratings, discharge-to-community rates and Medicare spending per beneficiary for the listed "
                     f"providers; {f} weighed the discharge-to-community rate most, given {pos} goal of returning home.</quality-data>")
        if choice:
            first = plist[0][0] if plist else "the first listed provider"
            b.append(f"  <choice {attrs(freedom_of_choice_explained='true', selected_by='patient')} provider=\"{first}\">"
                     f"{f} chose the first provider on the list, the closest to {pos} daughter; the hospital did not limit the choice.</choice>")
        if financial_interest and disclosure:
            name = plist[-1][0]
            b.append(f"  <financial-interest-disclosure provider=\"{name}\">The hospital's parent company owns 40 % of "
                     f"{name}; this was explained to {f} in writing.</financial-interest-disclosure>")
    b.append("</discharge-plan>")
    n.body = b
    return n


SUMMARY_SECTIONS = {
    "reason-for-hospitalization": "Admitted from the emergency department with acute on chronic systolic heart failure.",
    "hospital-course": "Diuresed with IV furosemide; acute kidney injury on day 3 resolved after the diuretic was held for 24 hours.",
    "outcome": "Improved: euvolemic, creatinine back to baseline, walking 50 feet with a walker.",
    "disposition": "Discharged to Sunrise Skilled Nursing & Rehabilitation for daily physical therapy.",
    "follow-up": "Cardiology clinic in 7 days; primary care in 14 days; daily weights and BMP in 1 week at the SNF.",
}


ZOE_SUMMARY = {
    "reason-for-hospitalization": "Admitted after a fall at home with a displaced left femoral neck fracture.",
    "hospital-course": "Hemiarthroplasty on day 1 without complications; weight bearing as tolerated from day 2.",
    "outcome": "Improved: pain controlled on oral medication, transferring with the assistance of one person.",
    "disposition": "Discharged to Hill Country Rehabilitation Hospital for intensive rehabilitation.",
    "follow-up": "Orthopaedic clinic in 2 weeks for wound check; anticoagulation for 35 days; PCP after rehabilitation.",
}
LUCIA_SUMMARY = {
    "reason-for-hospitalization": "Admitted with acute appendicitis.",
    "hospital-course": "Laparoscopic appendectomy on the night of admission; post-operative ileus on day 2 resolved with bowel rest.",
    "outcome": "Recovered: tolerating a regular diet, pain controlled, walking independently.",
    "disposition": "Discharged home with her partner; no services needed.",
    "follow-up": "Surgical clinic in 10 days; primary care in 1 week; return if fever or worsening pain.",
}
DIAGNOSES = {
    "JOSE": [("I50.23", "Acute on chronic systolic heart failure"), ("N17.9", "Acute kidney injury, resolved")],
    "ZOE": [("S72.002A", "Fracture of the left femoral neck, initial encounter")],
    "LUCIA": [("K35.80", "Acute appendicitis"), ("K56.7", "Post-operative ileus, resolved")],
}


MEDS = {
    "JOSE": [dict(name="Furosemide", dose="40 mg", route="oral", frequency="once daily", purpose="Heart failure (fluid)"),
             dict(name="Metoprolol succinate", dose="50 mg", route="oral", frequency="once daily", purpose="Heart failure"),
             dict(name="Apixaban", dose="5 mg", route="oral", frequency="twice daily", purpose="Atrial fibrillation (stroke prevention)")],
    "ZOE": [dict(name="Enoxaparin", dose="40 mg", route="subcutaneous", frequency="once daily", purpose="Prevent blood clots after hip surgery"),
            dict(name="Acetaminophen", dose="1 g", route="oral", frequency="every 8 hours", purpose="Pain")],
    "LUCIA": [dict(name="Ibuprofen", dose="400 mg", route="oral", frequency="every 6 hours as needed", purpose="Pain")],
}
MEDS["incomplete"] = MEDS["JOSE"]


def summary_note(p, id_, service, author_id="u40", sections=tuple(SUMMARY_SECTIONS), diagnosis=True, meds="JOSE",
                 texts=SUMMARY_SECTIONS, diagnoses=DIAGNOSES["JOSE"], **kw):
    n = Note("discharge-summary", id_, service, author_id=author_id, **kw)
    n.sections = [(code, texts[code]) for code in sections]
    b = []
    if diagnosis:
        for i, (code, text) in enumerate(diagnoses):
            b.append(f"<final-diagnosis {attrs(code=code, system='ICD-10-CM', principal='true' if i == 0 else None)}>{escape(text)}</final-diagnosis>")
    med_list = [dict(m) for m in MEDS.get(meds, MEDS["JOSE"])] if meds else []
    if meds == "incomplete":
        med_list[1].pop("purpose")
    if meds:
        b.append(f"<discharge-medications {attrs(given_to_patient_at=ts(service - dt.timedelta(hours=4)))}>")
        for m in med_list:
            b.append(f"  <medication {attrs(**m)}/>")
        b.append("</discharge-medications>")
    n.body = b
    return n


PROGRESS_TEXT = {
    "DAP": [("data", "Met {f} at the bedside with {pos} daughter. {f} walked 30 feet with PT today and asked about going home."),
            ("assessment", "Progressing; still needs skilled therapy before a safe return home."),
            ("plan", "Confirm the SNF bed offer; update the family after the team huddle tomorrow.")],
    "SOAP": [("subjective", "{f} says {sub} feels stronger and slept well."),
             ("objective", "Walked 40 feet with a walker; weight down 1.2 kg; afebrile."),
             ("assessment", "Improving; discharge to a skilled facility remains appropriate."),
             ("plan", "Send the referral packet to the chosen SNF; confirm transport for discharge.")],
    "BIRP": [("behavior", "{f} was anxious about the cost of the skilled stay and asked the same question twice."),
             ("intervention", "Explained the Medicare Part A skilled-nursing benefit and the appeal rights in the notice."),
             ("response", "{f} repeated the key points back and said {sub} felt calmer."),
             ("plan", "Give the written benefit summary to the daughter tomorrow.")],
    "GIRP": [("goal", "{f} returns home safely with supports in place (discharge plan goal 1)."),
             ("intervention", "Arranged meal delivery and confirmed the senior-centre transport schedule."),
             ("response", "{f} and {pos} daughter agreed with the arrangements."),
             ("plan", "Reconfirm the start date of meal delivery before discharge.")],
}


def progress_note(p, id_, service, fmt="DAP", plan_update=None, author_id="u21", section_text=None, **kw):
    n = Note("progress-note", id_, service, author_id=author_id, fmt=fmt, **kw)
    f = p["first"]
    sub, pos = pronouns(p)
    n.sections = [(c, (section_text or {}).get(c, t.format(f=f, sub=sub, pos=pos)))
                  for c, t in PROGRESS_TEXT.get(fmt, PROGRESS_TEXT["DAP"])]
    if plan_update is not None:
        outcome = plan_update or None
        n.body = [f"<plan-update {attrs(outcome=outcome)}>Re-evaluated the discharge plan after the change in condition: "
                  f"the plan still fits {f}'s needs and goals.</plan-update>"]
    return n


# ---------------------------------------------------------------------------------------------------
# Documents

def standalone(note, p):
    return note.standalone(client_lines(p))


def case_record(p, rid, as_of, events, notes, office="4 West", worker="u21", sort=True):
    return sg.case_record(Note.SETTING, client_lines(p), rid, as_of, events, notes, office=office, worker=worker, sort=sort)


def ev(type_, date, time=None, **kw):
    return dict(type=type_, date=date, time=time, **kw)


# José: heart failure, acute kidney injury on day 3, discharged to a SNF (2024, 2019 schema).
def jose_record(events_override=None, drop_events=(), extra_events=(), notes_filter=None, extra_notes=(),
                eval_at=("2024-05-07", "10:00"), update_at=("2024-05-09", "11:00"), summary_kw=None,
                summary_sign_h=None, summary_at=("2024-05-13", "15:00"), plan_kw=None, note_overrides=None,
                swap=None, disposition="SNF", person=JOSE):
    p = person
    events = [ev("admission", "2024-05-06", "08:40", payer="medicare", source="emergency-department"),
              ev("dp-screening", "2024-05-06", risk="true"),
              ev("im-notice", "2024-05-07", signed_by="patient"),
              ev("condition-change", "2024-05-08", "14:20"),
              ev("im-notice-followup", "2024-05-12"),
              ev("transmittal", "2024-05-13", "10:30", recipient="Sunrise Skilled Nursing & Rehabilitation",
                 contents="course-of-illness goals-of-care treatment-preferences"),
              ev("discharge", "2024-05-13", "11:15", disposition=disposition),
              ev("record-completion", "2024-05-24")]
    for k, v in (events_override or {}).items():
        for e in events:
            if e["type"] == k:
                e.update(v)
    events = [e for e in events if e["type"] not in drop_events] + list(extra_events)
    ov = note_overrides or {}
    notes = [progress_note(p, "N-24-0417-P1", D("2024-05-06", "15:00"), **ov.get("P1", {})),
             evaluation_note(p, "N-24-0417-E1", D(*eval_at), **ov.get("E1", {})),
             plan_note(p, "N-24-0417-D1", D("2024-05-07", "16:00"), **(plan_kw or {})),
             plan_note(p, "N-24-0417-D2", D(*update_at), kind="update", update_reason="condition-change", **ov.get("D2", {})),
             progress_note(p, "N-24-0417-P2", D("2024-05-10", "14:30"), fmt="SOAP", **ov.get("P2", {})),
             summary_note(p, "N-24-0417-S1", D(*summary_at), sign_h=summary_sign_h, **(summary_kw or {}))]
    if notes_filter:
        notes = [n for n in notes if notes_filter(n)]
    notes += list(extra_notes)
    return case_record(p, "EP-2024-0417", "2024-06-30", events, sg.sorted_notes(notes, swap), sort=False)


# Zoë: hip fracture repair, discharged to an IRF in October 2019, before the revision (2017 schema):
# no provider list was required for an IRF, and no quality data; the transmittal names no content.
def zoe_record_2019():
    p = ZOE
    events = [ev("admission", "2019-10-14", "19:05", payer="medicare", source="emergency-department"),
              ev("dp-screening", "2019-10-15", risk="true"),
              ev("im-notice", "2019-10-15", signed_by="representative"),
              ev("im-notice-followup", "2019-10-17"),
              ev("transmittal", "2019-10-18", "09:50", recipient="Hill Country Rehabilitation Hospital"),
              ev("discharge", "2019-10-18", "12:30", disposition="IRF"),
              ev("record-completion", "2019-11-06")]
    notes = [evaluation_note(p, "N-19-0883-E1", D("2019-10-15", "11:00"), author_id="u34",
                             needs=("post-hospital-extended-care",), likely=("post-hospital-extended-care",),
                             discussed="representative"),
             plan_note(p, "N-19-0883-D1", D("2019-10-16", "10:00"), planned="IRF", providers=(), author_id="u34"),
             progress_note(p, "N-19-0883-P1", D("2019-10-17", "09:30"), fmt="DAP", author_id="u34"),
             summary_note(p, "N-19-0883-S1", D("2019-10-18", "16:00"), author_id="u41",
                          texts=ZOE_SUMMARY, diagnoses=DIAGNOSES["ZOE"], meds="ZOE")]
    return case_record(p, "EP-2019-0883", "2019-11-15", events, notes, office="Ortho 6", worker="u34")


# Lucía: appendectomy, commercial insurance, screened low risk, home (2024). A complication on day 2
# is followed by a progress note that re-evaluates and confirms the discharge plan.
def lucia_record():
    p = LUCIA
    events = [ev("admission", "2024-08-02", "23:10", payer="commercial", source="emergency-department"),
              ev("dp-screening", "2024-08-03", risk="false"),
              ev("condition-change", "2024-08-04", "07:45"),
              ev("transmittal", "2024-08-06", "10:00", recipient="Dr. Hiroshi Tanaka (primary care)",
                 contents="course-of-illness goals-of-care treatment-preferences"),
              ev("discharge", "2024-08-06", "11:30", disposition="home"),
              ev("record-completion", "2024-08-20")]
    notes = [progress_note(p, "N-24-0552-P1", D("2024-08-04", "16:00"), fmt="DAP", author_id="u34", plan_update="confirmed",
                           section_text={"data": "Post-operative ileus this morning; NPO and IV fluids. Lucía lives with her partner and works from home.",
                                         "assessment": "Expected to resolve in 1 to 2 days; no new post-discharge needs identified.",
                                         "plan": "Home with partner when tolerating diet; no services needed; PCP follow-up in 1 week."}),
             summary_note(p, "N-24-0552-S1", D("2024-08-06", "14:00"), author_id="u41",
                          texts=LUCIA_SUMMARY, diagnoses=DIAGNOSES["LUCIA"], meds="LUCIA")]
    return case_record(p, "EP-2024-0552", "2024-08-31", events, notes, office="Surgery 3", worker="u34")


# Chloé: still in hospital on the review date; a change in condition that day is not yet due (H6).
def chloe_open_record():
    p = CHLOE
    events = [ev("admission", "2024-09-26", "13:20", payer="medicare-advantage", source="physician-referral"),
              ev("dp-screening", "2024-09-26", risk="true"),
              ev("im-notice", "2024-09-27", signed_by="patient"),
              ev("condition-change", "2024-09-28", "09:10"),
              ev("condition-change", "2024-09-30", "06:30")]
    notes = [evaluation_note(p, "N-24-0610-E1", D("2024-09-27", "09:30"), likely=("home-health", "non-health-care")),
             plan_note(p, "N-24-0610-D1", D("2024-09-27", "15:00"), planned="HHA"),
             progress_note(p, "N-24-0610-P1", D("2024-09-29", "11:00"), fmt="GIRP", plan_update="revised")]
    return case_record(p, "EP-2024-0610", "2024-09-30", events, notes, office="4 West")


def main():
    v, inv = sg.fresh_dirs(os.path.join(SAMPLES, "valid"), os.path.join(SAMPLES, "invalid"))

    # Valid samples ------------------------------------------------------------------------------------
    write(f"{v}/case-record-jose-2024-snf.xml", "none",
          "Heart failure admission of a Medicare patient, discharged to a SNF: evaluation on day 1, plan with three SNFs and "
          "quality data, plan updated after acute kidney injury, both Important Messages, same-day transmittal, record complete on day 11.",
          jose_record())
    write(f"{v}/case-record-zoe-2019-irf.xml", "none",
          "Discharged to an IRF in October 2019, before 84 FR 51836 took effect: the 2017 schema needs no provider list, "
          "quality data or transmittal content for an IRF.", zoe_record_2019())
    write(f"{v}/case-record-lucia-2024-home.xml", "none",
          "Commercially insured patient screened low risk and discharged home; a progress note re-evaluates and confirms the plan after a complication.",
          lucia_record())
    write(f"{v}/case-record-chloe-open.xml", "none",
          "An open episode on its review date: the plan was revised after the first change in condition; the second, on the review day, is not yet due.",
          chloe_open_record())
    write(f"{v}/discharge-planning-evaluation.xml", "none", "Discharge planning evaluation by an RN case manager, all five service categories addressed.",
          standalone(evaluation_note(CHLOE, "N-24-0610-E1", D("2024-09-27", "09:30"), likely=("home-health", "non-health-care")), CHLOE))
    write(f"{v}/discharge-plan-snf.xml", "none", "Discharge plan to a SNF: three Medicare-participating SNFs presented, quality data shared, the patient's choice recorded.",
          standalone(plan_note(JOSE, "N-24-0417-D1", D("2024-05-07", "16:00")), JOSE))
    write(f"{v}/discharge-plan-hha-financial-interest.xml", "none",
          "Discharge plan to home health listing an HHA in which the hospital has a financial interest, with the disclosure.",
          standalone(plan_note(FRANCOIS, "N-24-0733-D1", D("2024-10-21", "14:00"), planned="HHA", financial_interest=True, author_id="u34"), FRANCOIS))
    write(f"{v}/discharge-plan-cosigned.xml", "none",
          "Discharge plan written by a discharge planner without a qualifying credential, developed under an RN supervisor who co-signed it.",
          standalone(plan_note(FRANCOIS, "N-24-0733-D2", D("2024-10-22", "10:00"), planned="HHA", author_id="u60",
                               extra_sigs=(("u05", D("2024-10-22", "12:00")),)), FRANCOIS))
    write(f"{v}/discharge-plan-irf-2019.xml", "none",
          "Discharge plan to an IRF dated October 2019 without a provider list: valid under the 2017 schema (the list was required for HHA and SNF only).",
          standalone(plan_note(ZOE, "N-19-0883-D1", D("2019-10-16", "10:00"), planned="IRF", providers=(), author_id="u34"), ZOE))
    write(f"{v}/discharge-summary.xml", "none", "Discharge summary by the attending physician: outcome, disposition, follow-up, final diagnoses, medication list.",
          standalone(summary_note(JOSE, "N-24-0417-S1", D("2024-05-13", "15:00")), JOSE))
    write(f"{v}/discharge-summary-resident-cosigned.xml", "none", "Discharge summary written by a resident and co-signed by the attending physician.",
          standalone(summary_note(JOSE, "N-24-0417-S1", D("2024-05-13", "15:00"), author_id="u52",
                                  extra_sigs=(("u40", D("2024-05-14", "08:10")),)), JOSE))
    for fmt in ("DAP", "SOAP", "BIRP", "GIRP"):
        write(f"{v}/progress-note-{fmt.lower()}.xml", "none", f"Case management progress note, {fmt} format.",
              standalone(progress_note(JOSE, "N-24-0417-P2", D("2024-05-10", "14:30"), fmt=fmt, author_id="u34" if fmt in ("BIRP", "GIRP") else "u21"), JOSE))
    late = progress_note(JOSE, "N-24-0417-P3", D("2024-05-11", "16:00"), fmt="DAP", entered_h=40, late_entry="true",
                         late_reason="Documented after the weekend; the contact was recorded in the huddle log the same day.")
    late.addenda = STAFF.addendum("u21", "amendment", "2024-05-13T09:00", "SNF admissions contact: Ms. Beatriz Olmos, 512-555-0142.",
                                  D("2024-05-13", "09:05"), reason="Added the SNF admissions contact requested by the supervisor.")
    write(f"{v}/progress-note-late-entry-with-amendment.xml", "none",
          "A labelled late entry (entered 40 hours after the contact) with a signed amendment addendum.", standalone(late, JOSE))

    # Invalid samples: common note rules (X1-X4), on progress notes -----------------------------------
    def inv_note(name, expect, desc, note, p=JOSE):
        write(f"{inv}/{name}.xml", expect, desc, standalone(note, p))

    def pn(**kw):
        kw.setdefault("fmt", "DAP")
        return progress_note(JOSE, "N-24-0417-P2", D("2024-05-10", "14:30"), **kw)

    sg.write_common_note_samples(
        inv_note, pn,
        STAFF.addendum("u21", "correction", "2024-05-11T10:00", "The daughter's name is Marisol, not Maribel.", D("2024-05-11", "10:02")),
        short_goal="Home.", date_only="2024-05-10", bad_signed_at="05/10/2024 4:40 PM", contact="contact",
        window="72-hour window", unknown_format="PIE")

    # Invalid samples: hospital note content ------------------------------------------------------------
    def ev_note(**kw):
        return evaluation_note(CHLOE, "N-24-0610-E1", D("2024-09-27", "09:30"), likely=("home-health", "non-health-care"), **kw)

    def dp_note(p=JOSE, **kw):
        return plan_note(p, "N-24-0417-D1", D("2024-05-07", "16:00"), **kw)

    inv_note("h3-needs-incomplete", "HOSP-H3", "The evaluation does not address hospice or community-based care providers.",
             ev_note(needs=("post-hospital-extended-care", "home-health", "non-health-care")), CHLOE)
    inv_note("h3-no-availability", "HOSP-H3-ACCESS", "The evaluation does not determine the availability of the services.", ev_note(availability=False), CHLOE)
    inv_note("h4-not-discussed", "HOSP-H4", "The evaluation's results are not documented as discussed with the patient or representative.", ev_note(discussed=None), CHLOE)
    inv_note("h5-unqualified-author", "HOSP-H5", "An evaluation by a discharge planner without a qualifying credential and without a qualified co-signer.",
             ev_note(author_id="u60"), CHLOE)
    inv_note("h5-plan-unqualified-author", "HOSP-H5-PLAN", "A discharge plan by a discharge planner without a qualifying credential and without a qualified co-signer.",
             dp_note(author_id="u60"))
    inv_note("h6-plan-update-no-outcome", "HOSP-H6-UPDATE", "A progress note with a plan-update that does not say whether the plan was revised or confirmed.",
             pn(plan_update=""))
    inv_note("h7-list-one-provider", "HOSP-H7-LIST", "The SNF list names a single provider (agency minimum 2).", dp_note(providers=PROVIDERS["SNF"][:1]))
    inv_note("h7-list-not-participating", "HOSP-H7-LIST", "One SNF on the list is not marked as Medicare-participating.", dp_note(non_participating=True))
    inv_note("h7-list-not-presented", "HOSP-H7-PRESENTED", "The list of SNFs is not documented as presented to the patient.", dp_note(presented=None))
    inv_note("h7-no-choice", "HOSP-H7-CHOICE", "No record that the patient was told of the freedom to choose, nor of the patient's preference.", dp_note(choice=False))
    inv_note("h7-h8-irf-2024-no-list", "HOSP-H7-LIST HOSP-H7-PRESENTED HOSP-H7-CHOICE HOSP-H8",
             "The 2019 discharge plan to an IRF, dated 2024: without a provider list, choice or quality data it fails the 2019 schema.",
             plan_note(ZOE, "N-24-0883-D1", D("2024-10-16", "10:00"), planned="IRF", providers=(), author_id="u34"), ZOE)
    inv_note("h8-no-quality-data", "HOSP-H8", "A 2024 plan to a SNF that does not show quality and resource-use data were shared.", dp_note(quality=False))
    inv_note("h9-financial-interest-undisclosed", "HOSP-H9", "An HHA in which the hospital has a financial interest is listed without a disclosure.",
             plan_note(FRANCOIS, "N-24-0733-D1", D("2024-10-21", "14:00"), planned="HHA", financial_interest=True, disclosure=False, author_id="u34"), FRANCOIS)
    inv_note("dq-plan-no-disposition", "HOSP-DQ-PLAN-DISPOSITION", "The discharge plan does not state the planned disposition.", dp_note(drop_disposition=True))

    def ds(**kw):
        return summary_note(JOSE, "N-24-0417-S1", D("2024-05-13", "15:00"), **kw)

    inv_note("h11-no-follow-up", "HOSP-H11", "The discharge summary has no follow-up section.",
             ds(sections=("reason-for-hospitalization", "hospital-course", "outcome", "disposition")))
    inv_note("h12-no-final-diagnosis", "HOSP-H12-DX", "The discharge summary records no final diagnosis.", ds(diagnosis=False))
    inv_note("h13-resident-not-cosigned", "HOSP-H13", "A discharge summary signed only by the resident who wrote it.", ds(author_id="u52"))
    inv_note("h16-medication-incomplete", "HOSP-H16", "A discharge medication without its purpose.", ds(meds="incomplete"))

    # Invalid samples: case records ---------------------------------------------------------------------
    def inv_record(name, expect, desc, lines):
        write(f"{inv}/{name}.xml", expect, desc, lines)

    not_eval = lambda n: n.type != "discharge-planning-evaluation"
    inv_record("h1-no-evaluation", "HOSP-H1 HOSP-H2-TIMELY", "Screened at risk on admission, discharged with no discharge planning evaluation (the 48-hour warning fires too).",
               jose_record(notes_filter=not_eval))
    inv_record("h1-no-screening", "HOSP-H1-SCREEN", "No discharge-planning screening is documented.", jose_record(drop_events=("dp-screening",)))
    inv_record("h2-evaluation-after-discharge", "HOSP-H2 HOSP-H2-TIMELY", "The discharge planning evaluation is dated after the discharge.",
               jose_record(eval_at=("2024-05-13", "13:00")))
    inv_record("h2-evaluation-after-48-hours", "HOSP-H2-TIMELY", "The evaluation was made 73 hours after admission (agency threshold 48 hours), before discharge.",
               jose_record(eval_at=("2024-05-09", "09:40"), update_at=("2024-05-09", "15:00")))
    inv_record("h6-plan-not-updated", "HOSP-H6", "Acute kidney injury on day 3; the discharge plan was never re-evaluated afterwards.",
               jose_record(notes_filter=lambda n: n.id != "N-24-0417-D2"))
    inv_record("h6-update-after-discharge", "HOSP-H6", "The only plan update after the change in condition is dated after discharge.",
               jose_record(update_at=("2024-05-13", "14:00")))
    inv_record("h7-record-irf-without-list", "HOSP-H7-RECORD", "Discharged to an IRF in 2024 although the plan said SNF: no plan presents a list of IRFs.",
               jose_record(disposition="IRF"))
    inv_record("h10-transmittal-next-day", "HOSP-H10", "The medical information was sent to the SNF the day after discharge.",
               jose_record(events_override={"transmittal": dict(date="2024-05-14", time="09:00")}))
    inv_record("h10-transmittal-content-incomplete", "HOSP-H10-CONTENT", "The transmittal does not include the patient's treatment preferences.",
               jose_record(events_override={"transmittal": dict(contents="course-of-illness goals-of-care")}))
    inv_record("h12-record-completed-late", "HOSP-H12", "The record was completed 35 days after discharge.",
               jose_record(events_override={"record-completion": dict(date="2024-06-17")}))
    inv_record("h12-summary-signed-after-80-hours", "HOSP-H12-SUMMARY", "The discharge summary was dictated and signed about 80 hours after discharge (hospital policy: 72 hours).",
               jose_record(summary_at=("2024-05-16", "18:30"), summary_kw=dict(entered_h=0.5), summary_sign_h=0.75))
    inv_record("h12-complete-before-summary", "HOSP-H12-COMPLETE", "The record is marked complete the day after discharge, before the discharge summary was signed.",
               jose_record(events_override={"record-completion": dict(date="2024-05-14")}, summary_at=("2024-05-15", "08:00")))
    inv_record("h15-im-late", "HOSP-H15", "The Important Message was delivered on day 4 of the stay.",
               jose_record(events_override={"im-notice": dict(date="2024-05-10"), "im-notice-followup": dict(date="2024-05-13")}))
    inv_record("h15-im-unsigned", "HOSP-H15-SIGNED", "The Important Message is not documented as signed (or the refusal noted).",
               jose_record(events_override={"im-notice": dict(signed_by=None)}))
    inv_record("h15-no-follow-up-copy", "HOSP-H15-FOLLOWUP", "The first Important Message came 6 days before discharge and no follow-up copy was delivered.",
               jose_record(drop_events=("im-notice-followup",)))
    inv_record("dq-no-admission", "HOSP-DQ-ADMISSION", "The case record has no admission event.", jose_record(drop_events=("admission",)))
    inv_record("dq-event-date-malformed", "HOSP-DQ-EVENT-DATE", "The condition-change event's date is not YYYY-MM-DD.",
               jose_record(events_override={"condition-change": dict(date="05/08/2024")}))
    inv_record("dq-discharge-time-missing", "HOSP-DQ-EVENT-TIME", "The discharge has no time of day.",
               jose_record(events_override={"discharge": dict(time=None)}))
    inv_record("dq-event-type-unknown", "HOSP-DQ-EVENT-TYPE", "An event type that is not a hospital event.",
               jose_record(extra_events=(ev("bed-transfer", "2024-05-09", "22:00"),)))
    inv_record("dq-payer-missing", "HOSP-DQ-PAYER", "The admission does not name the payer.", jose_record(events_override={"admission": dict(payer=None)}))
    inv_record("dq-disposition-unknown", "HOSP-DQ-DISPOSITION", "The discharge disposition is not a known code.", jose_record(disposition="nursing-home"))
    other = progress_note(JOSE, "N-24-0417-X1", D("2024-05-11", "09:00"))
    other.type = "nursing-note"
    inv_record("dq-note-type-unknown", "CASEDOC-DOCUMENT-TYPE", "A note whose type the hospital plugin does not declare.", jose_record(extra_notes=(other,)))
    inv_record("dq-birth-date-malformed", "CASEDOC-DATE", "The patient's birth date is written 03/12/1946, not YYYY-MM-DD (reported by casedoc's own check of the record format's dates).",
               jose_record(person=dict(JOSE, birth="03/12/1946")))
    inv_record("dq-notes-out-of-order", "HOSP-DQ-NOTE-ORDER", "The evaluation and the first discharge plan are swapped, so the notes are not in order of service.",
               jose_record(swap=(1, 2)))
    inv_record("case-record-several-problems", "HOSP-H6 HOSP-H15 X2-SIG-METHOD",
               "A realistic mix: the Important Message on day 4, no plan update after the change in condition, a stamped signature on a progress note.",
               jose_record(notes_filter=lambda n: n.id != "N-24-0417-D2",
                           events_override={"im-notice": dict(date="2024-05-10"), "im-notice-followup": dict(date="2024-05-13")},
                           note_overrides={"P2": dict(sig_method="stamped")}))


if __name__ == "__main__":
    main()
