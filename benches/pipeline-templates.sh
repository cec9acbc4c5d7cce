#!/usr/bin/env bash
# Benchmarks rendering pipelines through Starlark templates: the built-in example (standard and
# template-made pipelines), and a synthetic estate of 200 deployments x 3 stages x 20
# applications on two releases, rendered by a template making one pipeline per (deployment,
# release) in the deployment's team, one job per application and stage with that stage's vars.
# Prints a Markdown table (best wall time, peak RSS); see docs/benchmarks.md.
#
#   benches/pipeline-templates.sh          # 5 runs per command
#   RUNS=3 benches/pipeline-templates.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
if [ -z "${BIN:-}" ]; then   # BIN=path/to/edx-matrix skips the release build
  cargo build --release --locked -q -p edx-matrix
  BIN=target/release/edx-matrix
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() {
  python3 - "$RUNS" "$@" <<'PY'
import resource, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr.decode()}")
    best = min(best, time.perf_counter() - t)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{best*1000:.1f} ms | {rss:.0f} MiB")
PY
}

# The synthetic estate.
mkdir -p "$WORK/big/pipelines"
python3 - "$WORK/big" <<'PY'
import sys
out = sys.argv[1]
apps = [f"app{i:02d}" for i in range(20)]
deps = [f"site{i:03d}" for i in range(200)]
lines = ['stages = ["CI", "QA", "Production"]', "[releases]",
         'ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }',
         'verawood = { branch = "release/verawood", python = "3.12", node = "24" }',
         "[applications]"]
for i, a in enumerate(apps):
    kind = "mfe" if i % 2 else "ida"
    path = f', path = "{a}"' if kind == "mfe" else ""
    lines.append(f'{a} = {{ kind = "{kind}", repository = "https://github.com/example/{a}"{path} }}')
lines.append("[deployments]")
for d in deps:
    lines.append(f'{d} = {{ CI = {{ release = "verawood", vars = {{ SITE_URL = "https://ci.{d}.example", BUCKET = "{d}-ci" }} }}, '
                 f'QA = {{ release = "ulmo", vars = {{ SITE_URL = "https://qa.{d}.example", BUCKET = "{d}-qa" }} }}, '
                 f'Production = {{ release = "ulmo", vars = {{ SITE_URL = "https://{d}.example", BUCKET = "{d}" }} }}, '
                 f'vars = {{ CDN = "{d.upper()}", WORKERS = 4, BETA = false }} }}')
lines += ["[[map]]", 'releases = ["ulmo", "verawood"]', "deployments = [" + ", ".join(f'"{d}"' for d in deps) + "]", "[map.apps]"]
lines += [f"{a} = {{}}" for a in apps]
lines += ["[pipelines]", 'team = "main"', 'templates = ["pipelines/*.star"]']
open(f"{out}/edx-matrix.toml", "w").write("\n".join(lines) + "\n")
open(f"{out}/pipelines/estate.star", "w").write('''
load("@edx-matrix//lib.star", "chains", "get", "git_resource", "identifier", "job", "pipeline", "stage_vars", "task")

def pipelines(matrix, standard):
    by_pair = {}
    order = []
    for c in chains(matrix):
        key = (c["deployment"], c["release"])
        if key not in by_pair:
            by_pair[key] = []
            order.append(key)
        by_pair[key].append(c)
    out = []
    for deployment, release in order:
        resources = []
        jobs = []
        for c in by_pair[(deployment, release)]:
            app = identifier(c["application"])
            git = git_resource(c, name = "git-" + app)
            resources.append(git)
            previous = None
            for stage in c["stages"]:
                params = {k: str(v) for k, v in stage_vars(matrix, deployment, stage).items()}
                params["RUNTIME"] = c["runtime_version"]
                name = "build-%s-%s" % (app, identifier(stage))
                jobs.append(job(name, [
                    get(git["name"], name = "source", trigger = True, passed = [previous] if previous else None),
                    task("build", "node", ["npm", "run", "build"], tag = c["runtime_version"], inputs = ["source"], params = params),
                ], serial = True))
                previous = name
        out.append(pipeline(identifier(deployment, release), {"resources": resources, "jobs": jobs}, team = identifier(deployment)))
    return out
''')
PY

echo "machine: $(nproc) cores, $(uname -m); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
pipelines=$($BIN --file "$WORK/big/edx-matrix.toml" pipeline list --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), sum(p["jobs"] for p in d))')
echo "synthetic estate: pipelines, jobs = $pipelines"
echo
echo "| input | command | best wall time | peak RSS |"
echo "|---|---|---|---|"
echo "| acme (built-in, 3 templates) | \`--example pipeline list\` | $(measure $BIN --example pipeline list) |"
echo "| acme (built-in, 3 templates) | \`--example pipeline render --all -o DIR\` | $(measure $BIN --example pipeline render --all --force -o "$WORK/acme-out") |"
echo "| 200 deployments x 3 stages x 20 apps | \`pipeline list\` | $(measure $BIN --file "$WORK/big/edx-matrix.toml" pipeline list) |"
echo "| 200 deployments x 3 stages x 20 apps | \`pipeline render --all -o DIR\` | $(measure $BIN --file "$WORK/big/edx-matrix.toml" pipeline render --all --force -o "$WORK/big-out") |"
