-- wrk script for scripts/soak.sh: replays a list of requests made by
-- scripts/lib/soak_setup.py and counts every answer that is not a success.
--
--   wrk -t2 -c32 -d600s --latency -s scripts/lib/soak.lua URL -- REQUESTS_FILE THREADS
--
-- One request a line, fields separated by tabs:
--   kind  method  path  body  header...
-- where body is "-" for none and each header is "Name: value". The kind is
-- only for the setup's own bookkeeping. Responses cannot be tied back to
-- their line (several connections share a thread's Lua state), so errors
-- are counted by status only; the setup has already checked every line once.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function split_tabs(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local file = args[1]
  if not file then
    error("soak.lua: pass the request file after --")
  end
  -- Format every request once: wrk then only hands out ready strings.
  requests = {}
  for line in io.lines(file) do
    if line ~= "" then
      local f = split_tabs(line)
      local headers = { Host = wrk.headers["Host"] }
      for i = 5, #f do
        local name, value = f[i]:match("^([^:]+):%s*(.*)$")
        if name then
          headers[name] = value
        end
      end
      local body = nil
      if f[4] ~= "-" then
        body = f[4]
      end
      table.insert(requests, wrk.format(f[2], f[3], headers, body))
    end
  end
  if #requests == 0 then
    error("soak.lua: no requests in " .. file)
  end
  -- Threads start at different places so they do not send the same
  -- request at the same moment (two writes to one row would only queue).
  local nthreads = tonumber(args[2]) or 2 -- wrk does not tell a thread how many there are
  position = math.floor(#requests * thread_index / nthreads)
  ok = 0
  failed = 0
  statuses = {}
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status >= 300 then
    failed = failed + 1
    statuses[status] = (statuses[status] or 0) + 1
  else
    ok = ok + 1
  end
end

-- Runs in wrk's main Lua state: the threads' counters are read through
-- thread:get, and wrk's own socket errors (timeouts above all) are failures
-- too, so they go on the same line.
function done(summary, latency, requests_made)
  local total_ok, total_failed, by_status = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_failed = total_failed + thread:get("failed")
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, status .. "=" .. count)
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    "soak-result ok=%d failed=%d statuses=%s connect=%d read=%d write=%d timeout=%d\n",
    total_ok, total_failed, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout))
end
