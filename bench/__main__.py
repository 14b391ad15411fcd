"""`python -m bench [ROW ...] [--quick] [--out PATH]`: run the rows, print them, write the report.

With no ROW every row runs and docs/benchmarks.md is rewritten (or --out). A --quick run writes
build/bench-quick/benchmarks.md instead: its small sizes must not replace the committed full
report unless asked for with --out docs/benchmarks.md. Naming rows runs only those and prints
them; add --out to write a report of just those rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import report
from bench.core import DOC, QUICK_DOC, parser, run_row
from bench.rows import ROWS


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("rows", nargs="*", metavar="ROW", help=", ".join(r.name for r in ROWS))
    args = cli.parse_args(argv)
    known = {row.name: row for row in ROWS} | {str(row.number): row for row in ROWS}
    unknown = [name for name in args.rows if name not in known]
    if unknown:
        cli.error(f"unknown row {', '.join(unknown)}; known: {', '.join(r.name for r in ROWS)}")
    chosen = [known[name] for name in args.rows] or ROWS
    report.print_header()
    results = []
    for row in chosen:
        result = run_row(row, args.quick)
        report.print_line(result)
        results.append(result)
    print()
    for result in results:
        print(f"## {result.number}. {result.title}")
        report.print_details(result)
    out = report_path(args.rows, args.quick, args.out)
    if out is not None:
        print(f"wrote {report.write(results, out, quick=args.quick)}")
    return 0


def report_path(rows: list[str], quick: bool, out: Path | None) -> Path | None:
    """Where a run writes its report: --out, else the full report for a full run, the quick
    report for a quick one, nothing when rows were named."""
    if out is not None:
        return out
    if rows:
        return None
    return QUICK_DOC if quick else DOC


if __name__ == "__main__":
    sys.exit(main())
