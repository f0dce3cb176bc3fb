using SockActors.Model.Memory;
using SockActors.Model.Msg;

namespace SockActors.Model.Net;

/// <summary>The sendpage hook of the original series (kernel/bpf/sockmap.c bpf_tcp_sendpage, linux-4.17 profile).</summary>
public static class TcpBpf417
{
    /// <summary>
    /// bpf_tcp_sendpage: add the page as one shared element (no copy; data pointers NULL until pulled), charge it,
    /// count the cork down by the page's size, run the verdict. A full ring does nothing and returns 0.
    /// </summary>
    public static async ValueTask<int> SendPageAsync(Sock sk, Page page, int offset, int size, int flags)
    {
        var psock = sk.Psock;
        if (psock is null) return await sk.TcpSendPageAsync(page, offset, size, flags);
        psock.RefCnt++;
        try
        {
            sk.SendAllocated = 0;
            var msg = psock.Cork ?? sk.RentTxMsg();
            if (msg.Full) return 0;
            // sk_msg_page_add + the shared bit
            page.Get();
            msg.Data[msg.End].EndMark = false; // sk_msg_page_add: sg_unmark_end(sge) ... sg_set_page
            msg.Data[msg.End].SetPage(page, size, offset);
            msg.SetCopy(msg.End, true);
            msg.Size += (uint)size;
            msg.End = SkMsg.Next(msg.End);
            sk.MemCharge(size);
            var st = new SendVerdictCall(sk, psock, flags) { Copied = size, Msg = msg };
            bool enospc = msg.Full;
            if (psock.CorkBytes != 0)
            {
                psock.CorkBytes = (uint)size > psock.CorkBytes ? 0 : psock.CorkBytes - (uint)size;
                if (psock.CorkBytes != 0 && !enospc) return st.Copied;
                psock.Eval = SkVerdict.None;
                psock.CorkBytes = 0;
            }
            int err = await sk.Kernel.Environment.SendVerdictAsync(st);
            return st.Copied != 0 ? st.Copied : err;
        }
        finally
        {
            SkPsockLife.Put(sk, psock);
        }
    }
}
