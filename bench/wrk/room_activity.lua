-- Room activity: GET a random room's history (first page, default limit: the newest 50 entries)
-- as one of its members.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function request()
  local room, token = room_and_token()
  return wrk.format("GET", "/api/v1/rooms/" .. room.id .. "/activity", headers_for(token))
end
