-- Board read, page not cached: a page size of 51 to 200, so that a 50-task board comes whole in
-- each answer but the page asked for is (almost always) not one the cache holds: the tasks service
-- builds it, as after every change to the board.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function request()
  local room, token = room_and_token()
  local path = "/api/v1/rooms/" .. room.id .. "/tasks?limit=" .. math.random(51, 200)
  return wrk.format("GET", path, headers_for(token))
end
