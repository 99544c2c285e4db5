#!/usr/bin/env python3
"""Summarises a `perf script -F comm,tid,ip,sym,dso` dump (with call chains) of gatehouse:
where its CPU time goes, by thread, by area and by function.

    perf-buckets.py perf.script

"area, nearest": each sample goes to the closest frame (from the leaf up) that belongs to a
library or project module of interest, so the Swift runtime, libc, Foundation and kernel time
underneath a module is charged to that module (swift_retain under AsyncHTTPClient counts as
AsyncHTTPClient). "anywhere": share of samples with that area anywhere on the stack (overlaps).
Swift names are demangled with `swift demangle` when it is on PATH.
"""
import collections
import re
import shutil
import subprocess
import sys

AREAS = [  # (area, Swift module prefixes), first match wins per frame
    ("Redis client (GatehouseRedis, hiredis)", ("GatehouseRedis", "CHiredis")),
    ("sessions (GatehouseSessions: records, AES-GCM cipher, stores)", ("GatehouseSessions",)),
    ("crypto (swift-crypto, BoringSSL)", ("Crypto", "_Crypto", "CCryptoBoringSSL", "CryptoBoringSSL")),
    ("AsyncHTTPClient", ("AsyncHTTPClient",)),
    ("Hummingbird", ("Hummingbird",)),
    ("logging (swift-log)", ("Logging",)),
    ("metrics (swift-metrics, Prometheus)", ("CoreMetrics", "Metrics", "Prometheus")),
    ("GatehouseServer (BFF, proxy, app)", ("GatehouseServer",)),
    ("GatehouseOAuth", ("GatehouseOAuth",)),
    ("gatehouse (wiring)", ("gatehouse",)),
    ("SwiftNIO (event loops, HTTP codec, sockets)", ("NIO", "CNIO", "_NIO")),
    ("service-lifecycle / async-algorithms", ("ServiceLifecycle", "AsyncAlgorithms", "UnixSignals")),
]
AREA_DSOS = {"libhiredis": "Redis client (GatehouseRedis, hiredis)", "libcrypto": "crypto (swift-crypto, BoringSSL)",
             "libssl": "crypto (swift-crypto, BoringSSL)"}
NO_AREA = "no module above: runtime, kernel, executor (task switches, idle)"


def module_of(symbol):
    """The Swift module of a mangled symbol ($s8NIOPosix... -> NIOPosix), else None."""
    m = re.match(r"\$s(\d+)", symbol)
    if m:
        n, start = int(m.group(1)), m.end()
        return symbol[start:start + n]
    return None


def area_of(symbol, dso):
    module = module_of(symbol)
    base = dso.rsplit("/", 1)[-1]
    for area, prefixes in AREAS:
        if module and (module.startswith(prefixes) if area != "gatehouse (wiring)" else module == "gatehouse"):
            return area
    for prefix, area in AREA_DSOS.items():
        if base.startswith(prefix):
            return area
    # C functions compiled into the binary (BoringSSL, hiredis, llhttp) have no mangled module.
    if re.match(r"(CCryptoBoringSSL_|aes_|gcm_|CRYPTO_)", symbol):
        return "crypto (swift-crypto, BoringSSL)"
    if re.match(r"(redis|sds)", symbol):
        return "Redis client (GatehouseRedis, hiredis)"
    if re.match(r"c_nio_", symbol):
        return "SwiftNIO (event loops, HTTP codec, sockets)"
    return None


def where(symbol, dso):
    """Leaf location: the Swift module, else the shared object."""
    base = dso.rsplit("/", 1)[-1]
    module = module_of(symbol)
    if module:
        return f"Swift module {module}"
    if base.startswith("libswiftCore"):
        return "Swift runtime/stdlib (libswiftCore: retain/release, metadata, generics, String)"
    if base.startswith("libswift_Concurrency") or base.startswith("libdispatch"):
        return "Swift concurrency executor (libswift_Concurrency, libdispatch)"
    if base.startswith(("libFoundation", "libFoundationEssentials", "libFoundationInternationalization")):
        return "Foundation"
    if base.startswith("libc.so"):
        return "libc (malloc/free, memcpy, syscalls)"
    if "kernel" in base:
        return "kernel"
    if symbol.startswith("$s"):
        return "Swift (stdlib specialisations in the binary)"
    return base


def main():
    samples = []  # (thread name, [(sym, dso)...] leaf first)
    current = None
    for line in open(sys.argv[1], errors="replace"):
        if not line.strip():
            current = None
            continue
        if not line[0].isspace():
            parts = line.split()
            comm = " ".join(parts[:-1]) if len(parts) > 1 else parts[0]
            current = (comm, [])
            samples.append(current)
            continue
        if current is None:
            continue
        m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
        if m:
            sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
            current[1].append((sym, m.group(2)))
    samples = [s for s in samples if s[1]]
    total = len(samples)
    if not total:
        print("no samples")
        return

    threads = collections.Counter()
    nearest = collections.Counter()
    anywhere = collections.Counter()
    leaf_where = collections.Counter()
    leaf_sym = collections.Counter()
    inclusive_ours = collections.Counter()
    kernel_entry = collections.Counter()
    for comm, frames in samples:
        if "kernel" in frames[0][1]:
            user = next(((sym, dso) for sym, dso in frames if "kernel" not in dso), ("(kernel thread)", ""))
            kernel_entry[re.sub(r"^(__GI_+|__libc_)", "", user[0])] += 1
        threads["NIO event loop threads" if comm.startswith("NIO-") else
                "Swift concurrency pool (dispatch) threads" if "qos" in comm else comm] += 1
        leaf_where[where(*frames[0])] += 1
        leaf_sym[frames[0][0]] += 1
        seen_areas, seen_syms, first = set(), set(), None
        for sym, dso in frames:
            area = area_of(sym, dso)
            if area:
                first = first or area
                seen_areas.add(area)
            module = module_of(sym)
            if module and module.startswith("Gatehouse") and sym not in seen_syms:
                seen_syms.add(sym)
                inclusive_ours[sym] += 1
        nearest[first or NO_AREA] += 1
        for area in seen_areas:
            anywhere[area] += 1

    names = {}
    wanted = {s for s, _ in leaf_sym.most_common(25)} | {s for s, _ in inclusive_ours.most_common(25)}
    mangled = sorted(s for s in wanted if s.startswith("$s"))
    if mangled and shutil.which("swift"):
        out = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(mangled),
                             capture_output=True, text=True).stdout.splitlines()
        if len(out) == len(mangled):
            names = {m: (f"{module_of(m)}." if module_of(m) else "") + d[:150] for m, d in zip(mangled, out)}

    def pct(n):
        return f"{100 * n / total:5.1f}%"

    print(f"\n{total} samples (cpu-clock) of gatehouse")
    print("\nby thread:")
    for k, n in threads.most_common():
        print(f"  {pct(n)}  {k}")
    print("\nby area (nearest module on the stack | anywhere on the stack):")
    for area, n in nearest.most_common():
        print(f"  {pct(n)} | {pct(anywhere[area]) if area in anywhere else '    -'}  {area}")
    for area, n in anywhere.most_common():
        if area not in nearest:
            print(f"      - | {pct(n)}  {area}")
    print("\nself time, by where the CPU was:")
    for k, n in leaf_where.most_common(14):
        print(f"  {pct(n)}  {k}")
    print("\nkernel time, by the user-space function that entered it:")
    for k, n in kernel_entry.most_common(10):
        print(f"  {pct(n)}  {names.get(k, k)[:100]}")
    print("\nhottest functions, self time:")
    for s, n in leaf_sym.most_common(25):
        print(f"  {pct(n)}  {names.get(s, s)[:150]}")
    print("\nGatehouse functions, inclusive (self + everything they call, on their own stack):")
    for s, n in inclusive_ours.most_common(25):
        print(f"  {pct(n)}  {names.get(s, s)[:150]}")


if __name__ == "__main__":
    main()
