"""Write a synthetic OSV PyPI export (all.zip) of the size of the real one, and a project that
pins some of its packages, for bench/advisories.sh. The records follow the OSV schema as OSV's
export writes them (ranges with introduced/fixed events, versions lists, aliases, details)."""

import json
import random
import sys
import zipfile
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1])
    advisories = int(sys.argv[2]) if len(sys.argv) > 2 else 40000
    packages = int(sys.argv[3]) if len(sys.argv) > 3 else 12000
    pins = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    records = out / "records"
    records.mkdir(exist_ok=True)
    names = [f"package-{i}" for i in range(packages)]
    with zipfile.ZipFile(out / "all.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(advisories):
            name = rng.choice(names)
            major = rng.randint(0, 5)
            fixed = f"{major}.{rng.randint(1, 9)}.{rng.randint(0, 9)}"
            versions = [f"{major}.0.{p}" for p in range(rng.randint(0, 40))]
            record = {
                "schema_version": "1.6.0",
                "id": f"PYSEC-2099-{i}",
                "modified": "2099-01-01T00:00:00Z",
                "aliases": [f"CVE-2099-{i}", f"GHSA-bench-{i:04d}-xxxx"],
                "summary": f"synthetic advisory {i}",
                "details": "x" * rng.randint(200, 2000),
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": name, "purl": f"pkg:pypi/{name}"},
                        "ranges": [
                            {"type": "ECOSYSTEM", "events": [{"introduced": f"{major}.0"}, {"fixed": fixed}]}
                        ],
                        "versions": versions,
                    }
                ],
                "references": [{"type": "WEB", "url": f"https://example.invalid/{i}"}],
            }
            text = json.dumps(record, indent=2)
            archive.writestr(f"PYSEC-2099-{i}.json", text)
            (records / f"PYSEC-2099-{i}.json").write_text(text)
    project = out / "project"
    project.mkdir(exist_ok=True)
    lines = [f"{rng.choice(names)}=={rng.randint(0, 5)}.0.{rng.randint(0, 9)}" for _ in range(pins)]
    (project / "requirements.txt").write_text("\n".join(lines) + "\n")


main()
