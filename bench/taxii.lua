-- wrk script for bench/taxii.bench.ts: GET a page of one of four types after a random date_added
-- (FIRST_US and SPAN_US, in microseconds, from the environment).
local types = {"indicator", "malware", "attack-pattern", "threat-actor"}
local first = tonumber(os.getenv("FIRST_US"))
local span = tonumber(os.getenv("SPAN_US"))
math.randomseed(os.time())
request = function()
  local after = first + math.floor(math.random() * span)
  local secs = math.floor(after / 1e6)
  local iso = os.date("!%Y-%m-%dT%H:%M:%S", secs) .. string.format(".%06dZ", after - secs * 1e6)
  return wrk.format("GET", "/taxii2/alliance/collections/alliance/objects/?limit=100&match[type]=" .. types[math.random(4)] .. "&added_after=" .. iso)
end
