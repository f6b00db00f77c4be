-- Creating and moving tasks, shared by create_task.lua, move_task.lua, move_in_column.lua and mixed.lua.
--
-- Moves: each thread owns a disjoint share of data.tasks and sends a task again only after the
-- answer to its previous move came back, with the version that answer carried, so a 412 means a
-- lost or wrong version, never two of our own moves racing. Reported: created[room] = creates
-- acknowledged (201) per room; moved_version[id] and moved_status[id] = the last acknowledged move.

NEXT_STATUS = { ["pending"] = "in progress", ["in progress"] = "completed", ["completed"] = "pending" }
JSON_BODY = { ["Content-Type"] = "application/json" }

REPORTS = { "created", "moved_version", "moved_status" }
created, moved_version, moved_status = {}, {}, {}
local idle, by_id, serial = {}, {}, 0

function on_init()
  for index, task in ipairs(data.tasks) do
    if (index - 1) % thread_count == thread_id - 1 then
      idle[#idle + 1] = task
      by_id[task.id] = task
    end
  end
end

function create_request()
  local room, token = room_and_token()
  serial = serial + 1
  local body = '{"title":"Bench task ' .. thread_id .. "." .. serial .. '"}'
  return wrk.format("POST", "/api/v1/rooms/" .. room.id .. "/tasks", headers_for(token, JSON_BODY), body)
end

-- Oldest idle task first; none idle only when answers were lost (each error keeps one away).
local function next_task()
  local task = table.remove(idle, 1) or pick(data.tasks)
  local headers = headers_for(data.tokens[task.member], JSON_BODY)
  headers["If-Match"] = '"' .. task.version .. '"'
  return task, headers
end

function move_request()
  local task, headers = next_task()
  local body = '{"status":"' .. NEXT_STATUS[task.status] .. '"}'
  return wrk.format("PATCH", "/api/v1/rooms/" .. task.room .. "/tasks/" .. task.id, headers, body)
end

-- A move within the task's column: half of them right after the column's first task (never
-- moved itself), so that they go into one gap again and again and every twentieth of them
-- (positions.GAP_BITS) renumbers the column; the others right after any other task of it.
function move_in_column_request()
  local task, headers = next_task()
  local after = task.first
  if math.random() >= 0.5 then
    after = math.random(task.first, task.last - 1)
    if after >= tonumber(task.id) then
      after = after + 1 -- any task but itself
    end
  end
  local body = '{"after_id":' .. after .. "}"
  return wrk.format("POST", "/api/v1/rooms/" .. task.room .. "/tasks/" .. task.id .. "/move", headers, body)
end

-- A task's answer (not a list: those have "items") acknowledges a create (201) or a move (200).
function on_write_response(status, body)
  if (status ~= 200 and status ~= 201) or body:find('"items"', 1, true) then
    return
  end
  if status == 201 then
    local room = body:match('"room_id":%s*(%d+)')
    created[room] = (created[room] or 0) + 1
    return
  end
  local id = body:match('"id":%s*(%d+)')
  local task = by_id[id]
  if task then
    task.version = tonumber(body:match('"version":%s*(%d+)'))
    task.status = body:match('"status":%s*"([^"]*)"')
    moved_version[id], moved_status[id] = task.version, task.status
    idle[#idle + 1] = task
  end
end
