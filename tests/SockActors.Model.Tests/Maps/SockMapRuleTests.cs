using SockActors.Model.Kernel;
using SockActors.Model.Maps;
using SockActors.Model.Net;
using SockActors.Model.Programs;
using SockActors.Model.Tests.Support;
using static SockActors.Model.Maps.BpfUpdateFlags;

namespace SockActors.Model.Tests.Maps;

/// <summary>net/core/sock_map.c: creation, update, delete, lookup, get_next_key, program attach/copy rules, redirect helper results.</summary>
public class SockMapRuleTests
{
    private static (SimKernel K, Sock C, Sock S, Sock L) Sockets(KernelProfile? profile = null)
    {
        var k = new SimKernel(profile);
        var l = k.Listen("l");
        var (c, s) = k.Connect(l, "c", "s");
        return (k, c, s, l);
    }

    private static byte[] Key(uint k, int size = 4)
    {
        var b = new byte[size];
        BitConverter.GetBytes(k).AsSpan(0, Math.Min(4, size)).CopyTo(b);
        return b;
    }

    // ------------------------------------------------------------ creation

    [Theory]
    [InlineData(0u, 4u, 4u)]   // max_entries 0
    [InlineData(4u, 8u, 4u)]   // key_size != 4
    [InlineData(4u, 2u, 4u)]
    [InlineData(4u, 4u, 2u)]   // value_size not 4/8
    [InlineData(4u, 4u, 16u)]
    public void Sockmap_create_rejects_bad_sizes_with_EINVAL(uint max, uint keySize, uint valueSize)
    {
        var e = Assert.Throws<BpfErrnoException>(() => new SockMap("m", max, keySize, valueSize));
        Assert.Equal(Errno.EINVAL, e.Errno);
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(8u)]
    public void Sockmap_create_accepts_value_size_4_and_8(uint valueSize)
    {
        var m = new SockMap("m", 4, 4, valueSize);
        Assert.Equal(valueSize, m.ValueSize);
    }

    [Theory]
    [InlineData(0u, 4u, 4u, Errno.EINVAL)]
    [InlineData(4u, 0u, 4u, Errno.EINVAL)]
    [InlineData(4u, 4u, 5u, Errno.EINVAL)]
    [InlineData(4u, 513u, 4u, Errno.E2BIG)]
    public void Sockhash_create_rejects_bad_sizes(uint max, uint keySize, uint valueSize, int errno)
    {
        var e = Assert.Throws<BpfErrnoException>(() => new SockHash("h", max, keySize, valueSize));
        Assert.Equal(errno, e.Errno);
    }

    [Fact]
    public void Sockhash_accepts_a_512_byte_key()
    {
        var (_, c, _, _) = Sockets();
        var h = new SockHash("h", 4, 512);
        Assert.Equal(0, h.Update(Key(1, 512), c));
        Assert.Same(c, h.LookupSock(Key(1, 512)));
    }

    // ------------------------------------------------------------ update

    [Fact]
    public void Sockmap_update_flags_follow_BPF_ANY_NOEXIST_EXIST()
    {
        var (k, c, s, _) = Sockets();
        var m = new SockMap("m", 4);
        Assert.Equal(-Errno.ENOENT, m.Update(0, c, Exist));     // empty slot
        Assert.Null(m.LookupSock(0));
        Assert.Equal(0, m.Update(0, c, NoExist));
        Assert.Equal(-Errno.EEXIST, m.Update(0, s, NoExist));   // occupied
        Assert.Same(c, m.LookupSock(0));
        Assert.Equal(0, m.Update(0, s, Exist));                 // replace
        Assert.Same(s, m.LookupSock(0));
        Assert.Null(c.Psock);                                    // the replaced socket lost its only link
        Assert.Equal(0, m.Update(0, c, Any));
        Assert.Same(c, m.LookupSock(0));
        Assert.Null(s.Psock);
    }

    [Fact]
    public void Sockmap_update_flags_above_BPF_EXIST_is_EINVAL()
    {
        var (_, c, _, _) = Sockets();
        var m = new SockMap("m", 4);
        Assert.Equal(-Errno.EINVAL, m.Update(0, c, 3));
        Assert.Null(c.Psock);
    }

    [Fact]
    public void Sockmap_update_key_at_or_past_max_entries_is_E2BIG()
    {
        var (_, c, _, _) = Sockets();
        var m = new SockMap("m", 4);
        Assert.Equal(-Errno.E2BIG, m.Update(4, c));
        Assert.Equal(-Errno.E2BIG, m.Update(uint.MaxValue, c));
        Assert.Null(c.Psock);
    }

    [Fact]
    public void Sockmap_update_with_a_socket_that_is_neither_established_nor_listening_is_EOPNOTSUPP()
    {
        var (k, c, s, l) = Sockets();
        var m = new SockMap("m", 4);
        var fresh = k.CreateSocket("fresh");           // never connected
        Assert.Equal(-Errno.EOPNOTSUPP, m.Update(0, fresh));
        c.Close();
        Assert.Equal(-Errno.EOPNOTSUPP, m.Update(0, c)); // closed
        Assert.Equal(0, m.Update(1, s));                // established
        Assert.Equal(0, m.Update(2, l));                // listening
    }

    [Fact]
    public void Sockhash_update_flags_and_full_map()
    {
        var (k, c, s, l) = Sockets();
        var h = new SockHash("h", 2, 4);
        Assert.Equal(-Errno.ENOENT, h.Update(Key(1), c, Exist));
        Assert.Equal(0, h.Update(Key(1), c, NoExist));
        Assert.Equal(-Errno.EEXIST, h.Update(Key(1), s, NoExist));
        Assert.Equal(-Errno.EINVAL, h.Update(Key(2), s, 3));
        Assert.Equal(0, h.Update(Key(2), s));
        Assert.Equal(-Errno.E2BIG, h.Update(Key(3), l));   // full, new key
        Assert.Equal(0, h.Update(Key(2), l));              // full, existing key: replace is fine
        Assert.Same(l, h.LookupSock(Key(2)));
        Assert.Equal(-Errno.EOPNOTSUPP, h.Update(Key(1), k.CreateSocket()));
    }

    // ------------------------------------------------------------ delete / lookup / get_next_key

    [Fact]
    public void Sockmap_delete_of_an_empty_slot_is_EINVAL_not_ENOENT()
    {
        var m = new SockMap("m", 4);
        Assert.Equal(-Errno.EINVAL, m.Delete(0));
    }

    [Fact]
    public void Sockmap_delete_out_of_range_is_EINVAL()
    {
        var m = new SockMap("m", 4);
        Assert.Equal(-Errno.EINVAL, m.Delete(4));
    }

    [Fact]
    public void Sockmap_delete_of_an_occupied_slot_empties_it_and_drops_the_psock()
    {
        var (_, c, _, _) = Sockets();
        var m = new SockMap("m", 4);
        Assert.Equal(0, m.Update(2, c));
        Assert.NotNull(c.Psock);
        Assert.Equal(0, m.Delete(2));
        Assert.Null(m.LookupSock(2));
        Assert.Null(c.Psock);
        Assert.Equal(-Errno.EINVAL, m.Delete(2));
    }

    [Fact]
    public void Sockhash_delete_of_a_missing_key_is_ENOENT()
    {
        var (_, c, _, _) = Sockets();
        var h = new SockHash("h", 4, 4);
        Assert.Equal(-Errno.ENOENT, h.Delete(Key(1)));
        Assert.Equal(0, h.Update(Key(1), c));
        Assert.Equal(0, h.Delete(Key(1)));
        Assert.Equal(-Errno.ENOENT, h.Delete(Key(1)));
    }

    [Fact]
    public void Sockmap_lookup_returns_the_cookie_only_with_an_8_byte_value()
    {
        var (_, c, _, _) = Sockets();
        var m4 = new SockMap("m4", 4, 4, 4);
        var m8 = new SockMap("m8", 4, 4, 8);
        Assert.Equal(0, m4.Update(0, c));
        Assert.Equal(0, m8.Update(0, c));
        Assert.Equal(-Errno.ENOSPC, m4.LookupCookie(0, out _));
        Assert.Equal(0, m8.LookupCookie(0, out ulong cookie));
        Assert.Equal(c.Cookie, cookie);
        Assert.Equal(-Errno.ENOENT, m8.LookupCookie(1, out _));
        Assert.Equal(-Errno.ENOSPC, m4.LookupCookie(1, out _)); // the size check comes first
        Assert.Equal(-Errno.ENOENT, m8.LookupCookie(100, out _));
    }

    [Fact]
    public void Sockhash_lookup_cookie_rules_match_sockmap()
    {
        var (_, c, _, _) = Sockets();
        var h4 = new SockHash("h4", 4, 4, 4);
        var h8 = new SockHash("h8", 4, 4, 8);
        Assert.Equal(0, h4.Update(Key(7), c));
        Assert.Equal(0, h8.Update(Key(7), c));
        Assert.Equal(-Errno.ENOSPC, h4.LookupCookie(Key(7), out _));
        Assert.Equal(0, h8.LookupCookie(Key(7), out ulong cookie));
        Assert.Equal(c.Cookie, cookie);
        Assert.Equal(-Errno.ENOENT, h8.LookupCookie(Key(8), out _));
    }

    [Fact]
    public void Sockmap_get_next_key_does_not_skip_empty_slots()
    {
        var (_, c, _, _) = Sockets();
        var m = new SockMap("m", 4);
        Assert.Equal(0, m.Update(3, c)); // only the last slot is used
        Assert.Equal(0, m.GetNextKey(null, out uint k));
        Assert.Equal(0u, k);
        Assert.Equal(0, m.GetNextKey(0, out k));
        Assert.Equal(1u, k);
        Assert.Equal(0, m.GetNextKey(1, out k));
        Assert.Equal(2u, k);
        Assert.Equal(0, m.GetNextKey(2, out k));
        Assert.Equal(3u, k);
        Assert.Equal(-Errno.ENOENT, m.GetNextKey(3, out _));
        Assert.Equal(0, m.GetNextKey(99, out k)); // out of range restarts at 0
        Assert.Equal(0u, k);
    }

    [Fact]
    public void Sockhash_get_next_key_walks_present_keys_and_ends_with_ENOENT()
    {
        var (_, c, s, _) = Sockets();
        var h = new SockHash("h", 4, 4);
        Assert.Equal(-Errno.ENOENT, h.GetNextKey(default, out _));
        Assert.Equal(0, h.Update(Key(5), c));
        Assert.Equal(0, h.Update(Key(9), s));
        var seen = new List<uint>();
        byte[]? key = null;
        while (h.GetNextKey(key, out var next) == 0)
        {
            seen.Add(BitConverter.ToUInt32(next!));
            key = next;
        }
        Assert.Equal(new uint[] { 5, 9 }, seen.Order());
    }

    // ------------------------------------------------------------ programs

    [Fact]
    public void Stream_verdict_and_skb_verdict_exclude_each_other_on_attach()
    {
        var m = new SockMap("m", 4);
        Assert.Equal(0, m.Attach(SockAttachType.SkSkbStreamVerdict, SkbProgram.Pass()));
        Assert.Equal(-Errno.EBUSY, m.Attach(SockAttachType.SkSkbVerdict, SkbProgram.Pass()));
        var m2 = new SockMap("m2", 4);
        Assert.Equal(0, m2.Attach(SockAttachType.SkSkbVerdict, SkbProgram.Pass()));
        Assert.Equal(-Errno.EBUSY, m2.Attach(SockAttachType.SkSkbStreamVerdict, SkbProgram.Pass()));
    }

    [Fact]
    public void A_second_msg_program_on_a_psock_is_EBUSY()
    {
        var (_, c, _, _) = Sockets();
        var a = new SockMap("a", 4);
        var b = new SockMap("b", 4);
        Assert.Equal(0, a.Attach(SockAttachType.SkMsgVerdict, DelegateProgram.Pass()));
        Assert.Equal(0, b.Attach(SockAttachType.SkMsgVerdict, DelegateProgram.Pass()));
        Assert.Equal(0, a.Update(0, c));
        Assert.Equal(-Errno.EBUSY, b.Update(0, c));
        Assert.Null(b.LookupSock(0));
        Assert.Single(c.Psock!.Links);
    }

    [Fact]
    public void The_same_socket_at_a_second_key_of_a_map_with_a_msg_program_is_EBUSY()
    {
        // sock_map_link checks the psock's programs before any duplicate-slot logic: the map's own msg program
        // is already in the psock.
        var (_, c, _, _) = Sockets();
        var a = new SockMap("a", 4);
        Assert.Equal(0, a.Attach(SockAttachType.SkMsgVerdict, DelegateProgram.Pass()));
        Assert.Equal(0, a.Update(0, c));
        Assert.Equal(-Errno.EBUSY, a.Update(1, c));
    }

    [Fact]
    public void One_socket_can_sit_in_several_maps_and_keys_when_they_add_no_program_it_already_has()
    {
        var (_, c, _, _) = Sockets();
        var withProg = new SockMap("a", 4);
        var plain = new SockMap("b", 4);
        var hash = new SockHash("h", 4, 4);
        Assert.Equal(0, withProg.Attach(SockAttachType.SkMsgVerdict, DelegateProgram.Pass()));
        Assert.Equal(0, withProg.Update(0, c));
        Assert.Equal(0, plain.Update(0, c));
        Assert.Equal(0, plain.Update(3, c));
        Assert.Equal(0, hash.Update(Key(1), c));
        Assert.Equal(4, c.Psock!.Links.Count);
        Assert.Equal(0, plain.Delete(0));
        Assert.Equal(0, plain.Delete(3));
        Assert.Equal(0, hash.Delete(Key(1)));
        Assert.NotNull(c.Psock);
        Assert.Equal(0, withProg.Delete(0));
        Assert.Null(c.Psock);
    }

    [Fact]
    public async Task Programs_are_copied_at_insertion_only_attaching_later_does_not_affect_the_socket()
    {
        var (_, c, s, _) = Sockets();
        var m = new SockMap("m", 4);
        Assert.Equal(0, m.Update(0, c));
        var prog = new DelegateProgram(_ => SkAction.Drop);
        Assert.Equal(0, m.Attach(SockAttachType.SkMsgVerdict, prog));
        Assert.Equal(10, await c.SendMsgAsync(new byte[10]));
        Assert.Equal(0, prog.Runs);
        Assert.Equal(10, Rig.ReadAll(s).Length);
    }

    [Fact]
    public async Task Detaching_after_insertion_keeps_the_program_in_the_psock()
    {
        var (_, c, _, _) = Sockets();
        var m = new SockMap("m", 4);
        var prog = new DelegateProgram(_ => SkAction.Drop);
        Assert.Equal(0, m.Attach(SockAttachType.SkMsgVerdict, prog));
        Assert.Equal(0, m.Update(0, c));
        Assert.Equal(0, m.Detach(SockAttachType.SkMsgVerdict, prog));
        Assert.Equal(-Errno.EACCES, await c.SendMsgAsync(new byte[10]));
        Assert.Equal(1, prog.Runs);
    }

    [Fact]
    public async Task Removing_a_socket_from_the_map_that_gave_it_the_msg_program_keeps_the_program_while_it_is_in_another_map()
    {
        var (_, c, s, _) = Sockets();
        var a = new SockMap("a", 4);
        var b = new SockMap("b", 4);
        var prog = new DelegateProgram(_ => SkAction.Pass);
        Assert.Equal(0, a.Attach(SockAttachType.SkMsgVerdict, prog));
        Assert.Equal(0, a.Update(0, c));
        Assert.Equal(0, b.Update(0, c));
        Assert.Equal(0, a.Delete(0));
        Assert.Equal(10, await c.SendMsgAsync(new byte[10]));
        Assert.Equal(1, prog.Runs);
        Assert.Equal(0, b.Delete(0));
        Assert.Equal(10, await c.SendMsgAsync(new byte[10]));
        Assert.Equal(1, prog.Runs); // psock gone: plain tcp_sendmsg
        Assert.Equal(20, Rig.ReadAll(s).Length);
    }

    [Fact]
    public void A_failed_NOEXIST_update_still_leaves_the_programs_in_an_existing_psock()
    {
        // sock_map_update_common links (copies programs) before the BPF_NOEXIST check; a psock that already
        // existed keeps what was copied.
        var (_, c, s, _) = Sockets();
        var plain = new SockMap("plain", 4);
        var withProg = new SockMap("prog", 4);
        Assert.Equal(0, withProg.Attach(SockAttachType.SkMsgVerdict, DelegateProgram.Pass()));
        Assert.Equal(0, plain.Update(0, c));
        Assert.Equal(0, withProg.Update(0, s));
        Assert.Equal(-Errno.EEXIST, withProg.Update(0, c, NoExist));
        Assert.NotNull(c.Psock!.Progs.MsgParser);
        Assert.Single(c.Psock.Links);
    }

    // ------------------------------------------------------------ redirect helper

    [Theory]
    [InlineData(1u, 2ul)]          // flags other than BPF_F_INGRESS
    [InlineData(1u, 3ul)]
    [InlineData(3u, 0ul)]          // empty key
    [InlineData(4u, 0ul)]          // key >= max_entries
    [InlineData(2u, 0ul)]          // LISTEN target
    [InlineData(2u, 1ul)]          // LISTEN target, ingress
    public async Task Redirect_helper_returns_SK_DROP_and_the_send_fails_EACCES(uint key, ulong flags)
    {
        long helperRc = -1;
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            helperRc = ctx.MsgRedirectMap(rig!.Map, key, flags);
            return (int)helperRc;
        });
        Assert.Equal(0, rig.Map.Update(2, rig.K.Listen("lsn")));
        Assert.Equal(-Errno.EACCES, await rig.Send(100));
        Assert.Equal(SkAction.Drop, helperRc);
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(1ul)]
    public async Task Redirect_helper_returns_SK_PASS_for_an_established_target(ulong flags)
    {
        long helperRc = -1;
        Rig? rig = null;
        rig = new Rig(ctx => (int)(helperRc = ctx.MsgRedirectMap(rig!.Map, 1, flags)));
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(SkAction.Pass, helperRc);
        // egress: out of p2 to c2; ingress: into p2's ingress_msg
        Assert.Equal(100, Rig.ReadAll(flags == 0 ? rig.C2 : rig.P2).Length);
    }

    [Fact]
    public async Task Passing_after_a_failed_redirect_is_a_plain_pass()
    {
        Rig? rig = null;
        rig = new Rig(ctx =>
        {
            Assert.Equal(SkAction.Drop, ctx.MsgRedirectMap(rig!.Map, 3, 0));
            return SkAction.Pass;
        });
        Assert.Equal(100, await rig.Send(100));
        Assert.Equal(100, rig.ReadAllAfterTimers(rig.P1).Length);
    }

    [Fact]
    public async Task Redirect_hash_helper_drops_a_missing_key_and_redirects_a_present_one()
    {
        var hash = new SockHash("h", 4, 4);
        byte[] key = Key(1);
        long rc = -1;
        var rig = new Rig(ctx => (int)(rc = ctx.MsgRedirectHash(hash, key, 0)));
        Assert.Equal(-Errno.EACCES, await rig.Send(10));
        Assert.Equal(SkAction.Drop, rc);

        var rig2 = new Rig(ctx => (int)(rc = ctx.MsgRedirectHash(hash, key, 0)));
        Assert.Equal(0, hash.Update(key, rig2.P2));
        Assert.Equal(10, await rig2.Send(10));
        Assert.Equal(SkAction.Pass, rc);
        Assert.Equal(10, Rig.ReadAll(rig2.C2).Length);
    }
}
