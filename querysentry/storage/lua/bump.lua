-- querysentry.storage.base.apply_bump on one Redis hash, as one atomic script.
--
-- KEYS[1]: the hash. ARGV: now, half_life, window, max_fields, ttl_ms, then name, value pairs of
-- increments. Returns the new hash as a flat array of name, value strings.
--
-- Every number is written with '%.17g' so that a value read back parses to the very same double:
-- the next bump (here or in Python) then starts from identical inputs and the backends stay equal.
-- Values are returned as strings too, because Redis would truncate a returned Lua number to an integer.
-- Redis runs Lua 5.1: numbers are doubles, and '<' on strings follows the server's locale (strcoll),
-- so ties are broken by byte_less, which matches Python's str ordering for UTF-8 names.

local DROP_BELOW = 1e-3 -- must equal querysentry.storage.base.DROP_BELOW (the contract tests check it)

local key = KEYS[1]
local now = tonumber(ARGV[1])
local half_life = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local max_fields = tonumber(ARGV[4])
local ttl_ms = ARGV[5]

local function byte_less(a, b)
  local la, lb = #a, #b
  local n = la
  if lb < n then n = lb end
  for i = 1, n do
    local ca, cb = string.byte(a, i), string.byte(b, i)
    if ca ~= cb then
      return ca < cb
    end
  end
  return la < lb
end

local stored = redis.call('HGETALL', key)
local names, values = {}, {}
local last = now
for i = 1, #stored, 2 do
  local value = tonumber(stored[i + 1])
  -- A non-numeric field (written by something else) is dropped rather than failing every bump of the
  -- key until its TTL runs out.
  if value ~= nil then
    names[#names + 1] = stored[i]
    values[#values + 1] = value
    if stored[i] == '@t' then
      last = value
    end
  end
end

local elapsed = now - last
if elapsed < 0 then
  elapsed = 0 -- a replica with a slow clock must not make counters grow
end
local factor = math.pow(2, -elapsed / half_life) * (1 - 1 / window)

local out = {}
for i = 1, #names do
  local name, value = names[i], values[i]
  if string.sub(name, 1, 1) == '@' then
    out[name] = value
  else
    value = value * factor
    if value >= DROP_BELOW then
      out[name] = value
    end
  end
end

for i = 6, #ARGV, 2 do
  local name, value = ARGV[i], tonumber(ARGV[i + 1])
  if string.sub(name, 1, 1) == '@' then
    out[name] = value
  else
    local total = (out[name] or 0) + value
    if total >= DROP_BELOW then
      out[name] = total
    else
      out[name] = nil
    end
  end
end
out['@t'] = math.max(now, last)

local entries = {}
for name in pairs(out) do
  local kind = string.sub(name, 1, 1)
  if kind ~= '@' and kind ~= '_' then
    entries[#entries + 1] = name
  end
end
if #entries > max_fields then
  table.sort(entries, function(a, b)
    local va, vb = out[a], out[b]
    if va ~= vb then
      return va < vb
    end
    return byte_less(a, b)
  end)
  for i = 1, #entries - max_fields do
    out[entries[i]] = nil
  end
end

local flat = {}
for name, value in pairs(out) do
  flat[#flat + 1] = name
  flat[#flat + 1] = string.format('%.17g', value)
end
-- Fields read but no longer kept (decayed away, trimmed, or not numbers).
local dropped = {}
for i = 1, #stored, 2 do
  if out[stored[i]] == nil then
    dropped[#dropped + 1] = stored[i]
  end
end

-- Overwrite the kept fields, then delete the dropped ones: the key exists at every step (out always
-- holds '@t'). Deleting the key and writing it anew would not do on a Redis Cluster: while its slot
-- is being migrated, a key that is missing on the source node belongs to the target, so the write
-- after the DEL fails the script ("non local key") with the hash already deleted, and every counter
-- of the key is lost.
-- unpack() is bounded by the Lua C stack (about 8000 values): write in slices.
local function in_slices(command, values)
  local slice = 1000
  for i = 1, #values, slice do
    local j = i + slice - 1
    if j > #values then
      j = #values
    end
    redis.call(command, key, unpack(values, i, j))
  end
end
in_slices('HSET', flat)
in_slices('HDEL', dropped)
redis.call('PEXPIRE', key, ttl_ms)
return flat
