/* output/dist.c — text report of `cxsim dist`: a table of theory against
 * sample, then a horizontal bar histogram. Reads the struct only. */
#include "output/dist.h"

#include <errno.h>
#include <string.h>

#define BAR_WIDTH 40

int out_dist_write_text(const struct out_dist *r, FILE *f, struct sim_err *err)
{
    fprintf(f, "%s: %zu draws, seed %llu\n\n", r->title, r->draws, (unsigned long long)r->seed);
    fprintf(f, "            theory     sampled (95%% interval of the mean)\n");
    fprintf(f, "  mean  %10.3f  %10.3f  +/- %.3f min\n", r->theory_mean, r->mean, r->mean_half);
    fprintf(f, "  sd    %10.3f  %10.3f  min\n", r->theory_sd, r->sd);
    fprintf(f, "  min               %10.3f  min\n", r->min);
    fprintf(f, "  p50               %10.3f  min\n", r->p50);
    fprintf(f, "  p90               %10.3f  min\n", r->p90);
    fprintf(f, "  p95               %10.3f  min\n", r->p95);
    fprintf(f, "  p99               %10.3f  min\n", r->p99);
    fprintf(f, "  max               %10.3f  min\n\n", r->max);

    size_t top = 1;
    for (size_t i = 0; i < r->nbins; i++)
        if (r->counts[i] > top)
            top = r->counts[i];
    char label[64];
    for (size_t i = 0; i < r->nbins; i++) {
        int len = (int)((double)r->counts[i] * BAR_WIDTH / (double)top + 0.5);
        snprintf(label, sizeof label, "%.4g - %.4g min", (double)i * r->bin_width,
                 (double)(i + 1) * r->bin_width);
        fprintf(f, "  %22s |%-*.*s %5.1f%%\n", label, BAR_WIDTH, len,
                "########################################",
                100.0 * (double)r->counts[i] / (double)r->draws);
    }
    if (r->above) {
        snprintf(label, sizeof label, "%.4g min and more", (double)r->nbins * r->bin_width);
        fprintf(f, "  %22s |%*s %5.1f%%\n", label, BAR_WIDTH, "",
                100.0 * (double)r->above / (double)r->draws);
    }
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
