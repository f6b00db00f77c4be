-- Move in a column: POST .../move with after_id and If-Match, each task staying in its
-- 500-task column (see writes.lua for the places and the pools). Every answer should be 200.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_WRK_DIR") .. "/writes.lua")

request = move_in_column_request

function on_response(status, headers, body)
  on_write_response(status, body)
end
