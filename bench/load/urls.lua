-- wrk script for bench/load: spread the requests over the paths listed (one a line) in
-- the file given after "--", count every answer that is not 2xx and the page-cache hits,
-- and print one machine-readable RESULT line when the run is done.
--   wrk -t2 -c200 -d60s --timeout 30s -s bench/load/urls.lua http://127.0.0.1:8000 -- paths.txt

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  -- Each thread starts at another place in the (shuffled) list.
  counter = ((id - 1) * 7919) % #paths
  non2xx = 0
  hits = 0
  statuses = ""
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if #statuses < 200 then statuses = statuses .. status .. ":" .. paths[counter] .. " " end
  end
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end

function done(summary, latency, requests)
  local bad, hit, seen = 0, 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    hit = hit + thread:get("hits")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d hits=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, bad, hit, e.connect, e.read, e.write, e.status, e.timeout))
  if seen ~= "" then io.write("NON2XX " .. seen .. "\n") end
end
