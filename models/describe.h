/* models/describe.h — a scenario in plain words, for `cxsim check`: what
 * the file says, so a manager can see it says what they meant. */
#ifndef MDL_DESCRIBE_H
#define MDL_DESCRIBE_H

#include "models/scenario.h"

#include <stdio.h>

/* Writes the description; returns SIM_OK or SIM_EIO. */
int mdl_describe(const struct mdl_scenario *s, FILE *f, struct sim_err *err);

#endif
