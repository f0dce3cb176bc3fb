namespace SockActors.Model.Maps;

/// <summary>The attach types a sockmap or sockhash accepts (enum bpf_attach_type).</summary>
public enum SockAttachType
{
    /// <summary>BPF_SK_SKB_STREAM_PARSER</summary>
    SkSkbStreamParser = 4,
    /// <summary>BPF_SK_SKB_STREAM_VERDICT</summary>
    SkSkbStreamVerdict = 5,
    /// <summary>BPF_SK_MSG_VERDICT</summary>
    SkMsgVerdict = 7,
    /// <summary>BPF_SK_SKB_VERDICT</summary>
    SkSkbVerdict = 38,
}
