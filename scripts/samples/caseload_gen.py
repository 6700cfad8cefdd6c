#!/usr/bin/env python3
"""Generates the sample caseloads of every setting (plugins/<id>/samples/caseload/, output is committed).

A caseload is a directory of case records for a caseload audit (`casedoc audit`): about 30 records per
setting with an `as-of` (the service date) on the last day of a month of the audit period 2025-07..2025-12,
two records outside the period (eliminated by the audit), three or four workers in two or three offices,
and a realistic share of non-compliant records that break one to three rules each.

How: every record is made from one of the setting's valid case-record samples
(plugins/<id>/samples/valid/case-record-*.xml, written by scripts/samples/<id>_gen.py):
  1. every date and date-time is shifted by a whole number of weeks (weekdays are kept, so business-day
     deadlines keep their outcome) so that the template's anchor (its `as-of`, or a month end before it
     for an episode extracted earlier) lands in the last week of the wanted month;
  2. `as-of` is set to that month's last day; notes, events and extensions after it are dropped (the
     record was extracted then);
  3. the record, client, note ids and the people are renamed (fictitious names), the template's worker
     becomes one of the setting's workers (id, name, role, credential);
  4. defects modelled on plugins/<id>/samples/invalid/ are planted, and the record's
     `<!-- casedoc-expect: ... -->` comment names the rules they break.

Deterministic: no randomness, no clock; running it twice gives identical files. Python standard library only.

    python3 scripts/samples/caseload_gen.py [REPO_ROOT]      (default: the repository holding this script)
"""
import calendar
import datetime as dt
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ next to the scripts
import samplegen as sg  # noqa: E402
from samplegen import ts as fmt_dt  # noqa: E402

ROOT = sg.repo_root(__file__)
NS = sg.RECORD_NS
ET.register_namespace("", NS)
PERIOD = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
# Planted rules whose findings are warnings: named in casedoc-expect (the sample check counts warnings
# too) but the record stays compliant.
WARNINGS = {"HOSP-H12-SUMMARY"}


def q(tag):
    return f"{{{NS}}}{tag}"


# ---------------------------------------------------------------------------------------------------
# Dates

DATE_RE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")


def month_end(y, m):
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def add_months(d, n):
    """The last day of the month n months after d's month (n may be negative)."""
    k = d.year * 12 + d.month - 1 + n
    return month_end(k // 12, k % 12 + 1)


def shift_str(s, days):
    def sub(m):
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return m.group(0)
        return (d + dt.timedelta(days=days)).isoformat()
    return DATE_RE.sub(sub, s)


def shift_tree(el, days, skip_attrs=()):
    for e in el.iter():
        for k, v in list(e.attrib.items()):
            if k not in skip_attrs:
                e.set(k, shift_str(v, days))
        if e.text:
            e.text = shift_str(e.text, days)
        if e.tail:
            e.tail = shift_str(e.tail, days)


def day_of(s):
    return dt.date.fromisoformat(s[:10])


def parse_dt(s):
    return dt.datetime.strptime(s[:16], "%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------------------------------------------
# Record access

def notes_el(root):
    return root.find(q("notes"))


def notes(root, type_=None):
    return [n for n in notes_el(root).findall(q("note")) if type_ is None or n.get("type") == type_]


def events(root, type_=None):
    ev = root.find(q("events"))
    return [] if ev is None else [e for e in ev.findall(q("event")) if type_ is None or e.get("type") == type_]


def remove_child(parent_tag, root, el):
    root.find(q(parent_tag)).remove(el)


def author_sig(note):
    aid = note.find(q("author")).get("id")
    for s in note.findall(q("signature")):
        if s.get("signer") == aid:
            return s
    return None


def sort_notes(root):
    ns = notes_el(root)
    items = list(ns)
    for n in items:
        ns.remove(n)
    for n in sorted(items, key=lambda n: n.get("service-at")):   # stable: ties keep their order
        ns.append(n)


# Attributes that point at something outside the note: a moved note keeps them.
MOVE_SKIP = ("since", "application-date", "completed", "expires", "birth-date")


def move_note(root, note, days, event_types=()):
    shift_tree(note, days, MOVE_SKIP)
    for t in event_types:
        for e in events(root, t):
            shift_tree(e, days)
    sort_notes(root)


# ---------------------------------------------------------------------------------------------------
# Defects (each modelled on an invalid sample; returns nothing, the caller names the rule ids)

def d_unsigned(note):
    note.remove(author_sig(note))


def d_stamped(note):
    author_sig(note).set("method", "stamped")


def d_late_unlabelled(note, hours=30):
    entered = parse_dt(note.get("service-at")) + dt.timedelta(hours=hours)
    note.set("entered-at", fmt_dt(entered))
    author_sig(note).set("signed-at", fmt_dt(entered + dt.timedelta(minutes=6)))


def d_signed_late(note, hours=80):
    author_sig(note).set("signed-at", fmt_dt(parse_dt(note.get("service-at")) + dt.timedelta(hours=hours)))


def d_no_credential(note):
    del note.find(q("author")).attrib["credential"]


# ---------------------------------------------------------------------------------------------------
# People (fictitious; any likeness to real persons is unintended)

MALE = ["Kwabena", "Arjun", "Luca", "Tariq", "Hiroshi", "Emeka", "Santiago", "Finn", "Rashid", "Tenzin", "Bao",
        "Caleb", "Ilias", "Kofi", "Joaquín", "Darius", "Yusuf", "Nikolai", "Amadou", "Rafael", "Lior", "Kai",
        "Anselm", "Mihail", "Théo", "Ayaan", "Sipho", "Oskar", "Matías", "Idris", "Koa", "Emil"]
FEMALE = ["Amina", "Leilani", "Priya", "Naledi", "Mei", "Yara", "Zainab", "Chiara", "Oona", "Fatoumata",
          "Keziah", "Ximena", "Hana", "Elif", "Nadia", "Saoirse", "Thandiwe", "Aiyana", "Noor", "Freya",
          "Anjali", "Ewa", "Renata", "Soraya", "Kalani", "Mirela", "Ines", "Dalia", "Wren", "Yesenia", "Ayla", "Sunniva"]
SURNAMES = ["Balogun", "Castellanos", "Dziedzic", "Eskildsen", "Fonseca", "Gundersen", "Haddad", "Ishikawa",
            "Jovanović", "Kaur", "Lindgren", "Mwangi", "Nørgaard", "Obi-Larsen", "Petrosyan", "Quispe",
            "Rahimi", "Szabó", "Trần", "Ulloa", "Varga", "Wójcik", "Xiong", "Yılmaz", "Zapata", "Adeyemi",
            "Bergström", "Chávez-Luna", "Delacroix", "Eze", "Farouk", "Gallagher", "Horváth", "Iwu",
            "Jabłoński", "Lachance", "Moreau-Diallo", "Nwosu", "Oyelaran", "Pérez-Soto", "Ramaswamy",
            "Sandoval", "Thorsen", "Vásquez-Ng", "Whitfield", "Achterberg", "Begay", "Kealoha"]
# Names by language, for records whose documents are provided in the client's language.
LANG_NAMES = {
    "es": (["Andrés", "Emiliano", "Gael", "Rodrigo", "Ignacio"], ["Valentina", "Abril", "Luciana", "Guadalupe", "Paloma"],
           ["Márquez-Olvera", "Cisneros", "Villalobos", "Arriaga", "Beltrán", "Escamilla", "Ocampo", "Zavala"]),
    "vi": (["Minh", "Quang", "Tuấn", "Khoa", "Long"], ["Lan", "Thảo", "Ngọc", "Hương", "Linh"],
           ["Phạm", "Lê", "Hoàng", "Võ", "Đặng", "Bùi", "Huỳnh", "Ngô"]),
    "fr": (["Mathis", "Baptiste", "Étienne", "Rémi", "Yanis"], ["Anaëlle", "Clémence", "Maëva", "Solène", "Yasmine"],
           ["Aubertin", "Benali", "Chevalier", "Duplessis", "Lemaire", "Rousseau-Kane", "Vasseur", "Tremblay"]),
    "en": (MALE, FEMALE, SURNAMES),
}


class Namer:
    """Hands out names in a fixed order (deterministic, no repeats of a full name within a setting)."""

    def __init__(self, seed):
        self.i = seed
        self.used = set()

    def person(self, sex, lang="en", surname=None):
        male, female, surnames = LANG_NAMES[lang]
        firsts = male if sex == "M" else female
        while True:
            self.i += 1
            first = firsts[(self.i * 7) % len(firsts)]
            last = surname or surnames[(self.i * 5 + self.i // len(surnames)) % len(surnames)]
            full = f"{first} {last}" if lang != "vi" else f"{last} {'Văn' if sex == 'M' else 'Thị'} {first}"
            if full not in self.used:
                self.used.add(full)
                return first, last, full


# ---------------------------------------------------------------------------------------------------
# Settings: templates, staff, offices

class Template:
    def __init__(self, file, sex, client_name, first, people=(), lang=None, future_events=(), tweak=None):
        self.file, self.sex, self.client_name, self.first = file, sex, client_name, first
        self.people = people            # (old full name, kind): "mother", "father", "relative" (a woman), "relative-m"
        self.lang = lang                # language of documents given to the client (attribute `language`)
        self.future_events = future_events  # event types dated in the future by nature (kept after as-of)
        self.tweak = tweak              # function(root) applied before shifting


def cw_lucia_tweak(root):
    # The 2023 template has a visit note signed 100 hours after the visit (valid under the 2020 schema's
    # 120-hour window); the caseload is checked with the 2024 schema (72 hours): signed when entered.
    for n in notes(root):
        s = author_sig(n)
        if s is not None and parse_dt(s.get("signed-at")) - parse_dt(n.get("entered-at")) > dt.timedelta(hours=1):
            s.set("signed-at", fmt_dt(parse_dt(n.get("entered-at")) + dt.timedelta(minutes=6)))


def hosp_chloe_tweak(root):
    # The template is extracted on the day of a second change in condition (not yet due for a plan
    # update); the caseload extracts on a month's last day, so that second change is left out.
    ccs = events(root, "condition-change")
    remove_child("events", root, ccs[-1])


def corr_zoe_tweak(root):
    # The 2021 template assigned the counselor 6 days after arrival (no rule before 2024-07-01); the
    # caseload is checked with the 2024 schema (72 hours): assigned the morning after arrival.
    arr = events(root, "arrival")[0]
    c = events(root, "counselor-assigned")[0]
    nxt = parse_dt(arr.get("at")) + dt.timedelta(days=1)
    c.set("date", nxt.date().isoformat())
    c.attrib.pop("staff", None)
    c.set("at", fmt_dt(nxt.replace(hour=10, minute=0)))
    c.set("staff", "u44")
    # ... and its classification decisions did not state the next review date (required from 2024-07-01):
    # each states the date of the review that followed (the last one: 90 days on).
    ks = [n for n in notes(root, "classification")]
    for i, n in enumerate(ks):
        c = n.find(q("classification"))
        if c.get("next-review") is None:
            nxt = day_of(ks[i + 1].get("service-at")) if i + 1 < len(ks) else day_of(n.get("service-at")) + dt.timedelta(days=90)
            c.set("next-review", nxt.isoformat())


SETTINGS = {
    "child_welfare": dict(
        prefix="CW", client_prefix="C-", client_base=2101,
        workers=[("u61", "Adaeze Okafor-Lund", "caseworker", "LMSW", "North"),
                 ("u62", "Tomás Villanueva", "caseworker", "LBSW", "North"),
                 ("u63", "Hannah Kowalczyk", "caseworker", "LBSW", "South"),
                 ("u64", "Farid Benhamou", "caseworker", "LMSW", "East")],
        templates={
            "jose": Template("case-record-jose-2024.xml", "M", "José Núñez", "José",
                             people=(("María Núñez", "mother"), ("Héctor Núñez", "father"), ("Rosa Delgado", "relative"),
                                     ("Valeria Ruiz", "relative"))),
            "jose-ext": Template("case-record-jose-extension.xml", "M", "José Núñez", "José",
                                 people=(("María Núñez", "mother"), ("Héctor Núñez", "father"), ("Rosa Delgado", "relative"),
                                         ("Valeria Ruiz", "relative"))),
            "zoe": Template("case-record-zoe-long-stay.xml", "F", "Zoë Åkesson-Muñoz", "Zoë",
                            people=(("Karin Åkesson", "mother"), ("Luis Muñoz", "father"), ("Ingrid Åkesson", "relative"))),
            "lucia": Template("case-record-lucia-2023.xml", "F", "Lucía Gómez-Ortiz", "Lucía",
                              people=(("Ana Gómez", "mother"), ("Ricardo Gómez", "father"), ("Carmen Ortiz", "relative")),
                              tweak=cw_lucia_tweak),
        }),
    "hospital": dict(
        prefix="EP", client_prefix="P-", client_base=31101,
        workers=[("u71", "Oluwaseun Adebayo-Kerr", "case-manager", "RN", "4 West"),
                 ("u72", "Ragnhild Sæther", "social-worker", "LCSW", "4 West"),
                 ("u73", "Camila Restrepo-Hale", "case-manager", "RN", "Surgery 3"),
                 ("u74", "Devendra Pillai", "social-worker", "LMSW", "Ortho 6")],
        templates={
            "chloe": Template("case-record-chloe-open.xml", "F", "Chloé Nguyễn", "Chloé", tweak=hosp_chloe_tweak),
            "jose": Template("case-record-jose-2024-snf.xml", "M", "José Núñez", "José"),
            "lucia": Template("case-record-lucia-2024-home.xml", "F", "Lucía Gómez-Ortiz", "Lucía"),
        }),
    "correctional": dict(
        prefix="CR", client_prefix="I-", client_base=0,
        workers=[("u81", "Imani Castellanos-Reid", "case-manager", "MSW", "FCI Las Cruces"),
                 ("u82", "Bartosz Nowakowski", "case-manager", "MSW", "FCI Las Cruces"),
                 ("u83", "Yuki Tanabe-Morris", "case-manager", "MSW", "FCI Pecos Valley"),
                 ("u84", "Deon Whitaker-Silva", "case-manager", "BSW", "FCI Pecos Valley")],
        templates={
            "jose": Template("case-record-jose-2025.xml", "M", "José Núñez", "José", future_events=("projected-release",)),
            "jose-ext": Template("case-record-jose-intake-extension.xml", "M", "José Núñez", "José",
                                 future_events=("projected-release",)),
            "zoe": Template("case-record-zoe-released-2024.xml", "F", "Zoë Lindqvist-Osei", "Zoë",
                            future_events=("projected-release",), tweak=corr_zoe_tweak),
        }),
    "vocational": dict(
        prefix="VR", client_prefix="C-", client_base=4101,
        workers=[("u91", "Graciela Montoya-Byrne", "vr-counselor", "CRC", "Eastside"),
                 ("u92", "Obinna Chukwu", "vr-counselor", "CRC", "Eastside"),
                 ("u93", "Sigrún Halldórsdóttir", "vr-counselor", "LPC", "Westside"),
                 ("u94", "Malik Oduya", "vr-counselor", "CRC", "Westside")],
        templates={
            "jose": Template("case-record-jose-2026.xml", "M", "José Núñez", "José", lang="es"),
            "minh": Template("case-record-minh-ipe-extension.xml", "M", "Dương Văn Minh", "Minh", lang="vi"),
            "anais": Template("case-record-anais-ineligible.xml", "F", "Anaïs Belmonte-Ruiz", "Anaïs", lang="fr"),
            "zoe": Template("case-record-zoe-2024-trial-work.xml", "F", "Zoë Lindqvist", "Zoë", lang="en"),
        }),
}


# ---------------------------------------------------------------------------------------------------
# Building one record

def load_template(setting, t):
    path = os.path.join(ROOT, "plugins", setting, "samples", "valid", t.file)
    root = ET.parse(path).getroot()
    if t.tweak:
        t.tweak(root)
    return root


def replace_strings(root, mapping):
    if not mapping:
        return
    keys = sorted(mapping, key=len, reverse=True)
    rx = re.compile("|".join(re.escape(k) for k in keys))

    def sub(s):
        return rx.sub(lambda m: mapping[m.group(0)], s)
    for e in root.iter():
        for k, v in list(e.attrib.items()):
            e.set(k, sub(v))
        if e.text:
            e.text = sub(e.text)
        if e.tail:
            e.tail = sub(e.tail)


def replace_values(root, mapping):
    """Attribute values equal to a key (ids) are replaced."""
    for e in root.iter():
        for k, v in list(e.attrib.items()):
            if v in mapping:
                e.set(k, mapping[v])


def month_index(d):
    return d.year * 12 + d.month - 1


def best_shift(root, anchor, as_of):
    """A whole number of weeks that moves the template's dates up to `anchor` by exactly the months from
    `anchor` to `as_of` (every dated note and event stays in its calendar month, relatively), so that
    monthly recurrences keep their outcome; among those, the one that brings `anchor` closest to `as_of`."""
    k = month_index(as_of) - month_index(anchor)
    dates = [day_of(n.get("service-at")) for n in notes(root)] + [day_of(e.get("date")) for e in events(root)]
    dates = [d for d in dates if d <= anchor]
    base = (as_of - anchor).days // 7
    best = None
    for w in range(base - 4, base + 3):
        days = w * 7
        bad = sum(1 for d in dates if month_index(d + dt.timedelta(days=days)) - month_index(d) != k)
        late = anchor + dt.timedelta(days=days) > as_of
        key = (bad, late, abs((as_of - anchor).days - days))
        if best is None or key < best[0]:
            best = (key, days)
    return best[1]


def build(setting, spec, namer, seq):
    cfg = SETTINGS[setting]
    t = cfg["templates"][spec["template"]]
    root = load_template(setting, t)
    old_asof = dt.date.fromisoformat(root.get("as-of"))
    old_worker = root.get("worker")

    # 1. shift by whole weeks: the anchor (template as-of, or `cut` month ends before it) lands in the
    #    last week of the wanted month.
    y, m = spec["month"]
    as_of = month_end(y, m)
    anchor = old_asof if spec.get("cut", 0) == 0 else add_months(old_asof, -spec["cut"])
    if spec.get("cut", 0) and anchor > old_asof:
        anchor = old_asof
    days = best_shift(root, anchor, as_of)
    shift_tree(root, days)

    # 2. extract on as-of: drop what happened later
    for n in notes(root):
        if day_of(n.get("service-at")) > as_of:
            notes_el(root).remove(n)
    for e in events(root):
        if e.get("type") not in t.future_events and day_of(e.get("date")) > as_of:
            remove_child("events", root, e)
    exts = root.find(q("extensions"))
    if exts is not None:
        for x in list(exts):
            if day_of(x.get("agreed-at")) > as_of:
                exts.remove(x)
        if len(exts) == 0:
            root.remove(exts)

    # 3. rename: record, client, people, worker, note ids
    rec_no = f"{cfg['prefix']}-{y}-{seq:04d}"
    wid, wname, wrole, wcred, office = spec["worker"]
    client = root.find(q("client"))
    old_client_id = client.get("id")
    lang = t.lang or "en"
    first, last, full = namer.person(t.sex, lang)
    strings = {t.client_name: full, "{f}": first}   # "{f}": an unformatted placeholder in a template's text
    if t.first != t.client_name:
        strings[t.first] = first
    for old, kind in t.people:
        if kind in ("mother", "father"):
            strings[old] = namer.person("F" if kind == "mother" else "M", lang, surname=last)[2]
        else:
            strings[old] = namer.person("M" if kind == "relative-m" else "F", lang)[2]
    # the template worker's name
    old_wname = None
    for a in root.iter(q("author")):
        if a.get("id") == old_worker:
            old_wname = a.get("name")
            break
    if old_wname:
        strings[old_wname] = wname
    new_client_id = f"{cfg['client_prefix']}{cfg['client_base'] + seq}" if setting != "correctional" else None
    for ident in client.findall(q("identifier")):
        if ident.get("system") == "register-number":
            reg = f"{60100 + seq * 37 % 900:05d}-{(seq * 13) % 90 + 10:03d}"
            strings[ident.get("value")] = reg
            new_client_id = f"I-{reg}"
        elif ident.get("system") == "mrn":
            strings[ident.get("value")] = f"MRN-{51000 + seq * 7:07d}"
    for h in root.iter(q("hearing")):
        cause = h.get("cause-number")
        if cause and cause not in strings:
            yy = events(root, "removal")[0].get("date")[2:4] if events(root, "removal") else f"{y % 100:02d}"
            strings[cause] = f"D-1-FM-{yy}-{(seq * 389) % 9000 + 1000:06d}"
    replace_strings(root, strings)
    ids = {old_client_id: new_client_id, old_worker: wid}
    tag = rec_no.split("-", 1)[1].replace("-", "")[2:]
    for n in notes(root):
        ids[n.get("id")] = f"N-{tag}-{n.get('id').rsplit('-', 1)[1]}"
    replace_values(root, ids)
    client.set("id", new_client_id)
    for e in root.iter():
        if wid in (e.get("id"), e.get("signer"), e.get("author")) and "role" in e.attrib:
            e.set("role", wrole)
            if "credential" in e.attrib:
                e.set("credential", wcred)
        if t.lang and "language" in e.attrib:
            e.set("language", lang)
    root.set("id", rec_no)
    root.set("as-of", as_of.isoformat())
    root.set("office", office)
    root.set("worker", wid)

    # 4. defects
    expect, why = [], []
    for d in spec.get("defects", ()):
        ids_, text = d(root)
        expect += ids_
        why.append(text)
    return root, rec_no, sorted(set(expect)), why, full, as_of


# ---------------------------------------------------------------------------------------------------
# Defects by setting: each returns (rule ids, description)

def cw_missing_visit(back=2):
    def f(root):
        visits = notes(root, "caseworker-visit")
        v = visits[-1 - back]
        notes_el(root).remove(v)
        return ["CW-W1"], f"no caseworker visit in {day_of(v.get('service-at')).strftime('%B %Y')}"
    return f


def cw_plan_late(days=14):
    def f(root):
        p = notes(root, "case-plan")[0]
        move_note(root, p, days)
        rem = day_of(events(root, "removal")[0].get("date"))
        n = (day_of(p.get("service-at")) - rem).days
        return ["CW-W4-STATE"], f"case plan on day {n} after removal, past the state's 30 days, no extension"
    return f


def cw_no_review(root):
    for h in notes(root, "court-hearing"):
        if h.find(q("hearing")).get("kind") == "periodic-review":
            notes_el(root).remove(h)
    return ["CW-W8"], "no six-month periodic review"


def cw_no_re_finding(root):
    for h in notes(root, "court-hearing"):
        for fnd in h.find(q("hearing")).findall(q("finding")):
            if fnd.get("code") == "reasonable-efforts-prevent":
                h.find(q("hearing")).remove(fnd)
    return ["CW-W10"], "no judicial determination on reasonable efforts to prevent removal"


def cw_not_consulted(root):
    cc = notes(root, "case-plan")[0].find(q("case-plan")).find(q("child-consultation"))
    cc.set("consulted", "false")
    return ["CW-W7-CONSULT"], "the youth (14) is not documented as consulted on the case plan"


# kind -> (defect, rule id, what it does to "the <type> note of <date>")
NOTE_DEFECTS = {
    "unsigned": (d_unsigned, "X2-SIG", "is not signed"),
    "stamped": (d_stamped, "X2-SIG-METHOD", "has a stamped signature"),
    "late": (d_late_unlabelled, "X3-LATE", "was entered 30 hours later without being marked a late entry"),
    "signed-late": (d_signed_late, "X4-SIGN-TIMELY", "was signed 80 hours after the contact"),
    "no-credential": (d_no_credential, "X2-AUTHOR", "does not give the author's credential"),
}


def note_defect(type_, index, kind):
    """A common note defect (X rules) on the index-th note of a type."""
    def f(root):
        n = notes(root, type_)[index]
        # planted on the worker's own note, so the per-worker roll-up blames the right person
        assert n.find(q("author")).get("id") == root.get("worker"), (root.get("id"), n.get("id"))
        when = day_of(n.get("service-at")).isoformat()
        if kind not in NOTE_DEFECTS:
            raise ValueError(kind)
        defect, rule, what = NOTE_DEFECTS[kind]
        defect(n)
        return [rule], f"the {type_} note of {when} {what}"
    return f


def hosp_im_late(root):
    adm = day_of(events(root, "admission")[0].get("date"))
    im = events(root, "im-notice")[0]
    im.set("date", (adm + dt.timedelta(days=4 - 1)).isoformat())
    fu = events(root, "im-notice-followup")
    dis = events(root, "discharge")
    if fu and dis:
        fu[0].set("date", dis[0].get("date"))
    return ["HOSP-H15"], "the Important Message was delivered on day 4 of the stay"


def hosp_no_plan_update(root):
    for n in notes(root):
        pu = n.find(q("plan-update"))
        dp = n.find(q("discharge-plan"))
        if pu is not None:
            n.remove(pu)
        elif dp is not None and dp.get("update-reason") == "condition-change":
            notes_el(root).remove(n)
        else:
            continue
        return ["HOSP-H6"], "the discharge plan was not re-evaluated after the change in condition"
    raise ValueError("no plan update")


def hosp_summary_late(root):
    s = notes(root, "discharge-summary")[0]
    dis = events(root, "discharge")[0]
    end = dt.datetime.fromisoformat(f"{dis.get('date')}T{dis.get('time')}")
    service = end + dt.timedelta(hours=79)
    old = parse_dt(s.get("service-at"))
    s.set("service-at", fmt_dt(service))
    s.set("entered-at", fmt_dt(service + dt.timedelta(minutes=30)))
    author_sig(s).set("signed-at", fmt_dt(service + dt.timedelta(minutes=45)))
    med = s.find(q("discharge-medications"))
    if med is not None and old:
        pass  # medications were given at discharge; unchanged
    sort_notes(root)
    return ["HOSP-H12-SUMMARY"], "the discharge summary was dictated and signed about 80 hours after discharge (a warning: hospital policy)"


def hosp_record_late(root):
    dis = day_of(events(root, "discharge")[0].get("date"))
    events(root, "record-completion")[0].set("date", (dis + dt.timedelta(days=35)).isoformat())
    return ["HOSP-H12"], "the record was completed 35 days after discharge"


def hosp_transmittal_late(root):
    tr = events(root, "transmittal")[0]
    tr.set("date", (day_of(tr.get("date")) + dt.timedelta(days=1)).isoformat())
    tr.set("time", "09:00")
    return ["HOSP-H10"], "the medical information was sent to the next provider the day after discharge"


def corr_counselor_late(root):
    arr = events(root, "arrival")[0]
    c = events(root, "counselor-assigned")[0]
    at = parse_dt(arr.get("at")) + dt.timedelta(hours=91)
    c.set("date", at.date().isoformat())
    c.set("at", fmt_dt(at))
    return ["CORR-C14"], "the counselor was assigned 91 hours after arrival (policy: 72 hours)"


def corr_intake_late(root):
    a = notes(root, "risk-needs-assessment")[0]
    move_note(root, a, 28)
    arr = day_of(events(root, "arrival")[0].get("date"))
    return ["CORR-C8-INTAKE"], f"intake risk and needs assessment on day {(day_of(a.get('service-at')) - arr).days} after arrival, no extension"


def corr_classification_late(root):
    k = [n for n in notes(root, "classification") if n.find(q("classification")).get("kind") == "initial"][0]
    move_note(root, k, 14)
    arr = day_of(events(root, "arrival")[0].get("date"))
    return ["CORR-C1"], f"initial classification on day {(day_of(k.get('service-at')) - arr).days} after arrival"


def corr_review_missing(root):
    ks = [n for n in notes(root, "classification") if n.find(q("classification")).get("kind") == "program-review"]
    notes_el(root).remove(ks[-1])
    prev = ks[-2]
    return ["CORR-C2-90"], f"no program review since {day_of(prev.get('service-at')).isoformat()} although within 12 months of the projected release (90-day reviews)"


def vr_no_review(root):
    for n in notes(root, "ipe-review"):
        notes_el(root).remove(n)
    return ["VR-V5"], "no annual review of the IPE with the individual"


def vr_eligibility_late(root):
    e = notes(root, "eligibility-determination")[0]
    move_note(root, e, 28, ("eligibility",))
    app = day_of(events(root, "application")[0].get("date"))
    return ["VR-V1"], f"eligibility determined {(day_of(e.get('service-at')) - app).days} days after the application, no extension"


def vr_ipe_no_extension(root):
    exts = root.find(q("extensions"))
    root.remove(exts)
    elig = day_of(events(root, "eligibility")[0].get("date"))
    ipe = day_of(notes(root, "ipe")[0].get("service-at"))
    return ["VR-V2"], f"IPE signed {(ipe - elig).days} days after eligibility, without an extension"


def vr_no_cap(root):
    for n in notes(root, "eligibility-determination"):
        inel = n.find(q("eligibility-determination")).find(q("ineligibility"))
        inel.remove(inel.find(q("cap-information")))
    return ["VR-V14"], "the ineligibility notice gives no information on the Client Assistance Program"


def vr_trial_work_interval(root):
    return ["VR-V12"], "trial work progress recorded every 74 days (2025 policy: at least every 60 days)"


# ---------------------------------------------------------------------------------------------------
# The caseloads: (template, month, cut (months before the template's as-of), worker index, defects)

def plan(setting):
    W = SETTINGS[setting]["workers"]
    M = [(2025, m) for m in range(7, 13)]
    if setting == "child_welfare":
        rows = [
            ("jose", 0, 0, 0, []), ("zoe", 0, 0, 2, []), ("lucia", 0, 0, 1, []), ("jose-ext", 0, 3, 1, [cw_no_re_finding]),
            ("jose", 0, 6, 3, [cw_missing_visit(1), note_defect("caseworker-visit", -1, "late")]),
            ("jose", 1, 2, 0, []), ("zoe", 1, 3, 1, []), ("lucia", 1, 2, 2, []), ("jose-ext", 1, 5, 3, []),
            ("jose", 1, 1, 3, [cw_no_review]), ("zoe", 2, 1, 0, []), ("jose", 2, 4, 2, []),
            ("lucia", 2, 4, 3, [note_defect("caseworker-visit", -2, "unsigned")]), ("jose-ext", 2, 0, 3, []),
            ("jose", 2, 7, 0, [cw_plan_late(14)]), ("zoe", 3, 5, 3, [note_defect("caseworker-visit", -3, "stamped")]),
            ("jose", 3, 3, 1, []), ("lucia", 3, 1, 2, []), ("jose-ext", 3, 6, 0, []), ("jose", 3, 0, 3, [cw_not_consulted, note_defect("caseworker-visit", -2, "signed-late")]),
            ("zoe", 4, 2, 2, []), ("jose", 4, 5, 0, []), ("lucia", 4, 3, 1, []),
            ("jose-ext", 4, 1, 1, []), ("jose", 4, 8, 2, [note_defect("caseworker-visit", -1, "late")]),
            ("zoe", 5, 4, 0, []), ("jose", 5, 2, 1, [cw_missing_visit(2)]), ("lucia", 5, 0, 3, []),
            ("jose-ext", 5, 4, 2, []), ("jose", 5, 6, 3, [cw_plan_late(21), note_defect("caseworker-visit", -1, "unsigned")]),
        ]
        out = [("jose", None, 0, 1, []), ("zoe", "after", 2, 2, [])]
    elif setting == "hospital":
        rows = [
            ("jose", 0, 0, 0, []), ("lucia", 0, 0, 2, []), ("chloe", 0, 0, 1, []), ("jose", 0, 0, 3, [hosp_im_late]),
            ("lucia", 0, 0, 3, []),
            ("jose", 1, 0, 1, []), ("lucia", 1, 0, 2, []), ("chloe", 1, 0, 0, []), ("jose", 1, 0, 3, [hosp_record_late, note_defect("progress-note", 0, "stamped")]),
            ("lucia", 1, 0, 1, []),
            ("jose", 2, 0, 2, []), ("lucia", 2, 0, 0, [hosp_no_plan_update]), ("chloe", 2, 0, 3, []),
            ("jose", 2, 0, 1, [hosp_summary_late]), ("lucia", 2, 0, 3, [note_defect("progress-note", 0, "late")]),
            ("jose", 3, 0, 0, []), ("lucia", 3, 0, 1, []), ("chloe", 3, 0, 2, []), ("jose", 3, 0, 3, [hosp_no_plan_update, hosp_transmittal_late]),
            ("lucia", 4, 0, 0, []), ("jose", 4, 0, 2, []), ("chloe", 4, 0, 1, []), ("jose", 4, 0, 3, []),
            ("lucia", 4, 0, 2, [note_defect("progress-note", 0, "signed-late"), hosp_summary_late]),
            ("jose", 5, 0, 0, []), ("lucia", 5, 0, 1, []), ("chloe", 5, 0, 3, [note_defect("progress-note", 0, "unsigned")]),
            ("jose", 5, 0, 2, []), ("lucia", 5, 0, 0, []), ("jose", 5, 0, 3, [hosp_im_late, hosp_record_late]),
        ]
        out = [("lucia", None, 0, 0, []), ("jose", "after", 0, 3, [])]
    elif setting == "correctional":
        rows = [
            ("jose", 0, 0, 0, []), ("zoe", 0, 0, 1, []), ("jose-ext", 0, 2, 2, []), ("jose", 0, 4, 3, [corr_counselor_late]),
            ("jose", 0, 9, 2, []),
            ("jose", 1, 1, 1, []), ("zoe", 1, 1, 3, []), ("jose-ext", 1, 5, 0, []), ("jose", 1, 0, 3, [corr_review_missing, note_defect("classification", -1, "stamped")]),
            ("jose", 1, 7, 2, []),
            ("jose", 2, 3, 0, []), ("zoe", 2, 2, 2, []), ("jose-ext", 2, 0, 1, []), ("jose", 2, 6, 3, [corr_intake_late]),
            ("jose", 2, 10, 0, [note_defect("risk-needs-assessment", 0, "late")]),
            ("jose", 3, 2, 2, []), ("zoe", 3, 0, 0, []), ("jose-ext", 3, 4, 3, []), ("jose", 3, 8, 1, []),
            ("jose", 3, 1, 3, [corr_classification_late, corr_counselor_late]),
            ("jose", 4, 5, 1, []), ("zoe", 4, 1, 2, [note_defect("contact-note", -1, "signed-late")]), ("jose-ext", 4, 1, 0, []),
            ("jose", 4, 0, 3, []), ("jose", 4, 9, 2, []),
            ("jose", 5, 6, 0, []), ("zoe", 5, 2, 1, []), ("jose-ext", 5, 3, 2, []), ("jose", 5, 1, 0, [corr_review_missing]),
            ("jose", 5, 4, 3, [note_defect("reentry-plan", 0, "unsigned")]),
        ]
        out = [("jose", None, 2, 1, []), ("jose-ext", "after", 0, 2, [])]
    elif setting == "vocational":
        rows = [
            ("jose", 0, 0, 0, []), ("minh", 0, 0, 2, []), ("anais", 0, 0, 3, []), ("jose", 0, 6, 1, [vr_eligibility_late]),
            ("jose", 0, 10, 3, []),
            ("jose", 1, 2, 1, []), ("minh", 1, 1, 3, [vr_ipe_no_extension]), ("anais", 1, 1, 0, []), ("jose", 1, 8, 2, []),
            ("zoe", 1, 0, 3, [vr_trial_work_interval]),
            ("jose", 2, 4, 2, []), ("minh", 2, 2, 0, []), ("anais", 2, 0, 1, []), ("jose", 2, 0, 3, [vr_no_review, note_defect("progress-note", -1, "late")]),
            ("jose", 2, 12, 0, []),
            ("jose", 3, 1, 3, []), ("minh", 3, 0, 1, []), ("anais", 3, 1, 2, [vr_no_cap]), ("jose", 3, 9, 0, []),
            ("jose", 3, 5, 3, [note_defect("progress-note", 1, "stamped")]),
            ("jose", 4, 3, 0, []), ("minh", 4, 3, 2, []), ("anais", 4, 0, 3, []), ("jose", 4, 11, 1, []),
            ("jose", 4, 7, 2, [note_defect("progress-note", 0, "signed-late")]),
            ("jose", 5, 0, 1, []), ("minh", 5, 1, 0, []), ("anais", 5, 1, 2, []), ("jose", 5, 2, 3, [vr_no_review]),
            ("jose", 5, 13, 3, [vr_eligibility_late, note_defect("progress-note", 0, "unsigned")]),
        ]
        out = [("minh", None, 1, 0, []), ("anais", "after", 0, 1, [])]
    specs = []
    for tpl, mi, cut, wi, defects in rows:
        specs.append(dict(template=tpl, month=M[mi], cut=cut, worker=W[wi], defects=defects))
    for tpl, when, cut, wi, defects in out:
        specs.append(dict(template=tpl, month=(2025, 6) if when is None else (2026, 1), cut=cut, worker=W[wi], defects=defects))
    return specs


# ---------------------------------------------------------------------------------------------------
# Output

def serialise(root):
    ET.indent(root, "  ")
    return re.sub(r'" />', '"/>', ET.tostring(root, encoding="unicode"))


def describe(setting, spec, root):
    t = spec["template"]
    n_notes = len(notes(root))
    return f"from valid/{SETTINGS[setting]['templates'][t].file}, {n_notes} notes"


def main():
    summary = {}
    namer = Namer(0)   # one for all settings: no client name is used twice
    for setting in SETTINGS:
        out_dir = os.path.join(ROOT, "plugins", setting, "samples", "caseload")
        sg.fresh_dirs(out_dir)
        rows = []
        for k, spec in enumerate(plan(setting)):
            root, rec_no, expect, why, client_name, as_of = build(setting, spec, namer, 101 + k)
            in_period = PERIOD[0] <= as_of <= PERIOD[1]
            errors = [e for e in expect if e not in WARNINGS]
            desc = "; ".join(why) if why else "compliant"
            if why and not errors:
                desc = "compliant with a warning: " + desc
            if not in_period:
                desc += "; as-of outside the audit period 2025-07-01..2025-12-31 (eliminated)"
            text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    f"<!-- casedoc-expect: {' '.join(expect) if expect else 'none'} -->\n"
                    f"<!-- Caseload sample ({describe(setting, spec, root)}): {desc}. -->\n"
                    + serialise(root) + "\n")
            name = f"{rec_no.lower()}.xml"
            sg.write_text(os.path.join(out_dir, name), text, newline="\n")
            rows.append(dict(file=name, id=rec_no, as_of=as_of.isoformat(), office=root.get("office"),
                             worker=root.get("worker"), worker_name=spec["worker"][1], expect=expect, errors=errors, why=desc,
                             in_period=in_period, template=spec["template"]))
        summary[setting] = rows
        write_description(setting, out_dir, rows)
    return summary


def write_description(setting, out_dir, rows):
    cfg = SETTINGS[setting]
    inp = [r for r in rows if r["in_period"]]
    bad = [r for r in inp if r["errors"]]
    lines = [f"# Sample caseload: {setting}", "",
             "The case records in `caseload/`, for a caseload audit (funder-style case file review, `casedoc audit`),",
             "generated by `scripts/samples/caseload_gen.py` from the valid case-record samples of this setting (dates",
             "shifted by whole weeks, people renamed, defects planted as in `invalid/`). Do not edit by hand: change the",
             "generator and run `python3 scripts/samples/caseload_gen.py` from the repository root. (This page is",
             "beside the folder, not in it: the folder holds records only, as an agency's export would.)", "",
             "Each record starts with `<!-- casedoc-expect: ... -->` naming the rules it must break (`none`: compliant).",
             "Check with `build/bin/casedoc validate plugins/" + setting + "/samples/caseload --format json`.", "",
             f"- Audit period 2025-07-01..2025-12-31; `as-of` (the service date) is a month's last day.",
             f"- {len(rows)} records: {len(inp)} in the period ({len(inp) - len(bad)} compliant, {len(bad)} not), "
             f"{len(rows) - len(inp)} outside it (eliminated by the audit).", "",
             "| worker | name | office | records in period | not compliant |", "|---|---|---|---|---|"]
    for wid, wname, role, cred, office in cfg["workers"]:
        mine = [r for r in inp if r["worker"] == wid]
        lines.append(f"| {wid} | {wname} ({role}, {cred}) | {office} | {len(mine)} | {len([r for r in mine if r['errors']])} |")
    lines += ["", "| file | as-of | office | worker | expected rule ids | what |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| `{r['file']}` | {r['as_of']} | {r['office']} | {r['worker']} | {' '.join(e + (' (warning)' if e in WARNINGS else '') for e in r['expect']) or 'none'} | {r['why']} |")
    sg.write_text(os.path.join(os.path.dirname(out_dir), "caseload.md"), "\n".join(lines) + "\n", newline="\n")


if __name__ == "__main__":
    s = main()
    for setting, rows in s.items():
        inp = [r for r in rows if r["in_period"]]
        print(f"{setting}: {len(rows)} records, {len(inp)} in period, {len([r for r in inp if not r['errors']])} compliant")
