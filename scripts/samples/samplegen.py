"""Shared by the sample generators in scripts/samples (<setting>_gen.py and caseload_gen.py): repository
root, dates, XML attributes, staff authors and signatures, notes, case records and sample files.

Not run by itself. A script imports it from its own directory:

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.dont_write_bytecode = True   # no __pycache__ in the source tree
    import samplegen as sg

Deterministic (no clock, no randomness); Python standard library only.
"""
import datetime as dt
import os
import sys
from xml.sax.saxutils import escape, quoteattr

RECORD_NS = "urn:casedoc:record:1"


def repo_root(script):
    """The repository root: the script's first argument, else the repository holding `script`
    (scripts/samples/X.py)."""
    if len(sys.argv) > 1:
        return sys.argv[1]
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(script))))


# ---------------------------------------------------------------------------------------------------
# Dates

def ts(d):
    """A date-time as the record format writes it: YYYY-MM-DDTHH:MM."""
    return d.strftime("%Y-%m-%dT%H:%M")


def day(d):
    return d.strftime("%Y-%m-%d")


def D(s, hm="10:00"):
    """The date-time of an ISO date and an HH:MM time."""
    return dt.datetime.strptime(f"{s}T{hm}", "%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------------------------------------------
# XML

def attrs(**kw):
    """XML attributes from keywords, in their order: `_` becomes `-` (a trailing `_` is dropped), None is left out."""
    out = []
    for k, v in kw.items():
        if v is None:
            continue
        out.append(f"{k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}")
    return " ".join(out)


def record_ns(setting):
    """The namespace and format attributes of a root element (a standalone note or a case record)."""
    return f'xmlns="{RECORD_NS}" format-version="1.0" setting="{setting}"'


def client_lines(c, identifier=None):
    """The <client> of a person (dict with id, name, birth); `identifier`: (system, value) of an <identifier> in it."""
    a = attrs(id=c["id"], name=c["name"], birth_date=c["birth"])
    if identifier is None:
        return [f"<client {a}/>"]
    system, value = identifier
    return [f"<client {a}>", f"  <identifier {attrs(system=system, value=value)}/>", "</client>"]


def pronouns(c):
    """(subject, possessive) of a person with `sex` F or M."""
    return ("she", "her") if c["sex"] == "F" else ("he", "his")


def format_sections(fmt, data, assessment, plan, subjective, intervention, response, goal, other=()):
    """The (code, text) sections of a note in a structured format (DAP, SOAP, BIRP, GIRP), else `other`.

    `data` is the objective part of SOAP, the behavior of BIRP and the intervention of GIRP; `assessment` is the
    response of GIRP; `intervention` and `response` are BIRP's."""
    return {
        "DAP": [("data", data), ("assessment", assessment), ("plan", plan)],
        "SOAP": [("subjective", subjective), ("objective", data), ("assessment", assessment), ("plan", plan)],
        "BIRP": [("behavior", data), ("intervention", intervention), ("response", response), ("plan", plan)],
        "GIRP": [("goal", goal), ("intervention", data), ("response", assessment), ("plan", plan)],
    }.get(fmt, list(other))


# ---------------------------------------------------------------------------------------------------
# Staff, notes, case records

class Staff(dict):
    """Staff by id: dict(name, role, credential). Writes their <author>, <signature> and <addendum> elements."""

    def author(self, uid, drop=()):
        s = self[uid]
        a = dict(id=uid, name=s["name"], role=s["role"], credential=s["credential"])
        for k in drop:
            a.pop(k)
        return f"<author {attrs(**a)}/>"

    def signature(self, uid, at, method="electronic", drop=(), signed_at_text=None):
        s = self[uid]
        a = dict(signer=uid, name=s["name"], role=s["role"], credential=s["credential"],
                 signed_at=signed_at_text or ts(at), method=method)
        for k in drop:
            a.pop(k)
        return f"<signature {attrs(**a)}/>"

    def addendum(self, uid, kind, entered_at, text, signed_at, reason=None):
        """An addendum (id A-1) by `uid`, entered at `entered_at` (text) and signed at `signed_at` (date-time)."""
        s = self[uid]
        a = attrs(id="A-1", kind=kind, author=uid, role=s["role"], credential=s["credential"], entered_at=entered_at,
                  reason=reason)
        return [f"<addendum {a}>", f"  <text>{escape(text)}</text>", "  " + self.signature(uid, signed_at), "</addendum>"]


class Note:
    """A note: header attributes, body lines; rendered standalone or inside a case record.

    A setting subclasses it and sets SETTING and STAFF (a Staff) and its notes' defaults: ENTERED_H (hours from
    the service to the entry), SIGNED_MIN (minutes from the entry to the author's signature), AUTHOR (staff id)
    and FORMAT. A None argument takes the setting's default."""

    SETTING = None
    STAFF = None
    ENTERED_H = 1.0
    SIGNED_MIN = 6
    AUTHOR = None
    FORMAT = "narrative"

    def __init__(self, type_, id_, service, entered_h=None, sign_h=None, author_id=None, fmt=None,
                 late_entry=None, late_reason=None, extra_sigs=(), sig_method="electronic",
                 no_signature=False, service_text=None, entered_text=None, omit_entered=False, drop_author=(),
                 drop_sig=(), signed_at_text=None):
        self.type, self.id, self.service = type_, id_, service
        self.entered = service + dt.timedelta(hours=self.ENTERED_H if entered_h is None else entered_h)
        self.signed = self.entered + dt.timedelta(minutes=self.SIGNED_MIN) if sign_h is None else service + dt.timedelta(hours=sign_h)
        self.author_id = self.AUTHOR if author_id is None else author_id
        self.fmt = self.FORMAT if fmt is None else fmt
        self.late_entry, self.late_reason = late_entry, late_reason
        self.sig_method, self.no_signature = sig_method, no_signature
        self.service_text, self.entered_text, self.omit_entered = service_text, entered_text, omit_entered
        self.drop_author, self.drop_sig, self.signed_at_text = drop_author, drop_sig, signed_at_text
        self.sections = []   # (code, text)
        self.body = []       # setting-specific XML lines (indented relative to the note)
        # XML lines of co-signatures, after the author's: from (staff id, date-time) pairs; more may be appended
        self.extra_sigs = [self.STAFF.signature(uid, at) for uid, at in extra_sigs]
        self.addenda = []    # XML lines
        self.client = None   # XML lines for standalone notes

    def header(self, standalone):
        a = dict(type=self.type, id=self.id, service_at=self.service_text or ts(self.service),
                 entered_at=None if self.omit_entered else (self.entered_text or ts(self.entered)),
                 format=self.fmt, late_entry=self.late_entry, late_entry_reason=self.late_reason)
        return f"<note {record_ns(self.SETTING)} {attrs(**a)}>" if standalone else f"<note {attrs(**a)}>"

    def lines(self, standalone):
        out = [self.header(standalone)]
        if standalone and self.client:
            out += ["  " + l for l in self.client]
        out.append("  " + self.STAFF.author(self.author_id, self.drop_author))
        for code, text in self.sections:
            out.append(f"  <section code={quoteattr(code)}>{escape(text)}</section>")
        out += ["  " + l for l in self.body]
        if not self.no_signature:
            out.append("  " + self.STAFF.signature(self.author_id, self.signed, self.sig_method, self.drop_sig,
                                                   self.signed_at_text))
        out += ["  " + l for l in self.extra_sigs]
        out += ["  " + l for l in self.addenda]
        out.append("</note>")
        return out

    def standalone(self, client):
        """The note as a document of its own, about the client whose <client> lines are given."""
        self.client = client
        return self.lines(True)


def case_record(setting, client, rid, as_of, events, notes, extensions=(), office=None, worker=None, sort=True):
    """A case record's lines: `client` (<client> lines), events and extensions (attribute dicts), notes (Note),
    sorted by service date-time unless `sort` is false."""
    out = [f"<case-record {record_ns(setting)} {attrs(type='case-record', id=rid, as_of=as_of, office=office, worker=worker)}>"]
    out += ["  " + l for l in client]
    out.append("  <events>")
    for e in events:
        out.append(f"    <event {attrs(**e)}/>")
    out.append("  </events>")
    if extensions:
        out.append("  <extensions>")
        for x in extensions:
            out.append(f"    <extension {attrs(**x)}/>")
        out.append("  </extensions>")
    out.append("  <notes>")
    if sort:
        notes = sorted(notes, key=lambda n: n.service)
    for n in notes:
        out += ["    " + l for l in n.lines(False)]
    out.append("  </notes>")
    out.append("</case-record>")
    return out


def sorted_notes(notes, swap=None):
    """Notes in order of service; `swap` (i, j) then exchanges two of them (a notes-out-of-order sample)."""
    notes = sorted(notes, key=lambda n: n.service)
    if swap:
        i, j = swap
        notes[i], notes[j] = notes[j], notes[i]
    return notes


# ---------------------------------------------------------------------------------------------------
# Files

def fresh_dirs(*dirs):
    """Creates the directories and removes the XML files in them (a generator rewrites them all); returns them."""
    for d in dirs:
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.endswith(".xml"):
                os.remove(os.path.join(d, f))
    return dirs


def write_text(path, text, newline=None):
    with open(path, "w", encoding="utf-8", newline=newline) as out:
        out.write(text)


def write(path, expect, description, lines):
    """A sample document: XML declaration, `<!-- casedoc-expect: ... -->` (left out when `expect` is None: a
    record-format example), a comment with the description, then the lines."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if expect is not None:
        head += f"<!-- casedoc-expect: {expect} -->\n"
    head += f"<!-- {description} -->\n"
    write_text(path, head + "\n".join(lines) + "\n")


def write_common_note_samples(inv_note, make, addendum, *, short_goal, date_only, bad_signed_at, contact, window,
                              unknown_format="progress", noun="note"):
    """The invalid samples of the common note rules X1-X4, on notes of one kind.

    inv_note(name, expect, description, note) writes a sample; make(fmt=..., **note keywords) builds the note
    (DAP by default); addendum: the XML lines of a correction addendum without a reason. The rest is what
    differs between the settings: a goal section too short, a service date without a time, a signature time
    that is not ISO, what the service is called ("visit", "contact"), the signing window; a format that is not
    a known one, and what the structured notes are called ("note", "contact note")."""
    inv_note("x1-format-unknown", "X1-FORMAT", "The note format is not a known one.", make(fmt=unknown_format))
    n = make(fmt="SOAP"); n.sections = [s for s in n.sections if s[0] != "objective"]
    inv_note("x1-soap-missing-objective", "X1-SOAP", f"A SOAP {noun} without its objective section.", n)
    n = make(fmt="DAP"); n.sections = [(k, "" if k == "assessment" else t) for k, t in n.sections]
    inv_note("x1-dap-empty-assessment", "X1-DAP", f"A DAP {noun} whose assessment section is empty.", n)
    n = make(fmt="BIRP"); n.sections = [s for s in n.sections if s[0] != "response"]
    inv_note("x1-birp-missing-response", "X1-BIRP", f"A BIRP {noun} without its response section.", n)
    n = make(fmt="GIRP"); n.sections = [(k, short_goal if k == "goal" else t) for k, t in n.sections]
    inv_note("x1-girp-short-goal", "X1-GIRP", f"A GIRP {noun} whose goal section is shorter than the minimum length.", n)
    inv_note("x2-author-no-credential", "X2-AUTHOR", "The author's credential is missing.", make(drop_author=("credential",)))
    inv_note("x2-service-at-date-only", "X2-SERVICE-AT", "The service date has no time of day.", make(service_text=date_only))
    inv_note("x2-entered-at-missing", "X2-ENTERED-AT", "The note does not say when it was entered.", make(omit_entered=True))
    inv_note("x2-unsigned", "X2-SIG", "The note is not signed.", make(no_signature=True))
    inv_note("x2-signature-no-credential", "X2-SIG-FIELDS", "The signature lacks the signer's credential.", make(drop_sig=("credential",)))
    inv_note("x2-signed-at-malformed", "X2-SIGNED-AT", "The signature time is not an ISO date-time: reported once, at the "
             "attribute (the signing deadline, which cannot be measured with it, does not report it again).",
             make(signed_at_text=bad_signed_at))
    inv_note("x2-stamped-signature", "X2-SIG-METHOD", "A stamped signature.", make(sig_method="stamped"))
    n = make()
    n.addenda = addendum
    inv_note("x3-addendum-no-reason", "X3-ADDENDUM", "A correction addendum without a reason.", n)
    inv_note("x3-late-unlabelled", "X3-LATE", f"Entered 30 hours after the {contact} but not marked as a late entry.", make(entered_h=30))
    inv_note("x3-late-no-reason", "X3-LATE-REASON X3-LATE", f"Marked as a late entry without a reason (entered 30 hours "
             f"after the {contact}).", make(entered_h=30, late_entry="true"))
    inv_note("x4-signed-late", "X4-SIGN-TIMELY", f"Entered 2 hours after the {contact} but signed 80 hours after it ({window}).",
             make(entered_h=2, sign_h=80))
