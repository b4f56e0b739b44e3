-- wrk script for bench/load.py: counts every response that is not 2xx (wrk itself
-- counts only >= 400, so a redirect would otherwise pass for a page) and prints one
-- parseable line at the end:
--   BENCH rps=1234.56 p50_ms=1.234 p95_ms=5.678 requests=12345 non2xx=0 socket_errors=0

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH rps=%.2f p50_ms=%.3f p95_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
      summary.requests / seconds,
      latency:percentile(50) / 1000.0,
      latency:percentile(95) / 1000.0,
      summary.requests,
      bad,
      e.connect + e.read + e.write + e.timeout
   ))
end
