namespace Conformance.TestUtilities;

/// <summary>
/// Values System.Text.Json cannot write, one per failure kind: a reference cycle (JsonException), a delegate
/// (NotSupportedException) and NaN (ArgumentException). The server and client tests use them to check that a
/// transmit never throws and an invoke faults its task with one JsonException.
/// </summary>
public static class UnserialisableData
{
    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    /// <summary>The kinds, for a theory's data.</summary>
    public static IEnumerable<string> Kinds => ["cycle", "delegate", "nan"];

    /// <summary>A fresh value of that kind.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kind is not one of <see cref="Kinds"/>.</exception>
    public static object Of(string kind)
    {
        switch (kind)
        {
            case "cycle":
                var node = new Node();
                node.Next = node;
                return node;
            case "delegate":
                return new { f = (Func<int>)(() => 1) };
            case "nan":
                return new { n = double.NaN };
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected cycle, delegate or nan.");
        }
    }
}
