#!/usr/bin/env python3
"""Extracts the two WSDL files of Appendix A from seed 004 (text pulled out of a PDF) into pom-sim/wsdl/.

The PDF extraction wrapped long lines, sometimes inside attribute values (namespace URLs), and left a
few page footers. A line break inside a quoted value is joined without a space; anything else is
joined with a newline. Run once; the output is committed and served by the simulator at ?wsdl.
"""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
seed = root.parent / "shared" / "seeds" / "004_2a182025cd252556.txt"
lines = seed.read_text(encoding="utf-8").splitlines()
# Page headers and footers the PDF extraction left between XML lines.
noise = re.compile(r"^\s*(Developer Guide for Proactive Outreach Manager.*|\d+\s+Developer Guide.*|Comments\? .*"
                   r"|Appendix A: .*|Sample WSDL files.*|services\s*$|Agent API WSDL file|VP_POMCmpMgmt WSDL file)\s*$")


def extract(after_line: int) -> str:
    start = next(i for i in range(after_line, len(lines)) if lines[i].strip().startswith("<?xml"))
    out, in_quote = [], False
    for line in lines[start:]:
        if noise.match(line):
            continue
        broken_tag = out and (out[-1].endswith(("<", "</", "/")) or line.strip().startswith(">"))
        if out and (in_quote or broken_tag):
            out[-1] += line.strip()
        else:
            out.append(line.rstrip())
        in_quote = out[-1].count('"') % 2 == 1
        if "</wsdl:definitions>" in line:
            break
    return "\n".join(out) + "\n"


for marker, name in [("VP_POMCmpMgmt WSDL file", "VP_POMCmpMgmtService.wsdl"), ("Agent API WSDL file", "VP_POMAgentAPIService.wsdl")]:
    after = next(i for i, l in enumerate(lines) if i > 8000 and l.strip() == marker)
    text = extract(after)
    (root / "pom" / "wsdl" / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(text.splitlines())} lines")
