/* tests/writeutil.h — running a writer of output/ on a report built by a
 * test, into a string (open_memstream), asserting that it succeeds. */
#ifndef CXSIM_TEST_WRITEUTIL_H
#define CXSIM_TEST_WRITEUTIL_H

#include "tests/testutil.h"

#include "output/report.h"
#include "sim/err.h"

typedef int (*test_writer_fn)(const struct out_report *, FILE *, struct sim_err *);

/* Writes r with fn into a new string (the caller frees it); *len its length. */
static inline char *test_write(test_writer_fn fn, const struct out_report *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(fn(r, f, &err), SIM_OK);
    fclose(f);
    return buf;
}

#endif
