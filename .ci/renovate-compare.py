#!/usr/bin/env python3
"""Compare Renovate's offline extract (packageFiles) with `skew scan --format json`.

Usage (see docs/formats.md, "Compared with Renovate"):
    RENOVATE_OUT=/tmp/renovate/out SKEW=target/debug/skew .ci/renovate-compare.py REPO_DIR...
where RENOVATE_OUT holds `<repo dir name>.json`, Renovate's `--report-type=file` output
for each repository. Nothing is written; the table and every miss go to stdout.

A Renovate dependency is versioned when it has a currentValue or currentDigest. It is
found when skew has a component in the same file whose version (or resolved version)
equals the currentValue, the currentDigest, or the currentValue without a leading `v`
or a requirement operator Renovate strips. Counted per Renovate manager.
"""
import json, subprocess, sys, collections, os, re

SKEW = os.environ.get("SKEW", "target/debug/skew")
OUT = os.environ.get("RENOVATE_OUT", "/tmp/renovate/out")
repos = sys.argv[1:]
per = collections.defaultdict(lambda: [0, 0])
misses = collections.defaultdict(list)
extra = collections.Counter()
skipped = collections.Counter()
for repo in repos:
    name = os.path.basename(repo.rstrip('/'))
    try:
        reno = json.load(open(f"{OUT}/{name}.json"))
    except Exception:
        continue
    pf = reno["repositories"].get("local", {}).get("packageFiles", {})
    if not pf:
        print(f"{name}: renovate found nothing ({[p.get('msg') for p in reno['repositories'].get('local',{}).get('problems',[])][:2]})")
        continue
    out = subprocess.run([SKEW, "scan", repo, "--format", "json"], capture_output=True, text=True)
    comps = json.loads(out.stdout)["components"]
    by_file = collections.defaultdict(list)
    for c in comps:
        vals = {v for v in (c.get("version"), c.get("resolved")) if v}
        by_file[c["location"]["path"]].append((c["name"], vals, c))
    used = set()
    n_repo = [0, 0]
    for manager, files in pf.items():
        for f in files:
            path = f["packageFile"]
            for d in f["deps"]:
                cv, dg = d.get("currentValue"), d.get("currentDigest")
                if not cv and not dg:
                    continue
                # not a version by Renovate's own account, or an expression (`${{ … }}`)
                if d.get("skipReason") == "invalid-version" or (cv and "${{" in cv):
                    skipped[manager] += 1
                    continue
                per[manager][1] += 1
                n_repo[1] += 1
                wants = {x for x in (cv, dg) if x}
                if cv:
                    wants.add(cv.lstrip("v"))
                    wants.add(re.sub(r"^[=~^<>! ]+", "", cv))
                # the version may be blamed in another file (gradle.properties, a catalog)
                dep_name = d.get("depName") or ""

                def same_name(n):
                    short = n.split(":")[-1].split("/")[-1]
                    return short in dep_name or dep_name.split(":")[-1].split("/")[-1] in n

                def matches(p, i):
                    n, vals, c = by_file[p][i]
                    vv = set(vals) | {v.lstrip("v") for v in vals}
                    # a runner label `ubuntu-24.04-arm`: skew's version is `24.04`
                    if cv and manager == "github-actions" and any(cv.startswith(v + "-") for v in vals):
                        vv.add(cv)
                    return bool(vv & wants)

                # the same file and name first, then the same file, then a name match in
                # another file (a version blamed where it is written: gradle.properties)
                hit = None
                passes = [
                    ([path], True),
                    ([path], False),
                    ([p for p in by_file if p != path], True),
                ]
                for files, need_name in passes:
                    for p in files:
                        for i in range(len(by_file.get(p, []))):
                            if (p, i) in used or not matches(p, i):
                                continue
                            if need_name and not same_name(by_file[p][i][0]):
                                continue
                            hit = (p, i)
                            break
                        if hit:
                            break
                    if hit:
                        break
                if hit:
                    used.add(hit)
                    per[manager][0] += 1
                    n_repo[0] += 1
                else:
                    misses[manager].append(f"{name}:{path} {d.get('depName')} {cv or dg} {d.get('skipReason','')}")
    for p, items in by_file.items():
        for i, (n, vals, c) in enumerate(items):
            if (p, i) not in used and vals:
                extra[f"{c['ecosystem']}/{c['kind']}"] += 1
    print(f"{name}: {n_repo[0]}/{n_repo[1]}")
print()
tot = [sum(v[0] for v in per.values()), sum(v[1] for v in per.values())]
print(f"total {tot[0]}/{tot[1]} = {100*tot[0]/max(tot[1],1):.1f}%")
for m, (a, b) in sorted(per.items()):
    print(f"| {m} | {b} | {a} | {100*a/b:.0f}% |")
print("\nleft out (Renovate: invalid-version, or an expression):", dict(skipped))
print("\nskew components (with a version) Renovate did not report, by ecosystem/kind:")
for k, v in extra.most_common():
    print(f"  {k}: {v}")
print("\nmisses:")
for m, l in sorted(misses.items()):
    for x in l[:400]:
        print(f"  [{m}] {x}")
    if len(l) > 40:
        print(f"  [{m}] … {len(l)-40} more")
