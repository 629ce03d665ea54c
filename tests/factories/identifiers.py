"""Valid identifiers for test data, their check digits computed by python-stdnum."""

from __future__ import annotations

from stdnum import ean

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def gln_for(number: int, prefix: str = "579000") -> str:
    """A valid 13-digit GLN: `prefix`, `number` padded, and the GS1 check digit."""
    body = f"{prefix}{number:0{12 - len(prefix)}d}"
    return body + ean.calc_check_digit(body)


def cvr_for(number: int) -> str:
    """A valid CVR number (modulus 11) near 10000000 + number*10."""
    candidate = 10_000_000 + number * 10
    while True:
        digits = f"{candidate:08d}"
        if sum(int(d) * w for d, w in zip(digits, CVR_WEIGHTS, strict=True)) % 11 == 0:
            return digits
        candidate += 1
