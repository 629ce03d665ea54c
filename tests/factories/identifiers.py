"""Valid identifiers for test data, their check digits computed by python-stdnum."""

from __future__ import annotations

from stdnum import ean

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def gln_for(number: int, prefix: str = "579000") -> str:
    """A valid 13-digit GLN: `prefix`, `number` padded, and the GS1 check digit."""
    body = f"{prefix}{number:0{12 - len(prefix)}d}"
    return body + ean.calc_check_digit(body)


def cvr_for(number: int) -> str:
    """The `number`-th valid CVR number (modulus 11) from 10000000: distinct for each number."""
    found = -1
    body = 1_000_000
    while True:
        weighted = sum(int(d) * w for d, w in zip(f"{body:07d}", CVR_WEIGHTS, strict=False))
        check = -weighted % 11  # the last digit has weight 1
        if check < 10:
            found += 1
            if found == number:
                return f"{body:07d}{check}"
        body += 1
