-- wrk script for Deploy/scripts/bench-proxy.sh's BENCH_SESSIONS mode: every request carries the
-- next of many session cookies (the file named by BENCH_COOKIES, one `name=value` per line), so
-- the session cache and the Redis path are measured, not one hot session. Each thread starts at
-- its own place in the list. The BENCH report line comes from report.lua.
local cookies = {}
for line in io.lines(os.getenv("BENCH_COOKIES")) do
  if line ~= "" then cookies[#cookies + 1] = line end
end
local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end
local next_cookie = 0
function init(args)
  next_cookie = math.floor((thread_number or 0) * #cookies / 2)
end
function request()
  next_cookie = next_cookie % #cookies + 1
  return wrk.format(nil, nil, { ["Cookie"] = cookies[next_cookie], ["X-CSRF"] = "1" })
end
dofile("Deploy/bench/report.lua")
