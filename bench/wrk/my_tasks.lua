-- My tasks: GET /api/v1/users/me/tasks (first page, default limit and order: by due date) as a
-- random one of the users each in ten rooms.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function request()
  return wrk.format("GET", "/api/v1/users/me/tasks", headers_for(data.tokens[pick(data.users)]))
end
