using System.Globalization;
using System.Text;

namespace SockActors.Model.Bpf;

/// <summary>
/// The subset of bpf_trace_printk formatting (kernel/trace/bpf_trace.c, bpf_bprintf_prepare) the simulation supports:
/// %d %i %u %x %X %c %s %p %% with the l/ll/h/hh length modifiers (at most three arguments, as the helper takes).
/// Widths and flags are ignored. An unknown conversion is printed verbatim, like a literal.
/// </summary>
internal static class TracePrintkFormatter
{
    public static string Format(ReadOnlySpan<byte> fmt, ulong a1, ulong a2, ulong a3, Func<ulong, string> readString)
    {
        int nul = fmt.IndexOf((byte)0);
        if (nul >= 0) fmt = fmt[..nul];
        var sb = new StringBuilder(fmt.Length + 16);
        int argIndex = 0;
        ulong NextArg() => argIndex++ switch { 0 => a1, 1 => a2, 2 => a3, _ => 0 };
        for (int i = 0; i < fmt.Length; i++)
        {
            char c = (char)fmt[i];
            if (c != '%' || i + 1 >= fmt.Length) { sb.Append(c); continue; }
            int start = i++;
            if (fmt[i] == '%') { sb.Append('%'); continue; }
            while (i < fmt.Length && (fmt[i] is (byte)'-' or (byte)'0' or (byte)'+' or (byte)' ' || char.IsAsciiDigit((char)fmt[i]))) i++;
            int longs = 0, shorts = 0;
            while (i < fmt.Length && fmt[i] == 'l') { longs++; i++; }
            while (i < fmt.Length && fmt[i] == 'h') { shorts++; i++; }
            if (i >= fmt.Length) { sb.Append(Encoding.ASCII.GetString(fmt[start..])); break; }
            char conv = (char)fmt[i];
            if (conv is 'd' or 'i' or 'u' or 'x' or 'X' or 'c' or 's' or 'p' && argIndex >= 3)
            {
                sb.Append("(too many arguments)");
                continue;
            }
            ulong v;
            switch (conv)
            {
                case 'd':
                case 'i':
                    v = NextArg();
                    long sv = longs > 0 ? (long)v : shorts == 1 ? (short)v : shorts >= 2 ? (sbyte)v : (int)v;
                    sb.Append(sv.ToString(CultureInfo.InvariantCulture));
                    break;
                case 'u':
                case 'x':
                case 'X':
                    v = NextArg();
                    ulong uv = longs > 0 ? v : shorts == 1 ? (ushort)v : shorts >= 2 ? (byte)v : (uint)v;
                    sb.Append(conv == 'u' ? uv.ToString(CultureInfo.InvariantCulture) : uv.ToString(conv == 'x' ? "x" : "X", CultureInfo.InvariantCulture));
                    break;
                case 'c':
                    sb.Append((char)(byte)NextArg());
                    break;
                case 's':
                    sb.Append(readString(NextArg()));
                    break;
                case 'p':
                    sb.Append("0x").Append(NextArg().ToString("x", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(Encoding.ASCII.GetString(fmt[start..(i + 1)]));
                    break;
            }
        }
        return sb.ToString();
    }
}
