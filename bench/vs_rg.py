#!/usr/bin/env python3
"""Time `harden check --profile strict` against a ripgrep pass over the same tree (issue 13).

Usage: vs_rg.py TREE [--harden PATH] [--runs N]

Runs harden and `rg --hidden -c -e DEBUG -e ^FROM -e uses:` alternately N times (default 5)
under `/usr/bin/time -v`, and prints the median wall time, CPU time (user + sys) and peak RSS
of each, the file count, the load average and the ratio harden / rg. The machine is shared: the
ratio of runs taken back to back is the figure to compare, not the absolute times.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time


def timed(cmd):
    """Run `cmd` under /usr/bin/time -v; return (wall s, cpu s, peak RSS KiB). The wall time is
    taken here (time's own is in hundredths of a second)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds = time.perf_counter() - start
        text = report.read()
    def field(name):
        return re.search(rf"{re.escape(name)}: (.+)", text).group(1).strip()
    if int(field("Exit status")) > 2:
        raise SystemExit(f"{cmd[0]} failed: {text}")
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return seconds, cpu, int(field("Maximum resident set size (kbytes)"))


def find_rg():
    """ripgrep on PATH, else where `cargo install ripgrep` puts it."""
    found = shutil.which("rg") or shutil.which(os.path.expanduser("~/.cargo/bin/rg"))
    if not found:
        raise SystemExit(
            "ripgrep (rg) is not installed: `apt-get install ripgrep` or `cargo install ripgrep` "
            "(the latter puts it in ~/.cargo/bin, which this script also looks in)"
        )
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tree")
    parser.add_argument("--harden", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "harden"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    harden = [args.harden, "check", args.tree, "--profile", "strict", "--format", "json", "--output", out]
    rg = [find_rg(), "--hidden", "-c", "-e", "DEBUG", "-e", "^FROM", "-e", "uses:", args.tree]
    # One warm-up each, so both read from the page cache.
    timed(harden)
    timed(rg)
    results = {"harden": [], "rg": []}
    for _ in range(args.runs):
        results["harden"].append(timed(harden))
        results["rg"].append(timed(rg))
    os.unlink(out)
    files = 0
    for _, dirs, names in os.walk(args.tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        files += len(names)
    load = os.getloadavg()
    med = {
        name: tuple(statistics.median(run[i] for run in runs) for i in range(3))
        for name, runs in results.items()
    }
    print(f"tree {args.tree}: {files} files; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for name, (wall, cpu, rss) in med.items():
        print(f"  {name:7} wall {wall:.2f} s  cpu {cpu:.2f} s  peak RSS {rss / 1024:.0f} MB  (median of {args.runs})")
    ratio = med["harden"][0] / med["rg"][0]
    print(f"  ratio harden/rg wall: {ratio:.2f}x")
    (wall, cpu, rss), rg_wall = med["harden"], med["rg"][0]
    print(
        f"  | {os.path.basename(os.path.normpath(args.tree))} | {files:,} | {wall:.2f} s | {cpu:.2f} s "
        f"| {rss / 1024:.0f} MB | {rg_wall:.2f} s | {ratio:.2f}x | {load[0]:.1f} |"
    )


if __name__ == "__main__":
    main()
