-- Board open, with labels: what the web client that shows labels sends when a room is opened (the
-- room, its members and its labels, and at once the tasks with api.js's page size). The four go
-- out together on different connections; the next open then begins.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local step, paths, token = 0, nil, nil

function request()
  if step == 0 then
    local room
    room, token = room_and_token()
    local base = "/api/v1/rooms/" .. room.id
    paths = { base, base .. "/members", base .. "/labels", base .. "/tasks?limit=200" }
  end
  step = (step + 1) % 4
  return wrk.format("GET", paths[step == 0 and 4 or step], headers_for(token))
end
