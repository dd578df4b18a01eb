-- One wrk script for every row of bench/run, configured by environment variables:
--   BENCH_COOKIE   Cookie header (a guest's parley_session: the page's CSRF token and ETag belong to it)
--   BENCH_INM      If-None-Match header (the conditional-GET row)
--   BENCH_CSRF     when set, the requests are comment POSTs carrying this token, each with a different body
--   BENCH_RESULT   file the summary line is written to (done() runs once, after all threads)
local cookie = os.getenv("BENCH_COOKIE")
local inm = os.getenv("BENCH_INM")
local csrf = os.getenv("BENCH_CSRF")
local result = os.getenv("BENCH_RESULT")

local counter = 0
thread_id = 0 -- set per thread by setup()
local next_thread = 0

function setup(thread)
    thread:set("thread_id", next_thread)
    next_thread = next_thread + 1
end

function init(args)
    if cookie then wrk.headers["Cookie"] = cookie end
    if inm then wrk.headers["If-None-Match"] = inm end
    if csrf then
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
end

local function urlencode(s)
    return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
    if not csrf then
        return wrk.format()
    end
    counter = counter + 1
    -- a different body every time, with Markdown and characters to escape, like a real comment
    local body = "csrf=" .. urlencode(csrf)
        .. "&name=" .. urlencode("wrk " .. thread_id)
        .. "&body=" .. urlencode(string.format("Comment **%d** from wrk thread %d: 5 < 7 & \"quotes\", café 🙂",
            counter, thread_id))
    return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
    local e = summary.errors
    local line = string.format(
        "requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d mean_us=%.0f\n",
        summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
        latency:percentile(50), latency:percentile(99), latency.mean)
    if result then
        local f = io.open(result, "w")
        f:write(line)
        f:close()
    else
        io.write(line)
    end
end
