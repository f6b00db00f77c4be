-- The reference app's board read: GET a random room's tasks; it has no authentication.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function request()
  return wrk.format("GET", "/rooms/" .. pick(data.rooms).id .. "/tasks", { ["Accept"] = ACCEPT })
end
