# support/trace2log.awk — one simulated day's event log, as
# `cxsim trace SCENARIO --day K --format csv` writes it, turned into the
# business's records of visits that `cxsim fit` and `cxsim validate` read
# (spec §5): one row per visit to a department,
#
#     visit,department,arrived,started,ended,class,outcome,staff
#
# usage: awk -v date=YYYY-MM-DD [-v header=0] -f support/trace2log.awk TRACE.csv
#
# The day is `date`; a trace's times are minutes after its midnight (or after
# the start, for a steady-state scenario), so a time past 24:00 falls on the
# days after it. A time is the trace's clock, already rounded to the second
# (ISO 8601: 2026-11-02T09:16:02). `visit` is date/customer
# (2026-11-02/buyer#17): the same on every row of one journey, unique across
# days. Rows come in order of arrival (ties: in the trace's order); header=0
# leaves out the header line (to append days). Lines end with CRLF, as the
# program's own CSV does. Plain POSIX awk: mawk and gawk print the same.
#
# What each event of the trace becomes:
#   arrive      a new row: arrived. Walking to the next desk is no row: it is
#               the gap between one row's ended and the next row's arrived.
#   start       started; staff: the name of who serves.
#   finish      ended; outcome served.
#   renege      ended (when the customer gave up); outcome reneged.
#   balk        ended = arrived; outcome balked.
#   block       ended = arrived; outcome blocked (no waiting place left).
#   sent_home   (after_close: leave) ended = the closing time, outcome left
#               empty: no word of the log says "sent home at closing", and
#               reneged would be false (a fit should treat the row as cut
#               short, not as patience spent). A customer walking to the
#               next desk has no visit open: nothing to write. The request
#               a customer was held for (below) ends with it, the same way:
#               the trace has no event of its own for that.
# An internal request (a sales manager queueing at credit as a credit_check
# while the buyer waits at the sales desk) is a visit of its own, class the
# request's (credit_check#3), arrived, started, ended like any other; the
# buyer's row at sales spans the whole held service, so its started..ended
# includes the wait for the answer. Internal customers (paperwork) are rows
# like external ones.
#
# Left out: request and resume (the request's own row tells them), exit (the
# journey's last row), and the business's own events: open, close, staff,
# shift_start, shift_end, break, back, stays (a late break names the
# customer finished first, but it is a staff event).
#
# Customers still inside at the end of the day: with after_close: serve they
# are served after closing, and their rows hold those later times. A visit
# still open when the trace ends (a steady-state run's last customers, a run
# stopped at max_in_system) is written with ended and outcome empty.
#
# staff: the trace's name for who served. People on shifts and pool members
# have their own names, different across the business, so a floater's name
# shows at each desk it helps. A department staffed by a plain head count has
# a name per desk (the k-th name is its k-th desk, the lowest free desk
# serves): a counter's label, not a person, so it tells how many served at
# once but nothing of who had lunch when.

function fail(msg) {
    printf "trace2log: %s\n", msg > "/dev/stderr"
    failed = 1
    exit 65
}

function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

# The date n days after `date` (YYYY-MM-DD), counted from it day by day.
function date_plus(n,    y, m, d, len) {
    y = substr(date, 1, 4) + 0; m = substr(date, 6, 2) + 0; d = substr(date, 9, 2) + 0
    for (; n > 0; n--) {
        len = m == 2 ? 28 + leap(y) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
        if (++d > len) { d = 1; if (++m > 12) { m = 1; y++ } }
    }
    return sprintf("%04d-%02d-%02d", y, m, d)
}

# The trace's clock (H:MM:SS, hours past 23 on later days) as an ISO
# date-time.
function iso(clock,    p, s, day) {
    if (split(clock, p, ":") != 3)
        fail("line " NR ": not a clock: " clock)
    s = p[1] * 3600 + p[2] * 60 + p[3]
    day = int(s / 86400)
    if (!(day in dates))
        dates[day] = date_plus(day)
    s -= day * 86400
    return sprintf("%sT%02d:%02d:%02d", dates[day], int(s / 3600), int(s / 60) % 60, s % 60)
}

# Closes the visit customer c has open, at `at`, with outcome `how`.
function close_visit(c, at, how,    k) {
    k = open[c]
    ended[k] = at
    outcome[k] = how
    delete open[c]
}

BEGIN {
    FS = ","
    ORS = "\r\n"
    if (date !~ /^[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]$/)
        fail("give the day's date: awk -v date=YYYY-MM-DD -f trace2log.awk TRACE.csv")
    dates[0] = date
}

{ sub(/\r$/, "") }

NR == 1 {
    for (i = 1; i <= NF; i++)
        col[$i] = i
    if (!("clock" in col) || !("customer" in col) || !("class" in col) || !("department" in col) ||
        !("event" in col) || !("staff" in col) || !("related" in col))
        fail("the first line is not the header of cxsim trace --format csv")
    C = col["customer"]; E = col["event"]
    next
}

$C == "" { next }   # the business's own events: open, close, staff

$E == "arrive" {
    n++
    visit[n] = date "/" $C
    dept[n] = $col["department"]
    arrived[n] = iso($col["clock"])
    cls[n] = $col["class"]
    open[$C] = n
    if ($col["related"] != "")   # a request: ends with its customer if sent home
        request_of[$col["related"]] = $C
    next
}

!($C in open) { next }   # (sent home while walking: its last visit has ended)

$E == "start" { started[open[$C]] = iso($col["clock"]); staff[open[$C]] = $col["staff"]; next }
$E == "finish" { close_visit($C, iso($col["clock"]), "served"); next }
$E == "renege" { close_visit($C, iso($col["clock"]), "reneged"); next }
$E == "balk" { close_visit($C, iso($col["clock"]), "balked"); next }
$E == "block" { close_visit($C, iso($col["clock"]), "blocked"); next }
$E == "sent_home" {
    at = iso($col["clock"])
    close_visit($C, at, "")
    if (($C in request_of) && (request_of[$C] in open))
        close_visit(request_of[$C], at, "")
    next
}

END {
    if (failed)
        exit 65
    if (NR == 0)
        fail("no trace: the input is empty")
    if (header != "0")
        print "visit,department,arrived,started,ended,class,outcome,staff"
    for (k = 1; k <= n; k++)
        print visit[k] "," dept[k] "," arrived[k] "," started[k] "," ended[k] "," cls[k] "," outcome[k] "," staff[k]
}
