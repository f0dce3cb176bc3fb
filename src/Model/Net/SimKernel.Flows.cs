namespace SockActors.Model.Net;

// The byte-flow observer seam of the simulated kernel: tcp_bpf.c and the TCP send path report where bytes went.
public sealed partial class SimKernel
{
    /// <summary>Every step of the byte flow of this kernel's send paths, in order (see <see cref="ByteFlowEvent"/>).</summary>
    public event Action<ByteFlowEvent>? BytesMoved;

    internal void EmitBytesMoved(Sock sk, ByteFlowKind kind, long bytes)
    {
        if (bytes > 0) BytesMoved?.Invoke(new ByteFlowEvent(sk.Id, sk.Name, kind, bytes, NowNs));
    }
}
