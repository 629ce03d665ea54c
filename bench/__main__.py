"""The benchmarks, on PostgreSQL (see docs/benchmarks.md for the results and how to read them).

    python -m bench build [--rows N]     the template database with the catalogue (once)
    python -m bench import [--runs 3] [--jobs 2]
                                         import version 2 of every supplier's catalogue
    python -m bench import --one-file    all of it as one supplier's file (peak memory)
    python -m bench search [--runs 3]    200 mixed queries, 1 and 4 clients, against ILIKE
    python -m bench oioubl               stream a 100,000-line OIOUBL catalogue
    python -m bench cart                 render a 200-line cart
    python -m bench punchout             return a 500-line cXML cart and a 1 MB OCI form
    python -m bench memory               the importer's peak memory for hostile files

Each starts its output with the PostgreSQL settings it runs with (shared_buffers, work_mem, ...).
Results are printed and kept as JSON in var/bench/.
"""

from __future__ import annotations

import argparse
import json
import sys

from bench.env import WORK_DIR, postgres_settings, settings_report, url_for


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build")
    build.add_argument("--rows", type=int, default=1_000_000)
    run_import = commands.add_parser("import")
    run_import.add_argument("--runs", type=int, default=3)
    run_import.add_argument("--jobs", type=int, default=2, help="importer processes")
    run_import.add_argument(
        "--one-file", action="store_true", help="one supplier's file of every row, once"
    )
    search = commands.add_parser("search")
    search.add_argument("--runs", type=int, default=3)
    commands.add_parser("oioubl")
    commands.add_parser("cart")
    commands.add_parser("punchout")
    commands.add_parser("memory")
    options = parser.parse_args(argv)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    # The streaming benchmark reads a file and no database; every other one runs on PostgreSQL.
    server = None if options.command == "oioubl" else postgres_settings(url_for("postgres"))
    print(settings_report(server), flush=True)
    if options.command == "build":
        from bench.build import build as run_build

        result = run_build(options.rows)
    elif options.command == "import":
        from bench.import_bench import import_bench, one_file_bench

        result = (
            one_file_bench()
            if options.one_file
            else import_bench(runs=options.runs, jobs=options.jobs)
        )
    elif options.command == "search":
        from bench.search_bench import search_bench

        result = search_bench(runs=options.runs)
    elif options.command == "cart":
        from bench.cart_bench import cart_bench

        result = cart_bench()
    elif options.command == "punchout":
        from bench.punchout_bench import punchout_bench

        result = punchout_bench()
    elif options.command == "memory":
        from bench.memory_bench import memory_bench

        result = memory_bench()
    else:
        from bench.oioubl_bench import oioubl_bench

        result = oioubl_bench()
    result = {"postgres_settings": server, **result}
    shown = {key: value for key, value in result.items() if key != "totals"}
    print(json.dumps(shown, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
