-- Board open, with labels: what the web client that shows labels sends when a room is opened (the
-- room, its members and its labels, and at once the tasks with api.js's page size).
OPEN_PARTS = { "", "/members", "/labels", "/tasks?limit=200" }
dofile(os.getenv("BENCH_WRK_DIR") .. "/board_open.lua")
