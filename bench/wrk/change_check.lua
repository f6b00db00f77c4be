-- Change check: the web client's poll of an unchanged board (store.js refreshTasks): the tasks
-- page it holds, with If-None-Match set to the ETag it got. Expect 304 Not Modified.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function request()
  local room, token = room_and_token()
  return wrk.format("GET", "/api/v1/rooms/" .. room.id .. "/tasks?limit=200",
    headers_for(token, { ["If-None-Match"] = room.etag }))
end
