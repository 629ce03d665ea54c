"""Run one received catalogue import in a process of its own and report that process's peak
resident memory, as a Celery worker process would read the file.

    python -m bench.import_memory IMPORT_ID     (Django's settings from the environment)

prints one line of JSON: the import's status and failure code, the seconds it took and the
process's peak resident memory (libxml2's and openpyxl's memory included, which `tracemalloc`
would not see). `import_peak_memory` runs it for the tests and the benchmark.

The peak is the kernel's high-water mark of this program's memory (VmHWM in
/proc/self/status), not `ru_maxrss`: on Linux a process started by fork and exec reports in
`ru_maxrss` at least the peak of the process it was forked from (a test runner that has
read a large file itself, say), so it can hide what the importer costs. Where /proc is
missing, `ru_maxrss` is reported.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import Any

from bench.env import BASE_DIR


def import_peak_memory(import_id: int, env: Mapping[str, str]) -> dict[str, Any]:
    """Run the import `import_id` in a child process with the environment `env` (which names
    the database and MEDIA_ROOT); its report (see the module's docstring)."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.import_memory", str(import_id)],
        cwd=BASE_DIR,
        env={**env, "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the import process failed:\n{completed.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return report


def main(import_id: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from catalog.services.imports import catalogue_import_run

    started = time.monotonic()
    imported = catalogue_import_run(import_id=import_id)
    return {
        "status": imported.status,
        "failure_code": imported.failure_code,
        "seconds": round(time.monotonic() - started, 2),
        "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
    }


def peak_rss_kb() -> int:
    """This program's peak resident memory in KiB (see the module's docstring)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
