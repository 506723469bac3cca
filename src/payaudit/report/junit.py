"""JUnit XML, which GitLab (artifacts:reports:junit), Jenkins and most CI systems show as tests:
one test case per rule that ran, failing with its findings that count (new and not waived);
known and waived findings are listed in its output. One more test case per data-issue code
found, failing on error issues."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import BinaryIO

import polars as pl

from payaudit.engine.findings import counted

from .base import Format, register
from .model import Report

SUITE = "payaudit"


def _lines(frame: pl.DataFrame, head: list[str]) -> list[str]:
    """One line per row: the `head` columns, then the message and where it is."""
    place = pl.concat_str(pl.col("path"), pl.col("row").cast(pl.String), separator=":")
    line = pl.concat_str(
        *(pl.col(c).cast(pl.String).fill_null("-") for c in head),
        pl.col("message").fill_null(""),
        pl.concat_str(pl.lit("("), place, pl.lit(")")).fill_null(""),
        separator="  ",
    )
    return frame.select(line).to_series().to_list()


# The failure's message in --lang; its type stays the machine word.
_COUNTED = {
    "findings": {"en": ("1 finding", "{} findings"), "zh": ("1 条违规事项", "{} 条违规事项")},
    "data issues": {
        "en": ("1 data issue", "{} data issues"),
        "zh": ("1 个数据问题", "{} 个数据问题"),
    },
}


def _case(
    suite: ET.Element, name: str, classname: str, failed: list[str], kind: str, lang: str
) -> None:
    case = ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")
    if failed:
        one, many = _COUNTED[kind][lang]
        message = one if len(failed) == 1 else many.format(len(failed))
        failure = ET.SubElement(case, "failure", message=message, type=kind)
        failure.text = "\n".join(failed)


@register
class JunitFormat(Format):
    name = "junit"
    suffix = ".xml"

    def write(self, report: Report, out: BinaryIO) -> None:
        root = ET.Element("testsuites", name=SUITE)
        rules = ET.SubElement(root, "testsuite", name=f"{SUITE} rules")
        head = ["id", "severity", "worker_id", "period_start", "period_end"]
        for code in sorted(set(report.rules) | set(report.findings["rule"])):
            of_rule = report.findings.filter(pl.col("rule") == code)
            failed = _lines(of_rule.filter(counted()), head)
            _case(rules, code, f"{SUITE}.rules", failed, "findings", report.lang)
            kept = of_rule.filter(~counted()).with_columns(
                status=pl.col("waiver").fill_null(pl.col("baseline"))
            )
            if kept.height:  # known and waived: shown, not failing
                output = ET.SubElement(rules[-1], "system-out")
                output.text = "\n".join(_lines(kept, ["status", *head]))
        data = ET.SubElement(root, "testsuite", name=f"{SUITE} data")
        issues = report.issues
        for code in sorted(set(issues["code"])):
            of_code = issues.filter(pl.col("code") == code, pl.col("severity") == "error")
            _case(
                data,
                code,
                f"{SUITE}.data",
                _lines(of_code, ["code", "table", "column"]),
                "data issues",
                report.lang,
            )
        for suite in (rules, data):
            suite.set("tests", str(len(suite)))
            suite.set("failures", str(sum(case.find("failure") is not None for case in suite)))
            suite.set("errors", "0")
        ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
