using System.Text;
using System.Text.Json;

namespace SockActors.Model.Scenarios;

/// <summary>
/// Reads scenarios and writes results in the JSON shape of shared/conformance/README.md. Parsing is strict: an
/// unknown key, a wrong type, a negative size or an unknown action is a <see cref="ScenarioFormatException"/> whose
/// message names the offending key, so a user can fix the line.
/// </summary>
public static class ScenarioJson
{
    private static readonly string[] ProgramKeys =
    [
        "action", "redirect_key", "ingress", "apply", "cork", "pull_start", "pull_end",
        "push_start", "push_len", "pop_start", "pop_len", "drop_every",
    ];

    private static readonly string[] ScenarioKeys = ["name", "program", "mode", "iov", "sends", "skb", "sockops"];

    private static readonly string[] SkbKeys = ["parser", "frame", "verdict", "skb_verdict", "redirect_key", "ingress", "drop_every"];

    /// <summary>Parses one scenario line. Accepts either a bare scenario or an observed line {"name","scenario",...}.</summary>
    public static Scenario ParseScenario(string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new ScenarioFormatException($"malformed JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ScenarioFormatException($"a scenario must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
            if (root.TryGetProperty("scenario", out var inner) && inner.ValueKind == JsonValueKind.Object)
                return ParseScenario(inner);
            return ParseScenario(root);
        }
    }

    /// <summary>Parses an observed line {"name", "scenario", "kernel", "result"} into its scenario and result.</summary>
    public static (Scenario Scenario, ScenarioResult Result, string? Kernel) ParseObserved(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var scenario = ParseScenario(root.GetProperty("scenario"));
        var result = ParseResult(root.GetProperty("result"));
        var kernel = root.TryGetProperty("kernel", out var k) ? k.GetString() : null;
        return (scenario, result, kernel);
    }

    /// <summary>A scenario from its contract JSON object; throws <see cref="ScenarioFormatException"/> naming the first bad
    /// or missing field.</summary>
    public static Scenario ParseScenario(JsonElement root)
    {
        string? name = null;
        if (root.TryGetProperty("name", out var n))
        {
            if (n.ValueKind != JsonValueKind.String) throw new ScenarioFormatException("\"name\" must be a string");
            name = n.GetString();
        }
        foreach (var p in root.EnumerateObject())
        {
            if (Array.IndexOf(ScenarioKeys, p.Name) < 0)
                throw new ScenarioFormatException($"unknown key \"{p.Name}\" (known: {string.Join(", ", ScenarioKeys)})", name);
        }
        if (name is null) throw new ScenarioFormatException("missing \"name\"");

        var program = new ProgramSpec();
        if (root.TryGetProperty("program", out var prog))
        {
            if (prog.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException("\"program\" must be an object", name);
            program = ParseProgram(prog, name);
        }

        var mode = SendMode.SendMsg;
        if (root.TryGetProperty("mode", out var m))
        {
            mode = m.ValueKind == JsonValueKind.String ? m.GetString() switch
            {
                "sendmsg" => SendMode.SendMsg,
                "sendfile" => SendMode.SendFile,
                var other => throw new ScenarioFormatException($"unknown mode \"{other}\" (expected \"sendmsg\" or \"sendfile\")", name),
            } : throw new ScenarioFormatException("\"mode\" must be a string", name);
        }

        int iov = 1;
        if (root.TryGetProperty("iov", out var iv))
        {
            iov = ReadInt(iv, "iov", name);
            if (iov < 1 || iov > 1024) throw new ScenarioFormatException($"\"iov\" must be between 1 and 1024 (UIO_MAXIOV), got {iov}", name);
        }

        if (!root.TryGetProperty("sends", out var sends)) throw new ScenarioFormatException("missing \"sends\"", name);
        if (sends.ValueKind != JsonValueKind.Array) throw new ScenarioFormatException("\"sends\" must be an array of byte counts", name);
        var list = new List<int>();
        int idx = 0;
        foreach (var s in sends.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var v))
                throw new ScenarioFormatException($"sends[{idx}] must be a whole number of bytes, got {Describe(s)}", name);
            if (v < 0) throw new ScenarioFormatException($"sends[{idx}] is negative ({v}); a send size must be 0 or more", name);
            if (v > int.MaxValue) throw new ScenarioFormatException($"sends[{idx}] is too large ({v}); at most {int.MaxValue}", name);
            list.Add((int)v);
            idx++;
        }

        ReceiveHalfSpec? skb = null;
        if (root.TryGetProperty("skb", out var sk))
        {
            if (sk.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException("\"skb\" must be an object", name);
            skb = ParseSkb(sk, name);
        }
        bool sockops = root.TryGetProperty("sockops", out var so) && ReadBool(so, "sockops", name);

        var scenario = new Scenario { Name = name, Program = program, Mode = mode, Iov = iov, Sends = list, Skb = skb, SockOps = sockops };
        if (scenario.BouncesForEver)
            throw new ScenarioFormatException(
                $"skb redirect to the egress of key {skb!.RedirectKey} with this program sends the bytes round the two halves for ever " +
                "(an egress redirect to key 0 or 2, or to key 1 while the SK_MSG program redirects to the egress of key 0 or 2); use key 1 or 3, or ingress", name);
        return scenario;
    }

    private static ReceiveHalfSpec ParseSkb(JsonElement e, string name)
    {
        var spec = new ReceiveHalfSpec();
        foreach (var p in e.EnumerateObject())
        {
            switch (p.Name)
            {
                case "parser":
                    spec = spec with
                    {
                        Parser = ReadString(p.Value, "skb.parser", name) switch
                        {
                            "none" => SkbParserKind.None,
                            "len" => SkbParserKind.Len,
                            "fixed" => SkbParserKind.Fixed,
                            var other => throw new ScenarioFormatException($"unknown skb.parser \"{other}\" (expected \"none\", \"len\" or \"fixed\")", name),
                        },
                    };
                    break;
                case "verdict":
                    spec = spec with
                    {
                        Verdict = ReadString(p.Value, "skb.verdict", name) switch
                        {
                            "none" => SkbVerdictKind.None,
                            "pass" => SkbVerdictKind.Pass,
                            "drop" => SkbVerdictKind.Drop,
                            "redirect" => SkbVerdictKind.Redirect,
                            var other => throw new ScenarioFormatException(
                                $"unknown skb.verdict \"{other}\" (expected \"none\", \"pass\", \"drop\" or \"redirect\")", name),
                        },
                    };
                    break;
                case "frame": spec = spec with { Frame = ReadInt(p.Value, "skb.frame", name) }; break;
                case "skb_verdict": spec = spec with { SkbVerdict = ReadBool(p.Value, "skb.skb_verdict", name) }; break;
                case "redirect_key": spec = spec with { RedirectKey = ReadU32(p.Value, "skb.redirect_key", name) }; break;
                case "ingress": spec = spec with { Ingress = ReadBool(p.Value, "skb.ingress", name) }; break;
                case "drop_every": spec = spec with { DropEvery = ReadU32(p.Value, "skb.drop_every", name) }; break;
                default:
                    throw new ScenarioFormatException($"unknown skb key \"{p.Name}\" (known: {string.Join(", ", SkbKeys)})", name);
            }
        }
        if (spec.Frame != 0 && spec.Parser != SkbParserKind.Fixed)
            throw new ScenarioFormatException("\"skb.frame\" goes with \"parser\": \"fixed\"", name);
        return spec;
    }

    private static string ReadString(JsonElement e, string key, string name) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new ScenarioFormatException($"\"{key}\" must be a string, got {Describe(e)}", name);

    private static bool ReadBool(JsonElement e, string key, string name) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ScenarioFormatException($"\"{key}\" must be true or false, got {Describe(e)}", name),
    };

    private static ProgramSpec ParseProgram(JsonElement prog, string name)
    {
        var spec = new ProgramSpec();
        foreach (var p in prog.EnumerateObject())
        {
            switch (p.Name)
            {
                case "action":
                    if (p.Value.ValueKind != JsonValueKind.String) throw new ScenarioFormatException("\"program.action\" must be a string", name);
                    spec = spec with
                    {
                        Action = p.Value.GetString() switch
                        {
                            "pass" => ScenarioAction.Pass,
                            "drop" => ScenarioAction.Drop,
                            "redirect" => ScenarioAction.Redirect,
                            var other => throw new ScenarioFormatException($"unknown action \"{other}\" (expected \"pass\", \"drop\" or \"redirect\")", name),
                        },
                    };
                    break;
                case "ingress":
                    spec = spec with
                    {
                        Ingress = p.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            JsonValueKind.Number => ReadU32(p.Value, "program.ingress", name) != 0,
                            _ => throw new ScenarioFormatException("\"program.ingress\" must be true or false", name),
                        },
                    };
                    break;
                case "redirect_key": spec = spec with { RedirectKey = ReadU32(p.Value, "program.redirect_key", name) }; break;
                case "apply": spec = spec with { Apply = ReadU32(p.Value, "program.apply", name) }; break;
                case "cork": spec = spec with { Cork = ReadU32(p.Value, "program.cork", name) }; break;
                case "pull_start": spec = spec with { PullStart = ReadU32(p.Value, "program.pull_start", name) }; break;
                case "pull_end": spec = spec with { PullEnd = ReadU32(p.Value, "program.pull_end", name) }; break;
                case "push_start": spec = spec with { PushStart = ReadU32(p.Value, "program.push_start", name) }; break;
                case "push_len": spec = spec with { PushLen = ReadU32(p.Value, "program.push_len", name) }; break;
                case "pop_start": spec = spec with { PopStart = ReadU32(p.Value, "program.pop_start", name) }; break;
                case "pop_len": spec = spec with { PopLen = ReadU32(p.Value, "program.pop_len", name) }; break;
                case "drop_every": spec = spec with { DropEvery = ReadU32(p.Value, "program.drop_every", name) }; break;
                default:
                    throw new ScenarioFormatException($"unknown program key \"{p.Name}\" (known: {string.Join(", ", ProgramKeys)})", name);
            }
        }
        return spec;
    }

    private static int ReadInt(JsonElement e, string key, string name)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v))
            throw new ScenarioFormatException($"\"{key}\" must be a whole number, got {Describe(e)}", name);
        return v;
    }

    private static uint ReadU32(JsonElement e, string key, string name)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var v))
            throw new ScenarioFormatException($"\"{key}\" must be a whole number, got {Describe(e)}", name);
        if (v < 0 || v > uint.MaxValue)
            throw new ScenarioFormatException($"\"{key}\" must be between 0 and {uint.MaxValue} (a u32 in the program), got {v}", name);
        return (uint)v;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => e.GetRawText(),
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    /// <summary>A result from its contract JSON object; throws <see cref="ScenarioFormatException"/> naming the first bad
    /// or missing field.</summary>
    public static ScenarioResult ParseResult(JsonElement r)
    {
        if (r.TryGetProperty("runaway", out var ra) && ra.ValueKind == JsonValueKind.True)
            return new ScenarioResult { Runaway = true };
        var sends = r.GetProperty("sends").EnumerateArray()
            .Select(s => new SendOutcome(s.GetProperty("len").GetInt32(), s.GetProperty("rc").GetInt32())).ToList();
        ReceiverResult Recv(string key)
        {
            var o = r.GetProperty(key);
            return new ReceiverResult(o.GetProperty("bytes").GetInt64(), o.GetProperty("fnv").GetString()!);
        }
        var runs = r.GetProperty("runs").EnumerateArray().Select(x => new ProgramRun(
            x.GetProperty("size").GetUInt32(), x.GetProperty("len").GetUInt32(), x.GetProperty("apply").GetInt32(),
            x.GetProperty("cork").GetInt32(), x.GetProperty("pull").GetInt32(), x.GetProperty("push").GetInt32(),
            x.GetProperty("pop").GetInt32(), x.GetProperty("verdict").GetInt32())).ToList();
        SkbTrace? skb = null;
        if (r.TryGetProperty("skb", out var sk))
        {
            List<SkbRun> Rows(string key) => sk.GetProperty(key).EnumerateArray().Select(x => new SkbRun(
                (ScenarioSocket)x.GetProperty("sk").GetInt32(), x.GetProperty("len").GetUInt32(), x.GetProperty("rc").GetInt32())).ToList();
            skb = new SkbTrace
            {
                ParserRuns = Rows("parser_runs"), ParserTotal = sk.GetProperty("parser_total").GetInt64(),
                VerdictRuns = Rows("verdict_runs"), VerdictTotal = sk.GetProperty("verdict_total").GetInt64(),
            };
        }
        SockOpsTrace? ops = null;
        if (r.TryGetProperty("sockops", out var so))
            ops = new SockOpsTrace(so.GetProperty("active").GetInt64(), so.GetProperty("passive").GetInt64(),
                so.GetProperty("updates").GetInt64(), so.GetProperty("update_errors").GetInt64());
        return new ScenarioResult
        {
            Sends = sends, P1 = Recv("p1"), C2 = Recv("c2"), P2 = Recv("p2"), Runs = runs,
            RunsTotal = r.GetProperty("runs_total").GetInt64(), Skb = skb, SockOps = ops,
        };
    }

    /// <summary>Writes a result object in the contract's key order.</summary>
    public static void WriteResult(Utf8JsonWriter w, ScenarioResult r)
    {
        w.WriteStartObject();
        if (r.Runaway)
        {
            w.WriteBoolean("runaway", true);
            w.WriteEndObject();
            return;
        }
        w.WriteStartArray("sends");
        foreach (var s in r.Sends)
        {
            w.WriteStartObject();
            w.WriteNumber("len", s.Len);
            w.WriteNumber("rc", s.Rc);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        foreach (var (key, recv) in new[] { ("p1", r.P1), ("c2", r.C2), ("p2", r.P2) })
        {
            w.WriteStartObject(key);
            w.WriteNumber("bytes", recv.Bytes);
            w.WriteString("fnv", recv.Fnv);
            w.WriteEndObject();
        }
        w.WriteStartArray("runs");
        foreach (var x in r.Runs)
        {
            w.WriteStartObject();
            w.WriteNumber("size", x.Size);
            w.WriteNumber("len", x.Len);
            w.WriteNumber("apply", x.Apply);
            w.WriteNumber("cork", x.Cork);
            w.WriteNumber("pull", x.Pull);
            w.WriteNumber("push", x.Push);
            w.WriteNumber("pop", x.Pop);
            w.WriteNumber("verdict", x.Verdict);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("runs_total", r.RunsTotal);
        if (r.Skb is { } skb)
        {
            w.WriteStartObject("skb");
            void Rows(string key, IReadOnlyList<SkbRun> rows)
            {
                w.WriteStartArray(key);
                foreach (var x in rows)
                {
                    w.WriteStartObject();
                    w.WriteNumber("sk", (int)x.Sk);
                    w.WriteNumber("len", x.Len);
                    w.WriteNumber("rc", x.Rc);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            Rows("parser_runs", skb.ParserRuns);
            w.WriteNumber("parser_total", skb.ParserTotal);
            Rows("verdict_runs", skb.VerdictRuns);
            w.WriteNumber("verdict_total", skb.VerdictTotal);
            w.WriteEndObject();
        }
        if (r.SockOps is { } ops)
        {
            w.WriteStartObject("sockops");
            w.WriteNumber("active", ops.Active);
            w.WriteNumber("passive", ops.Passive);
            w.WriteNumber("updates", ops.Updates);
            w.WriteNumber("update_errors", ops.UpdateErrors);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>One output line: {"name": ..., "result": {...}} (plus "diagnostic" for a runaway and "warnings" for kernel defects).</summary>
    public static string ResultLine(string name, ScenarioResult r)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WritePropertyName("result");
            WriteResult(w, r);
            if (r.Diagnostic is not null) w.WriteString("diagnostic", r.Diagnostic);
            WriteWarnings(w, r.Warnings);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buf.ToArray());
    }

    /// <summary>"warnings": [{"defect", "function", "condition"}, ...] beside the result, only when there are any.</summary>
    public static void WriteWarnings(Utf8JsonWriter w, IReadOnlyList<KernelWarning> warnings)
    {
        if (warnings.Count == 0) return;
        w.WriteStartArray("warnings");
        foreach (var x in warnings)
        {
            w.WriteStartObject();
            w.WriteString("defect", x.Defect);
            w.WriteString("function", x.Function);
            w.WriteString("condition", x.Condition);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>An observed line {"name", "scenario", "kernel", "result"} as `conformance record` writes it.</summary>
    public static string ObservedLine(Scenario s, string kernel, ScenarioResult r, string? kernelRelease = null)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WritePropertyName("scenario");
            WriteScenario(w, s);
            w.WriteString("kernel", kernel);
            // The exact build ("6.18.44-..."): a stable update can change an answer (issue 11's family 2 did).
            if (kernelRelease is not null) w.WriteString("kernel_release", kernelRelease);
            w.WritePropertyName("result");
            WriteResult(w, r);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buf.ToArray());
    }

    /// <summary>Writes a scenario; program keys are written only where they differ from the defaults.</summary>
    public static void WriteScenario(Utf8JsonWriter w, Scenario s)
    {
        var p = s.Program;
        w.WriteStartObject();
        w.WriteString("name", s.Name);
        w.WriteStartObject("program");
        if (p.Action != ScenarioAction.Pass) w.WriteString("action", p.Action.ToString().ToLowerInvariant());
        if (p.RedirectKey != 1) w.WriteNumber("redirect_key", p.RedirectKey);
        if (p.Ingress) w.WriteBoolean("ingress", true);
        void Opt(string k, uint v) { if (v != 0) w.WriteNumber(k, v); }
        Opt("apply", p.Apply); Opt("cork", p.Cork); Opt("pull_start", p.PullStart); Opt("pull_end", p.PullEnd);
        Opt("push_start", p.PushStart); Opt("push_len", p.PushLen); Opt("pop_start", p.PopStart); Opt("pop_len", p.PopLen);
        Opt("drop_every", p.DropEvery);
        w.WriteEndObject();
        w.WriteString("mode", s.Mode == SendMode.SendMsg ? "sendmsg" : "sendfile");
        w.WriteNumber("iov", s.Iov);
        w.WriteStartArray("sends");
        foreach (var x in s.Sends) w.WriteNumberValue(x);
        w.WriteEndArray();
        if (s.Skb is { } skb)
        {
            w.WriteStartObject("skb");
            w.WriteString("parser", skb.Parser.ToString().ToLowerInvariant());
            if (skb.Parser == SkbParserKind.Fixed) w.WriteNumber("frame", skb.Frame);
            w.WriteString("verdict", skb.Verdict.ToString().ToLowerInvariant());
            if (skb.SkbVerdict) w.WriteBoolean("skb_verdict", true);
            if (skb.RedirectKey != 1 || skb.Verdict == SkbVerdictKind.Redirect) w.WriteNumber("redirect_key", skb.RedirectKey);
            if (skb.Ingress) w.WriteBoolean("ingress", true);
            if (skb.DropEvery != 0) w.WriteNumber("drop_every", skb.DropEvery);
            w.WriteEndObject();
        }
        if (s.SockOps) w.WriteBoolean("sockops", true);
        w.WriteEndObject();
    }

    /// <summary>The scenario as one line of contract JSON (the form the scenario files and observations use).</summary>
    public static string ScenarioLine(Scenario s)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf)) WriteScenario(w, s);
        return Encoding.UTF8.GetString(buf.ToArray());
    }
}
