#!/usr/bin/env bash
# Validates the deployment files without a Docker engine or a cluster, for CI:
#   1. Deploy/kubernetes/*.yaml against the Kubernetes OpenAPI schemas (kubernetes-validate,
#      strict: unknown fields are errors), for the oldest and newest Kubernetes we target,
#      plus the rendered `kubectl kustomize` output when kubectl is installed;
#   2. Deploy/compose.yaml against the Compose Specification schema (check-jsonschema's
#      vendored copy), plus references a schema cannot see (depends_on, volumes, files);
#   3. Deploy/Dockerfile parsed by BuildKit's own parser (PyPI `dockerfile`), and the
#      image contract (non-root, HEALTHCHECK, ports, ...) and build-context files;
#   4. cross-file wiring: every *_file key of the ConfigMap names a key of the Secret under
#      the Deployment's mount path; probes hit the admin port;
#   5. with a gatehouse binary as $1: `gatehouse check-config` on the ConfigMap's
#      gatehouse.yaml and on Deploy/compose/gatehouse.yaml, with throwaway secret files.
#
# Usage: Deploy/scripts/validate-manifests.sh [path/to/gatehouse]
# The Python tools go into a venv under ${TMPDIR:-/tmp} (made once, reused when present).
# Needs python3 with venv, and PyPI access on the first run. Exits non-zero on any problem.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
gatehouse_bin="${1:-}"
if [ -n "$gatehouse_bin" ]; then
  [ -x "$gatehouse_bin" ] || { echo "error: $gatehouse_bin is not an executable" >&2; exit 2; }
  gatehouse_bin="$(cd "$(dirname "$gatehouse_bin")" && pwd)/$(basename "$gatehouse_bin")"
fi

# Pinned, so CI validates against the same schemas every run; the venv name follows the pins.
pins=(kubernetes-validate==1.37.0 check-jsonschema==0.39.0 dockerfile==3.4.0 PyYAML==6.0.3)
# Oldest and newest Kubernetes versions the manifests must be valid for.
k8s_versions=(1.29.0 1.37.0)

venv="${TMPDIR:-/tmp}/gatehouse-validate-venv-$(printf '%s\n' "${pins[@]}" | sha256sum | cut -c1-12)"
if [ ! -f "$venv/.complete" ]; then
  echo "==> installing ${pins[*]} into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "error: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 2; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
  touch "$venv/.complete"
fi

failed=0
step() { echo; echo "==> $*"; }
fail() { echo "FAIL: $*" >&2; failed=1; }

k8s_dir="$repo/Deploy/kubernetes"
manifests=()
for f in "$k8s_dir"/*.yaml; do
  [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
done

for v in "${k8s_versions[@]}"; do
  step "Kubernetes $v schemas (strict): ${manifests[*]#"$repo/"}"
  "$venv/bin/kubernetes-validate" --strict -k "$v" "${manifests[@]}" || fail "Kubernetes $v schema validation"
done

if command -v kubectl >/dev/null 2>&1; then
  step "kubectl kustomize Deploy/kubernetes, rendered output against the schemas"
  rendered="$(mktemp)"
  if kubectl kustomize "$k8s_dir" >"$rendered"; then
    "$venv/bin/kubernetes-validate" --strict -k "${k8s_versions[-1]}" "$rendered" || fail "rendered kustomization"
  else
    fail "kubectl kustomize"
  fi
  rm -f "$rendered"
else
  step "kubectl not installed: the kustomization is checked by the wiring checks only"
fi

step "Deploy/compose.yaml against the Compose Specification schema"
"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$repo/Deploy/compose.yaml" || fail "compose schema"

step "wiring and image contract (Dockerfile, .dockerignore, compose, kustomization, ConfigMap/Secret/Deployment)"
"$venv/bin/python" - "$repo" <<'PY' || fail "wiring checks"
import fnmatch, os, sys
import dockerfile, yaml

repo = sys.argv[1]
problems = []
def check(ok, message):
    if not ok:
        problems.append(message)
def load(path):
    with open(os.path.join(repo, path)) as f:
        return yaml.safe_load(f)

# --- Dockerfile: BuildKit's parser, then the contract the deployment files rely on.
cmds = dockerfile.parse_file(os.path.join(repo, "Deploy/Dockerfile"))
known = {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
         "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
for c in cmds:
    check(c.cmd.upper() in known, f"Dockerfile line {c.start_line}: unknown instruction {c.cmd}")
by = lambda name: [c for c in cmds if c.cmd.upper() == name]
stages = by("FROM")
check(len(stages) >= 2, "Dockerfile: expected a multi-stage build")
runtime = cmds[cmds.index(stages[-1]):]
rt = lambda name: [c for c in runtime if c.cmd.upper() == name]
check(stages[-1].value[0].startswith("debian:bookworm-slim"), "Dockerfile: runtime stage must be debian:bookworm-slim")
check(any("Deploy/scripts/build-release.sh" in " ".join(c.value) for c in by("RUN")),
      "Dockerfile: the build must run Deploy/scripts/build-release.sh (the step CI runs)")
users = rt("USER")
check(users and users[-1].value[0].split(":")[0] not in ("0", "root"), "Dockerfile: runtime USER must be non-root")
check(users and users[-1].value[0].split(":")[0] == "10001", "Dockerfile: USER must be 10001 (the manifests' runAsUser)")
exposed = {p for c in rt("EXPOSE") for p in c.value}
check({"8080", "9091"} <= exposed, "Dockerfile: EXPOSE 8080 9091")
check(rt("HEALTHCHECK") and "/healthz" in " ".join(rt("HEALTHCHECK")[-1].value), "Dockerfile: HEALTHCHECK on /healthz")
check([c.value for c in rt("STOPSIGNAL")] == [("SIGTERM",)], "Dockerfile: STOPSIGNAL SIGTERM")
check(rt("ENTRYPOINT") and rt("ENTRYPOINT")[-1].value == ("/app/gatehouse",), "Dockerfile: ENTRYPOINT /app/gatehouse")
env = {c.value[i]: c.value[i + 1] for c in rt("ENV") for i in range(0, len(c.value), 2)}
check(env.get("GATEHOUSE_CONFIG") == "/etc/gatehouse/gatehouse.yaml", "Dockerfile: ENV GATEHOUSE_CONFIG")

# .dockerignore, with Docker's rules (last matching pattern wins, `!` re-includes, a
# pattern matching a folder excludes what is in it): the build needs these in the context.
patterns = []
with open(os.path.join(repo, ".dockerignore")) as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            patterns.append((line.startswith("!"), line.lstrip("!").strip("/")))
def excluded(path):
    parts = path.split("/")
    result = False
    for negate, pattern in patterns:
        for n in range(1, len(parts) + 1):
            prefix = "/".join(parts[:n])
            if fnmatch.fnmatchcase(prefix, pattern) or fnmatch.fnmatchcase(prefix, pattern.replace("**/", "")):
                result = not negate
                break
    return result
for needed in ["Package.swift", "Sources/gatehouse/Gatehouse.swift", "Tests", "Public/index.html",
               "Deploy/scripts/build-release.sh"]:
    check(os.path.exists(os.path.join(repo, needed)), f"build context: {needed} does not exist")
    check(not excluded(needed), f".dockerignore excludes {needed}, which the image build needs")
for unwanted in [".build", ".build-release", ".git"]:
    check(excluded(unwanted), f".dockerignore must exclude {unwanted}")
for c in by("COPY"):
    if not any(flag.startswith("--from") for flag in c.flags):
        for src in c.value[:-1]:
            check(os.path.exists(os.path.join(repo, src)), f"Dockerfile: COPY source {src} does not exist")

# --- compose.yaml: references the schema cannot check.
compose_dir = os.path.join(repo, "Deploy")
compose = load("Deploy/compose.yaml")
services = compose.get("services", {})
for name, svc in services.items():
    for dep in (svc.get("depends_on") or {}):
        check(dep in services, f"compose: {name} depends_on unknown service {dep}")
    mode = svc.get("network_mode", "")
    if mode.startswith("service:"):
        check(mode.split(":", 1)[1] in services, f"compose: {name} network_mode names an unknown service")
        check("ports" not in svc, f"compose: {name} shares a network namespace and cannot publish ports")
    for vol in svc.get("volumes", []):
        src = (vol.split(":")[0] if isinstance(vol, str) else vol.get("source", ""))
        if src.startswith("."):
            check(os.path.exists(os.path.join(compose_dir, src)), f"compose: {name} mounts missing {src}")
        elif src:
            check(src in (compose.get("volumes") or {}), f"compose: {name} uses undeclared volume {src}")
    for cfg in svc.get("configs", []):
        source = cfg if isinstance(cfg, str) else cfg["source"]
        check(source in (compose.get("configs") or {}), f"compose: {name} uses undeclared config {source}")
    build = svc.get("build")
    if build:
        context = os.path.join(compose_dir, build.get("context", "."))
        check(os.path.isfile(os.path.join(context, build.get("dockerfile", "Dockerfile"))),
              f"compose: {name} build dockerfile not found")
        check(svc.get("image"), f"compose: {name} builds without an image name (others cannot share it)")
    if svc.get("image") == "gatehouse:local":
        check(build, f"compose: {name} uses gatehouse:local without its build (compose would try to pull it)")
    if "healthcheck" in svc and not svc["healthcheck"].get("disable"):
        check(svc["healthcheck"].get("test"), f"compose: {name} healthcheck without a test")

# --- kustomization: every manifest but the example Secret is a resource, and exists.
kust = load("Deploy/kubernetes/kustomization.yaml")
resources = set(kust.get("resources", []))
for r in resources:
    check(os.path.isfile(os.path.join(repo, "Deploy/kubernetes", r)), f"kustomization: {r} does not exist")
for f in os.listdir(os.path.join(repo, "Deploy/kubernetes")):
    if f.endswith(".yaml") and f not in ("kustomization.yaml", "secret.yaml"):
        check(f in resources, f"kustomization: {f} is not listed in resources")
check("secret.yaml" not in resources, "kustomization: secret.yaml holds placeholders and must not be applied")

# --- ConfigMap / Secret / Deployment wiring.
cm = load("Deploy/kubernetes/configmap.yaml")
secret = load("Deploy/kubernetes/secret.yaml")
dep = load("Deploy/kubernetes/deployment.yaml")
pod = dep["spec"]["template"]["spec"]
container = pod["containers"][0]
mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
volumes = {v["name"]: v for v in pod.get("volumes", [])}
secret_vol = next((n for n, v in volumes.items() if v.get("secret", {}).get("secretName") == secret["metadata"]["name"]), None)
cm_vol = next((n for n, v in volumes.items() if v.get("configMap", {}).get("name") == cm["metadata"]["name"]), None)
check(secret_vol in mounts, "deployment: the Secret is not mounted")
check(cm_vol in mounts, "deployment: the ConfigMap is not mounted")
check(mounts.get(cm_vol) == "/etc/gatehouse" and "gatehouse.yaml" in cm["data"],
      "deployment: the ConfigMap must provide /etc/gatehouse/gatehouse.yaml")
config = yaml.safe_load(cm["data"]["gatehouse.yaml"])
def file_keys(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            p = f"{path}.{k}" if path else k
            if k.endswith("_file") and isinstance(v, str):
                yield p, v
            else:
                yield from file_keys(v, p)
secret_keys = set((secret.get("stringData") or {}).keys()) | set((secret.get("data") or {}).keys())
found = list(file_keys(config))
check(found, "configmap: no *_file keys: secrets would be inline")
for key, path in found:
    check(os.path.dirname(path) == mounts.get(secret_vol), f"configmap: {key} is not under the Secret's mount path")
    check(os.path.basename(path) in secret_keys, f"configmap: {key} names {os.path.basename(path)}, which the Secret lacks")
for inline in ("client_secret", "encryption_keys", "store"):
    for section in ("oidc", "session"):
        check(inline not in (config.get(section) or {}), f"configmap: {section}.{inline} inline: use the *_file key")
check(config.get("admin_listen", "").startswith("0.0.0.0:"), "configmap: admin_listen must be 0.0.0.0 for probes")
admin_port = int(config["admin_listen"].rsplit(":", 1)[1])
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
check(ports.get("admin") == admin_port, "deployment: port 'admin' differs from admin_listen")
check(ports.get("http") == int(config.get("listen", "0.0.0.0:8080").rsplit(":", 1)[1]), "deployment: port 'http' differs from listen")
check(container.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", "deployment: readiness on /readyz")
check(container.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz", "deployment: liveness on /healthz")
check(dep["spec"].get("replicas", 1) >= 2, "deployment: at least 2 replicas")
sc = container.get("securityContext", {})
check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False
      and sc.get("capabilities", {}).get("drop") == ["ALL"] and sc.get("runAsNonRoot") is True,
      "deployment: container securityContext (read-only root, no escalation, drop ALL, non-root)")
check(pod.get("automountServiceAccountToken") is False, "deployment: automountServiceAccountToken: false")

for p in problems:
    print(f"  {p}", file=sys.stderr)
print(f"  {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY

if [ -n "$gatehouse_bin" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  # Throwaway secrets, only so check-config can read the *_file keys' files.
  "$venv/bin/python" - "$repo" "$scratch" <<'PY'
import base64, os, sys, yaml
repo, scratch = sys.argv[1:]
with open(os.path.join(repo, "Deploy/kubernetes/configmap.yaml")) as f:
    cm = yaml.safe_load(f)
with open(os.path.join(scratch, "k8s-gatehouse.yaml"), "w") as f:
    f.write(cm["data"]["gatehouse.yaml"])
files = {"client-secret": "validation-only", "redis-url": "redis://127.0.0.1:6379/0",
         "keys": base64.b64encode(os.urandom(32)).decode() + "\n"}
for name, text in files.items():
    with open(os.path.join(scratch, name), "w") as f:
        f.write(text)
PY
  # A clean environment: GATEHOUSE_* variables of the caller must not change the result.
  step "gatehouse check-config: Deploy/kubernetes/configmap.yaml (gatehouse.yaml), *_file keys pointed at throwaway files"
  env -i PATH="$PATH" \
    GATEHOUSE_OIDC_CLIENT_SECRET_FILE="$scratch/client-secret" \
    GATEHOUSE_SESSION_STORE_FILE="$scratch/redis-url" \
    GATEHOUSE_SESSION_ENCRYPTION_KEYS_FILE="$scratch/keys" \
    "$gatehouse_bin" check-config --config "$scratch/k8s-gatehouse.yaml" || fail "check-config on the ConfigMap"

  step "gatehouse check-config: Deploy/compose/gatehouse.yaml, with compose.yaml's environment"
  env -i PATH="$PATH" \
    GATEHOUSE_OIDC_CLIENT_SECRET=validation-only \
    GATEHOUSE_SESSION_ENCRYPTION_KEYS_FILE="$scratch/keys" \
    "$gatehouse_bin" check-config --config "$repo/Deploy/compose/gatehouse.yaml" || fail "check-config on the compose config"
else
  step "no gatehouse binary given: check-config skipped (pass one as \$1)"
fi

echo
if [ "$failed" -ne 0 ]; then
  echo "validate-manifests: FAILED" >&2
  exit 1
fi
echo "validate-manifests: all checks passed"
