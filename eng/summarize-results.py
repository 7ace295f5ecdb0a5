#!/usr/bin/env python3
"""Sums the trx results of every test project and the line coverage of reference/ from coverlet's reports.

Prints the coverage line, then 'N passed, N failed, N skipped' last (read from the test results, never hand-written).
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

results = sys.argv[1]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in glob.glob(os.path.join(results, "**", "*.trx"), recursive=True):
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    total = int(counters.get("total", 0))
    p = int(counters.get("passed", 0))
    f = int(counters.get("failed", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    passed += p
    failed += f
    # xunit's skipped tests are counted in 'total' but not in 'executed' (notExecuted stays 0).
    skipped += total - p - f

# Union of covered lines over every report, restricted to the reference implementation's sources.
repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
reference = os.path.join(repo, "reference") + os.sep
lines = {}
for report in glob.glob(os.path.join(results, "**", "coverage.cobertura.xml"), recursive=True):
    root = ET.parse(report).getroot()
    sources = [s.text or "" for s in root.iter("source")]
    for cls in root.iter("class"):
        name = cls.get("filename", "")
        path = name if os.path.isabs(name) else next(
            (os.path.join(s, name) for s in sources if os.path.exists(os.path.join(s, name))), name)
        path = os.path.abspath(path)
        if not path.startswith(reference) or ".Tests" + os.sep in path or os.sep + "obj" + os.sep in path:
            continue
        for line in cls.iter("line"):
            key = (path, int(line.get("number")))
            lines[key] = lines.get(key, False) or int(line.get("hits", 0)) > 0

if lines:
    covered = sum(1 for v in lines.values() if v)
    print(f"Line coverage of reference/: {100.0 * covered / len(lines):.1f}% ({covered} of {len(lines)} lines)")
else:
    print("Line coverage of reference/: no coverage data found")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
