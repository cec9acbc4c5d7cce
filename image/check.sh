#!/usr/bin/env bash
# CI check of the meta pipeline's image (.ci/run calls it; run it as root from a checkout):
#
#  1. builds the image twice with image/build.sh (the second time under another umask) and
#     asserts the same digest and byte-identical layouts;
#  2. reads its config back with `skopeo inspect` and `umoci stat`: labels, user, history time;
#  3. unpacks it with `umoci unpack` and runs, chrooted into its root filesystem as the user
#     and with the environment of the runtime bundle umoci wrote: `edx-matrix --version`,
#     `--example check`, and the exact task of `pipeline meta` on the example (its command, inputs
#     and outputs read from the rendered meta pipeline); the pipelines it writes must equal the
#     ones the host binary renders; `init --example` (git writes its history) and `history`;
#     then `edx-matrix verify-refs` against a `git daemon` and an HTTPS server on 127.0.0.1
#     (fails on the certificate until the test CA is added to the image's CA bundle);
#  4. starts Debian's docker-registry on 127.0.0.1, pushes the image with skopeo, checks the
#     registry's digest, pulls it back by digest and compares.
#
# Prints `image check: PASS …` or `image check: FAIL: …` last; exits non-zero on failure.
# EDX_MATRIX_IMAGE_CHECK_KEEP=1 keeps its scratch directory (the layouts, the unpacked bundle).
# needs: root (chroot, mknod), umoci, skopeo, docker-registry, jq, openssl, python3, git, and
# what image/build.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

fail() {
  echo "image check: FAIL: $*" >&2
  exit 1
}
step() { echo "== image check: $*"; }
# A command that fails outside a test of its own still ends with a FAIL line.
trap 'echo "image check: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

for tool in umoci skopeo docker-registry jq openssl python3 git chroot unshare; do
  command -v "$tool" >/dev/null || fail "$tool is missing (Debian: apt-get install umoci skopeo docker-registry jq openssl)"
done
[ "$(id -u)" = 0 ] || fail "must run as root (chroot, owners of the unpacked image)"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${EDX_MATRIX_IMAGE_CHECK_KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
# skopeo with its own trust policy, not the machine's /etc/containers/policy.json.
echo '{"default": [{"type": "insecureAcceptAnything"}]}' >"$tmp/policy.json"
skopeo() { command skopeo --policy "$tmp/policy.json" "$@"; }

# ── 1. two builds, one digest ──────────────────────────────────────────────────────────────
step "build (twice)"
cargo build --release --locked
binary=$repo/target/release/edx-matrix
image/build.sh --binary "$binary" --output "$tmp/a" >"$tmp/a.out"
(umask 077 && image/build.sh --binary "$binary" --output "$tmp/b" >"$tmp/b.out")
cat "$tmp/a.out"
digest=$(sed -n 's/^digest: //p' "$tmp/a.out")
[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || fail "build.sh printed no digest"
[ "$(sed -n 's/^digest: //p' "$tmp/b.out")" = "$digest" ] ||
  fail "two builds of the same commit differ: $(sed -n 's/^digest: //p' "$tmp/b.out") != $digest"
diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "two builds give different OCI layouts"

# ── 2. config and labels ───────────────────────────────────────────────────────────────────
step "config and labels"
# Expected values from the checkout itself, not from the build script.
version=$(sed -n 's/^version *= *"\(.*\)"$/\1/p' Cargo.toml | head -n 1)
source=${EDX_MATRIX_IMAGE_SOURCE:-$(sed -n 's/^repository *= *"\(.*\)"$/\1/p' Cargo.toml | head -n 1)}
revision=$(git rev-parse HEAD)
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
image="$tmp/a:$version"
skopeo inspect "oci:$image" >"$tmp/inspect.json"
skopeo inspect --config "oci:$image" >"$tmp/config.json"
label() { jq -r --arg k "org.opencontainers.image.$1" '.Labels[$k] // ""' "$tmp/inspect.json"; }
[ "$(label source)" = "$source" ] || fail "label source is '$(label source)', not '$source'"
[ "$(label revision)" = "$revision" ] || fail "label revision is '$(label revision)', not '$revision'"
[ "$(label version)" = "$version" ] || fail "label version is '$(label version)', not '$version'"
[ "$(jq -r .Digest "$tmp/inspect.json")" = "$digest" ] || fail "skopeo sees another digest"
[ "$(jq -r .config.User "$tmp/config.json")" = "1000:1000" ] || fail "the image does not run as 1000:1000"
[ "$(jq -r '.rootfs.diff_ids | length' "$tmp/config.json")" = 1 ] || fail "not exactly one layer"
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
[ "$(jq -r .created "$tmp/config.json")" = "$created" ] || fail "created is not the commit time $created"
# The Dockerfile (the alternative build, not run here) declares the same user, environment,
# directory and entry point.
[ "$(sed -n 's/^USER //p' Dockerfile)" = "$(jq -r .config.User "$tmp/config.json")" ] ||
  fail "the Dockerfile's USER differs from the image's"
diff <(sed -n 's/^ENV //p' Dockerfile) <(jq -r '.config.Env[]' "$tmp/config.json") >/dev/null ||
  fail "the Dockerfile's ENV differs from the image's"
[ "$(sed -n 's/^WORKDIR //p' Dockerfile | tail -n 1)" = "$(jq -r .config.WorkingDir "$tmp/config.json")" ] ||
  fail "the Dockerfile's WORKDIR differs from the image's"
[ "$(sed -n 's/^ARG VERSION=//p' Dockerfile)" = "$version" ] ||
  fail "the Dockerfile's default VERSION is not $version"
[ "$(sed -n 's/^ENTRYPOINT //p; s/^CMD //p' Dockerfile | tr -d ' ')" = \
  "$(jq -c '.config.Entrypoint, .config.Cmd' "$tmp/config.json")" ] ||
  fail "the Dockerfile's ENTRYPOINT/CMD differ from the image's"
umoci stat --image "$image" --json >"$tmp/stat.json"
[ "$(jq -r '.history | length' "$tmp/stat.json")" = 1 ] || fail "umoci stat: not one history entry"
[ "$(jq -r '.history[0].created' "$tmp/stat.json")" = "$created" ] || fail "umoci stat: history not at $created"

# ── 3. run it ──────────────────────────────────────────────────────────────────────────────
step "unpack and run in chroot"
umoci unpack --image "$image" "$tmp/bundle" >/dev/null
root=$tmp/bundle/rootfs
unpacked=$(du -sb "$root" | cut -f1)
bundle_config=$tmp/bundle/config.json
# What a container runtime would use: the user, environment and directory umoci put in the
# runtime bundle from the image config.
uid=$(jq -r .process.user.uid "$bundle_config")
gid=$(jq -r .process.user.gid "$bundle_config")
if [ "$uid" = 0 ] || [ "$gid" = 0 ]; then fail "the runtime bundle runs as root"; fi
mapfile -t image_env < <(jq -r '.process.env[]' "$bundle_config")
grep -q "^edx-matrix:x:$uid:$gid:" "$root/etc/passwd" || fail "/etc/passwd has no user $uid:$gid"
# A container runtime provides /dev (git opens /dev/null and reads /dev/urandom): the devices
# every OCI runtime creates stand in for it.
mkdir -p "$root/dev"
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/zero" c 1 5
mknod -m 666 "$root/dev/full" c 1 7
mknod -m 666 "$root/dev/random" c 1 8
mknod -m 666 "$root/dev/urandom" c 1 9
not_root_owned=$(find "$root" \( -not -user 0 -o -not -group 0 \) -printf '%P\n' | sort | tr '\n' ' ')
[ "$not_root_owned" = "home/edx-matrix " ] || fail "files not owned by root: $not_root_owned"

# in_image DIR PROGRAM ARGS...: runs PROGRAM chrooted into the image, in DIR, as the image's
# user, with only the image's environment.
in_image() {
  local dir=$1
  shift
  env -i "${image_env[@]}" "$(command -v unshare)" --root="$root" --wd="$dir" --setgid="$gid" --setuid="$uid" "$@"
}

# chroot(8) itself for the first run; unshare(1) below, which also sets the working directory.
[ "$(env -i "${image_env[@]}" "$(command -v chroot)" --userspec="$uid:$gid" "$root" edx-matrix --version)" = \
  "edx-matrix $version" ] || fail "edx-matrix --version in the image"
in_image / edx-matrix --example check >"$tmp/check.out" 2>&1 || {
  cat "$tmp/check.out"
  fail "edx-matrix --example check in the image"
}

# The meta pipeline's task, as `pipeline meta` renders it.
in_image / edx-matrix --example pipeline meta --format json >"$tmp/meta.json"
jq -e '[.jobs[].plan[] | select(.config.run?)] | length == 1' "$tmp/meta.json" >/dev/null ||
  fail "the meta pipeline has not exactly one task"
task=$(jq -c '[.jobs[].plan[] | select(.config.run?)][0].config' "$tmp/meta.json")
[ "$(jq -r .image_resource.source.tag <<<"$task")" = "$version" ] ||
  fail "the meta pipeline runs tag $(jq -r .image_resource.source.tag <<<"$task"), not $version"
mapfile -t command < <(jq -r '.run.path, .run.args[]' <<<"$task")
mapfile -t inputs < <(jq -r '.inputs[].name' <<<"$task")
mapfile -t outputs < <(jq -r '.outputs[].name' <<<"$task")
[ "${inputs[*]}" = matrix ] || fail "the meta task's inputs are '${inputs[*]}', not 'matrix'"
# Concourse runs the task in a fresh directory holding its inputs and (empty) outputs. The input
# stays owned by root (older Concourse does not hand inputs to the task's user: the task only
# reads it); the outputs are the user's, as Concourse makes them for a non-root user since
# concourse/concourse#9593 (older versions need the image built with --user 0:0).
build=/tmp/build/1
mkdir -p "$root$build"
"$binary" init --example "$root$build/matrix" >/dev/null 2>&1
for output in "${outputs[@]}"; do
  mkdir "$root$build/$output"
  chown "$uid:$gid" "$root$build/$output"
done
echo "meta task: ${command[*]}"
in_image "$build" "${command[@]}" >"$tmp/task.out" 2>&1 || {
  cat "$tmp/task.out"
  fail "the meta pipeline's task failed in the image"
}
# The pipelines it wrote are the ones the host binary renders, and written by the user.
cp -r "$root$build/matrix" "$tmp/matrix"
"$binary" --file "$tmp/matrix/edx-matrix.toml" pipeline render --all --format yaml \
  --output "$tmp/expected" >/dev/null
diff -r "$tmp/expected" "$root$build/pipelines" >/dev/null ||
  fail "the pipelines rendered in the image differ from the host's"
written=$(find "$root$build/pipelines" -name '*.yml' -user "$uid" | wc -l)
if [ "$written" -lt 2 ] || [ "$written" != "$(find "$tmp/expected" -name '*.yml' | wc -l)" ]; then
  fail "the task wrote $written pipelines as $uid"
fi
echo "meta task wrote $written pipelines"

step "git in the image: init --example (its history) and history"
in_image /home/edx-matrix edx-matrix init --example acme >"$tmp/init.out" 2>&1 ||
  fail "init --example in the image: $(cat "$tmp/init.out")"
in_image /home/edx-matrix edx-matrix --file acme/edx-matrix.toml history --format json \
  >"$tmp/history.json" 2>"$tmp/history.err" || fail "history in the image: $(cat "$tmp/history.err")"
# The example's history is the same wherever it is written: compare with the host's, run with
# the git the image got (dates are as git prints them, and git 2.45 changed UTC's spelling).
"$binary" init --example "$tmp/acme" >/dev/null 2>&1
(cd "$tmp" && PATH=$(dirname "${EDX_MATRIX_IMAGE_GIT:-/usr/bin/git}"):$PATH \
  "$binary" --file acme/edx-matrix.toml history --format json) >"$tmp/history-host.json"
diff "$tmp/history-host.json" "$tmp/history.json" >/dev/null || fail "history in the image differs from the host's"
jq -e 'length > 0' "$tmp/history.json" >/dev/null || fail "history in the image is empty"

step "verify-refs in the image (git:// and https://)"
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid \
  GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid
served=$tmp/served
for name in platform learning; do
  git init -q --bare "$served/$name.git"
  commit=$(git -C "$served/$name.git" commit-tree -m init "$(git -C "$served/$name.git" mktree </dev/null)")
  git -C "$served/$name.git" update-ref refs/heads/release/ulmo "$commit"
  git -C "$served/$name.git" update-server-info
done
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
git_port=$(free_port)
git daemon --reuseaddr --export-all --base-path="$served" --listen=127.0.0.1 --port="$git_port" \
  "$served" 2>"$tmp/daemon.log" &
pids+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
# A static HTTPS server: git's "dumb" HTTP protocol reads info/refs and objects as files.
python3 - "$tmp/https.port" "$served" "$tmp/cert.pem" "$tmp/key.pem" 2>"$tmp/https.log" <<'PY' &
import functools, http.server, ssl, sys
port_file, directory, cert, key = sys.argv[1:]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
pids+=($!)
for _ in $(seq 50); do
  [ -s "$tmp/https.port" ] && git ls-remote "git://127.0.0.1:$git_port/platform.git" >/dev/null 2>&1 && break
  sleep 0.2
done
[ -s "$tmp/https.port" ] || fail "the HTTPS server did not start: $(cat "$tmp/https.log")"
https_port=$(cat "$tmp/https.port")
mkdir -p "$root/tmp/refs"
cat >"$root/tmp/refs/edx-matrix.toml" <<TOML
stages = ["CI"]

[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
edx-platform = { kind = "ida", repository = "git://127.0.0.1:$git_port/platform.git" }
learning     = { kind = "mfe", repository = "https://127.0.0.1:$https_port/learning.git", path = "learn" }

[deployments]
site = { CI = "ulmo" }

[[map]]
releases    = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = {}
learning     = {}
TOML
verify=(edx-matrix --file /tmp/refs/edx-matrix.toml verify-refs --timeout 20 --retries 0 --format json)
# The test CA is not in the image's bundle: the HTTPS origin must be refused on its certificate.
if in_image / "${verify[@]}" >"$tmp/refs1.json" 2>"$tmp/refs1.err"; then
  fail "verify-refs accepted an HTTPS server whose CA is not in the image"
fi
jq -e --arg o "https://127.0.0.1:$https_port/learning.git" \
  '.present == 1 and (.unreachable | length == 1) and .unreachable[0].origin == $o' \
  "$tmp/refs1.json" >/dev/null || fail "verify-refs without the CA: $(cat "$tmp/refs1.json" "$tmp/refs1.err")"
grep -qi certificate "$tmp/refs1.json" || fail "the HTTPS origin failed for another reason: $(cat "$tmp/refs1.json")"
cat "$tmp/cert.pem" >>"$root/etc/ssl/certs/ca-certificates.crt"
in_image / "${verify[@]}" >"$tmp/refs2.json" 2>"$tmp/refs2.err" ||
  fail "verify-refs in the image: $(cat "$tmp/refs2.json" "$tmp/refs2.err")"
jq -e '.checked_origins == 2 and .present == 2' "$tmp/refs2.json" >/dev/null ||
  fail "verify-refs did not find both branches: $(cat "$tmp/refs2.json")"

# ── 4. registry ────────────────────────────────────────────────────────────────────────────
step "push to and pull from docker-registry on 127.0.0.1"
registry_port=$(free_port)
cat >"$tmp/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $tmp/registry
http:
  addr: 127.0.0.1:$registry_port
YAML
docker-registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
pids+=($!)
registry=127.0.0.1:$registry_port
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$registry_port") 2>/dev/null && break
  sleep 0.2
done
skopeo copy --quiet --dest-tls-verify=false "oci:$image" "docker://$registry/edx-matrix:$version" ||
  fail "skopeo copy to the registry: $(tail -5 "$tmp/registry.log")"
pushed=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$registry/edx-matrix:$version")
[ "$pushed" = "$digest" ] || fail "the registry has digest $pushed, the layout $digest"
skopeo copy --quiet --src-tls-verify=false "docker://$registry/edx-matrix@$digest" "oci:$tmp/pulled:$version"
[ "$(jq -r '.manifests[0].digest' "$tmp/pulled/index.json")" = "$digest" ] || fail "pulled another manifest"
diff -r "$tmp/a/blobs" "$tmp/pulled/blobs" >/dev/null || fail "the pulled blobs differ from the built ones"

layer=$(jq -r '.layers[0].digest' "$tmp/a/blobs/sha256/${digest#sha256:}" | sed 's/^sha256://')
compressed=$(stat -c %s "$tmp/a/blobs/sha256/$layer")
echo "image check: PASS $digest (layer $compressed bytes compressed, root filesystem $unpacked bytes)"
