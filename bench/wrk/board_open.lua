-- Board open: what the web client sends when a room is opened (store.js openRoom: the room and
-- its members, and at once the tasks with api.js's page size). The three go out together on
-- different connections, as the browser's Promise.all sends them; the next open then begins.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local step, paths, token = 0, nil, nil

function request()
  if step == 0 then
    local room
    room, token = room_and_token()
    local base = "/api/v1/rooms/" .. room.id
    paths = { base, base .. "/members", base .. "/tasks?limit=200" }
  end
  step = (step + 1) % 3
  return wrk.format("GET", paths[step == 0 and 3 or step], headers_for(token))
end
