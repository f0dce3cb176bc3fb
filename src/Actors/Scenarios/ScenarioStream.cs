using SockActors.Actors.Protocol;
using SockActors.Model.Memory;
using SockActors.Model.Scenarios;

namespace SockActors.Actors.Scenarios;

/// <summary>
/// c1's side of a contract scenario as protocol messages (ScenarioTopology.SendAsync's rules): byte i of the stream is
/// the contract's pattern; sendmsg sends the next bytes; sendfile sends from a file holding the pattern, at the
/// stream's offset. A sendfile message carries only the part of the file it reads, from the page the offset falls in,
/// so page boundaries (which cut sendfile into chunks) stay where the whole file has them. The stream advances by
/// <see cref="ScenarioTopology.StreamAdvance"/>, the model's rule.
/// </summary>
internal sealed class ScenarioStream(Scenario scenario)
{
    private long _offset;

    public ISendCall Next(int sockId, int len)
    {
        if (scenario.Mode == SendMode.SendMsg)
        {
            var data = new byte[len];
            StreamPattern.Fill(data, _offset);
            return new SendMsg(sockId, data, 0);
        }
        long pageStart = _offset & ~(long)(Page.PageSize - 1);
        long end = Math.Min(_offset + len, scenario.TotalBytes);
        if (end <= _offset) return new SendFile(sockId, [], 0, len, 0); // past the file's end: nothing to read
        var part = new byte[end - pageStart];
        StreamPattern.Fill(part, pageStart);
        return new SendFile(sockId, part, _offset - pageStart, len, 0);
    }

    public void Advance(int len, int rc) => _offset += ScenarioTopology.StreamAdvance(len, rc);
}
