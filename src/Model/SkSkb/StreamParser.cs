using SockActors.Model.Msg;
using SockActors.Model.Net;
using SockActors.Model.Programs;

namespace SockActors.Model.SkSkb;

/// <summary>
/// struct strparser in receive-callback mode for a psock (net/strparser/strparser.c, with skmsg.c's callbacks:
/// parse_msg = sk_psock_strp_parse, rcv_msg = sk_psock_strp_read, the default abort). Each skb the socket receives
/// goes through <see cref="Recv"/> (__strp_recv); the parser program sees the message's head skb, which for a message
/// that began inside an skb still starts at that skb's first byte (skb->len counts the bytes before the message:
/// stm->strp.offset is not applied to what the program sees).
/// <para>When a message's length is known but the rest of it has not arrived, __strp_recv sets need_bytes and stops
/// reading; strp_data_ready then leaves what arrives in the TCP receive queue until need_bytes are there, and reads
/// it all at once (<see cref="NeedBytes"/>). Held skbs coalesce in the receive queue (tcp_try_coalesce), so the next
/// message's head skb can be longer than any one send: the model reads all held bytes as one skb (up to the MSS).
/// The kernel merges only where the tail skb is no longer shared with the sender (its ACK came back), which the model
/// does not follow: there the kernel's head skbs can be shorter (docs/conformance.md, "The receive half").</para>
/// </summary>
public sealed class StreamParser
{
    private SkBuff? _head;
    private int _accumLen;
    private int _fullLen;
    private int _offset;

    /// <summary>strp->stopped: set by an abort (parser error); a stopped parser reads nothing more.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Bytes of the message being assembled (stm->accum_len).</summary>
    public int AccumulatedBytes => _head is null ? 0 : _accumLen;

    /// <summary>strp->need_bytes: bytes the message being assembled still needs; while the receive queue holds fewer,
    /// strp_data_ready does not read (0: read whatever arrives).</summary>
    public int NeedBytes { get; private set; }

    /// <summary>Messages handed to the verdict so far (strp->stats.msgs).</summary>
    public long Messages { get; private set; }

    /// <summary>
    /// __strp_recv for one skb at offset 0 (tcp_read_sock's recv actor): cut messages out of the stream with the
    /// parser and hand each to sk_psock_strp_read. Returns the bytes eaten; fewer than <paramref name="orig"/> holds
    /// only after a parser error, and the rest stays in the socket's receive queue.
    /// </summary>
    internal int Recv(Sock sk, SkPsock psock, SkBuff orig)
    {
        if (Stopped) return 0;
        int origLen = orig.Len;
        int eaten = 0;
        while (eaten < origLen)
        {
            int candLen = origLen - eaten;
            if (_head is null)
            {
                // A new message: the head is a clone of the whole skb; the message starts at orig_offset + eaten.
                _head = orig.Clone();
                _accumLen = 0;
                _fullLen = 0;
                _offset = eaten;
            }
            else
            {
                _head.Append(orig);
            }

            if (_fullLen == 0)
            {
                long len = Parse(sk, psock, _head);
                if (len == 0)
                {
                    // "Need more header to determine length"
                    NeedBytes = 0;
                    _accumLen += candLen;
                    eaten += candLen;
                    break;
                }
                if (len < 0)
                {
                    if (len == -Errno.ESTRPIPE && _accumLen > 0) len = -Errno.ENODATA;
                    ParserError(sk, (int)len);
                    break;
                }
                if (len > sk.SkRcvbuf)
                {
                    // "Message length exceeds maximum allowed" (max_msg_size = sk->sk_rcvbuf)
                    ParserError(sk, -Errno.EMSGSIZE);
                    break;
                }
                if (len <= _head.Len - origLen - _offset)
                {
                    // "Length must be into new skb (and also greater than zero)"
                    ParserError(sk, -Errno.EPROTO);
                    break;
                }
                _fullLen = (int)len;
            }

            long extra = (long)_accumLen + candLen - _fullLen;
            if (extra < 0)
            {
                // Message not complete yet: "Don't have the whole message in the socket buffer. Set strp->need_bytes
                // to wait for the rest of the message."
                _accumLen += candLen;
                eaten += candLen;
                NeedBytes = _fullLen - _accumLen;
                break;
            }
            NeedBytes = 0;
            eaten += candLen - (int)extra;

            // "Hurray, we have a new message!"
            var msg = _head;
            msg.StrpOffset = _offset;
            msg.StrpFullLen = _fullLen;
            _head = null;
            Messages++;
            SkPsockRx.StrpRead(sk, msg);
        }
        return eaten;
    }

    /// <summary>sk_psock_strp_parse: the parser program's r0, or skb->len when the psock has no parser.</summary>
    private static long Parse(Sock sk, SkPsock psock, SkBuff head)
    {
        if (psock.Progs.StreamParser is not ISkSkbProgram prog) return head.Len;
        head.Sk = sk; // skb->sk = psock->sk for the run, NULL again after
        int rc = SkSkbProgramContext.Run(sk, prog, head, onFault: 0);
        head.Sk = null;
        return rc;
    }

    /// <summary>strp_parser_err + strp_abort_strp: the message so far is freed, the parser stops for good and the
    /// error is reported on the socket (sk->sk_err = -err).</summary>
    private void ParserError(Sock sk, int err)
    {
        NeedBytes = 0;
        _head?.ReleasePages();
        _head = null;
        _accumLen = _fullLen = _offset = 0;
        if (Stopped) return;
        Stopped = true;
        sk.Err = -err;
        sk.Kernel.EmitTrace($"{sk.Name}: strparser aborted with {Errno.Name(err)}");
    }

    /// <summary>strp_stop + strp_done: the partial message is freed.</summary>
    internal void Done()
    {
        Stopped = true;
        _head?.ReleasePages();
        _head = null;
    }
}
