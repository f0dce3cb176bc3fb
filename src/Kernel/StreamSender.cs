using SockActors.Kernel.Native;
using SockActors.Model.Scenarios;

namespace SockActors.Kernel;

/// <summary>
/// c1's side of a scenario: each send is one sendmsg (split into <c>iov</c> vectors of len/iov bytes, the last taking
/// the remainder) or one sendfile from a file holding the stream pattern, at the stream's current offset. The stream
/// advances by r after a send that returned r &gt; 0 and by the send's length after a failure (contract, "The data").
/// </summary>
internal sealed unsafe class StreamSender : IDisposable
{
    private readonly int _fd;
    private readonly Scenario _scenario;
    private readonly string? _filePath;
    private int _fileFd = -1;
    private long _offset;

    public StreamSender(int fd, Scenario scenario)
    {
        _fd = fd;
        _scenario = scenario;
        if (scenario.Mode == SendMode.SendFile)
        {
            _filePath = Path.Combine(Path.GetTempPath(), $"sockactors-stream-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
            WritePatternFile(_filePath, scenario.TotalBytes);
            _fileFd = Fd.Check(Libc.Open(_filePath, Libc.ORdOnly), $"open({_filePath})");
        }
    }

    private static void WritePatternFile(string path, long length)
    {
        using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var chunk = new byte[65536];
        for (long at = 0; at < length; at += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, length - at);
            StreamPattern.Fill(chunk.AsSpan(0, n), at);
            f.Write(chunk, 0, n);
        }
    }

    public List<SendOutcome> SendAll()
    {
        var outcomes = new List<SendOutcome>(_scenario.Sends.Count);
        foreach (int len in _scenario.Sends)
        {
            int rc = _scenario.Mode == SendMode.SendMsg ? SendMsg(len) : SendFile(len);
            outcomes.Add(new SendOutcome(len, rc));
            _offset += rc > 0 ? rc : rc < 0 ? len : 0;
        }
        return outcomes;
    }

    private int SendMsg(int len)
    {
        var data = new byte[len];
        StreamPattern.Fill(data, _offset);
        int iov = _scenario.Iov;
        var vecs = new Libc.IoVec[iov];
        int each = len / iov;
        fixed (byte* d = data)
        fixed (Libc.IoVec* v = vecs)
        {
            for (int k = 0; k < iov; k++)
            {
                int vl = k == iov - 1 ? len - each * (iov - 1) : each;
                v[k] = new Libc.IoVec { Base = d + each * k, Len = (nuint)vl };
            }
            var hdr = new Libc.MsgHdr { Iov = v, IovLen = (nuint)iov };
            while (true)
            {
                nint r = Libc.SendMsg(_fd, &hdr, Libc.MsgNoSignal);
                if (r >= 0) return (int)r;
                int e = Libc.Errno;
                if (e != Libc.EIntr) return -e;
            }
        }
    }

    private int SendFile(int len)
    {
        long off = _offset;
        while (true)
        {
            nint r = Libc.SendFile(_fd, _fileFd, &off, (nuint)len);
            if (r >= 0) return (int)r;
            int e = Libc.Errno;
            if (e != Libc.EIntr) return -e;
        }
    }

    public void Dispose()
    {
        Fd.CloseQuietly(ref _fileFd);
        if (_filePath is not null)
        {
            try { File.Delete(_filePath); } catch (IOException) { /* a leftover temp file is harmless */ }
        }
    }
}
