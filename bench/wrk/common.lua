-- Shared by every scenario script (each starts with dofile of this file).
--
-- wrk runs one Lua state per thread and one more for setup() and done(). Arguments after `--`:
-- the data file (tab-separated, written by bench/load.py) and the number of threads. Each thread
-- counts the statuses it receives and keeps what else it wants to tell (the writes it had
-- acknowledged) in flat global tables named in REPORTS (wrk's thread:get cannot copy nested
-- tables); done() gathers them and prints one JSON line for bench/load.py to read.

ACCEPT = "application/json, application/problem+json" -- what the web client's api.js sends

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

statuses = {}
REPORTS = {}

local function fields(line)
  local out = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    out[#out + 1] = field
  end
  return out
end

-- tokens[user id], rooms {id, members, etag}, tasks {room, id, version, status, member, and for
-- a move within a column: first and last, the ids of that column's tasks}, users {user id}
local function load_data(path)
  local data = { tokens = {}, rooms = {}, tasks = {}, users = {} }
  for line in io.lines(path) do
    local f = fields(line)
    if f[1] == "token" then
      data.tokens[tonumber(f[2])] = f[3]
    elseif f[1] == "room" then
      local members = {}
      for member in f[3]:gmatch("%d+") do
        members[#members + 1] = tonumber(member)
      end
      data.rooms[#data.rooms + 1] = { id = f[2], members = members, etag = f[4] ~= "" and f[4] or nil }
    elseif f[1] == "task" then
      data.tasks[#data.tasks + 1] = {
        room = f[2], id = f[3], version = tonumber(f[4]), status = f[5], member = tonumber(f[6]),
        first = tonumber(f[7]), last = tonumber(f[8]),
      }
    elseif f[1] == "user" then
      data.users[#data.users + 1] = tonumber(f[2])
    end
  end
  return data
end

function init(args)
  data = load_data(args[1])
  thread_count = tonumber(args[2]) or 1
  math.randomseed(os.time() * 100 + thread_id)
  if on_init then
    on_init()
  end
end

function pick(list)
  return list[math.random(#list)]
end

-- A random room and the token of one of its members.
function room_and_token()
  local room = pick(data.rooms)
  return room, data.tokens[pick(room.members)]
end

function headers_for(token, extra)
  local headers = { ["Accept"] = ACCEPT, ["Authorization"] = "Bearer " .. token }
  for name, value in pairs(extra or {}) do
    headers[name] = value
  end
  return headers
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if on_response then
    on_response(status, headers, body)
  end
end

local function json(value)
  local kind = type(value)
  if kind == "number" then
    return string.format("%.14g", value)
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  elseif kind == "table" then
    local parts = {}
    for key, item in pairs(value) do
      parts[#parts + 1] = json(tostring(key)) .. ":" .. json(item)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end

function done(summary, latency, requests)
  local merged, reports = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
    end
    local report = {}
    for _, name in ipairs(REPORTS) do
      report[name] = thread:get(name) or {}
    end
    reports[#reports + 1] = report
  end
  local result = {
    requests = summary.requests,
    duration_us = summary.duration,
    bytes = summary.bytes,
    socket_errors = summary.errors,
    latency_us = {
      p50 = latency:percentile(50), p90 = latency:percentile(90), p99 = latency:percentile(99),
      mean = latency.mean, max = latency.max,
    },
    statuses = merged,
    reports = reports,
  }
  io.write("BENCH_JSON ", json(result), "\n")
end
