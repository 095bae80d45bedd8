/* sim/err.h — the one error type of cxsim.
 *
 * An error is a value: a code, an optional source location and a message.
 * Codes are the process exit codes of spec §6, so sim/cli/main.c can exit with
 * err.code directly. Setting an error returns its code, so failing is one line:
 *
 *     if (sd < 0) return sim_err_set(err, SIM_EDATA, "sd must be >= 0");
 *
 * The first error wins: later sim_err_set calls on an error that is already
 * set change nothing, so the root cause is what the user sees. Only
 * sim/cli/main.c prints errors. Broken invariants are assertions, never errors;
 * running out of memory aborts (sim/mem.h) and is not an error either.
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define SIM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SIM_PRINTF(fmt, args)
#endif

enum sim_err_code {
    SIM_OK = 0,
    SIM_EUSAGE = 64,     /* bad command line */
    SIM_EDATA = 65,      /* bad scenario file or parameter */
    SIM_ENOINPUT = 66,   /* input file not found or unreadable */
    SIM_EINTERNAL = 70,  /* internal error */
    SIM_ECANTCREAT = 73, /* cannot create output */
    SIM_EIO = 74         /* write error */
};

struct sim_err {
    int code;           /* SIM_OK while no error has been set */
    char file[256];     /* "" when the error has no source file */
    int line, col;      /* 1-based; 0 when unknown */
    int arg;            /* index of the offending argument of the failing
                           call (for example a distribution parameter), or -1 */
    char msg[512];
};

/* Clears e to "no error". */
void sim_err_init(struct sim_err *e);

/* Sets code and message (printf format) unless an error is already set.
 * Returns e->code, which is the first error's code. */
int sim_err_set(struct sim_err *e, int code, const char *fmt, ...)
    SIM_PRINTF(3, 4);

/* Like sim_err_set, and records which argument of the call was wrong. */
int sim_err_set_arg(struct sim_err *e, int code, int arg, const char *fmt, ...)
    SIM_PRINTF(4, 5);

/* Gives the error a location if it has none yet (file may be NULL). */
void sim_err_locate(struct sim_err *e, const char *file, int line, int col);

/* Prints e as "FILE:LINE:COL: error: MESSAGE", then, when src (the text of
 * FILE, src_len bytes) holds that line, the line and a caret under the column.
 * Columns count UTF-8 characters; tabs in the line are kept in the caret line
 * so the caret stands under the right character. Without a location it
 * prints "PROG: error: MESSAGE". What a file holds reaches the terminal only
 * as printable text: control characters (bidirectional controls too) and
 * malformed UTF-8, in the name, the message or the line, print as '?'
 * (sim_err_text_char). A line over 160 characters is
 * shown as a window around the column, "..." marking the cuts. */
void sim_err_print(const struct sim_err *e, FILE *out, const char *prog,
                   const char *src, size_t src_len);

/* The same, given the text of e's line itself (line[0..len), without its
 * newline) rather than the whole file: for a file read as a stream, of
 * which only the offending line is kept. */
void sim_err_print_line(const struct sim_err *e, FILE *out, const char *prog, const char *line, size_t len);

/* What one character of a text is, to whoever reads it on a terminal or
 * in a report. */
enum sim_err_text {
    SIM_ERR_TEXT_PRINTABLE,   /* printable ASCII, a tab, or a well-formed
                                 UTF-8 sequence that is none of the below */
    SIM_ERR_TEXT_CONTROL,     /* a C0 or C1 control, DEL, or a bidirectional
                                 control (Unicode's Bidi_Control: U+061C,
                                 U+200E, U+200F, U+202A-U+202E,
                                 U+2066-U+2069), which shows the text around
                                 it in another order than it is written */
    SIM_ERR_TEXT_MALFORMED    /* a byte that starts no well-formed UTF-8
                                 sequence (stray, cut short, overlong, a
                                 surrogate, past U+10FFFF) */
};

/* The character at s (left > 0 bytes of it): returns its length in bytes,
 * 1 for a malformed byte, and sets *kind. The one rule for what may reach
 * a reader as it is: sim_err_print, the workshop's echo and the HTML
 * writer follow it. */
size_t sim_err_text_char(const char *s, size_t left, enum sim_err_text *kind);

/* Writes the NUL-terminated s as sim_err_print writes a message: printable
 * characters as they are, any other as one '?' (a line feed too). For
 * text a program prints back from its input. */
void sim_err_put_text(FILE *out, const char *s);

/* The candidate closest to `word` by edit distance when it is close enough
 * to be a likely typo (at most max(1, length/3) edits), else NULL: for
 * "unknown key 'staf'; did you mean 'staff'?". Words over 63 bytes get no
 * suggestion. */
const char *sim_err_suggest(const char *word, const char *const *cands, size_t ncands);

#endif
