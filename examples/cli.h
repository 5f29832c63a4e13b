/* SPDX-License-Identifier: MIT */
/*
 * What the example tools (scmi-monitor, scmi-raw) read from their command
 * lines alike: numbers, and protocols by name or number.
 */
#ifndef SCMI_EXAMPLES_CLI_H
#define SCMI_EXAMPLES_CLI_H

#include <stdbool.h>
#include <stdint.h>

/*
 * @s as an unsigned number (decimal, 0x hexadecimal or 0 octal, as
 * strtoull() base 0 reads it), whole and at most @max, into *@v. No sign
 * is taken. Returns whether it was one.
 */
bool cli_parse_u64(const char *s, uint64_t max, uint64_t *v);

/*
 * A protocol given as a number (0..255) or a name the library knows
 * (scmi_protocol_by_name(), any case): its id, or -1.
 */
int cli_protocol(const char *s);

#endif /* SCMI_EXAMPLES_CLI_H */
