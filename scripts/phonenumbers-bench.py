#!/usr/bin/env python3
"""The Python side of `dnc_bench` (server/examples/dnc_bench.rs): reads the benchmark's CSV and
does with Python's `phonenumbers` (a port of libphonenumber) what OCM's DNC pre-flight does with
the phone column: parse each value for the region, keep it when possible, format it as E.164,
count the valid, duplicate and refused rows. Prints one JSON line with the figures.

Usage: phonenumbers-bench.py FILE.csv REGION. Run by the benchmark, not by the tests.
"""
import csv
import json
import sys
import time

import phonenumbers
from phonenumbers import PhoneNumberFormat, ValidationResult


def peak_mib():
    """This process's peak resident memory (`VmHWM`; `ru_maxrss` would count the benchmark's
    memory from before `exec`)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    path, region = sys.argv[1], sys.argv[2]
    began = time.perf_counter()
    seen = set()
    rows = duplicates = refused = warned = 0
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        next(reader)
        for record in reader:
            rows += 1
            try:
                number = phonenumbers.parse(record[0], region)
            except phonenumbers.NumberParseException:
                refused += 1
                continue
            if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
                refused += 1
                continue
            if not phonenumbers.is_valid_number(number):
                warned += 1
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            if e164 in seen:
                duplicates += 1
            else:
                seen.add(e164)
    seconds = time.perf_counter() - began
    print(json.dumps({
        "version": phonenumbers.__version__,
        "rows": rows,
        "valid": len(seen),
        "duplicates": duplicates,
        "refused": refused,
        "warned": warned,
        "seconds": seconds,
        "peak_mib": peak_mib(),
    }))


if __name__ == "__main__":
    main()
