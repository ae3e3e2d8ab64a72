-- wrk script of benchmarks/booking.py: POST /api/v1/appointments, each at a distinct dateTime.
--
-- Arguments (after `--`): api key, department id, first dateTime (Unix seconds, UTC), number
-- of wrk threads, booking seconds. After the booking seconds the connections stop sending and
-- the answers still in flight arrive before wrk stops, so every booking the server made was
-- answered and counted here (the benchmark checks that against the database).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } slotbook_timespec;
int clock_gettime(int clock_id, slotbook_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("slotbook_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = args[1] }
  department = tonumber(args[2])
  first = tonumber(args[3])
  stride = tonumber(args[4])
  sent, created, other, unexpected = 0, 0, 0, ""
  started = now()
  stop_at = started + tonumber(args[5])
  last = started
end

function delay()
  if now() >= stop_at then
    return 3600 * 1000 -- no new request: let the ones in flight finish
  end
  return 0
end

function request()
  -- Threads interleave their minutes, so no two requests ask for the same dateTime.
  local minute = sent * stride + index
  sent = sent + 1
  local body = string.format(
    '{"departmentId":%d,"dateTime":"%s","name":"Benchmark Client","externalUserId":"bench-%d"}',
    department, os.date("!%Y-%m-%dT%H:%M:%S", first + minute * 60), minute)
  return wrk.format("POST", "/api/v1/appointments", headers, body)
end

function response(status, _headers, body)
  last = now()
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    if unexpected == "" then
      unexpected = status .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, _requests)
  local sent_total, created_total, other_total = 0, 0, 0
  local started_min, last_max, unexpected_first = math.huge, 0, ""
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get("sent")
    created_total = created_total + thread:get("created")
    other_total = other_total + thread:get("other")
    started_min = math.min(started_min, thread:get("started"))
    last_max = math.max(last_max, thread:get("last"))
    if unexpected_first == "" then
      unexpected_first = thread:get("unexpected")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "slotbook-bench sent=%d created=%d other=%d seconds=%.6f p50_us=%d p99_us=%d " ..
    "socket_errors=%d timeouts=%d\n",
    sent_total, created_total, other_total, last_max - started_min,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write, errors.timeout))
  if unexpected_first ~= "" then
    io.write("slotbook-bench-unexpected " .. unexpected_first .. "\n")
  end
  -- The latency distribution as 1,000 quantiles (0.1% to 100%), so that the runs of one
  -- server can be pooled into one distribution (benchmarks/booking.py).
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[i] = string.format("%d", latency:percentile(i / 10))
  end
  io.write("slotbook-bench-quantiles " .. table.concat(quantiles, ",") .. "\n")
end
