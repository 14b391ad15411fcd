"""`python -m bench [ROW ...] [--quick] [--out PATH]`: run the rows, print them, write the report.

With no ROW every row runs and docs/benchmarks.md is rewritten (or --out). Naming rows runs only
those and prints them; add --out to write a report of just those rows.
"""

from __future__ import annotations

import sys

from bench import report
from bench.core import DOC, parser, run_row
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
    out = args.out if args.out is not None else (None if args.rows else DOC)
    if out is not None:
        print(f"wrote {report.write(results, out, quick=args.quick)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
