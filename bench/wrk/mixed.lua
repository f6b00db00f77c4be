-- Mixed: 90% board reads, 5% creates, 5% moves.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_WRK_DIR") .. "/writes.lua")

function request()
  local draw = math.random()
  if draw < 0.05 then
    return create_request()
  elseif draw < 0.10 then
    return move_request()
  end
  local room, token = room_and_token()
  return wrk.format("GET", "/api/v1/rooms/" .. room.id .. "/tasks", headers_for(token))
end

function on_response(status, headers, body)
  on_write_response(status, body)
end
