// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario program of shared/conformance/README.md ("The program, on every run, in this order"), as an SK_MSG
 * BPF object. One object serves the live kernel (sockactors conformance --kernel) and the simulation's BPF VM
 * (sockactors scenario --program). Built by clang's BPF target at build/test time; never committed as a binary.
 *
 * Self-contained on purpose: it declares the few uapi types and helper ids it needs instead of including
 * <bpf/bpf_helpers.h>, so it compiles with nothing but clang.
 */
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef unsigned char __u8;

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

enum { BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_SOCKMAP = 15 };
enum { SK_DROP = 0, SK_PASS = 1 };
#define BPF_F_INGRESS 1

struct sk_msg_md {
	union { void *data; __u64 :64; };
	union { void *data_end; __u64 :64; };
	__u32 family;
	__u32 remote_ip4;
	__u32 local_ip4;
	__u32 remote_ip6[4];
	__u32 local_ip6[4];
	__u32 remote_port;
	__u32 local_port;
	__u32 size;
};

/* Helper ids from include/uapi/linux/bpf.h (__BPF_FUNC_MAPPER). */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_msg_redirect_map)(struct sk_msg_md *msg, void *map, __u32 key, __u64 flags) = (void *)60;
static long (*bpf_msg_apply_bytes)(struct sk_msg_md *msg, __u32 bytes) = (void *)61;
static long (*bpf_msg_cork_bytes)(struct sk_msg_md *msg, __u32 bytes) = (void *)62;
static long (*bpf_msg_pull_data)(struct sk_msg_md *msg, __u32 start, __u32 end, __u64 flags) = (void *)63;
static long (*bpf_msg_push_data)(struct sk_msg_md *msg, __u32 start, __u32 len, __u64 flags) = (void *)90;
static long (*bpf_msg_pop_data)(struct sk_msg_md *msg, __u32 start, __u32 len, __u64 flags) = (void *)91;

struct cfg {
	__u32 action;       /* 0 pass, 1 drop, 2 redirect */
	__u32 redir_key;
	__u32 ingress;
	__u32 apply;
	__u32 cork;
	__u32 pull_start;
	__u32 pull_end;
	__u32 push_start;
	__u32 push_len;
	__u32 pop_start;
	__u32 pop_len;
	__u32 drop_every;
};

struct run {
	__u32 size, len;
	__s32 apply_rc, cork_rc, pull_rc, push_rc, pop_rc;
	__u32 verdict;
	__u8 first[8];
};

#define MAX_ROWS 256

struct trace {
	__u32 n;
	struct run rows[MAX_ROWS + 1]; /* row MAX_ROWS is scratch space for runs past the first 256 */
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} sock_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cfg);
} cfg_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct trace);
} trace_map SEC(".maps");

SEC("sk_msg")
int sk_msg_scenario(struct sk_msg_md *msg)
{
	__u32 zero = 0;
	struct cfg *cfg = bpf_map_lookup_elem(&cfg_map, &zero);
	struct trace *tr = bpf_map_lookup_elem(&trace_map, &zero);
	struct run *row;
	__u32 index, slot;
	long rc;

	if (!cfg || !tr)
		return SK_DROP;

	index = tr->n;
	slot = index < MAX_ROWS ? index : MAX_ROWS;
	row = &tr->rows[slot];
	tr->n = index + 1;

	/* 1. record size */
	row->size = msg->size;
	row->apply_rc = 0;
	row->cork_rc = 0;
	row->pull_rc = 0;
	row->push_rc = 0;
	row->pop_rc = 0;

	/* 2. apply, cork */
	if (cfg->apply)
		row->apply_rc = bpf_msg_apply_bytes(msg, cfg->apply);
	if (cfg->cork)
		row->cork_rc = bpf_msg_cork_bytes(msg, cfg->cork);
	/* 3. pull */
	if (cfg->pull_end)
		row->pull_rc = bpf_msg_pull_data(msg, cfg->pull_start, cfg->pull_end, 0);
	/* 4. push */
	if (cfg->push_len)
		row->push_rc = bpf_msg_push_data(msg, cfg->push_start, cfg->push_len, 0);
	/* 5. pop */
	if (cfg->pop_len)
		row->pop_rc = bpf_msg_pop_data(msg, cfg->pop_start, cfg->pop_len, 0);

	/* 6. len = data_end - data, and the first 8 bytes of the window if it has 8 */
	{
		__u8 *data = msg->data;
		__u8 *data_end = msg->data_end;
		row->len = (__u32)(data_end - data);
		if (data + 8 <= data_end) {
			for (int k = 0; k < 8; k++)
				row->first[k] = data[k];
		} else {
			for (int k = 0; k < 8; k++)
				row->first[k] = 0;
		}
	}

	/* 7. verdict */
	if (cfg->action == 1 ||
	    (cfg->drop_every > 0 && (index % cfg->drop_every) == cfg->drop_every - 1)) {
		row->verdict = SK_DROP;
		return SK_DROP;
	}
	if (cfg->action == 2) {
		rc = bpf_msg_redirect_map(msg, &sock_map, cfg->redir_key, cfg->ingress ? BPF_F_INGRESS : 0);
		row->verdict = (__u32)rc;
		return (int)rc;
	}
	row->verdict = SK_PASS;
	return SK_PASS;
}

char _license[] SEC("license") = "GPL";
