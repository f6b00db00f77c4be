-- Move task: PATCH a task's status with If-Match: "<version>" (see writes.lua for the pools).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_WRK_DIR") .. "/writes.lua")

request = move_request

function on_response(status, headers, body)
  on_write_response(status, body)
end
