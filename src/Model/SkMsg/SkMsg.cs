using SockActors.Model.Memory;
using SockActors.Model.Net;

namespace SockActors.Model.Msg;

/// <summary>
/// struct sk_msg (include/linux/skmsg.h): a ring of scatterlist elements with start/curr/end indices, the byte count,
/// the copy cursor (curr + copybreak), the shared-page bitmap, the program's data window and the per-message
/// apply/cork/redirect fields that the helpers set. The ring has NR_MSG_FRAG_IDS = 18 slot ids of which at most
/// MAX_MSG_FRAGS = 17 are used, so end never meets start when the ring is full.
/// </summary>
public sealed class SkMsg
{
    /// <summary>MAX_MSG_FRAGS = MAX_SKB_FRAGS (CONFIG_MAX_SKB_FRAGS default 17).</summary>
    public const int MaxMsgFrags = 17;

    /// <summary>NR_MSG_FRAG_IDS = MAX_MSG_FRAGS + 1.</summary>
    public const int NrMsgFragIds = MaxMsgFrags + 1;

    /// <summary>data[MAX_MSG_FRAGS + 2]: one extra entry for chaining.</summary>
    public readonly ScatterlistEntry[] Data = new ScatterlistEntry[NrMsgFragIds + 1];

    /// <summary>sg.start: the slot id of the first element in use.</summary>
    public int Start;
    /// <summary>sg.curr: the slot id the copy cursor is in (sk_msg_memcopy_from_iter continues there).</summary>
    public int Curr;
    /// <summary>sg.end: the slot id after the last element in use.</summary>
    public int End;
    /// <summary>sg.size: bytes in the message.</summary>
    public uint Size;
    /// <summary>sg.copybreak: the copy cursor's offset in element <see cref="Curr"/>, in bytes.</summary>
    public uint Copybreak;

    /// <summary>sg.copy: bit i set = element i references a page shared with user space or the page cache.</summary>
    public uint CopyBits;

    /// <summary>msg->data / msg->data_end, as a page and a window in it; <see cref="DataPage"/> null means NULL.</summary>
    public Page? DataPage;
    /// <summary>msg->data: offset of the data window in <see cref="DataPage"/>.</summary>
    public int DataOffset;
    /// <summary>msg->data_end - msg->data: bytes in the data window.</summary>
    public int DataLength;

    /// <summary>msg->apply_bytes: what bpf_msg_apply_bytes set during this run (copied to the psock after it).</summary>
    public uint ApplyBytes;
    /// <summary>msg->cork_bytes: what bpf_msg_cork_bytes set during this run (copied to the psock after it).</summary>
    public uint CorkBytes;
    /// <summary>msg->flags: the redirect helper's flags (BPF_F_INGRESS).</summary>
    public uint Flags;
    /// <summary>msg->sk_redir: the socket the redirect helper chose, or null.</summary>
    public Sock? SkRedir;
    /// <summary>msg->sk: the socket the message is sent on (what the program's sk field points to).</summary>
    public Sock? Sk;

    /// <summary>4.17 profile: the map and key the redirect helper recorded, looked up after the program (do_msg_redirect_map).</summary>
    public object? RedirMap;
    /// <summary>4.17 profile: the key the redirect helper recorded in <see cref="RedirMap"/>.</summary>
    public uint RedirKey;

    /// <summary>sk_msg_init: zero everything, then sg_init_marker marks the last slot id (NR_MSG_FRAG_IDS - 1) as the end.</summary>
    public void Init()
    {
        Array.Clear(Data);
        Data[NrMsgFragIds - 1].EndMark = true;
        Start = Curr = End = 0;
        Size = Copybreak = CopyBits = 0;
        DataPage = null;
        DataOffset = DataLength = 0;
        ApplyBytes = CorkBytes = Flags = 0;
        SkRedir = null;
        Sk = null;
        RedirMap = null;
        RedirKey = 0;
        FromSkb = false;
        SkbCharge = 0;
        Skb = null;
    }

    /// <summary>msg->skb: the message carries a received skb (SK_SKB ingress), whose receive-memory charge
    /// (<see cref="SkbCharge"/>) is released when the message has been read (consume_skb in sk_msg_recvmsg).</summary>
    public bool FromSkb;
    /// <summary>Receive memory, in bytes, the skb of <see cref="FromSkb"/> is charged.</summary>
    public int SkbCharge;

    /// <summary>msg->skb: the received skb whose pages the message's data point at (released with the message).</summary>
    internal SkSkb.SkBuff? Skb;

    /// <summary>kzalloc: all zero, no end mark (bpf_tcp_ingress's new message).</summary>
    public void Clear()
    {
        Init();
        Data[NrMsgFragIds - 1].EndMark = false;
    }

    /// <summary>memcpy(dst, src, sizeof(struct sk_msg)): the cork takes over the whole struct, indices and all.</summary>
    public void CopyFrom(SkMsg src)
    {
        Array.Copy(src.Data, Data, Data.Length);
        Start = src.Start; Curr = src.Curr; End = src.End;
        Size = src.Size; Copybreak = src.Copybreak; CopyBits = src.CopyBits;
        DataPage = src.DataPage; DataOffset = src.DataOffset; DataLength = src.DataLength;
        ApplyBytes = src.ApplyBytes; CorkBytes = src.CorkBytes; Flags = src.Flags;
        SkRedir = src.SkRedir; Sk = src.Sk; RedirMap = src.RedirMap; RedirKey = src.RedirKey;
    }

    /// <summary>The element in slot <paramref name="i"/>, by reference (sk_msg_elem).</summary>
    public ref ScatterlistEntry Elem(int i) => ref Data[i];

    /// <summary>sk_msg_iter_var_next</summary>
    public static int Next(int i) => i + 1 == NrMsgFragIds ? 0 : i + 1;

    /// <summary>sk_msg_iter_var_prev</summary>
    public static int Prev(int i) => i == 0 ? NrMsgFragIds - 1 : i - 1;

    /// <summary>sk_msg_iter_dist</summary>
    public static int Dist(int start, int end) => end >= start ? end - start : end + (NrMsgFragIds - start);

    /// <summary>sk_msg_elem_used</summary>
    public int ElemUsed => Dist(Start, End);

    /// <summary>sk_msg_full</summary>
    public bool Full => Dist(Start, End) == MaxMsgFrags;

    /// <summary>test_bit(i, sg.copy): element <paramref name="i"/> is shared (the program sees no data pointer for it).</summary>
    public bool IsCopy(int i) => (CopyBits & (1u << i)) != 0;

    /// <summary>__set_bit / __clear_bit(i, sg.copy).</summary>
    public void SetCopy(int i, bool value)
    {
        if (value) CopyBits |= 1u << i; else CopyBits &= ~(1u << i);
    }

    /// <summary>The data window as the program sees it.</summary>
    public ArraySegment<byte> DataWindow
    {
        get
        {
            if (DataPage is null) return default;
            if (DataOffset >= 0 && DataOffset + DataLength <= DataPage.Buffer.Length)
                return new ArraySegment<byte>(DataPage.Buffer, DataOffset, DataLength);
            // An element that runs past its page (push_data's "rsge.offset += start" drift, see Page.Read): the kernel
            // still reports data_end - data = its length and reads whatever memory follows the page. The program gets
            // a window of that length holding what Page.Read gives; its writes there are lost, as the kernel's land
            // outside the message.
            var scratch = new byte[DataLength];
            DataPage.Read(DataOffset, scratch);
            return new ArraySegment<byte>(scratch);
        }
    }

    /// <summary>sk_msg_compute_data_pointers: data..data_end span the element at start (NULL if it is shared).</summary>
    public void ComputeDataPointers()
    {
        ref var sge = ref Data[Start];
        if (IsCopy(Start) || sge.Page is null)
        {
            DataPage = null;
            DataOffset = DataLength = 0;
        }
        else
        {
            DataPage = sge.Page;
            DataOffset = sge.Offset;
            DataLength = sge.Length;
        }
    }

    /// <summary>The used elements, slot by slot, with size, start, end and curr (for traces and failing tests).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        for (int i = Start; i != End; i = Next(i)) parts.Add($"{i}:{Data[i]}");
        return $"sk_msg(size {Size}, start {Start}, curr {Curr}+{Copybreak}, end {End}; {string.Join(" ", parts)})";
    }
}
