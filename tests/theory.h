/* tests/theory.h — exact values from queueing theory that more than one
 * test file checks the simulator against. Computed from the formulas here,
 * independently of the model. */
#ifndef CXSIM_TEST_THEORY_H
#define CXSIM_TEST_THEORY_H

/* Erlang C: the probability of waiting and the mean wait in the queue of
 * M/M/c with arrival rate lambda and service rate mu (lambda < c mu). */
static inline void theory_erlang_c(int c, double lambda, double mu, double *p_wait, double *wq)
{
    double a = lambda / mu, term = 1, sum = 1;
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    term *= a / c;
    double last = term / (1 - a / c);
    *p_wait = last / (sum + last);
    *wq = *p_wait / (c * mu - lambda);
}

#endif
