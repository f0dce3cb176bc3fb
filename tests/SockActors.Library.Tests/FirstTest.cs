using SockActors.TestKit;

public sealed class FirstTest : SockActorsTestKit
{
    [Fact]
    public async Task Bytes_sent_on_one_end_arrive_at_the_other()
    {
        var host = await CreateHostAsync();
        var (client, server) = await host.ConnectPairAsync();
        await host.SendAllAsync(client, "hello"u8.ToArray());
        await host.ExpectDeliveredAsync(server, "hello"u8.ToArray());
    }
}
