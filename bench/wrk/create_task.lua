-- Create task: POST a task into a random room as one of its members.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_WRK_DIR") .. "/writes.lua")

request = create_request

function on_response(status, headers, body)
  on_write_response(status, body)
end
