/* models/describe.h — a scenario in plain words, for `cxsim check`: what
 * the file says, so a manager can see it says what they meant. */
#ifndef MDL_DESCRIBE_H
#define MDL_DESCRIBE_H

#include "models/plans.h"
#include "models/scenario.h"

#include <stdio.h>

/* Writes the description of s and of its plans p (NULL: none); returns
 * SIM_OK or SIM_EIO. */
int mdl_describe(const struct mdl_scenario *s, const struct mdl_plans *p, FILE *f, struct sim_err *err);

#endif
