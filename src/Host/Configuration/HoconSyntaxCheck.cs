namespace SockActors.Host.Configuration;

/// <summary>
/// A structural check run before Akka's HOCON parser, which is lenient to a fault: it accepts an unclosed object, a
/// value missing after '=', stray closing braces, and it loops without end (allocating) on an unclosed array such as
/// "a : [1, }". This check finds those mistakes and names the line, so a malformed hocon.conf is a clear error.
/// It tracks quoted strings ("..." and """..."""), comments (# and //), and the nesting of {} and [].
/// </summary>
public static class HoconSyntaxCheck
{
    /// <summary>Null when the text is structurally sound, else the first problem ("line 3: ...").</summary>
    public static string? FindProblem(string text)
    {
        var stack = new Stack<(char Open, int Line)>();
        int line = 1;
        char lastSignificant = '\n';
        int lastSignificantLine = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch == '\n') { line++; continue; }
            if (char.IsWhiteSpace(ch)) continue;
            if (ch == '#' || (ch == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n') i++;
                i--;
                continue;
            }
            if (ch == '"')
            {
                int startLine = line;
                if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
                {
                    int end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) return $"line {startLine}: unterminated \"\"\" string";
                    line += text.AsSpan(i, end - i).Count('\n');
                    i = end + 2;
                }
                else
                {
                    int j = i + 1;
                    while (j < text.Length && text[j] != '"' && text[j] != '\n')
                        j += text[j] == '\\' ? 2 : 1;
                    if (j >= text.Length || text[j] != '"') return $"line {startLine}: unterminated string";
                    i = j;
                }
                lastSignificant = 'v';
                lastSignificantLine = line;
                continue;
            }
            switch (ch)
            {
                case '{' or '[':
                    stack.Push((ch, line));
                    break;
                case '}' or ']':
                    char expectedOpen = ch == '}' ? '{' : '[';
                    if (lastSignificant is '=' or ':')
                        return $"line {lastSignificantLine}: a key has '{lastSignificant}' but no value before '{ch}'";
                    if (stack.Count == 0) return $"line {line}: '{ch}' closes nothing";
                    var (open, openLine) = stack.Pop();
                    if (open != expectedOpen) return $"line {line}: '{ch}' closes the '{open}' opened at line {openLine}";
                    break;
                case '=' or ':':
                    // Inside an array there are no keys; elsewhere a separator directly after another is a missing value.
                    if (lastSignificant is '=' or ':' && (stack.Count == 0 || stack.Peek().Open == '{'))
                        return $"line {line}: a key has '{lastSignificant}' but no value";
                    break;
            }
            lastSignificant = ch;
            lastSignificantLine = line;
        }
        if (lastSignificant is '=' or ':') return $"line {lastSignificantLine}: a key has '{lastSignificant}' but no value";
        if (stack.Count > 0)
        {
            var (open, openLine) = stack.Peek();
            return $"line {openLine}: '{open}' is never closed";
        }
        return null;
    }
}
