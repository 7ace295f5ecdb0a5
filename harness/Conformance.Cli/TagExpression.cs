namespace Conformance.Cli;

/// <summary>
/// A Cucumber tag expression ("@L1 and @v2", "not @slow", "(@HS-004 or @HS-005) and not @client"): tags, not, and,
/// or, parentheses; precedence not &gt; and &gt; or. Tags are compared without '@', case-insensitively.
/// </summary>
public sealed class TagExpression
{
    private readonly Func<ISet<string>, bool> _evaluate;

    public string Text { get; }

    private TagExpression(string text, Func<ISet<string>, bool> evaluate)
    {
        Text = text;
        _evaluate = evaluate;
    }

    public static TagExpression Any { get; } = new("", _ => true);

    public bool Matches(IEnumerable<string> tags) =>
        _evaluate(new HashSet<string>(tags.Select(t => t.TrimStart('@')), StringComparer.OrdinalIgnoreCase));

    /// <summary>Parses; a malformed expression is a <see cref="FormatException"/> with a one-line message.</summary>
    public static TagExpression Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Any;
        var parser = new Parser(Tokenize(text));
        var expression = parser.ParseOr();
        if (!parser.AtEnd) throw new FormatException($"tag expression \"{text}\": unexpected \"{parser.Peek}\"");
        return new TagExpression(text.Trim(), expression);
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')') { tokens.Add(c.ToString()); i++; continue; }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')') i++;
            tokens.Add(text[start..i]);
        }
        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _position;

        public bool AtEnd => _position >= tokens.Count;
        public string Peek => AtEnd ? "end of expression" : tokens[_position];

        private bool Accept(string keyword)
        {
            if (AtEnd || !string.Equals(tokens[_position], keyword, StringComparison.OrdinalIgnoreCase)) return false;
            _position++;
            return true;
        }

        public Func<ISet<string>, bool> ParseOr()
        {
            var left = ParseAnd();
            while (Accept("or"))
            {
                var l = left;
                var r = ParseAnd();
                left = tags => l(tags) || r(tags);
            }
            return left;
        }

        private Func<ISet<string>, bool> ParseAnd()
        {
            var left = ParseNot();
            while (Accept("and"))
            {
                var l = left;
                var r = ParseNot();
                left = tags => l(tags) && r(tags);
            }
            return left;
        }

        private Func<ISet<string>, bool> ParseNot()
        {
            if (Accept("not"))
            {
                var inner = ParseNot();
                return tags => !inner(tags);
            }
            return ParsePrimary();
        }

        private Func<ISet<string>, bool> ParsePrimary()
        {
            if (AtEnd) throw new FormatException("tag expression ends where a tag or '(' was expected");
            if (Accept("("))
            {
                var inner = ParseOr();
                if (!Accept(")")) throw new FormatException($"tag expression: expected ')' but found \"{Peek}\"");
                return inner;
            }
            var token = tokens[_position];
            if (!token.StartsWith('@') || token.Length < 2)
                throw new FormatException($"tag expression: \"{token}\" is not a tag (tags start with @; operators are and, or, not)");
            _position++;
            var tag = token[1..];
            return tags => tags.Contains(tag);
        }
    }
}
