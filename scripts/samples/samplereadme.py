"""Shared by the README scripts in scripts/samples (<setting>_readme.py): a setting's rules (schema checks and
native checks), its samples with their expected rule ids, and the tables of plugins/<id>/samples/README.md.

Not run by itself; imported like samplegen (see there). Python standard library only.
"""
import glob
import os
import re
import xml.etree.ElementTree as ET

from samplegen import write_text

SCH = "{http://purl.oclc.org/dsdl/schematron}"
CD = "{urn:casedoc:schema:1}"
CHECKS = (SCH + "assert", SCH + "report", CD + "field", CD + "deadline", CD + "recurrence")


def check(e):
    """(kind, severity, citation) of a schema element that is a check with an id; None for any other element."""
    if e.tag not in CHECKS or not e.get("id"):
        return None
    kind = ("sch:" if e.tag.startswith(SCH) else "cd:") + e.tag.split("}")[1]
    return kind, e.get("role") or "error", e.get(CD + "citation") or e.get("citation")


def schema_rules(root, setting):
    """The versions of a setting's schemas (schemas/<setting>/*.sch, in name order) and their rules:
    id -> [kind, severity, citation, set of versions], from each schema and the files it includes. Kind, severity
    and citation are those of the first check with the id."""
    versions, rules = [], {}

    def walk(path, seen, version):
        path = os.path.normpath(path)
        if path in seen:
            return
        seen.add(path)
        for e in ET.parse(path).iter():
            c = check(e)
            if c:
                rules.setdefault(e.get("id"), [*c, set()])[3].add(version)
            if e.tag == SCH + "include":
                walk(os.path.join(os.path.dirname(path), e.get("href")), seen, version)

    for f in sorted(glob.glob(f"{root}/schemas/{setting}/*.sch")):
        version = ET.parse(f).getroot().find(CD + "meta").get("version")
        versions.append(version)
        walk(f, set(), version)
    return versions, rules


def native_rules(cpp, prefix, versions):
    """The native checks a plugin declares in its descriptor ({"ID", CASEDOC_SEVERITY_X, "citation", ...) whose
    ids start with `prefix`: id -> ["native check", severity, citation, set of versions (all of them)]."""
    with open(cpp, encoding="utf-8") as fh:
        source = fh.read()
    found = re.findall(r'\{"(' + re.escape(prefix) + r'[A-Z0-9-]+)", CASEDOC_SEVERITY_(\w+),\s*"([^"]*)"', source)
    return {rid: ["native check", sev.lower(), cit, set(versions)] for rid, sev, cit in found}


# casedoc's own checks of every record, whatever its setting (core/src/check/): id -> (kind, severity, citation).
CORE = {"CASEDOC-DOCUMENT-TYPE": ("core check", "error", "casedoc record format 1.0 (docs/record-format.md)"),
        "CASEDOC-DATE": ("core check", "error", "casedoc record format 1.0 (docs/record-format.md)")}


def core_rules(versions, samples):
    """The core checks some sample expects: id -> [kind, severity, citation, set of versions (all of them)]."""
    return {r: [*CORE[r], set(versions)] for r in CORE if any(r in e for e in samples.values())}


def read_samples(samples_dir, dotall=False):
    """The samples in valid/ and invalid/ (in name order): (kind, file) -> the rule ids of its casedoc-expect
    comment, and (kind, file) -> its description (the second comment; `dotall`: it may span lines)."""
    samples, desc = {}, {}
    for kind in ("valid", "invalid"):
        for f in sorted(glob.glob(f"{samples_dir}/{kind}/*.xml")):
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
            key = (kind, os.path.basename(f))
            samples[key] = re.search(r"casedoc-expect:\s*([^>]*?)\s*-->", text).group(1).split()
            desc[key] = re.findall(r"<!--\s*(.*?)\s*-->", text, re.S if dotall else 0)[1]
    return samples, desc


def rule_order(*prefixes):
    """A sort key for rule ids: the group of the prefix (regular expressions, tried in the order given), then
    the number after it, then the rest."""
    n = len(prefixes)
    rx = re.compile("(?:" + "|".join(f"({p})" for p in prefixes) + r")(\d*)(.*)")

    def key(r):
        m = rx.match(r)
        group = next(i for i in range(n) if m.group(i + 1) is not None)
        return (group, int(m.group(n + 1) or 0), m.group(n + 2))
    return key


def triggering(samples, rule):
    """The invalid samples that expect a rule."""
    return [f for (k, f), e in samples.items() if k == "invalid" and rule in e]


def uncovered(rule_ids, samples):
    """The rules no invalid sample expects."""
    return [r for r in rule_ids if not triggering(samples, r)]


def readme(intro, rules_intro, columns, rows, samples, desc, after_valid=()):
    """The lines of a samples README: `intro`, the valid samples (then the paragraph `after_valid`), the rules with
    the invalid samples that trigger them (`rows`: (rule id, cells) under `columns`, after `rules_intro`), and the
    invalid samples with their expected rule ids."""
    out = list(intro) + ["", "## Valid", "", "| file | what |", "|---|---|"]
    out += [f"| `valid/{f}` | {desc[(k, f)]} |" for (k, f) in samples if k == "valid"]
    if after_valid:
        out += [""] + list(after_valid)
    out += ["", "## Invalid, by rule", ""] + list(rules_intro) + [""]
    out += ["| " + " | ".join(list(columns) + ["samples"]) + " |", "|" + "---|" * (len(columns) + 1)]
    for r, cells in rows:
        files = [f"`{f}`" for f in triggering(samples, r)]
        out.append(f"| {r} | " + " | ".join(str(c) for c in cells) + f" | {'<br>'.join(files) or '**none**'} |")
    out += ["", "## Invalid, by file", "", "| file | expected rule ids | what is wrong |", "|---|---|---|"]
    out += [f"| `invalid/{f}` | {' '.join(e)} | {desc[(k, f)]} |" for (k, f), e in samples.items() if k == "invalid"]
    return out


def write_readme(path, lines):
    write_text(path, "\n".join(lines) + "\n")
