/* SPDX-License-Identifier: MIT */
/*
 * The numbers that scmi-sim and scmi-sim-ctl read from people: words of
 * control requests (and so of scenario steps) and command-line options.
 * One rule everywhere: decimal, or hex after "0x" (or "0X"), and nothing
 * after the digits. A leading zero is decimal ("0100" is one hundred),
 * never octal; no blanks, no '+'.
 */
#ifndef SIM_NUMBER_H
#define SIM_NUMBER_H

#include <stdint.h>

/*
 * Unsigned: no sign, at most @max. Signed: an optional '-', within
 * [@lo, @hi]. 0, or -EINVAL (and *@v untouched).
 */
int sim_parse_unsigned(const char *s, uint64_t max, uint64_t *v);
int sim_parse_signed(const char *s, int64_t lo, int64_t hi, int64_t *v);

/* sim_parse_unsigned() into a uint32_t. */
int sim_parse_u32(const char *s, uint32_t *v);

#endif /* SIM_NUMBER_H */
