-- wrk script of benchmarks/booking.py: POST /api/v1/appointments, each at a distinct dateTime.
--
-- Arguments (after `--`): api key, department id, first dateTime (Unix seconds, UTC), number
-- of wrk threads, booking seconds. After the booking seconds the connections stop sending and
-- the answers still in flight arrive before wrk stops, so every booking the server made was
-- answered and counted here (the benchmark checks that against the database).
--
-- Optional arguments of benchmarks/booking_scenarios.py, in this order:
--   requests per second of each wrk thread (0: as fast as the connections go);
--   the most requests each thread sends (0: no limit; otherwise one per connection);
--   "slots" followed by: appointment type id, worker ids joined by commas ("" lets the server
--   assign one), bookings per slot (the number of workers), slots per day, first slot of a
--   day (seconds after midnight), slot length (seconds), working days per week. Request n
--   then books slot n / (bookings per slot) of the week-day grid that starts at the first
--   dateTime (a Monday at midnight, UTC), with the worker n % (bookings per slot) when workers
--   are given, so no two requests take the same worker at the same time.

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
  sent, created, other, conflicts, unexpected = 0, 0, 0, 0, ""
  started = now()
  stop_at = started + tonumber(args[5])
  last = started
  local rate = tonumber(args[6] or "0")
  interval = rate > 0 and 1 / rate or 0
  next_at = started
  quota = tonumber(args[7] or "0")
  if quota > 0 then
    -- One request per connection: the server closes it after answering, and the connection
    -- wrk opens again stays idle. Kept alive instead, the server would close it after its
    -- keep-alive timeout and wrk open it again, over and over, until --duration ends.
    headers["Connection"] = "close"
  end
  slots = args[8] == "slots"
  if slots then
    type_id = tonumber(args[9])
    workers = {}
    for id in string.gmatch(args[10], "%d+") do
      table.insert(workers, tonumber(id))
    end
    per_slot = tonumber(args[11])
    slots_per_day = tonumber(args[12])
    day_start = tonumber(args[13])
    slot_seconds = tonumber(args[14])
    days_per_week = tonumber(args[15])
  end
end

function delay()
  local t = now()
  if t >= stop_at or (quota > 0 and sent >= quota) then
    return 3600 * 1000 -- no new request: let the ones in flight finish
  end
  if interval > 0 then
    -- The thread's requests follow a fixed schedule; after a stall it starts again from now
    -- rather than sending the missed ones in a burst.
    next_at = math.max(next_at + interval, t - interval)
    if next_at >= stop_at then
      return 3600 * 1000
    end
    if next_at > t then
      return math.floor((next_at - t) * 1000 + 0.5)
    end
  end
  return 0
end

local function slot_body(n)
  local slot, which = math.floor(n / per_slot), n % per_slot
  local day, within = math.floor(slot / slots_per_day), slot % slots_per_day
  local week, weekday = math.floor(day / days_per_week), day % days_per_week
  local at = first + (week * 7 + weekday) * 86400 + day_start + within * slot_seconds
  local worker = ""
  if #workers > 0 then
    worker = string.format(',"workerId":%d', workers[which + 1])
  end
  return string.format(
    '{"departmentId":%d,"dateTime":"%s","appointmentTypeId":%d%s,' ..
    '"name":"Benchmark Client","externalUserId":"bench-%d"}',
    department, os.date("!%Y-%m-%dT%H:%M:%S", at), type_id, worker, n)
end

function request()
  -- Threads interleave their numbers, so no two requests ask for the same dateTime (or, in
  -- the slots mode, the same worker at the same dateTime).
  local n = sent * stride + index
  sent = sent + 1
  local body
  if slots then
    body = slot_body(n)
  else
    body = string.format(
      '{"departmentId":%d,"dateTime":"%s","name":"Benchmark Client","externalUserId":"bench-%d"}',
      department, os.date("!%Y-%m-%dT%H:%M:%S", first + n * 60), n)
  end
  return wrk.format("POST", "/api/v1/appointments", headers, body)
end

function response(status, _headers, body)
  last = now()
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    if status == 409 then
      conflicts = conflicts + 1
    end
    -- The first answer other than 201, or rather than a 409 (a slot taken, expected when
    -- clients compete) the first of any other status.
    if unexpected == "" or (status ~= 409 and string.sub(unexpected, 1, 4) == "409 ") then
      unexpected = status .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, _requests)
  local sent_total, created_total, other_total, conflicts_total = 0, 0, 0, 0
  local started_min, last_max, unexpected_first = math.huge, 0, ""
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get("sent")
    created_total = created_total + thread:get("created")
    other_total = other_total + thread:get("other")
    conflicts_total = conflicts_total + thread:get("conflicts")
    started_min = math.min(started_min, thread:get("started"))
    last_max = math.max(last_max, thread:get("last"))
    local seen = thread:get("unexpected")
    if unexpected_first == "" or (seen ~= "" and string.sub(unexpected_first, 1, 4) == "409 "
        and string.sub(seen, 1, 4) ~= "409 ") then
      unexpected_first = seen
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "slotbook-bench sent=%d created=%d other=%d seconds=%.6f p50_us=%d p99_us=%d " ..
    "socket_errors=%d timeouts=%d conflicts=%d\n",
    sent_total, created_total, other_total, last_max - started_min,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write, errors.timeout, conflicts_total))
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
