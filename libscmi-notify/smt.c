/* SPDX-License-Identifier: MIT */
/*
 * One SMT area: post a message, copy one out and validate the copy.
 * See smt.h for the rules; every word goes through word_load()/word_store()
 * (32-bit, little-endian on the wire, relaxed atomics so that the compiler
 * neither tears nor repeats an access) except channel_status, which uses
 * acquire/release.
 */
#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "smt.h"

static _Atomic uint32_t *word_at(const struct smt_area *a, size_t off)
{
	return (_Atomic uint32_t *)((uint8_t *)a->base + off);
}

/* The raw word (its bytes as they are in the area). */
static uint32_t word_load_raw(const struct smt_area *a, size_t off)
{
	return atomic_load_explicit(word_at(a, off), memory_order_relaxed);
}

static uint32_t word_load(const struct smt_area *a, size_t off)
{
	return le32toh(word_load_raw(a, off));
}

static void word_store_raw(const struct smt_area *a, size_t off, uint32_t raw)
{
	atomic_store_explicit(word_at(a, off), raw, memory_order_relaxed);
}

static void word_store(const struct smt_area *a, size_t off, uint32_t v)
{
	word_store_raw(a, off, htole32(v));
}

static int area_ok(const struct smt_area *a)
{
	if (!a || !a->base || ((uintptr_t)a->base & 3) || (a->size & 3) ||
	    a->size < SCMI_SMT_HEADER_SIZE)
		return -EINVAL;
	return 0;
}

uint32_t smt_get_status(const struct smt_area *a)
{
	return le32toh(atomic_load_explicit(
		word_at(a, SCMI_SMT_CHANNEL_STATUS), memory_order_acquire));
}

void smt_mark_free(const struct smt_area *a)
{
	atomic_store_explicit(word_at(a, SCMI_SMT_CHANNEL_STATUS),
			      htole32(SCMI_SMT_STATUS_FREE),
			      memory_order_release);
}

bool smt_release_p2a(const struct smt_area *a)
{
	smt_mark_free(a);
	/* pairs with the platform's fence between setting INTR and its
	 * re-read of channel_status (transport.h, P2A) */
	atomic_thread_fence(memory_order_seq_cst);
	return word_load(a, SCMI_SMT_FLAGS) & SCMI_SMT_FLAGS_INTR;
}

int smt_write(const struct smt_area *a, size_t max_payld, uint32_t flags,
	      uint32_t hdr, const void *payld, size_t payld_sz)
{
	const uint8_t *src = payld;
	size_t off;

	if (area_ok(a) || (!payld && payld_sz))
		return -EINVAL;
	if (payld_sz > max_payld ||
	    payld_sz > a->size - SCMI_SMT_HEADER_SIZE)
		return -ERANGE;

	word_store(a, SCMI_SMT_FLAGS, flags);
	word_store(a, SCMI_SMT_LENGTH, (uint32_t)(4 + payld_sz));
	word_store(a, SCMI_SMT_MSG_HEADER, hdr);
	/*
	 * Whole words: the area size and the payload offset are multiples of
	 * 4, so the padded last word is still inside the area.
	 */
	for (off = 0; off < payld_sz; off += 4) {
		size_t n = payld_sz - off < 4 ? payld_sz - off : 4;
		uint32_t raw = 0;

		memcpy(&raw, src + off, n);
		word_store_raw(a, SCMI_SMT_PAYLOAD + off, raw);
	}
	/* last: busy, release, so that everything above is visible first */
	atomic_store_explicit(word_at(a, SCMI_SMT_CHANNEL_STATUS), htole32(0),
			      memory_order_release);
	return 0;
}

static bool hdr_matches(const struct scmi_msg_hdr *h,
			const struct smt_expect *exp)
{
	if ((exp->match & SMT_MATCH_MSG_ID) && h->msg_id != exp->hdr.msg_id)
		return false;
	if ((exp->match & SMT_MATCH_TYPE) && h->type != exp->hdr.type)
		return false;
	if ((exp->match & SMT_MATCH_PROTO) && h->proto_id != exp->hdr.proto_id)
		return false;
	if ((exp->match & SMT_MATCH_TOKEN) && h->token != exp->hdr.token)
		return false;
	return true;
}

int smt_read(const struct smt_area *a, size_t max_payld,
	     const struct smt_expect *exp, void *buf, size_t buf_cap,
	     struct smt_msg *msg)
{
	uint8_t *dst = buf;
	uint32_t length;
	size_t off;

	if (!msg)
		return -EINVAL;
	memset(msg, 0, sizeof(*msg));
	if (area_ok(a) || buf_cap < max_payld || (!buf && buf_cap))
		return -EINVAL;

	msg->status = smt_get_status(a);
	if (msg->status & SCMI_SMT_STATUS_ERROR)
		return -ECOMM;

	/* each word once, into locals; only the copies are checked and used */
	msg->flags = word_load(a, SCMI_SMT_FLAGS);
	length = word_load(a, SCMI_SMT_LENGTH);
	if (length < 4)
		return -EPROTO;
	if (length - 4 > max_payld ||
	    length - 4 > a->size - SCMI_SMT_HEADER_SIZE)
		return -EPROTO;
	msg->payld_sz = length - 4;

	msg->hdr_word = word_load(a, SCMI_SMT_MSG_HEADER);
	if (scmi_hdr_unpack(msg->hdr_word, &msg->hdr))
		return -EPROTO;

	for (off = 0; off < msg->payld_sz; off += 4) {
		size_t n = msg->payld_sz - off < 4 ? msg->payld_sz - off : 4;
		uint32_t raw = word_load_raw(a, SCMI_SMT_PAYLOAD + off);

		memcpy(dst + off, &raw, n);
	}

	if (exp && !hdr_matches(&msg->hdr, exp))
		return -EPROTO;
	return 0;
}
