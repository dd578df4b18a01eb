-- One wrk script for every row of bench/run, configured by environment variables:
--   BENCH_COOKIE   Cookie header, when the page handed the visitor a cookie (guests get none today)
--   BENCH_INM      If-None-Match header (the conditional-GET row)
--   BENCH_GZIP=1   Accept-Encoding: gzip, as every browser sends (the gzip rows); otherwise none is sent
--   BENCH_POST=1   the requests are comment POSTs, each with a different body, sent from BENCH_ORIGIN (a
--                  guest's form is accepted from Parley's own origin) with the form's token BENCH_CSRF if any
--   BENCH_GUEST=1  each POST as from a different guest, as compare.sh sends them: its own name, an email, its own
--                  client address (X-Forwarded-For, which Parley trusts from loopback), so that the spam checks
--                  read and record a history without holding any post back, and compare.sh's plain text
--   BENCH_AUTH     Authorization header (bench/citus reads the moderation queue with an API key)
--   BENCH_RESULT   file the summary line is written to (done() runs once, after all threads)
local function env(name) -- unset and empty are the same: "not given"
    local value = os.getenv(name)
    if value == "" then return nil end
    return value
end
local cookie = env("BENCH_COOKIE")
local inm = env("BENCH_INM")
local gzip = env("BENCH_GZIP") == "1"
local post = env("BENCH_POST") == "1"
local csrf = env("BENCH_CSRF")
local origin = env("BENCH_ORIGIN")
local result = env("BENCH_RESULT")
local auth = env("BENCH_AUTH")
local guest = env("BENCH_GUEST") == "1"

local counter = 0
-- the second this wrk started: a row's warm-up and its measured run send different texts (the spam checks of the
-- guest rows hold the same text posted twice within ten minutes)
local run = os.time()
thread_id = 0 -- set per thread by setup()
local next_thread = 0

function setup(thread)
    thread:set("thread_id", next_thread)
    next_thread = next_thread + 1
end

function init(args)
    if cookie then wrk.headers["Cookie"] = cookie end
    if inm then wrk.headers["If-None-Match"] = inm end
    if gzip then wrk.headers["Accept-Encoding"] = "gzip" end
    if auth then wrk.headers["Authorization"] = auth end
    if post then
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
        if origin then wrk.headers["Origin"] = origin end
    end
end

local function urlencode(s)
    return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
    if not post then
        return wrk.format()
    end
    counter = counter + 1
    local name = "wrk " .. thread_id
    local author = ""
    if guest then
        name = name .. "-" .. counter
        author = "&email=" .. urlencode("wrk" .. thread_id .. "-" .. counter .. "@example.org")
        wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", thread_id % 250, math.floor(counter / 250) % 250,
            counter % 250 + 1)
    end
    -- a different body every time: with Markdown and characters to escape, like a member's comment; a guest's is
    -- compare.sh's plain sentences of about three hundred characters, so the two rows cover both kinds of text
    local text
    if guest then
        text = string.format("This is a benchmark comment with a realistic length, about three hundred characters, "
            .. "so that the insert path does real work: validation, the duplicate check, the INSERT, the signals and "
            .. "the redirect. It says nothing interesting on purpose, but it says it at length and in full sentences. "
            .. "Run %d-%d-%d", run, thread_id, counter)
    else
        text = string.format("Comment **%d** from wrk thread %d of run %d: 5 < 7 & \"quotes\", café 🙂",
            counter, thread_id, run)
    end
    local body = (csrf and ("csrf=" .. urlencode(csrf) .. "&") or "")
        .. "name=" .. urlencode(name) .. author .. "&body=" .. urlencode(text)
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
