-- Board open: what the web client sends when a room is opened (store.js openRoom: the room and
-- its members, and at once the tasks with api.js's page size). They go out together on
-- different connections, as the browser's Promise.all sends them; the next open then begins.
-- A script that sets OPEN_PARTS first (board_open_planning.lua) opens with those parts instead.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local parts = OPEN_PARTS or { "", "/members", "/tasks?limit=200" }
local step, paths, token = 0, nil, nil

function request()
  if step == 0 then
    local room
    room, token = room_and_token()
    local base = "/api/v1/rooms/" .. room.id
    paths = {}
    for i, part in ipairs(parts) do
      paths[i] = base .. part
    end
  end
  step = (step + 1) % #parts
  return wrk.format("GET", paths[step == 0 and #parts or step], headers_for(token))
end
