/* SPDX-License-Identifier: MIT */
/*
 * What the fuzzers share: the libFuzzer entry point each fuzz-*.c defines
 * (its only function), and the helpers some of them need.
 */
#ifndef SCMI_FUZZ_H
#define SCMI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A cursor over the fuzz input. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v = 0;

	if (in->n) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

static inline uint32_t fuzz_u16(struct fuzz_in *in)
{
	uint32_t lo = fuzz_u8(in);

	return lo | (uint32_t)fuzz_u8(in) << 8;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t lo = fuzz_u16(in);

	return lo | fuzz_u16(in) << 16;
}

/* ---- fuzz-reports: a fake agent (fake-agent.c) -------------------------- */

struct scmi_agent;

/*
 * A fake agent whose every command is answered from @in: one byte picks the
 * status (below 0xF0: SUCCESS; else -(byte & 0xF)), one the number of return
 * bytes, then those bytes; an empty @in answers -ETIMEDOUT.
 */
struct scmi_agent *fake_agent_get(struct fuzz_in *in);

/* ---- fuzz-sim-*: the simulator's state (sim-setup.c) -------------------- */

struct sim_agent;

/* agents_init() once, then the default topology afresh. */
void fuzz_sim_reset(void);

/* A fresh agent of the simulator's, not in its table (no session). */
struct sim_agent *fuzz_sim_agent_new(void);
void fuzz_sim_agent_free(struct sim_agent *a);

#endif /* SCMI_FUZZ_H */
