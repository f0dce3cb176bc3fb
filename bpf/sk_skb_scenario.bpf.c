// SPDX-License-Identifier: GPL-2.0
/*
 * The receive half of a conformance scenario (conformance/CONTRACT.md, "The receive half"): an SK_SKB stream parser,
 * an SK_SKB verdict and a SOCK_OPS program over the scenario's sock_map. The kernel driver loads this object next to
 * sk_msg_scenario.bpf.c and makes its sock_map the SK_MSG object's (bpf_map__reuse_fd), so the SK_MSG program and
 * these programs share one map. The C# twins are src/Model/Scenarios/ReceiveHalfPrograms.cs.
 *
 * Self-contained like sk_msg_scenario.bpf.c: the few uapi types and helper ids it needs are declared here.
 */
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

enum { BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_SOCKMAP = 15 };
enum { SK_DROP = 0, SK_PASS = 1 };
enum { BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB = 4, BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB = 5 };
#define BPF_F_INGRESS 1
#define BPF_ANY 0
#define NO_KEY 0xffffffffu
#define OTHER 255

/* The leading fields of struct __sk_buff and struct bpf_sock_ops (include/uapi/linux/bpf.h) up to local_port. */
struct __sk_buff {
	__u32 len, pkt_type, mark, queue_mapping, protocol, vlan_present, vlan_tci, vlan_proto, priority, ingress_ifindex,
	      ifindex, tc_index, cb[5], hash, tc_classid, data, data_end, napi_id;
	__u32 family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port;
};

struct bpf_sock_ops {
	__u32 op;
	union { __u32 args[4]; __u32 reply; __u32 replylong[4]; };
	__u32 family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port;
};

/* Helper ids from include/uapi/linux/bpf.h (__BPF_FUNC_MAPPER). */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_sock_map_update)(struct bpf_sock_ops *ops, void *map, void *key, __u64 flags) = (void *)53;
static long (*bpf_sk_redirect_map)(struct __sk_buff *skb, void *map, __u32 key, __u64 flags) = (void *)52;

struct skb_cfg {
	__u32 parser;       /* 0 none, 1 skb->len, 2 fixed frame */
	__s32 frame;
	__u32 verdict;      /* 0 none, 1 pass, 2 drop, 3 redirect */
	__u32 skb_verdict;  /* attached as BPF_SK_SKB_VERDICT (the harness reads this; the program does not) */
	__u32 redir_key;
	__u32 ingress;
	__u32 drop_every;
	__u32 port1, port2; /* the listeners of c1 <-> p1 and c2 <-> p2 (host order) */
	__u32 ops_key[4];   /* the SOCK_OPS program's key for c1, p1, c2, p2; NO_KEY: not inserted */
};

struct skb_row {
	__u32 sk;           /* 0 c1, 1 p1, 2 c2, 3 p2, 255 another socket */
	__u32 len;
	__s32 rc;
};

#define MAX_ROWS 256

struct rx_trace {
	__u32 parser_n, verdict_n;
	__u32 active, passive, updates, update_errors;
	struct skb_row parser_rows[MAX_ROWS + 1];  /* row MAX_ROWS is scratch space for runs past the first 256 */
	struct skb_row verdict_rows[MAX_ROWS + 1];
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
	__type(value, struct skb_cfg);
} skb_cfg_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rx_trace);
} rx_trace_map SEC(".maps");

static __u32 role(struct skb_cfg *cfg, __u32 local_port, __u32 remote_port_be)
{
	__u32 remote = __builtin_bswap32(remote_port_be);

	if (local_port == cfg->port1)
		return 1;
	if (local_port == cfg->port2)
		return 3;
	if (remote == cfg->port1)
		return 0;
	if (remote == cfg->port2)
		return 2;
	return OTHER;
}

SEC("sk_skb")
int skb_parser(struct __sk_buff *skb)
{
	/* Context fields are read before the helper calls, so that clang cannot merge a context load and a map-value
	 * load into one instruction (the verifier rejects "same insn cannot be used with different pointers"). */
	__u32 len = skb->len, local_port = skb->local_port, remote_port = skb->remote_port;
	__u32 zero = 0;
	struct skb_cfg *cfg = bpf_map_lookup_elem(&skb_cfg_map, &zero);
	struct rx_trace *tr = bpf_map_lookup_elem(&rx_trace_map, &zero);
	struct skb_row *row;
	__u32 index;
	int rc;

	if (!cfg || !tr)
		return 0;
	rc = cfg->parser == 2 ? cfg->frame : (int)len;
	index = tr->parser_n;
	tr->parser_n = index + 1;
	row = &tr->parser_rows[index < MAX_ROWS ? index : MAX_ROWS];
	row->sk = role(cfg, local_port, remote_port);
	row->len = len;
	row->rc = rc;
	return rc;
}

SEC("sk_skb")
int skb_verdict(struct __sk_buff *skb)
{
	__u32 len = skb->len, local_port = skb->local_port, remote_port = skb->remote_port;
	__u32 zero = 0;
	struct skb_cfg *cfg = bpf_map_lookup_elem(&skb_cfg_map, &zero);
	struct rx_trace *tr = bpf_map_lookup_elem(&rx_trace_map, &zero);
	struct skb_row *row;
	__u32 index;
	int rc;

	if (!cfg || !tr)
		return SK_DROP;
	index = tr->verdict_n;
	tr->verdict_n = index + 1;
	if (cfg->verdict == 2 || (cfg->drop_every > 0 && (index % cfg->drop_every) == cfg->drop_every - 1))
		rc = SK_DROP;
	else if (cfg->verdict == 3)
		rc = (int)bpf_sk_redirect_map(skb, &sock_map, cfg->redir_key, cfg->ingress ? BPF_F_INGRESS : 0);
	else
		rc = SK_PASS;
	row = &tr->verdict_rows[index < MAX_ROWS ? index : MAX_ROWS];
	row->sk = role(cfg, local_port, remote_port);
	row->len = len;
	row->rc = rc;
	return rc;
}

SEC("sockops")
int scenario_sockops(struct bpf_sock_ops *ops)
{
	__u32 op = ops->op, local_port = ops->local_port, remote_port = ops->remote_port;
	__u32 zero = 0;
	struct skb_cfg *cfg = bpf_map_lookup_elem(&skb_cfg_map, &zero);
	struct rx_trace *tr = bpf_map_lookup_elem(&rx_trace_map, &zero);
	__u32 r, key;
	int active;

	if (!cfg || !tr)
		return 1;
	if (op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB && op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	r = role(cfg, local_port, remote_port);
	if (r == OTHER)
		return 1;
	active = op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB;
	if (active != (r == 0 || r == 2))
		return 1;
	if (active)
		__sync_fetch_and_add(&tr->active, 1);
	else
		__sync_fetch_and_add(&tr->passive, 1);
	key = cfg->ops_key[r & 3];
	if (key == NO_KEY)
		return 1;
	if (bpf_sock_map_update(ops, &sock_map, &key, BPF_ANY) == 0)
		__sync_fetch_and_add(&tr->updates, 1);
	else
		__sync_fetch_and_add(&tr->update_errors, 1);
	return 1;
}

char _license[] SEC("license") = "GPL";
