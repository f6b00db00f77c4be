-- Board read: GET a random room's tasks (first page, default limit) as one of its members.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function request()
  local room, token = room_and_token()
  return wrk.format("GET", "/api/v1/rooms/" .. room.id .. "/tasks", headers_for(token))
end
