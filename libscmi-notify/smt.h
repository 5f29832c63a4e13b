/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing one SMT area (include/scmi/wire.h): the only code of
 * the agent that touches a shared-memory area.
 *
 * Every access is a 32-bit little-endian access inside the area; the
 * channel_status word is read with acquire and written with release
 * ordering (C11 atomics on the mapped word), and it is the only thing that
 * orders the other words. The other side may change the area at any time,
 * so a message is read by copying each of its words out exactly once and
 * then validating the copy: nothing is ever read twice, and nothing read
 * is trusted before it is checked. No access ever falls outside the area.
 *
 * Waiting for FREE (or for a message) is the channel's job, not this one's.
 */
#ifndef SCMI_SMT_H
#define SCMI_SMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/wire.h>

/* One mapped area: base 4-byte aligned, size a multiple of 4. */
struct smt_area {
	void *base;
	size_t size;
};

/* Which fields of the header smt_read() must find equal to the expected. */
#define SMT_MATCH_MSG_ID (1u << 0)
#define SMT_MATCH_TYPE (1u << 1)
#define SMT_MATCH_PROTO (1u << 2)
#define SMT_MATCH_TOKEN (1u << 3)
#define SMT_MATCH_ALL                                                         \
	(SMT_MATCH_MSG_ID | SMT_MATCH_TYPE | SMT_MATCH_PROTO | SMT_MATCH_TOKEN)

struct smt_expect {
	struct scmi_msg_hdr hdr;
	unsigned int match; /* SMT_MATCH_* */
};

/* A message copied out of an area. */
struct smt_msg {
	uint32_t status;         /* channel_status as read (acquire) */
	uint32_t flags;
	uint32_t hdr_word;       /* msg_header as read */
	struct scmi_msg_hdr hdr; /* decoded */
	size_t payld_sz;         /* length - 4, bytes copied into the buffer */
};

/* The channel_status word, acquire load. */
uint32_t smt_get_status(const struct smt_area *a);

/* Set channel_status to FREE, release store: hand the area back. */
void smt_mark_free(const struct smt_area *a);

/*
 * Hand a received P2A message's area back: channel_status = FREE, a full
 * fence, then the flags word read: true when the platform asks for the
 * p2a_ack ring (include/scmi/transport.h, section 3, P2A).
 */
bool smt_release_p2a(const struct smt_area *a);

/*
 * Post a message: write flags, length (4 + @payld_sz), the header @hdr and
 * the payload (its last word zero-padded), then channel_status = 0 (busy)
 * last with a release store. The caller owns the area (it saw FREE).
 * Returns 0; -EINVAL a NULL or misaligned area, an area smaller than the
 * SMT header, NULL @payld with @payld_sz > 0; -ERANGE @payld_sz above
 * @max_payld or beyond the area (nothing is written).
 */
int smt_write(const struct smt_area *a, size_t max_payld, uint32_t flags,
	      uint32_t hdr, const void *payld, size_t payld_sz);

/*
 * Copy the message in the area into @msg and the @buf_cap bytes of @buf,
 * reading each word once, then validate the copy:
 *   -EINVAL  a NULL or misaligned area, an area smaller than the SMT
 *            header, or @buf_cap below @max_payld (caller bugs)
 *   -ECOMM   the area is marked CHANNEL_ERROR: the platform reports a
 *            transport error on this transfer (SCMI's COMMS_ERROR); the
 *            message itself is not read
 *   -EPROTO  length below 4 (no header), a payload (length - 4) above
 *            @max_payld or past the end of the area, reserved header bits
 *            or the reserved type 1, or a header field selected by
 *            @exp->match that differs from @exp->hdr (@exp may be NULL)
 * On -EPROTO for a header mismatch, @msg still holds what was read.
 * Returns 0 when the message is well formed.
 */
int smt_read(const struct smt_area *a, size_t max_payld,
	     const struct smt_expect *exp, void *buf, size_t buf_cap,
	     struct smt_msg *msg);

#endif /* SCMI_SMT_H */
