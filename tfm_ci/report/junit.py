"""FleetReport -> JUnit XML: one testcase per job (classname = board, name = model[kset])."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tfm_ci.report.summary import FleetReport


def render_junit(report: FleetReport) -> str:
    """Failing jobs (FAIL, ERROR, TIMEOUT, FAULT) are ``<failure>``s carrying the job's reason
    (type = status and category); SKIP is ``<skipped>`` with its reason."""
    counts = report.summary["by_status"]
    failures = sum(counts[s] for s in ("FAIL", "ERROR", "TIMEOUT", "FAULT"))
    seconds = sum(r.seconds or 0.0 for r in report.jobs)
    attrs = {"name": "tfm-ci fleet", "tests": str(len(report.jobs)),
             "failures": str(failures), "errors": "0", "skipped": str(counts["SKIP"]),
             "time": f"{seconds:.3f}"}
    suites = ET.Element("testsuites", attrs)
    suite = ET.SubElement(suites, "testsuite", attrs)
    for r in report.jobs:
        case = ET.SubElement(suite, "testcase", {"classname": r.board, "name": r.name,
                                                 "time": f"{r.seconds or 0.0:.3f}"})
        measured = {k: v for k, v in r.metrics.items() if v is not None}
        if measured:
            props = ET.SubElement(case, "properties")
            for metric, value in measured.items():
                ET.SubElement(props, "property", {"name": metric, "value": str(value)})
        kind = f"{r.status} {r.category}".strip()
        if r.failing:
            failure = ET.SubElement(case, "failure", {"message": r.reason, "type": kind})
            failure.text = f"{kind}: {r.record.get('reason') or r.reason}"
        elif r.status == "SKIP":
            ET.SubElement(case, "skipped", {"message": f"{kind}: {r.reason}"})
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
