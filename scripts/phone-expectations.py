#!/usr/bin/env python3
"""Writes domain/tests/fixtures/phone/expectations.csv: written phone numbers read for a default
region by Python's `phonenumbers` (an independent port of Google's libphonenumber), with its
answers, for the test in domain/src/phone/tests.rs.

The output is committed; the test does not run this script. Use the `phonenumbers` release whose
metadata matches the `phonenumber` crate in Cargo.lock (its version's `+9.0.33` part), e.g.

    python3 -m venv /tmp/pn && /tmp/pn/bin/pip install phonenumbers==9.0.33
    /tmp/pn/bin/python scripts/phone-expectations.py

Columns: region, input, outcome, valid, national. The outcome is the E.164 form when the number
parses and is possible for its country (`IS_POSSIBLE`; OCM refuses local-only numbers), else
`refused`; `valid` is `is_valid_number`; `national` the digits of its NATIONAL format.
"""
import csv
import pathlib
import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, ValidationResult

OUT = pathlib.Path(__file__).resolve().parent.parent / "domain" / "tests" / "fixtures" / "phone"

# The mixed file: US national numbers, British national and international ones, and the
# spellings people use, read under each region.
MIXED = [
    "(212) 555-0147", "212-555-0147", "212.555.0147", "2125550147", "1 212 555 0147",
    "+1 212 555 0147", "001 212 555 0147", "011 1 212 555 0147", "(555) 123-4567", "5551234567",
    "555-0147", "020 7946 0959", "+44 20 7946 0959", "+44 (0)20 7946 0959", "0044 20 7946 0959",
    "011 44 20 7946 0959", "442079460959", "07700 900123", "+447700900123", "447700900123",
    "07911 123456", "+44 7911 123456", "(0)7911 123456", "01632 960001", "0800 123 4567",
    "+55 11 91234 5678", "+5551234567", "+49 30 123456", "+33 1 23 45 67 89", "+61 2 9876 5432",
    "+91 98765 43210", "+81 3-1234-5678", "+86 10 1234 5678", "+7 495 123-45-67", "+7 701 123 4567",
    "+353 1 234 5678", "+39 06 1234 5678", "+52 55 1234 5678", "+54 9 11 1234-5678", "+800 1234 5678",
    "12345", "123", "12", "+44 123", "+0 7700 900123", "+999 1234 5678", "+1 800 555 0199",
    "1-800-555-0199", "(800) 555-0199", "+1 416 555 0123", "416-555-0123", "+1 264 497 1234",
]

REGIONS = ["US", "GB", "DE", "FR", "BR", "AR", "IN", "AU", "IT", "MX", "RU", "KZ", "JP", "CN",
           "ES", "NL", "IE", "CA", "ZA", "NG", "SG", "HK", "GG", "JE", "IM", "AE", "PL", "SE",
           "CH", "AT", "BE", "PT", "NZ", "KR", "TR", "EG", "KE", "PH", "ID", "CO"]
TYPES = [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
         PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER,
         PhoneNumberType.UAN, PhoneNumberType.SHARED_COST]


def variants(number, rng):
    """A number as people write it, and near misses: a digit dropped, added or changed."""
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    written = [e164, phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL), e164[1:]]
    digits = e164[1:]
    i = rng.randrange(1, len(digits))
    written.append("+" + digits[:-1])
    written.append("+" + digits + str(rng.randrange(10)))
    written.append("+" + digits[:i] + str((int(digits[i]) + 1 + rng.randrange(8)) % 10) + digits[i + 1:])
    return written


def generated(rng):
    """(region the input is read under, input) pairs from libphonenumber's example numbers."""
    pairs = []
    for region in REGIONS:
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            pairs.append((region, national))
            pairs.append((region, "".join(c for c in national if c.isdigit())))
            for text in variants(number, rng):
                pairs.extend((home, text) for home in ("US", "GB", region))
    return pairs


def answer(region, text):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return "refused", "false", ""
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        return "refused", "false", ""
    valid = "true" if phonenumbers.is_valid_number(number) else "false"
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    digits = "".join(c for c in national if c.isdigit())
    return phonenumbers.format_number(number, PhoneNumberFormat.E164), valid, digits


def main():
    rng = random.Random(14)
    pairs = [(home, text) for text in MIXED for home in ("US", "GB")] + generated(rng)
    seen = set()
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "expectations.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["region", "input", "outcome", "valid", "national"])
        for home, text in pairs:
            if (home, text) in seen:
                continue
            seen.add((home, text))
            writer.writerow([home, text, *answer(home, text)])
    print(f"{len(seen)} rows, phonenumbers {phonenumbers.__version__}")


if __name__ == "__main__":
    main()
