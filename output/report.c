/* output/report.c — look-ups on the plain report. */
#include "output/report.h"

#include <string.h>

const struct out_metric *out_report_metric(const struct out_scope *sc, const char *name)
{
    for (size_t i = 0; i < sc->nmetrics; i++)
        if (strcmp(sc->metrics[i].name, name) == 0)
            return &sc->metrics[i];
    return NULL;
}
