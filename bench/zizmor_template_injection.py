"""Compare zizmor 1.32's template-injection with harden's gha-template-injection, per step.

Usage: python3 bench/zizmor_template_injection.py DIR
DIR holds one folder per project, each with its .github/workflows/*.yml (copies of public
workflows, kept outside the repository). Needs target/zizmor-venv (as .ci/run creates it) and
a built target/debug/harden. A step is where a finding's line falls (the nearest `- key:` line
above it). Recall counts zizmor's high-confidence steps that harden's baseline check also
reports; precision counts harden's steps that zizmor reports at any confidence.
"""
import json, os, re, subprocess, sys, glob
ROOT = sys.argv[1]
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZIZMOR = os.path.join(HERE, "target/zizmor-venv/bin/zizmor")
HARDEN = os.path.join(HERE, "target/debug/harden")
STEP = re.compile(r"^(\s*)-\s+(name|uses|run|id|if|with|env|shell|working-directory|continue-on-error|timeout-minutes)\s*:")
def step_starts(path):
    starts = []
    for i, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if STEP.match(line):
            starts.append(i)
    return starts
def place(path, line):
    s = [x for x in step_starts(path) if x <= line]
    return (os.path.relpath(path, ROOT), s[-1] if s else 0)
z_all, z_high, z_high_nonenv = set(), set(), set()
h_high, h_low = set(), set()
for project in sorted(os.listdir(ROOT)):
    d = os.path.join(ROOT, project)
    out = subprocess.run([ZIZMOR, "--offline", "--format", "json", "--no-exit-codes", d], capture_output=True, text=True).stdout
    for f in json.loads(out or "[]"):
        if f["ident"] != "template-injection": continue
        for l in f["locations"]:
            if l["symbolic"]["kind"] != "Primary": continue
            path = os.path.normpath(os.path.join(d, l["symbolic"]["key"]["Local"]["verbatim_path"])) if not l["symbolic"]["key"]["Local"]["verbatim_path"].startswith("/") else l["symbolic"]["key"]["Local"]["verbatim_path"]
            p = place(path, l["concrete"]["location"]["start_point"]["row"] + 1)
            z_all.add(p)
            if f["determinations"]["confidence"] == "High":
                z_high.add(p)
                if f["determinations"]["severity"] != "Low":
                    z_high_nonenv.add(p)
    res = subprocess.run([HARDEN, "check", d, "--profile", "strict", "--format", "json", "--select", "gha-template-injection,gha-template-injection-unknown-origin"], capture_output=True, text=True).stdout
    for f in json.loads(res)["findings"]:
        p = place(os.path.join(d, f["path"]), f["range"]["start"]["line"])
        (h_high if f["check"] == "gha-template-injection" else h_low).add(p)
def ratio(a, b): return f"{a}/{b} = {a/b:.2f}" if b else "n/a"
print("steps: zizmor any", len(z_all), "zizmor high-confidence", len(z_high), "(of them not env-only:", len(z_high_nonenv), ")")
print("harden high", len(h_high), "harden low (strict)", len(h_low))
print("recall vs zizmor high:", ratio(len(h_high & z_high), len(z_high)))
print("recall vs zizmor high (severity above low):", ratio(len(h_high & z_high_nonenv), len(z_high_nonenv)))
print("precision (harden high confirmed by zizmor):", ratio(len(h_high & z_all), len(h_high)))
print("harden strict (both) recall vs zizmor any:", ratio(len((h_high|h_low) & z_all), len(z_all)))
print("missed (zizmor high, not harden high):")
for p in sorted(z_high - h_high): print("  ", p)
print("harden high not in zizmor:")
for p in sorted(h_high - z_all): print("  ", p)
