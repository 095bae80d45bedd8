/* output/report.c — look-ups on the plain report. */
#include "output/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *out_clock(char *buf, size_t len, double minutes)
{
    long m = lround(minutes);
    snprintf(buf, len, "%02ld:%02ld", m / 60 % 100, m % 60);
    return buf;
}

const struct out_metric *out_report_metric(const struct out_scope *sc, const char *name)
{
    for (size_t i = 0; i < sc->nmetrics; i++)
        if (strcmp(sc->metrics[i].name, name) == 0)
            return &sc->metrics[i];
    return NULL;
}
