import glob, os, re, xml.etree.ElementTree as ET
ROOT = "/work/main"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
CD = "{urn:casedoc:schema:1}"
rules = {}  # id -> (kind, role, citation, source)
def walk(path, seen):
    path = os.path.normpath(path)
    if path in seen: return
    seen.add(path)
    t = ET.parse(path)
    for e in t.iter():
        if e.tag in (SCH + "assert", SCH + "report", CD + "field", CD + "deadline", CD + "recurrence") and e.get("id"):
            cit = e.get(CD + "citation") or e.get("citation")
            kind = e.tag.split("}")[1]
            rules.setdefault(e.get("id"), (("sch:" if e.tag.startswith(SCH) else "cd:") + kind, e.get("role") or "error", cit, os.path.relpath(path, ROOT)))
        if e.tag == SCH + "include":
            walk(os.path.join(os.path.dirname(path), e.get("href")), seen)
seen = set()
for f in sorted(glob.glob(f"{ROOT}/schemas/child_welfare/*.sch")):
    walk(f, seen)
rules["CW-W7-CONSULT"] = ("native check", "error", "42 U.S.C. 675(1)(B)", "plugins/child_welfare/child_welfare.cpp")
samples = {}
desc = {}
for kind in ("valid", "invalid"):
    for f in sorted(glob.glob(f"{ROOT}/plugins/child_welfare/samples/{kind}/*.xml")):
        text = open(f, encoding="utf-8").read()
        exp = re.search(r"casedoc-expect:\s*([^>]*?)\s*-->", text).group(1).split()
        d = re.findall(r"<!--\s*(.*?)\s*-->", text)[1]
        samples[(kind, os.path.basename(f))] = exp
        desc[(kind, os.path.basename(f))] = d
def order(r):
    m = re.match(r"(X|CW-W)(\d+)(.*)", r)
    return (0 if r.startswith("X") else 1, int(m.group(2)), m.group(3))
out = ["# Child welfare sample records", "",
       "Sample records for the child welfare setting, used by `tests/child_welfare` (every file is run through",
       "`casedoc validate --format json`). Each file starts, after the XML declaration, with",
       "`<!-- casedoc-expect: RULE-ID ... -->`: the rule ids it must trigger, or `none` for a valid record.",
       "The people, cases and courts are fictitious.", "",
       "Run one: `build/bin/casedoc validate plugins/child_welfare/samples/invalid/w4-state-period-missed.xml`.", "",
       "The schema in force depends on the record's service date: `child-welfare-2020.sch` (2020-10-01 to",
       "2023-12-31, notes signed within 120 hours) and `child-welfare-2024.sch` (from 2024-01-01, 72 hours).",
       "The two differ only in that agency policy; see the schema comments.", "",
       "## Valid", "", "| file | what |", "|---|---|"]
for (k, f), e in samples.items():
    if k == "valid": out.append(f"| `valid/{f}` | {desc[(k, f)]} |")
out += ["", "Record-format examples of each document type (`schemas/record/examples/`) are valid too and are run by the same test.",
        "", "## Invalid, by rule", "",
        "Each rule with its severity, citation and the invalid samples that trigger it. Samples break one rule",
        "where they can; `case-record-several-problems.xml` is a realistic mix. CW-W2 and CW-W3-TOPICS are",
        "warnings: a record with only those findings is still compliant (exit 0), as the test expects.", "",
        "| rule | kind | severity | citation | samples |", "|---|---|---|---|---|"]
for r in sorted(rules, key=order):
    kind, role, cit, src = rules[r]
    files = [f"`{f}`" for (k, f), e in samples.items() if k == "invalid" and r in e]
    out.append(f"| {r} | {kind} | {role} | {cit} | {'<br>'.join(files) or '**none**'} |")
out += ["", "## Invalid, by file", "", "| file | expected rule ids | what is wrong |", "|---|---|---|"]
for (k, f), e in samples.items():
    if k == "invalid": out.append(f"| `invalid/{f}` | {' '.join(e)} | {desc[(k, f)]} |")
open(f"{ROOT}/plugins/child_welfare/samples/README.md", "w", encoding="utf-8").write("\n".join(out) + "\n")
missing = [r for r in rules if not any(r in e for (k, f), e in samples.items() if k == "invalid")]
print(len(rules), "rules; uncovered:", missing)
