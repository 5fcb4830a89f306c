-- wrk script of the write scenario: PUT the cart line's quantity with the user's token (WRITE_TOKEN), a quantity
-- other than the line's current one at each request (a write that changes the document: the file store commits
-- only a change), then done.lua's summary. Thread k sets quantities 100k+1..100k+100 in turn: two requests in a
-- row never set the same one.
local threads = 0
function setup(thread)
  thread:set("offset", (threads % 10) * 100)
  threads = threads + 1
end

local counter = 0
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("WRITE_TOKEN") or "")}
function request()
  counter = counter + 1
  return wrk.format("PUT", nil, headers, string.format('{"quantity": %d}', offset + counter % 100 + 1))
end

dofile("bench/done.lua")
