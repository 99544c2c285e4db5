-- wrk script for Deploy/scripts/bench-proxy.sh: after the human-readable
-- report, prints one machine-readable line:
--   BENCH requests=N duration_us=N non2xx=N connect=N read=N write=N timeout=N p50_us=N p99_us=N mean_us=N
-- (non2xx is wrk's "Non-2xx or 3xx responses": every status >= 400; the benchmark expects 0).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d mean_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
