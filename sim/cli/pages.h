/* sim/cli/pages.h — the pages cxsim serve delivers, compiled into the
 * program from the HTML files of sim/cli/pages (support/embed.sh): a team's page, the
 * facilitator's board and the live day. Each is self-contained HTML with its script
 * inline; nothing is fetched from outside.
 */
#ifndef CLI_PAGES_H
#define CLI_PAGES_H

#include <stddef.h>

extern const unsigned char cli_page_team[];
extern const size_t cli_page_team_len;
extern const unsigned char cli_page_board[];
extern const size_t cli_page_board_len;
extern const unsigned char cli_page_live[];
extern const size_t cli_page_live_len;

#endif
