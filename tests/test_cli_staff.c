/* tests/test_cli_staff.c — staff as people through the program (issue
 * 19): check prints the roster and the head count shifts give; trace names
 * each person and shift and says when a break was late and why; run reports
 * each pool (text, JSON, CSV); compare says what a longer shift changes;
 * relative changes reach each shift's count. */
#include "tests/testutil.h"
#include "tests/clirun.h"

#define TMP(name) CXSIM_TEST_TMP "/staff-" name

static const char shop[] =
    "name: Shifts\nseed: 1\nreplications: 10\nday: {open: \"09:00\", close: \"18:00\"}\n"
    "departments:\n  reception:\n    shifts:\n"
    "      - {name: early, start: \"08:30\", end: \"16:30\", count: 1, break: {at: \"12:00\", length: 30}}\n"
    "      - {name: late, start: \"10:00\", end: \"18:00\", count: 1, break: {from: \"12:30\", to: \"14:00\", "
    "length: 30}}\n"
    "    cost_per_hour: 30\n    service: {dist: exponential, mean: 4}\n"
    "  insurance: {staff: 1, service: {dist: exponential, mean: 8}}\n"
    "pools:\n  floater: {serves: [insurance, reception], staff: 1, cost_per_hour: 32}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 12}, enter: reception, route: {reception: {insurance: 0.5, "
    "exit: 0.5}}}\n"
    "variants:\n  - name: late stays to 18:30\n    set: {departments.reception.shifts.1.end: \"18:30\"}\n";

static void cli_staff_check_prints_roster_and_head_count(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("shop.yaml"), shop);
    run(&r, "check " TMP("shop.yaml"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "reception: head count 1 from 09:00, 2 from 10:00, 1 from 12:00, 2 from 12:30, "
                                  "1 from 16:30;"));
    assert_non_null(strstr(r.out, "    shift early: 08:30 to 16:30, 1 person; 30-minute break at 12:00\n"));
    assert_non_null(strstr(r.out, "    shift late: 10:00 to 18:00, 1 person; 30-minute break between 12:30 and 14:00\n"));
    assert_non_null(strstr(r.out, "    breaks are not paid; a break in a window"));
    assert_non_null(strstr(r.out, "Pools (cross-trained staff)\n  floater: serves insurance, then reception"));
    /* a relative change reaches each shift's count */
    run(&r, "check " TMP("shop.yaml") " --set departments.reception.shifts+=1");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "    shift early: 08:30 to 16:30, 2 people;"));
    assert_non_null(strstr(r.out, "reception: head count 2 from 09:00, 4 from 10:00,"));
}

static void cli_staff_trace_names_people_shifts_and_breaks(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("shop.yaml"), shop);
    run(&r, "trace " TMP("shop.yaml"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "09:00  reception: Ann (early) comes on duty\n"));
    assert_non_null(strstr(r.out, "10:00  reception: Ben (late) comes on duty\n"));
    assert_non_null(strstr(r.out, "reception: Ann (early) goes on a 30-minute break"));
    assert_non_null(strstr(r.out, "reception: Ben (late) is back from the break\n"));
    assert_non_null(strstr(r.out, "reception: Ann (early) goes home"));
    run(&r, "trace " TMP("shop.yaml") " --format csv");
    assert_non_null(strstr(r.out, "event,staff,related,to,duration,walk,count,score,shift\r\n"));
    assert_non_null(strstr(r.out, ",reception,shift_start,Ann,,,,,1,,early\r\n"));
    /* a late break says why: a day of this scenario where Ann was serving at 12:00 */
    bool late = false;
    for (int day = 1; day <= 10 && !late; day++) {
        char args[256];
        snprintf(args, sizeof args, "trace %s --day %d", TMP("shop.yaml"), day);
        run(&r, args);
        late = strstr(r.out, "min late: finished walkin #") != NULL;
    }
    assert_true(late);
}

static void cli_staff_pools_are_reported(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("shop.yaml"), shop);
    run(&r, "run " TMP("shop.yaml"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\nPools        staff busy"));
    assert_non_null(strstr(r.out, "  floater's busy time went to insurance "));
    json_t *doc = run_json("run " TMP("shop.yaml") " --format json");
    json_t *floater = json_object_get(json_object_get(json_array_get(json_object_get(doc, "plans"), 0), "pools"),
                                      "floater");
    assert_non_null(floater);
    double u = json_real_value(json_object_get(json_object_get(floater, "utilization"), "mean"));
    json_t *at = json_object_get(floater, "time_at");
    double a = json_real_value(json_object_get(json_object_get(at, "insurance"), "mean"));
    double b = json_real_value(json_object_get(json_object_get(at, "reception"), "mean"));
    assert_true(u > 0 && u < 1);
    assert_near(a + b, 1, 1e-9);   /* its busy time, all of it, went somewhere */
    json_decref(doc);
    run(&r, "run " TMP("shop.yaml") " --format csv");
    assert_non_null(strstr(r.out, "\nbaseline,pool,floater,utilization,"));
    assert_non_null(strstr(r.out, "\nbaseline,pool,floater,time_at.reception,"));
}

static void cli_staff_longer_shift_costs_more_and_nothing_else(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("shop.yaml"), shop);
    /* the late shift runs past closing: its person stays, and is paid, to its end */
    run(&r, "compare " TMP("shop.yaml"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "late stays to 18:30: waits unchanged, drop-outs unchanged, satisfaction "
                                  "unchanged, staff cost\n    +"));
    assert_non_null(strstr(r.out, "the same for customers, but dearer: total cost +"));
    unlink(TMP("shop.yaml"));
}

TEST_TABLE(test_cli_staff, cmocka_unit_test(cli_staff_check_prints_roster_and_head_count),
           cmocka_unit_test(cli_staff_trace_names_people_shifts_and_breaks),
           cmocka_unit_test(cli_staff_pools_are_reported),
           cmocka_unit_test(cli_staff_longer_shift_costs_more_and_nothing_else))
