-- Polling boards: open boards as the web client keeps them today (views/room.js syncTasks, every
-- 3 s start to start): one connection per open board, each poll the tasks page of one of the
-- boards with the ETag held for it (If-None-Match), as a member. A connection's first poll comes
-- at a random point of the first 3 s, so the polls spread over the interval as a team's do,
-- instead of a thousand at once.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

POLL_MS = 3000
local polls = 0

-- wrk asks before each request how long to wait (ms): a thread's first requests, one per board
-- (connection), at random in the interval; every later one, one interval after the one before.
function delay()
  polls = polls + 1
  if polls <= math.ceil(#data.rooms / thread_count) then
    return math.random(POLL_MS)
  end
  return POLL_MS
end

function request()
  local room, token = room_and_token()
  return wrk.format("GET", "/api/v1/rooms/" .. room.id .. "/tasks?limit=200",
    headers_for(token, { ["If-None-Match"] = room.etag }))
end
