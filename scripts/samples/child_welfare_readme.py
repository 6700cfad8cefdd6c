#!/usr/bin/env python3
"""Writes plugins/child_welfare/samples/README.md from the schemas, the native check and the samples.

Run after child_welfare_gen.py: python3 scripts/samples/child_welfare_readme.py [repo root] (default: the repository holding this script).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ next to the scripts
import samplegen as sg  # noqa: E402
import samplereadme as sr  # noqa: E402

ROOT = sg.repo_root(__file__)
SAMPLES = f"{ROOT}/plugins/child_welfare/samples"

versions, rules = sr.schema_rules(ROOT, "child_welfare")
rules["CW-W7-CONSULT"] = ["native check", "error", "42 U.S.C. 675(1)(B)", set(versions)]
samples, desc = sr.read_samples(SAMPLES)
rules.update(sr.core_rules(versions, samples))
order = sr.rule_order("CASEDOC-", "X", "CW-W")

out = sr.readme(
    ["# Child welfare sample records", "",
     "Sample records for the child welfare setting, used by `tests/child_welfare` (every file is run through",
     "`casedoc validate --format json`). Each file starts, after the XML declaration, with",
     "`<!-- casedoc-expect: RULE-ID ... -->`: the rule ids it must trigger, or `none` for a valid record.",
     "The people, cases and courts are fictitious.", "",
     "Run one: `build/bin/casedoc validate plugins/child_welfare/samples/invalid/w4-state-period-missed.xml`.", "",
     "The schema in force depends on the record's service date: `child-welfare-2020.sch` (2020-10-01 to",
     "2023-12-31, notes signed within 120 hours) and `child-welfare-2024.sch` (from 2024-01-01, 72 hours).",
     "The two differ only in that agency policy; see the schema comments."],
    ["Each rule with its severity, citation and the invalid samples that trigger it. Samples break one rule",
     "where they can; `case-record-several-problems.xml` is a realistic mix. CW-W2 and CW-W3-TOPICS are",
     "warnings: a record with only those findings is still compliant (exit 0), as the test expects."],
    ["rule", "kind", "severity", "citation"],
    [(r, rules[r][:3]) for r in sorted(rules, key=order)],
    samples, desc,
    after_valid=["Record-format examples of each document type (`schemas/record/examples/`) are valid too and are run by the same test."])
sr.write_readme(f"{SAMPLES}/README.md", out)
print(len(rules), "rules; uncovered:", sr.uncovered(rules, samples))
