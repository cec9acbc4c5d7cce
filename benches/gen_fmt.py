# Synthetic matrices for benches/hardening.sh: `gen_fmt.py map N` (N one-block deployments,
# keys out of canonical order) or `gen_fmt.py apps N` (N applications in one block).
import sys
kind, n = sys.argv[1], int(sys.argv[2])
out = ['stages = ["CI", "QA"]', '', '[releases]', 'ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }', '']
if kind == "map":
    out += ['[applications]', 'forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }', '', '[deployments]']
    out += [f'd{i} = {{ QA = "ulmo", CI = "ulmo" }}' for i in range(n)]
    for i in range(n):
        out += ['', '[[map]]', f'deployments = ["d{i}"]', 'releases = ["ulmo"]', '[map.apps]', 'forum = {}']
else:
    out += ['[applications]']
    out += [f'app{i} = {{ kind = "{"mfe" if i % 2 == 0 else "ida"}", repository = "https://github.com/openedx/app{i}"{", path = " + chr(34) + "p" + str(i) + chr(34) if i % 2 == 0 else ""} }}' for i in range(n)]
    out += ['', '[deployments]', 'site = { QA = "ulmo", CI = "ulmo" }', '', '[[map]]', 'deployments = ["site"]', 'releases = ["ulmo"]', '[map.apps]']
    out += [f'app{i} = {{}}' for i in range(n)]
print("\n".join(out))
